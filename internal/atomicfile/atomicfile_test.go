package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// Errors of an atomic write name the target, never the temporary file,
// and leave nothing behind.
func TestWriteFileAtomicErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := map[string]string{
		filepath.Join(dir, "nodir", "out.sarif"): "writing " + filepath.Join(dir, "nodir", "out.sarif") + ": directory " + filepath.Join(dir, "nodir") + " does not exist",
		dir:                                      "writing " + dir + ": it is a directory",
	}
	for name, want := range cases {
		err := Write(t.Context(), name, nil, writeString("{}"))
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	failing := errors.New("boom")
	err := Write(t.Context(), filepath.Join(dir, "x.sarif"), nil, func(io.Writer) error { return failing })
	if !errors.Is(err, failing) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("write error: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

// An output whose directory is missing, or is a file, fails before
// anything is written: Check says so, and Write does not call write.
func TestMissingDirectoryFailsFirst(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{filepath.Join(dir, "nodir", "out.sarif"), filepath.Join(file, "out.sarif"), dir} {
		if err := Check(name); err == nil {
			t.Errorf("Check(%s): no error", name)
		}
		called := false
		err := Write(t.Context(), name, nil, func(io.Writer) error { called = true; return nil })
		if err == nil || called {
			t.Errorf("Write(%s): error %v, write called: %v", name, err, called)
		}
	}
	if err := Check(filepath.Join(dir, "new.sarif")); err != nil {
		t.Errorf("Check of a new file: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Check left files behind: %v", entries)
	}
}

// A write that ctx interrupts removes its temporary file and leaves the
// target as it was, even when the write function ignores the error.
func TestWriteInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "out.sarif")
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var werr error
	err := Write(ctx, name, nil, func(w io.Writer) error {
		io.WriteString(w, "new")
		cancel()
		_, werr = io.WriteString(w, "more")
		return nil // dropped
	})
	if !errors.Is(err, context.Canceled) || !errors.Is(werr, context.Canceled) {
		t.Errorf("Write: %v; the write after the cancel: %v", err, werr)
	}
	if b, _ := os.ReadFile(name); string(b) != "old" {
		t.Errorf("target: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// Track sees the temporary file while it exists.
func TestWriteTracks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var tracked []string
	untracked := 0
	opts := &Options{Track: func(tmp string) func() {
		tracked = append(tracked, tmp)
		return func() { untracked++ }
	}}
	err := Write(t.Context(), filepath.Join(dir, "out.sarif"), opts, func(w io.Writer) error {
		if len(tracked) != 1 || !strings.HasPrefix(filepath.Base(tracked[0]), ".out.sarif.tmp") {
			t.Errorf("tracked while writing: %v", tracked)
		} else if _, err := os.Stat(tracked[0]); err != nil {
			t.Errorf("tracked file: %v", err)
		}
		return writeString("{}")(w)
	})
	if err != nil || untracked != 1 {
		t.Errorf("Write: %v, untracked %d times", err, untracked)
	}
}
