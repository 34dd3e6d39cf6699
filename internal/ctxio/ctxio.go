// Package ctxio makes blocking I/O end when a context is done, so that an
// interrupted command can return (and remove its temporary files) even
// while it waits on a FIFO with no writer, a terminal or a pipe.
//
// The system calls that wait there (open(2) of a FIFO, read(2) of a
// terminal) cannot themselves be interrupted from Go. They are made in a
// goroutine of their own, and the caller stops waiting for it when the
// context is done: the goroutine is abandoned, still blocked, and ends
// with the process (or when the file is closed, for files that Go
// polls). Regular files never wait that way and are used directly, at no
// cost.
package ctxio

import (
	"context"
	"io"
	"os"
)

// OpenFile is os.OpenFile, except that when ctx is done before the file
// is open it returns ctx's error at once. Opening a FIFO waits for the
// other end (a writer, for reading; a reader, for writing): such opens
// are made in a goroutine that is abandoned when ctx is done, and closes
// the file should the open complete later. Regular files, and names that
// do not exist yet, are opened directly.
func OpenFile(ctx context.Context, name string, flag int, perm os.FileMode) (*os.File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if info, err := os.Stat(name); err != nil || info.Mode().IsRegular() || info.IsDir() || ctx.Done() == nil {
		return os.OpenFile(name, flag, perm)
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.OpenFile(name, flag, perm)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// Open opens the named file for reading, as OpenFile does.
func Open(ctx context.Context, name string) (*os.File, error) {
	return OpenFile(ctx, name, os.O_RDONLY, 0)
}

// FileReader returns a reader of f that stops when ctx is done: f itself
// when it is a regular file (ctx is then checked before each read, which
// never waits long), else a reader whose reads a done ctx interrupts
// (see NewReader).
func FileReader(ctx context.Context, f *os.File) io.Reader {
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		return &checkedReader{ctx: ctx, r: f}
	}
	return NewReader(ctx, f)
}

// checkedReader fails with ctx's error once ctx is done.
type checkedReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *checkedReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// NewReader returns a reader of r whose Read returns ctx's error as soon
// as ctx is done, even while r's Read is blocked. Each Read of r is made
// by a goroutine, into a buffer of its own (so that a read that completes
// after the caller stopped waiting writes nowhere the caller can see),
// and only when asked for: nothing is read ahead. Once ctx is done, the
// goroutine ends as soon as its pending read returns.
func NewReader(ctx context.Context, r io.Reader) io.Reader {
	if ctx.Done() == nil {
		return r
	}
	return &reader{ctx: ctx, r: r}
}

type reader struct {
	ctx  context.Context
	r    io.Reader
	reqs chan []byte     // buffers to read into; nil until the first read
	done chan readResult // their results
	buf  []byte          // the goroutine's, between a request and its result
	left []byte          // read but not yet returned
	err  error           // the error to return once left is empty
}

type readResult struct {
	n   int
	err error
}

// maxRead bounds the goroutine's buffer.
const maxRead = 1 << 20

func (r *reader) Read(p []byte) (int, error) {
	if len(r.left) > 0 {
		n := copy(p, r.left)
		r.left = r.left[n:]
		return n, nil
	}
	if r.err != nil {
		return 0, r.err
	}
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if r.reqs == nil {
		r.reqs, r.done = make(chan []byte), make(chan readResult, 1)
		go r.loop()
	}
	size := min(len(p), maxRead)
	if cap(r.buf) < size {
		r.buf = make([]byte, size)
	}
	select {
	case r.reqs <- r.buf[:size]:
	case <-r.ctx.Done():
		return 0, r.ctx.Err()
	}
	select {
	case res := <-r.done:
		n := copy(p, r.buf[:res.n])
		r.left = r.buf[n:res.n]
		if res.err != nil {
			r.err = res.err
			if len(r.left) == 0 {
				return n, res.err
			}
		}
		return n, nil
	case <-r.ctx.Done():
		// The goroutine keeps r.buf: the next read would race with it.
		r.buf, r.err = nil, r.ctx.Err()
		return 0, r.err
	}
}

// loop makes the reads asked for, until ctx is done or r fails.
func (r *reader) loop() {
	for {
		var buf []byte
		select {
		case buf = <-r.reqs:
		case <-r.ctx.Done():
			return
		}
		n, err := r.r.Read(buf)
		r.done <- readResult{n, err}
		if err != nil {
			return
		}
	}
}

// NewWriter returns a writer to w that fails with ctx's error once ctx
// is done, checked before each write: a long output stops at the next
// write after an interrupt.
func NewWriter(ctx context.Context, w io.Writer) io.Writer {
	if ctx.Done() == nil {
		return w
	}
	return &writer{ctx: ctx, w: w}
}

type writer struct {
	ctx context.Context
	w   io.Writer
}

func (w *writer) Write(p []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	return w.w.Write(p)
}
