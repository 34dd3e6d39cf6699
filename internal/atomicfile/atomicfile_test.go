package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Errors of an atomic write name the target, never the temporary file,
// and leave nothing behind.
func TestWriteFileAtomicErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := io.WriteString(w, "{}"); return err }
	cases := map[string]string{
		filepath.Join(dir, "nodir", "out.sarif"): "writing " + filepath.Join(dir, "nodir", "out.sarif") + ": directory " + filepath.Join(dir, "nodir") + " does not exist",
		dir:                                      "writing " + dir + ": it is a directory",
	}
	for name, want := range cases {
		err := Write(name, write)
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	failing := errors.New("boom")
	err := Write(filepath.Join(dir, "x.sarif"), func(io.Writer) error { return failing })
	if !errors.Is(err, failing) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("write error: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
