package sarif

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/sarifkit/sarifkit/internal/ctxio"
)

// DefaultMaxDecompressedSize is the default cap on the text of a
// gzip-compressed input or a stream: 4 GiB. It guards against
// decompression bombs and endless streams.
const DefaultMaxDecompressedSize int64 = 4 << 30

// DefaultMaxValueSize is the default cap on the text a reader holds at
// once (see ReadOptions.MaxValueSize): 128 MiB, far more than any single
// result or string of a real log, while the memory a hostile log can make
// a reader take stays a small multiple of it.
const DefaultMaxValueSize int64 = 128 << 20

// maxReadSize is the most one read of an input asks of what is beneath
// it, so that the few chunks the position tracker keeps stay small.
const maxReadSize = 1 << 20

// ReadOptions tune how a log is read. The zero value is ready to use.
type ReadOptions struct {
	// MaxDecompressedSize caps the number of bytes a gzip-compressed input
	// may decompress to, and the number of bytes read from an input that
	// is not a regular file (standard input, a pipe or FIFO, a device such
	// as /dev/zero), which may never end. Zero means
	// DefaultMaxDecompressedSize; a negative value means no cap. A
	// regular file that is not compressed has no such cap: its size is
	// known before it is read.
	MaxDecompressedSize int64
	// MaxValueSize caps the text held in memory at once while reading:
	// what lies between the end of the last token read and the end of
	// the value being read. That is one result (each is read whole), one
	// member of the log or of a run other than runs and results (also
	// read whole), or one member name, string or number, each with the
	// white space before it. Every byte counts, white space included, so
	// neither a huge string nor an ocean of white space can exhaust
	// memory, whatever MaxDecompressedSize allows. It caps as well the
	// text of the log without its results (the members of the log and of
	// its runs), which is held in memory whole. Zero means
	// DefaultMaxValueSize; a negative value means no cap.
	MaxValueSize int64
	// Progress, when set, is called as a file is read with the number of
	// its bytes read so far (before decompression), to show progress.
	Progress func(read int64)
	// Tee, when set, receives every byte of the decompressed text as it is
	// read (package schema measures the gzip-compressed size of a log so
	// while it validates it). A write error stops reading.
	Tee io.Writer
	// ResultsOnDisk makes the reader keep of each result only where its
	// text is, instead of the text: in the file read by ReadFile when it
	// is not compressed, else in a temporary file the text is copied to
	// as it is read (in the directory os.TempDir names). Memory then holds
	// the skeleton of the log and a few bytes per result. Results
	// appended (Run.AppendResults) come after those on disk; Run.Len, Run.EachResult, Run.Result, Run.EditResults,
	// Run.TakeResults and writing the log work on the results on disk as
	// on those in memory, Log.Load brings them into memory, and Log.Close
	// releases the files.
	ResultsOnDisk bool
}

func (o *ReadOptions) onDisk() bool { return o != nil && o.ResultsOnDisk }

func (o *ReadOptions) maxDecompressed() int64 {
	if o == nil || o.MaxDecompressedSize == 0 {
		return DefaultMaxDecompressedSize
	}
	return o.MaxDecompressedSize
}

func (o *ReadOptions) maxValue() int64 {
	if o == nil || o.MaxValueSize == 0 {
		return DefaultMaxValueSize
	}
	return o.MaxValueSize
}

// limits is the part of o that reading the same input again needs.
func (o *ReadOptions) limits() *ReadOptions {
	if o == nil {
		return nil
	}
	return &ReadOptions{MaxDecompressedSize: o.MaxDecompressedSize, MaxValueSize: o.MaxValueSize}
}

// input is an opened SARIF input: the decompressed JSON text of a file or
// a stream, with the name used in error messages. Its Read method tracks
// lines so that syntax errors can be reported as line:column, and checks
// that the text is UTF-8.
type input struct {
	// Name names the input in errors: a path, or "<stdin>".
	Name string

	r       io.Reader
	tee     io.Writer
	closers []io.Closer
	// reopen, when set, opens the same content again from its start; it
	// is used to locate syntax errors exactly.
	reopen func() (*input, error)
	pos    positionTracker
	utf8   utf8Checker
	// file is the file the text is read from as it is (not compressed),
	// when there is one; bom is the length of the byte order mark
	// skipped at its start.
	file     *os.File
	fileInfo os.FileInfo // file's, when it was opened
	bom      int64
	gzip     bool
	// keepFile keeps file open when the input is closed.
	keepFile bool
	// held, when set, returns the offset from which the reader of the
	// input holds the text read (the end of the last token it returned);
	// no more than maxValue bytes past it are read (see
	// ReadOptions.MaxValueSize).
	held     func() int64
	maxValue int64
}

