package report_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// formats are the report's formats, each written to w from inputs.
var formats = []struct {
	name  string
	write func(ctx context.Context, w io.Writer, in []sarif.Input, opts *report.Options) (report.Totals, error)
}{
	{"summary", func(ctx context.Context, w io.Writer, in []sarif.Input, opts *report.Options) (report.Totals, error) {
		return report.WriteSummary(ctx, w, in, &report.SummaryOptions{Options: *opts})
	}},
	{"html", report.WriteHTML},
	{"csv", report.WriteCSV},
	{"junit", report.WriteJUnit},
	{"codeclimate", report.WriteCodeClimate},
	{"gitlab-sast", func(ctx context.Context, w io.Writer, in []sarif.Input, opts *report.Options) (report.Totals, error) {
		t, err := report.WriteGitLabSAST(ctx, w, in, opts)
		return t.Totals, err
	}},
}

// generated writes a generated log of n results to a temporary file and
// returns its name.
func generated(b testing.TB, n int) string {
	b.Helper()
	name := filepath.Join(b.TempDir(), "gen.sarif")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := gen.Write(f, gen.Config{Results: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return name
}

// renderFile reads the log name with its results on disk, as the
// command does, and writes it in format to w.
func renderFile(ctx context.Context, w io.Writer, name, format string) error {
	l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		return err
	}
	defer l.Close()
	for _, f := range formats {
		if f.name == format {
			_, err := f.write(ctx, w, []sarif.Input{{Name: "gen", Log: l}}, &report.Options{})
			return err
		}
	}
	return os.ErrNotExist
}

// BenchmarkReport reads a generated 100,000-result log (10,000 with
// -short) from a file, its results on disk as the command reads them,
// and writes it in each format. The target is under 3 s for any format.
func BenchmarkReport(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	name := generated(b, n)
	st, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range formats {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				if err := renderFile(b.Context(), io.Discard, name, f.name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
