package diff

import (
	"bytes"
	"context"
	"fmt"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"strings"
	"testing"
	"testing/fstest"

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
				bl, hl := readPair(b, base.Bytes(), head.Bytes())
				d, err := Compare(context.Background(), bl, hl, nil)
				if err != nil || d.Count(StateNew) == 0 {
					b.Fatal("no new results", err)
				}
			}
		})
	}
}

// readPair reads the two logs of a benchmark.
func readPair(b *testing.B, base, head []byte) (*sarif.Log, *sarif.Log) {
	ctx := context.Background()
	bl, err := sarif.Read(ctx, bytes.NewReader(base), "base", nil)
	if err != nil {
		b.Fatal(err)
	}
	hl, err := sarif.Read(ctx, bytes.NewReader(head), "head", nil)
	if err != nil {
		b.Fatal(err)
	}
	return bl, hl
}

// BenchmarkDiffSources compares the 100k-result logs of [BenchmarkDiff]
// alone ("logs") and with both checkouts at hand ("sources": line hashes
// from each side's files, and the line map of the two trees), so the
// cost of reading the code shows as the ratio of the two. The trees are
// made up: a file for each URI the results name, long enough for their
// lines, its head copy with three lines inserted at the top in one file
// in eight.
func BenchmarkDiffSources(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	var base, head bytes.Buffer
	if err := gen.Write(&base, gen.Config{Results: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := gen.Write(&head, gen.Config{Results: n, Seed: 1, Edited: true}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	read := func() (*sarif.Log, *sarif.Log) { return readPair(b, base.Bytes(), head.Bytes()) }
	bl, _ := read()
	lines := map[string]int{}
	for _, r := range sariftest.Texts(b, bl.Runs[0]) {
		res, err := r.Decode()
		if err != nil {
			b.Fatal(err)
		}
		loc := sarif.PrimaryLocation(res)
		if loc == nil || loc.ArtifactLocation == nil || loc.ArtifactLocation.URI == nil || loc.Region == nil || loc.Region.StartLine == nil {
			continue
		}
		uri := *loc.ArtifactLocation.URI
		lines[uri] = max(lines[uri], *loc.Region.StartLine+20)
	}
	baseFS, headFS := fstest.MapFS{}, fstest.MapFS{}
	k := 0
	for uri, n := range lines {
		var text strings.Builder
		for i := range n {
			fmt.Fprintf(&text, "\tcall(%q, %d)\n", uri, i)
		}
		baseFS[uri] = &fstest.MapFile{Data: []byte(text.String())}
		headText := text.String()
		if k%8 == 0 {
			headText = "// one\n// two\n// three\n" + headText
		}
		headFS[uri] = &fstest.MapFile{Data: []byte(headText)}
		k++
	}
	b.Run("logs", func(b *testing.B) {
		for b.Loop() {
			bl, hl := read()
			if _, err := Compare(ctx, bl, hl, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sources", func(b *testing.B) {
		for b.Loop() {
			bl, hl := read()
			for _, side := range []struct {
				l  *sarif.Log
				fs fstest.MapFS
			}{{bl, baseFS}, {hl, headFS}} {
				if _, err := sarif.AddLineHashesFrom(ctx, side.l, side.fs, ""); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := Compare(ctx, bl, hl, &Options{BaseFiles: baseFS, HeadFiles: headFS}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
