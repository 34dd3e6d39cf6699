//go:build unix

package diffcmd

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// --only-changed-files reads a bounded list: a device that never ends is
// refused at the cap (64 MiB, or a line of 1 MiB), not read until memory runs out; a FIFO with no
// writer ends with the command's context instead of blocking in open.
func TestChangedFilesBounded(t *testing.T) {
	t.Parallel()
	base, head := "../../../testdata/diff/base.sarif", "../../../testdata/diff/head.sarif"
	for dev, want := range map[string]string{
		"/dev/urandom": "--only-changed-files: /dev/urandom: more than 64 MiB of paths",
		"/dev/zero":    "--only-changed-files: /dev/zero: a line of more than 1 MiB: not a list of paths",
	} {
		r := clitest.RunWithin(t, 60*time.Second, Run, clitest.Env{}, "--fail-on", "new", "--only-changed-files", dev, base, head)
		if r.Code != 2 || r.Stderr != "sarif-diff: "+want+"\nRun 'sarif-diff --help' for usage.\n" {
			t.Errorf("%s: exit %d, stderr %q", dev, r.Code, r.Stderr)
		}
	}
	fifo := filepath.Join(t.TempDir(), "changed.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := readLines(ctx, fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a FIFO with no writer read as an empty list")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a FIFO with no writer did not end with the context")
	}
}
