package sarif_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// allocated runs f and returns how many bytes it allocated on the heap.
// Tests that call it do not run in parallel, so the count is f's own.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wantValueLimit checks that err is the SizeLimitError of MaxValueSize
// on the named input, and that its message says the input and the limit.
func wantValueLimit(t *testing.T, err error, name string, limit int64) {
	t.Helper()
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) || !le.Value || le.Limit != limit || le.File != name {
		t.Fatalf("want the SizeLimitError of a value over %d bytes in %s, got %v", limit, name, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, name+": ") || !strings.Contains(msg, "1048576 bytes (1 MiB)") {
		t.Errorf("the message names neither the input nor the limit: %s", msg)
	}
}

// A gzip bomb of white space or of one huge string, whether between
// tokens, in the skeleton or in a result, stops at MaxValueSize, having
// held no more than a few times that, however far below the
// decompression cap it is: the reader never buffers a whole ocean of
// white space or a whole string. Every reader of the package (Read with
// results in memory or on disk, Scan, Locate) goes through the same
// input.
func TestValueSizeCap(t *testing.T) {
	const limit = 1 << 20
	const mib = 48 // what each bomb decompresses to, in MiB
	run := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`
	for _, c := range []struct {
		name, prefix string
		fill         byte
		suffix       string
	}{
		{"white space between results", run, ' ', `]}]}`},
		{"white space before the log", "", '\n', `{"version":"2.1.0","runs":[]}`},
		{"white space inside a result", run + `{"message":{"text":"x"},`, '\t', `"ruleId":"r"}]}]}`},
		{"string in the skeleton", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"`, 'a', `"}},"results":[]}]}`},
		{"string in a result", run + `{"message":{"text":"`, 'a', `"}}]}]}`},
		{"member name", `{"version":"2.1.0","runs":[],"`, 'k', `":1}`},
		{"number", `{"version":"2.1.0","runs":[],"n":1`, '0', `}`},
	} {
		data := sariftest.GzipBomb(t, c.prefix, c.fill, mib, c.suffix)
		readers := map[string]func() error{
			"Read": func() error {
				_, err := sarif.Read(context.Background(), bytes.NewReader(data), "bomb.sarif.gz", &sarif.ReadOptions{MaxValueSize: limit})
				return err
			},
			"Read on disk": func() error {
				l, err := sarif.Read(context.Background(), bytes.NewReader(data), "bomb.sarif.gz", &sarif.ReadOptions{MaxValueSize: limit, ResultsOnDisk: true})
				if err == nil {
					l.Close()
				}
				return err
			},
			"Scan": func() error {
				_, err := sarif.Scan(context.Background(), bytes.NewReader(data), "bomb.sarif.gz", &sarif.ReadOptions{MaxValueSize: limit}, nil)
				return err
			},
			"Locate": func() error {
				_, err := sarif.Locate(context.Background(), bytes.NewReader(data), "bomb.sarif.gz", &sarif.ReadOptions{MaxValueSize: limit}, []string{"/runs/0/results/0/ruleId", "/x"})
				return err
			},
		}
		for reader, read := range readers {
			var err error
			n := allocated(func() { err = read() })
			wantValueLimit(t, err, "bomb.sarif.gz", limit)
			// The decoder's buffer doubles as it grows: up to twice the
			// limit, and the copy it grows from.
			if n > 8*limit {
				t.Errorf("%s, %s: allocated %d MiB reading a bomb capped at 1 MiB a value", c.name, reader, n>>20)
			}
		}
	}
}

