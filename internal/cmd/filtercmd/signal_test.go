//go:build unix

package filtercmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/gen"
)

func TestMain(m *testing.M) {
	clitest.RunMainIfAsked(func() { cli.Main(Run) })
	os.Exit(m.Run())
}

// A signal while a log filtered in place is written stops the write: the
// process exits with 130 or 143, the input is as it was, and no
// temporary file is left.
func TestSignalWhileFilteringInPlace(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	// Enough results (30 MB) for the write to take a moment.
	if err := gen.Write(&log, gen.Config{Results: 50000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []struct {
		sig  os.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		dir := filepath.Join(t.TempDir(), sig.sig.String())
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, "in.sarif")
		if err := os.WriteFile(in, log.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		writing := func() bool {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if info, err := e.Info(); err == nil && strings.HasPrefix(e.Name(), ".in.sarif.tmp") && info.Size() > 0 {
					return true
				}
			}
			return false
		}
		cmd := clitest.Process(t, "--indent", "-p", "-**/internal/**", "-o", in, in)
		code, stderr := clitest.Interrupt(t, cmd, sig.sig, writing)
		if code != sig.code || !strings.HasSuffix(stderr, ": interrupted\n") {
			t.Errorf("%v: exit %d, stderr %q", sig.sig, code, stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%v: left behind %v", sig.sig, entries)
		}
		if got, err := os.ReadFile(in); err != nil || !bytes.Equal(got, log.Bytes()) {
			t.Errorf("%v: the input changed (%v)", sig.sig, err)
		}
	}
}
