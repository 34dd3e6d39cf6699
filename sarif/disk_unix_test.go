//go:build unix

package sarif_test

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// TestResultsOnDiskFromPipe reads a named pipe (as a shell's process
// substitution gives one) with its results on disk: a pipe cannot be
// read again, so they are copied to a temporary file, and the log reads
// as from the file itself.
func TestResultsOnDiskFromPipe(t *testing.T) {
	ctx := t.Context()
	f := corpus.Path(t, "real", "gosec-gin-v1.10.0.sarif")
	text, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(t.TempDir(), "log.sarif")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write(text)
		w.Close()
	}()
	l, err := sarif.ReadFile(ctx, fifo, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	mem, err := sarif.ReadFile(ctx, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := writeLog(t, l), writeLog(t, mem); !bytes.Equal(got[0], want[0]) {
		t.Error("a log read from a pipe writes differently")
	}
}
