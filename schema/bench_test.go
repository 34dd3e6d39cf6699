package schema

import (
	"bytes"
	"context"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
)

// BenchmarkValidate reads and validates a realistic 100k-result log
// (about 58 MB) against the schema and the reference checks, streaming.
func BenchmarkValidate(b *testing.B) {
	var buf bytes.Buffer
	if err := gen.Write(&buf, gen.Config{Results: 100_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for _, github := range []bool{false, true} {
		name := "schema"
		if github {
			name = "schema+github"
		}
		b.Run(name, func(b *testing.B) {
			v, err := New(&Options{GitHub: github})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.ValidateBytes(context.Background(), data, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
