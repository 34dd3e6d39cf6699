// Package clitest runs a sarifkit command in-process for its tests: with
// fake standard streams, a fake environment and fake programs (gh, git),
// so that a test sees exactly what the command prints and returns.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

// Now is the time every run sees: 2026-12-01 12:00 UTC.
func Now() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }

// Env is what a run sees besides its arguments.
type Env struct {
	// Stdin is standard input.
	Stdin string
	// Vars are the environment variables; every other one is unset.
	Vars map[string]string
	// Programs answer the external programs the command runs, by
	// command line ("git rev-parse HEAD"); a program not listed fails.
	Programs map[string]string
	// Terminal makes standard output and standard error terminals.
	Terminal bool
	// NetLimits bound the requests to GitHub; fetch's defaults when zero.
	NetLimits fetch.Limits
}

// Result is what a run printed and returned.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs the command's run function with args.
func Run(t testing.TB, run func(context.Context, *cli.IO, []string) int, env Env, args ...string) Result {
	t.Helper()
	return RunContext(t.Context(), run, env, args...)
}

// RunContext runs the command's run function with args and context ctx.
func RunContext(ctx context.Context, run func(context.Context, *cli.IO, []string) int, env Env, args ...string) Result {
	var out, errb bytes.Buffer
	io := &cli.IO{
		In: strings.NewReader(env.Stdin), Out: &out, Err: &errb,
		Getenv: func(k string) string { return env.Vars[k] },
		Exec: func(_ context.Context, _, name string, args ...string) ([]byte, error) {
			line := strings.Join(append([]string{name}, args...), " ")
			if s, ok := env.Programs[line]; ok {
				return []byte(s), nil
			}
			return nil, errors.New(line + ": not available in this test")
		},
		OutTerminal: env.Terminal, ErrTerminal: env.Terminal,
		Now: Now, NetLimits: env.NetLimits,
	}
	code := run(ctx, io, args)
	return Result{code, out.String(), errb.String()}
}

// CheckConventions checks what every sarifkit command does alike:
// --help and -h print the usage and the flags on standard output and exit
// 0; --version prints the name, version and Go version on standard
// output; an unknown flag is a usage error (exit 2) explained on standard
// error, with nothing on standard output; boolean flags show no value.
func CheckConventions(t *testing.T, run func(context.Context, *cli.IO, []string) int, name string) {
	t.Helper()
	for _, help := range []string{"--help", "-h"} {
		r := Run(t, run, Env{}, help)
		if r.Code != 0 || r.Stderr != "" || !strings.HasPrefix(r.Stdout, "Usage: "+name) ||
			!strings.Contains(r.Stdout, "Exit status:") || !strings.Contains(r.Stdout, "\n  -h, --help\n") {
			t.Errorf("%s %s: exit %d, stdout %.200q, stderr %q", name, help, r.Code, r.Stdout, r.Stderr)
		}
		if strings.Contains(r.Stdout, "[=true|false]") || strings.Contains(r.Stdout, "--version bool") {
			t.Errorf("%s %s: boolean flags must read --flag alone:\n%s", name, help, r.Stdout)
		}
	}
	r := Run(t, run, Env{}, "--version")
	if r.Code != 0 || r.Stderr != "" || !strings.HasPrefix(r.Stdout, name+" ") || !strings.Contains(r.Stdout, ", go1.") {
		t.Errorf("%s --version: exit %d, stdout %q, stderr %q", name, r.Code, r.Stdout, r.Stderr)
	}
	r = Run(t, run, Env{}, "--no-such-flag")
	if r.Code != cli.ExitUsage || r.Stdout != "" || !strings.Contains(r.Stderr, name+": unknown flag: --no-such-flag") ||
		!strings.Contains(r.Stderr, "Run '"+name+" --help' for usage.") {
		t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr %q", name, r.Code, r.Stdout, r.Stderr)
	}
}

// mainEnv, set to 1 in a test binary's environment, makes it run the
// command itself instead of its tests (see Process).
const mainEnv = "SARIFKIT_TEST_RUN_MAIN"

// RunMainIfAsked runs main, which does not return, when the test binary
// was started by Process: a command's TestMain calls it first.
func RunMainIfAsked(main func()) {
	if os.Getenv(mainEnv) == "1" {
		main()
		os.Exit(0)
	}
}

// Process returns the command as a process of its own, for what only a
// process shows (signals, exit codes, standard streams that are files):
// the test binary run again with args, its TestMain calling
// RunMainIfAsked.
func Process(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	return cmd
}

// Interrupt starts cmd, sends it sig once ready tells that it is busy
// (ready is polled; nil means after 200ms, for the command to reach
// where it blocks: an open, a read), and returns the exit code and
// standard error of the process, failing the test when the process does
// not end within 5 seconds of the signal. Without ready, a process the
// signal killed before it could catch it (a loaded machine gave it no
// time to start) is run again, a fresh copy of cmd, waiting twice as
// long each time, up to about 6 seconds in all.
func Interrupt(t testing.TB, cmd *exec.Cmd, sig os.Signal, ready func() bool) (code int, stderr string) {
	t.Helper()
	for wait := 200 * time.Millisecond; ; wait *= 2 {
		c := exec.Command(cmd.Path, cmd.Args[1:]...)
		c.Env, c.Dir, c.Stdin, c.Stdout = cmd.Env, cmd.Dir, cmd.Stdin, cmd.Stdout
		code, stderr, early := interrupt(t, c, sig, ready, wait)
		if !early || ready != nil || wait >= 3*time.Second {
			return code, stderr
		}
		t.Logf("%v: killed by %v before it could catch it; again, waiting %v", cmd.Args, sig, 2*wait)
	}
}

// interrupt runs cmd once for Interrupt; early tells that the signal
// killed the process (it had not yet caught it) without a word.
func interrupt(t testing.TB, cmd *exec.Cmd, sig os.Signal, ready func() bool, wait time.Duration) (code int, stderr string, early bool) {
	t.Helper()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if ready == nil {
		time.Sleep(wait)
	}
	for deadline := time.Now().Add(10 * time.Second); ready != nil && !ready(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("%v: not ready after 10s; stderr: %s", cmd.Args, errb.String())
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatalf("%v: %v (stderr: %s)", cmd.Args, err, errb.String())
	}
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("%v: still running 5s after %v; stderr: %s", cmd.Args, sig, errb.String())
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	early = ws.Signaled() && errb.Len() == 0
	return cmd.ProcessState.ExitCode(), errb.String(), early
}

// CheckOutputFirst runs the command with args, whose -o names a file in
// a directory that does not exist and whose inputs would fail otherwise
// (or wait), and checks that the command fails for the directory before
// anything else: exit 2, one line on standard error that says so.
func CheckOutputFirst(t *testing.T, run func(context.Context, *cli.IO, []string) int, env Env, args ...string) {
	t.Helper()
	r := Run(t, run, env, args...)
	if r.Code != cli.ExitUsage || !strings.Contains(r.Stderr, "does not exist") || strings.Count(r.Stderr, "\n") != 1 {
		t.Errorf("%v: exit %d, stderr %q; want 2 and the missing directory alone", args, r.Code, r.Stderr)
	}
}