// openInput opens a file for reading. Gzip-compressed content is
// recognised by its magic bytes and decompressed transparently, within
// opts.MaxDecompressedSize; a UTF-8 byte order mark is skipped. The caller
// must Close the input. Opening and reading stop when ctx is done, even
// for a FIFO that waits for a writer, or a pipe for data (see ctxio).
func openInput(ctx context.Context, name string, opts *ReadOptions) (*input, error) {
	f, err := ctxio.Open(ctx, name)
	if err != nil {
		return nil, &InputError{File: name, Err: err}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &InputError{File: name, Err: err}
	}
	r := ctxio.FileReader(ctx, f)
	if opts != nil && opts.Progress != nil {
		r = &progressReader{r: r, fn: opts.Progress}
	}
	in, err := newInputOf(r, name, opts, !info.Mode().IsRegular())
	if err != nil {
		f.Close()
		return nil, err
	}
	in.closers = append(in.closers, closerFunc(func() error {
		if in.keepFile {
			return nil
		}
		return f.Close()
	}))
	// Only a regular file can be read again where its results were (not
	// a pipe, nor a terminal).
	if !in.gzip && info.Mode().IsRegular() {
		in.file, in.fileInfo = f, info
	}
	in.reopen = func() (*input, error) {
		return openInput(ctx, name, opts.limits())
	}
	return in, nil
}

// newInput wraps r as an input named name, with the same gzip and
// byte-order-mark handling as openInput. Closing the input does not close
// r. Unless r is a regular file, what is read from it is capped as a
// decompressed stream is (see ReadOptions.MaxDecompressedSize).
func newInput(r io.Reader, name string, opts *ReadOptions) (*input, error) {
	stream := true
	if f, ok := r.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
			stream = false
		}
	}
	return newInputOf(r, name, opts, stream)
}

// newInputOf is newInput, told whether r is a stream: anything but a
// regular file.
func newInputOf(r io.Reader, name string, opts *ReadOptions, stream bool) (*input, error) {
	in := &input{Name: name, maxValue: opts.maxValue()}
	if opts != nil && opts.Tee != nil {
		in.tee = opts.Tee
	}
	// Input that can be read again (a file, bytes in memory) gets exact
	// syntax error positions.
	if rs, ok := r.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			in.reopen = func() (*input, error) {
				if _, err := rs.Seek(start, io.SeekStart); err != nil {
					return nil, err
				}
				return newInputOf(rs, name, opts.limits(), stream)
			}
		}
	}
	br := bufio.NewReaderSize(r, 256<<10)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &InputError{File: name, Err: err}
	}
	var src io.Reader = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		in.gzip = true
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &InputError{File: name, Err: fmt.Errorf("not a valid gzip stream: %w", err)}
		}
		in.closers = append(in.closers, zr)
		src = &cappedReader{r: zr, left: opts.maxDecompressed(), limit: opts.maxDecompressed()}
		br = bufio.NewReaderSize(src, 256<<10)
		src = br
	} else if stream {
		// An endless stream (yes ' ', /dev/zero) is a bomb too.
		src = &cappedReader{r: br, left: opts.maxDecompressed(), limit: opts.maxDecompressed(), stream: true}
	}
	if head, _ := br.Peek(4); otherUnicode(head) != "" {
		return nil, &EncodingError{File: name, Encoding: otherUnicode(head)}
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
		in.bom = 3
	}
	in.r = src
	in.pos.line = 1
	return in, nil
}