// A value just under the cap reads; the cap counts the bytes the reader
// holds, not the size of the log.
func TestValueSizeCapAllowsLargeLogs(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`)
	for i := range 2000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"message":{"text":"` + strings.Repeat("m", 1000) + `"}}`)
	}
	b.WriteString(`]}]}`)
	text := b.String()
	opts := &sarif.ReadOptions{MaxValueSize: 16 << 10, MaxDecompressedSize: int64(len(text))}
	l, err := sarif.Read(context.Background(), strings.NewReader(text), "big", opts)
	if err != nil {
		t.Fatalf("a log of %d bytes whose values are all under the cap: %v", len(text), err)
	}
	if n := l.Runs[0].Len(); n != 2000 {
		t.Errorf("read %d results, want 2000", n)
	}
	// One byte over the stream cap fails, naming the stream.
	opts.MaxDecompressedSize--
	_, err = sarif.Read(context.Background(), strings.NewReader(text), "big", opts)
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) || !le.Stream || le.Value || le.File != "big" {
		t.Fatalf("want the stream cap, got %v", err)
	}
}

// endless is an endless stream of one byte, as `yes ' '` gives. The
// tests cut it at 64 MiB, so that a reader without caps fails quickly.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// A stream that is not a regular file is capped as a decompressed one
// is: endless white space stops at MaxDecompressedSize (counted as the
// text read) when no value cap comes first, in bounded memory, with an
// error naming the stream and the cap.
func TestStreamCap(t *testing.T) {
	const limit = 1 << 20
	var err error
	n := allocated(func() {
		_, err = sarif.Read(context.Background(), io.LimitReader(endless(' '), 64<<20), "<stdin>", &sarif.ReadOptions{MaxDecompressedSize: limit})
	})
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) || !le.Stream || le.Limit != limit || le.File != "<stdin>" {
		t.Fatalf("want the stream cap of <stdin>, got %v", err)
	}
	if msg := err.Error(); msg != "<stdin>: input from a stream exceeds the limit of 1048576 bytes (1 MiB)" {
		t.Errorf("message: %s", msg)
	}
	if n > 8*limit {
		t.Errorf("allocated %d MiB reading a stream capped at 1 MiB", n>>20)
	}
	// With the default stream cap, endless white space stops at the
	// value cap, long before, having held no more than that.
	n = allocated(func() {
		_, err = sarif.Scan(context.Background(), io.LimitReader(endless(' '), 64<<20), "<stdin>", &sarif.ReadOptions{MaxValueSize: limit}, nil)
	})
	if !errors.As(err, &le) || !le.Value || le.Limit != limit {
		t.Fatalf("want the value cap, got %v", err)
	}
	if n > 8*limit {
		t.Errorf("allocated %d MiB reading white space capped at 1 MiB a value", n>>20)
	}
}

// The log without its results is held in memory whole: many members,
// each under MaxValueSize, add up against it too, so that a bomb of runs
// or properties stops there.
func TestSkeletonSizeCap(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[`)
	for i := range 64 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"tool":{"driver":{"name":"t"}},"properties":{"p":"` + strings.Repeat("p", 64<<10) + `"},"results":[]}`)
	}
	b.WriteString(`]}`)
	_, err := sarif.Read(context.Background(), strings.NewReader(b.String()), "runs.sarif", &sarif.ReadOptions{MaxValueSize: limit})
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) || !le.Skeleton || le.Limit != limit || le.File != "runs.sarif" {
		t.Fatalf("want the cap on the log without its results, got %v", err)
	}
	if msg := err.Error(); msg != "runs.sarif: the log without its results exceeds the limit of 1048576 bytes (1 MiB) on what is held in memory at once" {
		t.Errorf("message: %s", msg)
	}
	// Results do not count: they are not held all at once.
	b.Reset()
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`)
	for i := range 64 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"message":{"text":"` + strings.Repeat("m", 64<<10) + `"}}`)
	}
	b.WriteString(`]}]}`)
	if _, err := sarif.Scan(context.Background(), strings.NewReader(b.String()), "results.sarif", &sarif.ReadOptions{MaxValueSize: limit}, nil); err != nil {
		t.Errorf("results of 4 MiB in all, 64 KiB each: %v", err)
	}
}
