// Package clitest runs a sarifkit command in-process for its tests: with
// fake standard streams, a fake environment and fake programs (gh, git),
// so that a test sees exactly what the command prints and returns.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/cli"
)

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
}

// Result is what a run printed and returned.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs the command's run function with args.
func Run(t testing.TB, run func(context.Context, *cli.IO, []string) int, env Env, args ...string) Result {
	t.Helper()
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
	}
	code := run(t.Context(), io, args)
	return Result{code, out.String(), errb.String()}
}
