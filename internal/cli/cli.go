// Package cli holds what the sarifkit commands share: exit codes and the
// version string. The commands themselves only parse flags, call the
// library packages and print.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/spf13/pflag"
)

// Exit codes shared by every sarifkit command.
const (
	// ExitOK: success (a valid log, a passed gate).
	ExitOK = 0
	// ExitFindings: the command ran and found what it reports as failure
	// (an invalid log, a failed gate, a remote failure).
	ExitFindings = 1
	// ExitUsage: bad flags or arguments, or input that could not be read.
	ExitUsage = 2
)

// Version returns the module version the binary was built from ("(devel)"
// for a build inside the source tree).
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}

// PrintVersion writes "NAME VERSION" to w.
func PrintVersion(w io.Writer, name string) {
	fmt.Fprintf(w, "%s %s\n", name, Version())
}

// Command holds what every sarifkit command does the same way: its flag
// set with --help and --version, and its error messages.
type Command struct {
	Name   string
	Flags  *pflag.FlagSet
	Stdout io.Writer
	Stderr io.Writer

	version *bool
}

// New returns a command whose --help prints usage, then the flags.
func New(name, usage string, stdout, stderr io.Writer) *Command {
	c := &Command{Name: name, Flags: pflag.NewFlagSet(name, pflag.ContinueOnError), Stdout: stdout, Stderr: stderr}
	c.Flags.SetOutput(stderr)
	c.version = c.Flags.Bool("version", false, "print the version and exit")
	c.Flags.Usage = func() {
		fmt.Fprint(stderr, usage)
		c.Flags.PrintDefaults()
	}
	return c
}

// Parse parses the arguments. When done is true the command must stop and
// exit with code: --help or --version was given, or a flag was wrong.
func (c *Command) Parse(args []string) (code int, done bool) {
	if err := c.Flags.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return ExitOK, true
		}
		fmt.Fprintf(c.Stderr, "%s: %v\nRun '%s --help' for usage.\n", c.Name, err, c.Name)
		return ExitUsage, true
	}
	if *c.version {
		PrintVersion(c.Stdout, c.Name)
		return ExitOK, true
	}
	return 0, false
}

// Fail prints "name: message" on standard error and returns ExitUsage.
func (c *Command) Fail(format string, a ...any) int {
	fmt.Fprintf(c.Stderr, c.Name+": "+format+"\n", a...)
	return ExitUsage
}

// Main runs a command with a context that an interrupt (Ctrl-C) cancels,
// then exits with the command's code.
func Main(run func(ctx context.Context) int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx)
	stop()
	os.Exit(code)
}
