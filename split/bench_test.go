package split_test

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/split"
)

// BenchmarkSplit reads a generated 100k-result log (about 58 MB) with
// its results on disk, as sarif-split does, splits it at GitHub's limits
// (four parts of about 25,000 results, in one file) and writes the files.
func BenchmarkSplit(b *testing.B) {
	name := genFile(b, gen.Config{Results: 100_000, Seed: 1})
	info, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	opts := &split.Options{Write: func(ctx context.Context, f *split.File) error {
		return f.Log.Write(io.Discard, nil)
	}}
	for b.Loop() {
		ctx := context.Background()
		l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := split.Split(ctx, []sarif.Input{{Name: name, Log: l}}, opts); err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}
