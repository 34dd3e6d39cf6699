package merge

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/sarif"
)

// BenchmarkMerge reads two generated 100k-result logs of one tool (about
// 58 MB each, 83% of their results identical) as sarif-merge does, merges
// them and writes the result.
func BenchmarkMerge(b *testing.B) {
	var base, head bytes.Buffer
	gen.Write(&base, gen.Config{Results: 100_000, Seed: 1})
	gen.Write(&head, gen.Config{Results: 100_000, Seed: 1, Edited: true})
	b.SetBytes(int64(base.Len() + head.Len()))
	for b.Loop() {
		ctx := context.Background()
		l1, err := sarif.Read(ctx, bytes.NewReader(base.Bytes()), "base", nil)
		if err != nil {
			b.Fatal(err)
		}
		l2, err := sarif.Read(ctx, bytes.NewReader(head.Bytes()), "head", nil)
		if err != nil {
			b.Fatal(err)
		}
		out, _, err := Merge(ctx, []sarif.Input{{Name: "base", Log: l1}, {Name: "head", Log: l2}}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := out.Write(io.Discard, nil); err != nil {
			b.Fatal(err)
		}
	}
}
