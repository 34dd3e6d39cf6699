//go:build unix

package uploadcmd

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

// A FIFO with no writer does not hold the upload: reading it ends when
// the context does (an interrupt), where os.Open would wait for a writer
// for ever.
func TestReadInputFIFOEndsWithContext(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "results.sarif")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := readInput(ctx, &cli.IO{}, fifo)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("reading a FIFO with no writer: %v, want the context's error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO with no writer did not end with its context")
	}
}
