//go:build unix

package validatecmd

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

func TestMain(m *testing.M) {
	clitest.RunMainIfAsked(func() { cli.Main(Run) })
	os.Exit(m.Run())
}

// SIGINT and SIGTERM end sarif-validate at once, with 130 and 143 and one
// line on standard error, even while it waits in open(2) for a FIFO's
// writer or in read(2) for standard input.
func TestSignals(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "in.sarif")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []struct {
		sig  os.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(sig.sig.String(), func(t *testing.T) {
			t.Parallel()
			check := func(what string, code int, stderr string) {
				t.Helper()
				if code != sig.code || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, ": interrupted\n") {
					t.Errorf("%s: exit %d, stderr %q; want %d and one line, interrupted", what, code, stderr, sig.code)
				}
			}
			code, stderr := clitest.Interrupt(t, clitest.Process(t, fifo), sig.sig, nil)
			check("FIFO with no writer", code, stderr)

			// Standard input: a pipe that never ends.
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if _, err := w.WriteString(`{"version": "2.1.0", "runs": [`); err != nil {
				t.Fatal(err)
			}
			cmd := clitest.Process(t, "-")
			cmd.Stdin = r
			code, stderr = clitest.Interrupt(t, cmd, sig.sig, nil)
			r.Close()
			check("standard input", code, stderr)
		})
	}
}
