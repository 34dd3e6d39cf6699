package sarif

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// invalidUTF8 computes what Input.InvalidUTF8 must report, on the whole
// text at once: one per byte that utf8.DecodeRune cannot decode (each is
// one U+FFFD for encoding/json), and where the first is.
func invalidUTF8(data []byte) (n int, first Position) {
	line, lineStart := 1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if n++; n == 1 {
				first = Position{Line: line, Column: i - lineStart + 1, Offset: int64(i)}
			}
		}
		if data[i] == '\n' {
			line, lineStart = line+1, i+1
		}
		i += size
	}
	return n, first
}

// chunkReader returns its data in chunks of the given sizes, in turn.
type chunkReader struct {
	data  []byte
	sizes []int
	n     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	size := min(c.sizes[c.n%len(c.sizes)], len(p), len(c.data))
	c.n++
	n := copy(p, c.data[:size])
	c.data = c.data[n:]
	return n, nil
}

// readAll reads an input to its end and returns what it reports.
func readInput(t *testing.T, r io.Reader) (int, Position) {
	t.Helper()
	in, err := newInput(r, "x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, in); err != nil {
		t.Fatal(err)
	}
	return in.InvalidUTF8()
}

// Invalid UTF-8 is counted and located however the text arrives: whole,
// one byte at a time (every sequence split across reads), in odd chunks,
// gzip-compressed; sequences cut at the end of the text count too.
func TestInputInvalidUTF8(t *testing.T) {
	t.Parallel()
	texts := map[string]string{
		"valid":              `{"a":"café €, 𝄞"}`,
		"ff fe":              "{\n\"name\":\"lint\xff\xfe\"}",
		"c3 28":              "{\"m\":\"\xc3(\"}\n",
		"cut 4-byte":         "{\"m\":\"\xf0\x9d\x84\"}",
		"surrogate":          "{\"m\":\"\xed\xa0\x80\"}",
		"overlong":           "{\"m\":\"\xc0\xaf\"}\n\n\"\xff\"",
		"cut at the end":     "{\"m\":\"x\"}\xe2\x82",
		"after many lines":   strings.Repeat("{}\n", 5000) + "\"\x80\"",
		"valid across reads": strings.Repeat("ü€𝄞", 100),
	}
	for name, text := range texts {
		data := []byte(text)
		wantN, wantFirst := invalidUTF8(data)
		readers := map[string]func() io.Reader{
			"whole":    func() io.Reader { return bytes.NewReader(data) },
			"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
			"chunks":   func() io.Reader { return &chunkReader{data: data, sizes: []int{2, 3, 5, 1}} },
			"gzip":     func() io.Reader { return bytes.NewReader(gzipped(t, data)) },
		}
		for how, r := range readers {
			n, first := readInput(t, r())
			if n != wantN || first != wantFirst {
				t.Errorf("%s, %s: %d invalid, first at %+v; want %d at %+v", name, how, n, first, wantN, wantFirst)
			}
		}
	}
	if n, _ := invalidUTF8([]byte(texts["ff fe"])); n != 2 {
		t.Errorf("ff fe: the reference counts %d, want 2", n)
	}
	if n, _ := invalidUTF8([]byte(texts["c3 28"])); n != 1 {
		t.Errorf("c3 28: the reference counts %d, want 1", n)
	}
}

// On random text with random chunking, the count and the first position
// are those of the whole text.
func TestInputInvalidUTF8Random(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "\n", "é", "€", "𝄞", "\xff", "\xc3", "\xe2\x82", "\xf0\x9d", "\x80", "\""}
	for range 2000 {
		var b strings.Builder
		b.WriteByte('{')
		for range rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		data := []byte(b.String())
		sizes := []int{1 + rng.IntN(4), 1 + rng.IntN(7)}
		n, first := readInput(t, &chunkReader{data: data, sizes: sizes})
		if wantN, wantFirst := invalidUTF8(data); n != wantN || first != wantFirst {
			t.Fatalf("%q in chunks of %v: %d invalid, first at %+v; want %d at %+v", data, sizes, n, first, wantN, wantFirst)
		}
	}
}

// Gzipped is gzipped, for the tests of package sarif_test.
var Gzipped = gzipped

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}
