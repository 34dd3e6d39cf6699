// Package cli holds what the sarifkit commands share, so that they behave
// as one tool: the exit codes, the streams and environment a run sees
// (IO), flag parsing with --help and --version, messages, output files
// (atomic, gzip by name), input logs, progress lines, the checkout root
// (--source-root) and the GitHub context (token, repository, ref, commit)
// read as the gh CLI reads it. The commands themselves only parse flags,
// call the library packages and print.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/sarifkit/sarifkit/sarif"
)

// Exit codes shared by every sarifkit command.
const (
	// ExitOK: success (a valid log, a passed gate, an upload done).
	ExitOK = 0
	// ExitFailed: the command ran and its check failed: findings at level
	// error, a failed gate, a log GitHub rejects or would reject.
	ExitFailed = 1
	// ExitUsage: bad flags or arguments, or input that cannot be read.
	ExitUsage = 2
	// ExitRemote: GitHub or the network failed, after retries.
	ExitRemote = 3
)

// IO is what one run of a command sees of the world: its standard
// streams, its environment, and the programs it may run (gh, git). Tests
// give fake ones, so that a command runs in-process.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Getenv reads an environment variable.
	Getenv func(string) string
	// Exec runs a program in dir ("" for the current directory) and
	// returns its standard output; nil means no program can be run.
	Exec func(ctx context.Context, dir, name string, args ...string) ([]byte, error)
	// OutTerminal and ErrTerminal tell whether Out and Err are terminals:
	// colour, progress lines and the refusal to write binary data to a
	// screen depend on them.
	OutTerminal, ErrTerminal bool
	// Now tells the time (the ages in reports); nil means time.Now.
	Now func() time.Time
}

// System returns the process's IO: os.Stdin, os.Stdout, os.Stderr,
// os.Getenv and os/exec.
func System() *IO {
	return &IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv,
		Exec: func(ctx context.Context, dir, name string, args ...string) ([]byte, error) {
			cmd := exec.CommandContext(ctx, name, args...)
			cmd.Dir = dir
			return cmd.Output()
		},
		OutTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTerminal: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// Main runs a command with the process's IO and a context that an
// interrupt (Ctrl-C) cancels, then exits with the command's code.
func Main(run func(ctx context.Context, ios *IO, args []string) int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, System(), os.Args[1:])
	stop()
	os.Exit(code)
}

// Version describes the build: the module version ("(devel)" inside the
// source tree), the commit and its date when the build recorded them, and
// the Go version.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var commit, date, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			date = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if commit != "" {
		v += ", commit " + commit[:min(12, len(commit))] + dirty
		if date != "" {
			v += " of " + date
		}
	}
	return v + ", " + info.GoVersion
}

// Command holds what every sarifkit command does the same way: its flag
// set with --help and --version, and its messages.
type Command struct {
	Name  string
	Flags *pflag.FlagSet
	IO    *IO

	usage         string
	version, help *bool
	// readLimits are the options ReadLimitFlags fills, if it was called.
	readLimits *sarif.ReadOptions
}

// New returns a command whose --help prints usage, then the flags.
func New(name, usage string, ios *IO) *Command {
	c := &Command{Name: name, Flags: pflag.NewFlagSet(name, pflag.ContinueOnError), IO: ios, usage: usage}
	c.Flags.SortFlags = true
	c.Flags.SetOutput(ios.Err)
	c.Flags.Usage = func() {} // Parse prints help itself, to standard output
	c.version = c.Flags.Bool("version", false, "print the version and exit")
	c.help = c.Flags.BoolP("help", "h", false, "print this help and exit")
	return c
}

// Parse parses the arguments. When done is true the command must stop and
// exit with code: --help or --version was given (code 0), or a flag was
// wrong (code 2, with a message on standard error).
func (c *Command) Parse(args []string) (code int, done bool) {
	if err := c.Flags.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			c.PrintHelp()
			return ExitOK, true
		}
		return c.Fail("%v", err), true
	}
	if *c.help {
		c.PrintHelp()
		return ExitOK, true
	}
	if *c.version {
		fmt.Fprintf(c.IO.Out, "%s %s\n", c.Name, Version())
		return ExitOK, true
	}
	return 0, false
}

// PrintHelp writes the usage text and the flags to standard output.
func (c *Command) PrintHelp() {
	fmt.Fprint(c.IO.Out, c.usage)
	fmt.Fprint(c.IO.Out, FlagUsages(c.Flags))
}

// FlagUsages lists the flags of fs for --help, one per entry: "-o, --output
// FILE" (the value's name is the back-quoted word of its usage, else its
// type), then the usage, then the default when it is not the zero value.
// Boolean flags show no value: "--explain".
func FlagUsages(fs *pflag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name, usage := pflag.UnquoteUsage(f)
		head := "      --" + f.Name
		if f.Shorthand != "" {
			head = "  -" + f.Shorthand + ", --" + f.Name
		}
		if name != "" {
			head += " " + name
		}
		b.WriteString(head)
		b.WriteString("\n          ")
		b.WriteString(usage)
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			if f.Value.Type() == "string" {
				fmt.Fprintf(&b, " (default %q)", f.DefValue)
			} else {
				fmt.Fprintf(&b, " (default %s)", f.DefValue)
			}
		}
		b.WriteString("\n")
	})
	return b.String()
}

// Fail prints "name: message" and a pointer to --help on standard error
// and returns ExitUsage.
func (c *Command) Fail(format string, a ...any) int {
	fmt.Fprintf(c.IO.Err, "%s: %s\nRun '%s --help' for usage.\n", c.Name, fmt.Sprintf(format, a...), c.Name)
	return ExitUsage
}

// Errorf prints "name: message" on standard error and returns code.
func (c *Command) Errorf(code int, format string, a ...any) int {
	fmt.Fprintf(c.IO.Err, "%s: %s\n", c.Name, fmt.Sprintf(format, a...))
	return code
}

// Warnf prints "name: warning: message" on standard error.
func (c *Command) Warnf(format string, a ...any) {
	fmt.Fprintf(c.IO.Err, "%s: warning: %s\n", c.Name, fmt.Sprintf(format, a...))
}

// Infof prints "name: message" on standard error.
func (c *Command) Infof(format string, a ...any) {
	fmt.Fprintf(c.IO.Err, "%s: %s\n", c.Name, fmt.Sprintf(format, a...))
}

// Set tells whether the named flag was given.
func (c *Command) Set(name string) bool { return c.Flags.Changed(name) }

// Requires fails with a usage error when flag was given without any of
// the flags it needs (their values given as needs, "" meaning unset):
// a flag that cannot apply is an error, not ignored.
func (c *Command) Requires(flag string, needs ...string) error {
	if !c.Set(flag) {
		return nil
	}
	for _, n := range needs {
		if c.Set(n) {
			return nil
		}
	}
	names := make([]string, len(needs))
	for i, n := range needs {
		names[i] = "--" + n
	}
	return fmt.Errorf("--%s has no effect without %s", flag, strings.Join(names, " or "))
}
