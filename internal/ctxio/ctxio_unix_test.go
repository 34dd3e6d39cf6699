//go:build unix

package ctxio

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Opening a FIFO with no writer waits until ctx is done, then fails; with
// a writer it reads what the writer writes.
func TestOpenFIFO(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if f, err := Open(ctx, fifo); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("no writer: %v, %v", f, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %v", d)
	}
	// Another FIFO: the open abandoned above still waits on the first.
	fifo = filepath.Join(t.TempDir(), "fifo2")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			w.WriteString("data")
			w.Close()
		}
	}()
	ctx, cancel = context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	f, err := Open(ctx, fifo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, err := io.ReadAll(FileReader(t.Context(), f)); err != nil || string(b) != "data" {
		t.Errorf("read %q, %v", b, err)
	}
}
