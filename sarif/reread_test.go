package sarif_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// A log whose results stay on disk is read twice by sarif-report (index,
// then render) and by sarif-diff (match, then write): the second read
// must see what the first saw, or fail. A same-size rewrite in place
// with the old times put back (os.Chtimes) is seen by the file's change
// time, which no one can set back.
func TestResultsOnDiskRewriteSameSize(t *testing.T) {
	ctx := context.Background()
	name := filepath.Join(t.TempDir(), "l.sarif")
	orig := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"level":"error","message":{"text":"AAAA"}}]}]}`)
	if err := os.WriteFile(name, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	first, err := l.Runs[0].Result(0)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	// The same size, another level and message; the old times back.
	changed := bytes.Replace(bytes.Replace(orig, []byte(`"error"`), []byte(`"note!"`), 1), []byte("AAAA"), []byte("BBBB"), 1)
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(changed, 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(name, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	second, err := l.Runs[0].Result(0)
	if err == nil && !bytes.Equal(first, second) {
		t.Errorf("the second read returned other text without an error:\nfirst  %s\nsecond %s", first, second)
	}
}
