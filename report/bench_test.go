package report_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// BenchmarkReport reads a generated 100,000-result log (10,000 with
// -short) and renders it in each format: read is the log's reading and
// Collect, the formats the writing alone. The target is under 3 s for
// reading and writing any format.
func BenchmarkReport(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	var log bytes.Buffer
	if err := gen.Write(&log, gen.Config{Results: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	collect := func() *report.Report {
		l, err := sarif.Read(ctx, bytes.NewReader(log.Bytes()), "gen", nil)
		if err != nil {
			b.Fatal(err)
		}
		r, err := report.Collect(ctx, []sarif.Input{{Name: "gen", Log: l}}, nil)
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(log.Len()))
		for b.Loop() {
			collect()
		}
	})
	r := collect()
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"summary", func(w io.Writer) error { return report.WriteSummary(w, r, nil) }},
		{"html", func(w io.Writer) error { return report.WriteHTML(w, r) }},
		{"csv", func(w io.Writer) error { return report.WriteCSV(w, r) }},
		{"junit", func(w io.Writer) error { return report.WriteJUnit(w, r) }},
		{"codeclimate", func(w io.Writer) error { _, err := report.WriteCodeClimate(w, r); return err }},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				if err := f.write(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
