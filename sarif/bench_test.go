package sarif_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/fstest"

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

// BenchmarkAddLineHashes hashes the lines of 20,000 results in 500 files
// of 300 lines (relative and absolute file URIs, a few with "." and
// ".."), the log read anew each time (not timed).
func BenchmarkAddLineHashes(b *testing.B) {
	files := fstest.MapFS{}
	var src strings.Builder
	for i := range 300 {
		fmt.Fprintf(&src, "\tif err := call%d(ctx, x); err != nil {\n\t\treturn fmt.Errorf(\"caf\u00e9: %%w\", err)\n", i%17)
	}
	for f := range 500 {
		files[fmt.Sprintf("pkg%d/file%d.go", f%20, f)] = &fstest.MapFile{Data: []byte(src.String())}
	}
	var log strings.Builder
	log.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`)
	for i := range 20_000 {
		f := i % 500
		uri := fmt.Sprintf("pkg%d/file%d.go", f%20, f)
		switch i % 8 {
		case 1, 2:
			uri = "file:///src/" + uri
		case 3:
			uri = "./" + uri
		case 4:
			uri = fmt.Sprintf("pkg%d/../%s", f%20, uri)
		}
		if i > 0 {
			log.WriteByte(',')
		}
		fmt.Fprintf(&log, `{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":%d}}}]}`, uri, 1+i%300)
	}
	log.WriteString(`]}]}`)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		l, err := sarif.Read(ctx, strings.NewReader(log.String()), "bench", nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := sarif.AddLineHashesFrom(ctx, l, files, "/src")
		if err != nil || st.Added != 20_000 {
			b.Fatal(st, err)
		}
	}
}

// BenchmarkPrune prunes the 100k-result log after dropping the results
// of every other rule (so that half the rules and the artifacts only
// they use go, and the other results are renumbered), then writes it:
// the read of the results that finds what they use, and the rewrite of
// every result whose indices move.
func BenchmarkPrune(b *testing.B) {
	data := benchLog(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		l, err := sarif.Read(context.Background(), bytes.NewReader(data), "bench", nil)
		if err != nil {
			b.Fatal(err)
		}
		run := l.Runs[0]
		keep := make([]bool, run.Len())
		for i := range keep {
			res, _ := run.Result(i)
			keep[i] = res.Rule().Index%2 == 0 || res.Rule().Index < 0 && len(res.Rule().ID)%2 == 0
		}
		if err := run.TakeResults(context.Background(), run, keep); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := run.Prune(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if st.Rules == 0 {
			b.Fatal("nothing pruned")
		}
		if err := l.Write(io.Discard, nil); err != nil {
			b.Fatal(err)
		}
	}
}
