//go:build unix

package mergecmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// Under a directory given with -r, a FIFO named like a log (which a
// build step of the pull request can leave there) is skipped, not opened
// to wait for a writer that never comes; so are symbolic links (to
// /dev/zero, out of the tree) and devices. One warning says so.
func TestRecursiveTakesRegularFilesOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tree := filepath.Join(dir, "results")
	if err := os.MkdirAll(tree, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../../testdata/diff/head.sarif")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, "a.sarif"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(tree, "f.sarif"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(tree, "z.sarif")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.sarif")
	r := clitest.RunWithin(t, 20*time.Second, Run, clitest.Env{}, "-r", "-o", out, tree)
	if r.Code != 0 || strings.Count(r.Stderr, "2 file(s) named like SARIF skipped, not regular files") != 1 {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}
