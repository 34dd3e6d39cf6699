// Package cli holds what the sarifkit commands share, so that they behave
// as one tool: the exit codes, the streams and environment a run sees
// (IO), flag parsing with --help and --version, messages, interrupts
// (SIGINT and SIGTERM, see Main), output files (atomic, keeping modes,
// checked before any work, gzip by name), input logs, progress lines,
// the checkout root (--source-root) and the GitHub context (token,
// repository, ref, commit) read as the gh CLI reads it. The commands
// themselves only parse flags, call the library packages and print.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/ctxio"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/sarifkit/sarifkit/internal/safetext"
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
	// NetLimits bound each request to GitHub in time and its answer in
	// bytes; zero fields take fetch's defaults. Tests shorten them.
	NetLimits fetch.Limits

	// temps are the temporary files of -o being written, which Main
	// removes when it must exit before the command returns; nil in
	// tests, which run commands in-process.
	temps *tempFiles
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

// Main runs a command with the process's IO, then exits with the
// command's code.
//
// The first SIGINT (Ctrl-C) or SIGTERM cancels the command's context:
// reads and writes stop (even a read of a terminal, a pipe or a FIFO with
// no writer, see package ctxio), the command removes its temporary files
// and returns. Main then prints "NAME: interrupted" on standard error,
// and nothing else the command would still print there, and exits with
// 128 plus the signal's number, as a shell reports a command a signal
// ended: 130 for SIGINT, 143 for SIGTERM. A command that has not
// returned a second after the signal (busy where nothing checks the
// context), or a second signal, makes Main exit at once, removing the
// temporary output file being written, if any.
func Main(run func(ctx context.Context, ios *IO, args []string) int) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	ios := System()
	ios.temps = &tempFiles{}
	stderr := &gatedWriter{w: os.Stderr}
	ios.Err = stderr
	if info, err := os.Stdin.Stat(); err != nil || !info.Mode().IsRegular() {
		// A terminal or a pipe can block a read for ever.
		ios.In = ctxio.NewReader(ctx, os.Stdin)
	}
	done := make(chan int, 1)
	go func() { done <- run(ctx, ios, os.Args[1:]) }()
	var sig os.Signal
	select {
	case code := <-done:
		os.Exit(code)
	case sig = <-sigs:
	}
	stderr.close()
	cancel()
	select {
	case <-done:
	case <-sigs:
	case <-time.After(time.Second):
	}
	ios.temps.removeAll()
	clear := ""
	if ios.ErrTerminal {
		clear = "\r\x1b[K" // the progress line, the echoed ^C
	}
	fmt.Fprintf(os.Stderr, "%s%s: interrupted\n", clear, filepath.Base(os.Args[0]))
	os.Exit(ExitInterrupted(sig))
}

