package ctxio

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// A read blocked on a pipe that never gets data returns when ctx is
// done; data read before comes through whole, whatever the buffer sizes.
func TestReaderInterrupted(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cr := NewReader(ctx, r)
	w.WriteString("hello, world")
	var got []byte
	buf := make([]byte, 5)
	for len(got) < len("hello, world") {
		n, err := cr.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "hello, world" {
		t.Errorf("read %q", got)
	}
	done := make(chan error, 1)
	go func() {
		_, err := cr.Read(buf)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read still blocked after cancel")
	}
}

// End of input and errors come through as they are.
func TestReaderEOF(t *testing.T) {
	t.Parallel()
	b, err := io.ReadAll(NewReader(t.Context(), strings.NewReader(strings.Repeat("x", 3<<20))))
	if err != nil || len(b) != 3<<20 {
		t.Errorf("%d bytes, %v", len(b), err)
	}
}

// A write after ctx is done fails.
func TestWriter(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	var sb strings.Builder
	w := NewWriter(ctx, &sb)
	io.WriteString(w, "a")
	cancel()
	if _, err := io.WriteString(w, "b"); !errors.Is(err, context.Canceled) || sb.String() != "a" {
		t.Errorf("%q, %v", sb.String(), err)
	}
}
