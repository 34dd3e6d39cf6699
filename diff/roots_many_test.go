package diff

import (
	"fmt"
	"strings"
	"testing"
)

// manyRoots is a log whose run names n absolute originalUriBaseIds,
// /srv/scan/r0/ to /srv/scan/r{n-1}/ and /srv/scan/r0/sub/, with a result in each.
func manyRoots(n int) string {
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"originalUriBaseIds":{"SUB":{"uri":"file:///srv/scan/r0/sub/"}`)
	for i := range n {
		fmt.Fprintf(&b, `,"B%d":{"uri":"file:///srv/scan/r%d/"}`, i, i)
	}
	b.WriteString(`},"results":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"ruleId":"r","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///srv/scan/r%d/f%d.go"},"region":{"startLine":1}}}]}`, i, i)
	}
	b.WriteString(`]}]}`)
	return b.String()
}

// A URI is made relative to the root-most root that holds it, however
// many the run names (finding it does not try each: BenchmarkManyRoots),
// the explicit one first, and each root used is counted for the notes.
func TestManyRoots(t *testing.T) {
	t.Parallel()
	l := parse(t, manyRoots(1000))
	roots := runRoots(l.Runs[0], "", "")
	if len(roots.list) != 1001 {
		t.Fatalf("%d roots", len(roots.list))
	}
	for p, want := range map[string]string{
		"/srv/scan/r0/sub/deep.go": "sub/deep.go",
		"/srv/scan/r999/f.go":      "f.go",
		"/srv/scan/r1000/f.go":     "/srv/scan/r1000/f.go",
		"/srv/scan/r1/":            "/srv/scan/r1/",
		"src/a.go":                 "src/a.go",
	} {
		if got := relative(p, roots); got != want {
			t.Errorf("relative(%q) = %q, want %q", p, got, want)
		}
	}
	explicit := runRoots(l.Runs[0], "file:///srv/scan/", "--base-root")
	if got := relative("/srv/scan/r0/sub/deep.go", explicit); got != "r0/sub/deep.go" {
		t.Errorf("with an explicit root: %q", got)
	}
	if r := explicit.list[0]; r.prefix != "/srv/scan/" || r.used.Load() != 1 {
		t.Errorf("explicit root %q used %d times", r.prefix, r.used.Load())
	}
}

// BenchmarkManyRoots compares a run with 20,000 roots and a result under
// each with itself: quadratic (3 s) when every URI tried every root.
func BenchmarkManyRoots(b *testing.B) {
	text := manyRoots(20_000)
	for b.Loop() {
		compare(b, parse(b, text), parse(b, text))
	}
}
