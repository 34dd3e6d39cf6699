//go:build unix

package gitrepo

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/gitrepo/gittest"
)

// The work tree is a boundary: a committed link out of it is refused, a
// FIFO is not opened, and both are counted. A revision's files are
// blobs: the same link there is its target's name, read as before.
func TestWorkTreeConfined(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	outside := filepath.Join(t.TempDir(), "secret.go")
	if err := os.WriteFile(outside, []byte("SECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.Write("a.go", "package a\n")
	if err := os.Symlink(outside, filepath.Join(r.Dir, "link.go")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.go", filepath.Join(r.Dir, "in.go")); err != nil {
		t.Fatal(err)
	}
	head := r.Commit("links")
	if err := syscall.Mkfifo(filepath.Join(r.Dir, "fifo.go"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	repo, err := Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	work, err := repo.Files(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer work.Close()
	if got, err := work.ReadFile("in.go"); err != nil || string(got) != "package a\n" {
		t.Errorf("in.go, a link inside the work tree: %q, %v", got, err)
	}
	if got, err := work.ReadFile("link.go"); !errors.Is(err, checkout.ErrOutside) {
		t.Errorf("link.go in the work tree: %q, %v; want %v", got, err, checkout.ErrOutside)
	}
	if got, err := work.ReadFile("fifo.go"); !errors.Is(err, checkout.ErrNotRegular) {
		t.Errorf("fifo.go in the work tree: %q, %v; want %v", got, err, checkout.ErrNotRegular)
	}
	if got := work.Refused(); got.Outside != 1 || got.NotRegular != 1 || got.TooLarge != 0 {
		t.Errorf("work tree refused %v", got)
	}
	files, err := repo.Files(ctx, head)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	for name, want := range map[string]string{"link.go": outside, "in.go": "a.go", "a.go": "package a\n"} {
		if got, err := files.ReadFile(name); err != nil || string(got) != want {
			t.Errorf("%s at %s: %q, %v; want the blob %q", name, head, got, err, want)
		}
	}
	if got := files.Refused(); got.Total() != 0 {
		t.Errorf("a revision refused %v", got)
	}
}
