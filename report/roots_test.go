package report_test

import (
	"fmt"
	"github.com/sarifkit/sarifkit/sarif"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/report"
)

// manyBases is a log whose run names n absolute originalUriBaseIds,
// /srv/scan/r0/ to /srv/scan/r{n-1}/, nested /srv/scan/r0/sub/ too, with one result
// in each and one outside them all.
func manyBases(n int) string {
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"originalUriBaseIds":{"SUB":{"uri":"file:///srv/scan/r0/sub/"}`)
	for i := range n {
		fmt.Fprintf(&b, `,"B%d":{"uri":"file:///srv/scan/r%d/"}`, i, i)
	}
	b.WriteString(`},"results":[`)
	uris := []string{"file:///srv/scan/r0/sub/deep.go", "file:///elsewhere/x.go"}
	for i := range n {
		uris = append(uris, fmt.Sprintf("file:///srv/scan/r%d/f.go", i))
	}
	for i, uri := range uris {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"` + uri + `"},"region":{"startLine":1}}}]}`)
	}
	b.WriteString(`]}]}`)
	return b.String()
}

// Paths are shown relative to the longest of the run's base directories
// that holds them, however many the run names (finding it does not try
// each: BenchmarkManyBases).
func TestManyBases(t *testing.T) {
	t.Parallel()
	const n = 2000
	findings := collect(t, []sarif.Input{{Name: "l", Log: sariftest.Parse(t, manyBases(n))}}, &report.Options{})
	if len(findings) != n+2 {
		t.Fatalf("%d findings", len(findings))
	}
	paths := map[string]int{}
	for _, f := range findings {
		paths[f.Path]++
	}
	if paths["deep.go"] != 1 || paths["f.go"] != n || paths["/elsewhere/x.go"] != 1 {
		t.Errorf("paths: deep.go %d, f.go %d, /elsewhere/x.go %d", paths["deep.go"], paths["f.go"], paths["/elsewhere/x.go"])
	}
	// The checkout given wins over the run's bases.
	findings = collect(t, []sarif.Input{{Name: "l", Log: sariftest.Parse(t, manyBases(3))}}, &report.Options{SourceRoot: "file:///srv/scan/"})
	if p := findings[0].Path; p != "r0/sub/deep.go" {
		t.Errorf("with a source root: %s", p)
	}
}

// BenchmarkManyBases reports on a run with 20,000 base directories and a
// result in each: quadratic (2 s) when every path tried every base.
func BenchmarkManyBases(b *testing.B) {
	l := sariftest.Parse(b, manyBases(20_000))
	for b.Loop() {
		for _, err := range report.Findings(b.Context(), []sarif.Input{{Name: "l", Log: l}}, &report.Options{}) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// collect returns the findings of the inputs, in order.
func collect(t *testing.T, in []sarif.Input, opts *report.Options) []*report.Finding {
	t.Helper()
	var out []*report.Finding
	for f, err := range report.Findings(t.Context(), in, opts) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}
