//go:build unix

package sarif_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/sarif"
)

// A named pipe is a stream, capped as one: endless white space written
// into it stops at MaxDecompressedSize, with an error naming the pipe.
func TestStreamCapOnFIFO(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "log.sarif")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO:", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		// Until the reader gives up (or 64 MiB, should it never).
		io.Copy(w, io.LimitReader(endless(' '), 64<<20))
	}()
	_, err := sarif.ReadFile(context.Background(), fifo, &sarif.ReadOptions{MaxDecompressedSize: 1 << 20, MaxValueSize: -1})
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) || !le.Stream || le.File != fifo || le.Limit != 1<<20 {
		t.Fatalf("want the stream cap of %s, got %v", fifo, err)
	}
}

// A character device is a stream too; /dev/zero's NUL bytes are not JSON,
// which is said at once, at 1:1.
func TestReadDevZero(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	start := time.Now()
	_, err := sarif.ReadFile(context.Background(), "/dev/zero", nil)
	var se *sarif.SyntaxError
	if !errors.As(err, &se) || se.Line != 1 || se.Column != 1 {
		t.Fatalf("want invalid JSON at 1:1, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to refuse /dev/zero", d)
	}
}
