//go:build unix

package mergecmd

import (
	"bytes"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/gen"
)

func TestMain(m *testing.M) {
	clitest.RunMainIfAsked(func() { cli.Main(Run) })
	os.Exit(m.Run())
}

// A signal while the merged log is written stops the write: the process
// exits with 130 or 143 and leaves neither the temporary file nor the
// output.
func TestSignalWhileWriting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.sarif")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	// Enough results (30 MB) for the write to take a moment.
	if err := gen.Write(f, gen.Config{Results: 50000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []struct {
		sig  os.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		outDir := filepath.Join(dir, sig.sig.String())
		if err := os.Mkdir(outDir, 0o755); err != nil {
			t.Fatal(err)
		}
		// Writing has begun once the temporary file holds something.
		writing := func() bool {
			entries, _ := os.ReadDir(outDir)
			for _, e := range entries {
				if info, err := e.Info(); err == nil && strings.HasPrefix(e.Name(), ".out.sarif.tmp") && info.Size() > 0 {
					return true
				}
			}
			return false
		}
		cmd := clitest.Process(t, "--indent", "-o", filepath.Join(outDir, "out.sarif"), in)
		code, stderr := clitest.Interrupt(t, cmd, sig.sig, writing)
		if code != sig.code || !strings.HasSuffix(stderr, ": interrupted\n") {
			t.Errorf("%v: exit %d, stderr %q", sig.sig, code, stderr)
		}
		if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
			t.Errorf("%v: left behind %v", sig.sig, entries)
		}
	}
}

// -o through a link to /dev/stdout writes to standard output, and the
// link stays.
func TestOutputToStdout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	link := filepath.Join(dir, "out.sarif")
	if err := os.Symlink("/dev/stdout", link); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{link, "/dev/stdout"} {
		cmd := clitest.Process(t, "-o", name, "../../../testdata/valid/example-gosec.sarif")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || !bytes.HasPrefix(out, []byte(`{"$schema"`)) {
			t.Errorf("-o %s: %v, %.100q; stderr %s", name, err, out, stderr.String())
		}
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
}
