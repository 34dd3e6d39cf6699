package sarif_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/sarif"
)

// benchLog is a realistic 100k-result log (about 58 MB): 40 rules with
// GitHub properties, regions with snippets, partial fingerprints, code
// flows on one result in ten.
func benchLog(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := gen.Write(&buf, gen.Config{Results: 100_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkRead(b *testing.B) {
	data := benchLog(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sarif.Read(context.Background(), bytes.NewReader(data), "bench", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	data := benchLog(b)
	l, err := sarif.Read(context.Background(), bytes.NewReader(data), "bench", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Write(io.Discard, nil); err != nil {
			b.Fatal(err)
		}
	}
}
