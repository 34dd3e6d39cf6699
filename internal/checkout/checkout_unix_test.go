//go:build unix

package checkout_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sarifkit/sarifkit/internal/checkout"
)

const secret = "SECRET-outside-the-checkout"

// hostile builds a checkout whose symbolic links lead out of it, to a
// device and to a FIFO, with a FIFO and a sparse file over the cap, and
// links that stay inside it. It returns the checkout's directory.
func hostile(t *testing.T) string {
	t.Helper()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.go"), []byte(secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "repo")
	if err := os.Symlink(outside, filepath.Join(parent, "outside")); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n"), 0o644))
	must(os.Symlink(filepath.Join(outside, "secret.go"), filepath.Join(dir, "abs.go"))) // absolute, outside
	must(os.Symlink("../outside/secret.go", filepath.Join(dir, "rel.go")))              // relative, outside
	must(os.Symlink("../outside", filepath.Join(dir, "dirlink")))                       // a directory outside
	must(os.Symlink("/dev/zero", filepath.Join(dir, "zero.go")))                        // a device, outside
	must(syscall.Mkfifo(filepath.Join(dir, "fifo.go"), 0o644))                          // a FIFO, no writer
	must(os.Symlink("fifo.go", filepath.Join(dir, "fifolink.go")))                      // a link to it
	must(os.Symlink("a.go", filepath.Join(dir, "in.go")))                               // inside
	must(os.Symlink("../a.go", filepath.Join(dir, "sub", "up.go")))                     // inside, through ..
	must(os.Symlink(filepath.Join(dir, "a.go"), filepath.Join(dir, "absin.go")))        // inside, absolute
	must(os.Symlink("sub", filepath.Join(dir, "sublink")))                              // a directory inside
	big, err := os.Create(filepath.Join(dir, "big.go"))
	must(err)
	must(big.Truncate(checkout.DefaultMaxFileSize + 1)) // sparse: no disk space
	must(big.Close())
	return dir
}

// within runs f, failing the test when it does not return before a
// deadline: a read that blocks (a FIFO) fails instead of hanging.
func within(t *testing.T, f func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("blocked: a FIFO or device was opened")
	}
}

func TestConfined(t *testing.T) {
	dir := hostile(t)
	c, err := checkout.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, name := range []string{"a.go", "in.go", "sub/up.go", "absin.go", "sublink/up.go"} {
		data, err := c.ReadFile(name)
		if err != nil || string(data) != "package a\n" {
			t.Errorf("%s, a link inside the checkout: %q, %v", name, data, err)
		}
	}
	for name, want := range map[string]error{
		"abs.go": checkout.ErrOutside, "rel.go": checkout.ErrOutside, "dirlink/secret.go": checkout.ErrOutside,
		"zero.go": checkout.ErrOutside, "fifo.go": checkout.ErrNotRegular, "fifolink.go": checkout.ErrNotRegular,
		"sub": checkout.ErrNotRegular, "big.go": checkout.ErrTooLarge,
	} {
		within(t, func() {
			data, err := c.ReadFile(name)
			if !errors.Is(err, want) || data != nil {
				t.Errorf("%s: %.40q, %v; want %v", name, data, err, want)
			}
			f, err := c.Open(name)
			if !errors.Is(err, want) {
				t.Errorf("Open(%s): %v; want %v", name, err, want)
				if err == nil {
					f.Close()
				}
			}
		})
	}
	if _, err := c.ReadFile("missing.go"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing.go: %v", err)
	}
	if _, err := c.ReadFile("../x"); err == nil {
		t.Error("../x read")
	}
	// Each file counted once, though read twice; a directory not at all.
	r := c.Refused()
	if r.Outside != 4 || r.NotRegular != 2 || r.TooLarge != 1 {
		t.Errorf("refused %+v", r)
	}
	if got, want := r.String(), "7 files refused: outside the checkout (4), not a regular file (2), larger than 32 MiB (1)"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if _, err := c.Stat("dirlink"); !errors.Is(err, checkout.ErrOutside) {
		t.Errorf("Stat(dirlink): %v", err)
	}
	if _, err := c.ReadDir("dirlink"); !errors.Is(err, checkout.ErrOutside) {
		t.Errorf("ReadDir(dirlink): %v", err)
	}
	if entries, err := c.ReadDir("sublink"); err != nil || len(entries) != 1 {
		t.Errorf("ReadDir(sublink): %v, %v", entries, err)
	}
}

func TestCap(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(strings.Repeat("x", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := checkout.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.MaxFileSize = 100
	if data, err := c.ReadFile("a.go"); err != nil || len(data) != 100 {
		t.Errorf("at the cap: %d bytes, %v", len(data), err)
	}
	c.MaxFileSize = 99
	if _, err := c.ReadFile("a.go"); !errors.Is(err, checkout.ErrTooLarge) {
		t.Errorf("over the cap: %v", err)
	}
	// A file that grows past the cap once open is cut there.
	c.MaxFileSize = 100
	f, err := c.Open("a.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte(strings.Repeat("x", 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := io.ReadAll(f); !errors.Is(err, checkout.ErrTooLarge) || len(data) != 100 {
		t.Errorf("grown past the cap: %d bytes, %v", len(data), err)
	}
}

// TestOtherFS: a file system that is no checkout (os.DirFS, an
// in-memory one) is still read as a checkout's files are: a FIFO or a
// device is not opened.
func TestOtherFS(t *testing.T) {
	dir := hostile(t)
	fsys := os.DirFS(dir)
	for name, want := range map[string]error{"zero.go": checkout.ErrNotRegular, "fifo.go": checkout.ErrNotRegular, "big.go": checkout.ErrTooLarge} {
		within(t, func() {
			if _, err := checkout.ReadFile(fsys, name); !errors.Is(err, want) {
				t.Errorf("%s: %v, want %v", name, err, want)
			}
		})
	}
	if data, err := checkout.ReadFile(fsys, "a.go"); err != nil || string(data) != "package a\n" {
		t.Errorf("a.go: %q, %v", data, err)
	}
	mem := fstest.MapFS{"a.go": {Data: []byte("package a\n")}}
	if data, err := checkout.ReadFile(mem, "a.go"); err != nil || string(data) != "package a\n" {
		t.Errorf("MapFS: %q, %v", data, err)
	}
}
