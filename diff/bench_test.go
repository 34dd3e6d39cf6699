package diff

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/sarif"
)

// BenchmarkDiff reads a generated base log and its edited head (5% of the
// results fixed, one file in eight shifted, 2% new) and compares them;
// the sizes show how it grows from 10k to 500k results.
func BenchmarkDiff(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 500_000} {
		if testing.Short() && n > 10_000 {
			continue
		}
		var base, head bytes.Buffer
		if err := gen.Write(&base, gen.Config{Results: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if err := gen.Write(&head, gen.Config{Results: n, Seed: 1, Edited: true}); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("results=%d", n), func(b *testing.B) {
			b.SetBytes(int64(base.Len() + head.Len()))
			for b.Loop() {
				ctx := context.Background()
				bl, err := sarif.Read(ctx, bytes.NewReader(base.Bytes()), "base", nil)
				if err != nil {
					b.Fatal(err)
				}
				hl, err := sarif.Read(ctx, bytes.NewReader(head.Bytes()), "head", nil)
				if err != nil {
					b.Fatal(err)
				}
				d, err := Compare(ctx, bl, hl, nil)
				if err != nil || d.Count(New) == 0 {
					b.Fatal("no new results", err)
				}
			}
		})
	}
}
