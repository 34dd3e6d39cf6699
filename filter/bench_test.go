package filter

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/sarif"
)

// BenchmarkFilter reads a generated 100k-result log (about 58 MB) from a
// file with its results on disk, as sarif-filter does, filters it with
// patterns that drop some results and some locations and a minimum level,
// and writes the result.
func BenchmarkFilter(b *testing.B) {
	var buf bytes.Buffer
	gen.Write(&buf, gen.Config{Results: 100_000, Seed: 1})
	name := filepath.Join(b.TempDir(), "in.sarif")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	ps, err := ParsePatterns([]string{"-**/test/**", "-**/*_test.go", "+**/*_test.go:**/sql*", "-**:*/unused*"})
	if err != nil {
		b.Fatal(err)
	}
	opts := &Options{Patterns: ps, MinLevel: "note", Prune: true}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		ctx := context.Background()
		l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Filter(ctx, l, opts); err != nil {
			b.Fatal(err)
		}
		if err := l.Write(io.Discard, nil); err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}