// Read reads decompressed JSON text: no more than maxReadSize bytes, nor
// more than the reader may hold (see held).
func (in *input) Read(p []byte) (int, error) {
	if len(p) > maxReadSize {
		p = p[:maxReadSize]
	}
	if in.held != nil && in.maxValue >= 0 && len(p) > 0 {
		from := in.held()
		room := in.maxValue - (in.pos.total - from)
		if room <= 0 {
			return 0, &SizeLimitError{File: in.Name, Limit: in.maxValue, Value: true, Offset: from}
		}
		if int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := in.r.Read(p)
	in.utf8.check(p[:n], &in.pos)
	in.pos.record(p[:n])
	if errors.Is(err, io.EOF) {
		in.utf8.end(&in.pos)
	}
	if in.tee != nil && n > 0 {
		if _, werr := in.tee.Write(p[:n]); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		var capErr *SizeLimitError
		if errors.As(err, &capErr) {
			capErr.File = in.Name
		} else {
			err = &InputError{File: in.Name, Err: err}
		}
	}
	return n, err
}

// Close releases the decompressor and the file, if any.
func (in *input) Close() error {
	var first error
	for i := len(in.closers) - 1; i >= 0; i-- {
		if err := in.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	in.closers = nil
	return first
}

// InvalidUTF8 reports the invalid UTF-8 in the text read so far: JSON
// text must be UTF-8 (RFC 8259 §8.1), but encoding/json and the readers
// of this package accept any bytes in strings and replace each byte that
// does not begin a valid UTF-8 encoding with U+FFFD. n counts those bytes,
// one per replacement (so "ÿþ" is 2 and "Ã(" is 1); first is the
// position of the first of them. n is 0 for valid UTF-8. Once the input
// has been read to its end (as Scan and Read do), the whole text has been
// checked.
func (in *input) InvalidUTF8() (n int, first Position) {
	return in.utf8.n, in.utf8.first
}

// BytesRead is the number of decompressed bytes read so far.
func (in *input) BytesRead() int64 { return in.pos.total }

// Position returns the 1-based line and column of the byte at offset, when
// that byte is still in the recent window the tracker keeps (syntax errors
// always are); ok is false otherwise.
func (in *input) Position(offset int64) (line, col int, ok bool) {
	return in.pos.position(offset)
}

// recent returns the bytes read from offset on, when they are all still
// in the recent window.
func (in *input) recent(offset int64) ([]byte, bool) {
	t := &in.pos
	var out []byte
	for k := range len(t.chunks) {
		c := &t.chunks[(t.next+k)%len(t.chunks)] // oldest first
		end := c.start + int64(len(c.data))
		if len(c.data) == 0 || end <= offset {
			continue
		}
		if offset < c.start && out == nil {
			return nil, false
		}
		from := max(offset-c.start, 0)
		out = append(out, c.data[from:]...)
	}
	return out, out != nil
}

// End returns the line and column just past the last byte read.
func (in *input) End() (line, col int) {
	return in.pos.line, int(in.pos.total-in.pos.lineStart) + 1
}

// positionTracker counts lines over everything read and keeps the last few
// chunks, so that an offset reported by the JSON decoder can be turned into
// a line and column without keeping the whole input.
type positionTracker struct {
	total     int64 // bytes seen
	line      int   // current line (1-based)
	lineStart int64 // offset of the first byte of the current line
	chunks    [4]chunk
	next      int
}

type chunk struct {
	start     int64
	line      int
	lineStart int64
	data      []byte
}

// minChunk is the least a chunk of the tracker's window holds before the
// next read starts another.
const minChunk = 64 << 10

func (t *positionTracker) record(p []byte) {
	if len(p) == 0 {
		return
	}
	// Small reads (a slow pipe) go into the newest chunk until it holds
	// minChunk bytes, so that the window keeps that much history at least.
	if last := &t.chunks[(t.next+len(t.chunks)-1)%len(t.chunks)]; t.next > 0 && len(last.data) < minChunk {
		last.data = append(last.data, p...)
	} else {
		c := &t.chunks[t.next%len(t.chunks)]
		t.next++
		c.start, c.line, c.lineStart = t.total, t.line, t.lineStart
		c.data = append(c.data[:0], p...)
	}
	for i := bytes.IndexByte(p, '\n'); i >= 0; {
		t.line++
		t.lineStart = t.total + int64(i) + 1
		j := bytes.IndexByte(p[i+1:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	t.total += int64(len(p))
}

func (t *positionTracker) position(offset int64) (line, col int, ok bool) {
	if offset == t.total {
		return t.line, int(t.total-t.lineStart) + 1, true
	}
	for i := range t.chunks {
		c := &t.chunks[i]
		if offset < c.start || offset >= c.start+int64(len(c.data)) {
			continue
		}
		line, lineStart := c.line, c.lineStart
		upto := c.data[:offset-c.start]
		if n := bytes.Count(upto, []byte{'\n'}); n > 0 {
			line += n
			lineStart = c.start + int64(bytes.LastIndexByte(upto, '\n')) + 1
		}
		return line, int(offset-lineStart) + 1, true
	}
	return 0, 0, false
}

// cappedReader fails with a SizeLimitError once more than limit bytes have
// been read from r, a decompressor or a stream.
type cappedReader struct {
	r           io.Reader
	left, limit int64
	stream      bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.limit < 0 {
		return c.r.Read(p)
	}
	if c.left <= 0 {
		// Probe for one more byte: reaching the cap exactly is fine.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, &SizeLimitError{Limit: c.limit, Stream: c.stream}
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// progressReader reports how much of r has been read.
type progressReader struct {
	r  io.Reader
	n  int64
	fn func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	p.fn(p.n)
	return n, err
}

// closerFunc is a function as an io.Closer.
type closerFunc func() error

func (f closerFunc) Close() error { return f() }