// ExitInterrupted is the exit code of a command that signal sig ended:
// 128 plus its number, 130 for SIGINT and 143 for SIGTERM.
func ExitInterrupted(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

// gatedWriter writes to w until closed, then drops what it is given:
// once interrupted, a command's own complaints (a read cancelled, a
// partial result) are not shown, only that it was interrupted.
type gatedWriter struct {
	w      io.Writer
	closed atomic.Bool
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if g.closed.Load() {
		return len(p), nil
	}
	return g.w.Write(p)
}

func (g *gatedWriter) close() { g.closed.Store(true) }

// tempFiles is the set of temporary files being written.
type tempFiles struct {
	mu    sync.Mutex
	names map[string]bool
}

// track adds name to the set, and returns the function that removes it
// from the set. A nil set tracks nothing.
func (t *tempFiles) track(name string) (untrack func()) {
	if t == nil {
		return func() {}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.names == nil {
		t.names = map[string]bool{}
	}
	t.names[name] = true
	return func() {
		t.mu.Lock()
		delete(t.names, name)
		t.mu.Unlock()
	}
}

// removeAll removes the files of the set.
func (t *tempFiles) removeAll() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for name := range t.names {
		os.Remove(name)
	}
}

// version is the release's version, set when the release is linked:
//
//	go build -ldflags "-X github.com/sarifkit/sarifkit/internal/cmd/cli.version=v1.2.3"
//
// Empty otherwise: Version then reads the build information.
var version string

// Version describes the build: the version set at link time, else the
// module's version (a release's "v1.2.3"; the pseudo-version go build
// derives from the clone's commit, "v0.0.0-20261205233024-d3f49c8a59e7",
// +dirty with local changes; "(devel)" when the build recorded none),
// then the commit and its date when the build recorded them and the
// version does not already say them, and the Go version.
func Version() string {
	info, _ := debug.ReadBuildInfo()
	return describe(info, version)
}

// describe is Version for the build information info (nil when the
// binary has none) and the version linked.
func describe(info *debug.BuildInfo, linked string) string {
	if info == nil {
		if linked != "" {
			return linked
		}
		return "(unknown)"
	}
	v := linked
	if v == "" {
		v = info.Main.Version
	}
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
	if short := commit[:min(12, len(commit))]; short != "" && !strings.Contains(v, short) {
		v += ", commit " + short + dirty
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

	// Run is what the command does once [Command.Exec] has parsed its
	// flags: args are the operands left.
	Run func(ctx context.Context, args []string) int

	usage         string
	version, help *bool
	// readLimits are the options ReadLimitFlags fills, if it was called.
	readLimits *sarif.ReadOptions
}

// New returns a command whose --help prints usage, then the flags. The
// usage text is written for the command's own program, sarif-VERB; a
// command named "sarifkit VERB" shows that name in its place.
func New(name, usage string, ios *IO) *Command {
	if verb, ok := strings.CutPrefix(name, "sarifkit "); ok {
		usage = strings.ReplaceAll(usage, "sarif-"+verb, name)
	}
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

// Exec parses args and, unless that ends the command (--help, --version,
// a wrong flag), runs it with the operands left.
func (c *Command) Exec(ctx context.Context, args []string) int {
	if code, done := c.Parse(args); done {
		return code
	}
	return c.Run(ctx, c.Flags.Args())
}

// A Verb is one of sarifkit's commands as the sarifkit program lists
// them: run as "sarifkit NAME", or under its own name, sarif-NAME.
type Verb struct {
	Name    string // "diff"
	Summary string // one line for "sarifkit help"
	// Cmd returns the command named prog in its help and messages
	// ("sarif-diff" or "sarifkit diff") with its flags bound, not run:
	// [Verb.Run] runs it, and its usage text and flag set are what the
	// completion scripts and the man pages are made of, so that they
	// never drift from the flags the command parses.
	Cmd func(ios *IO, prog string) *Command
}

// Run runs the verb's command, named prog, with its arguments.
func (v Verb) Run(ctx context.Context, ios *IO, prog string, args []string) int {
	return v.Cmd(ios, prog).Exec(ctx, args)
}

// Usage is the command's usage text, as --help prints it before the
// flags: a "Usage:" line, paragraphs, sections such as "Exit status:",
// and a last line "Flags:".
func (c *Command) Usage() string { return c.usage }

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
// and returns ExitUsage. Like every message, it is one line: see
// [Message].
func (c *Command) Fail(format string, a ...any) int {
	fmt.Fprintf(c.IO.Err, "%s: %s\nRun '%s --help' for usage.\n", c.Name, Message(format, a...), c.Name)
	return ExitUsage
}

// Errorf prints "name: message" on standard error and returns code.
func (c *Command) Errorf(code int, format string, a ...any) int {
	fmt.Fprintf(c.IO.Err, "%s: %s\n", c.Name, Message(format, a...))
	return code
}

// Warnf prints "name: warning: message" on standard error.
func (c *Command) Warnf(format string, a ...any) {
	fmt.Fprintf(c.IO.Err, "%s: warning: %s\n", c.Name, Message(format, a...))
}

// Infof prints "name: message" on standard error.
func (c *Command) Infof(format string, a ...any) {
	fmt.Fprintf(c.IO.Err, "%s: %s\n", c.Name, Message(format, a...))
}

// Message formats a message for standard error as one line of text: what
// it quotes of a log, a file name or a server's answer has its control
// characters escaped and never starts a workflow command (see
// [safetext.Text]); a line break in it is written \n.
func Message(format string, a ...any) string {
	return safetext.Text(fmt.Sprintf(format, a...))
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
