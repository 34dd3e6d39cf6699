package diff

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// allocs returns the bytes f allocates.
func allocs(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Files renamed wholesale are paired in time and memory linear in their
// number, however alike their results: every result in a file of its
// own, of one rule and message, d$i/a.go in base and e$i/a.go in head.
// Weighing every gone file against every new one (n² pairs) took a GB
// at 3000 files.
func TestRenamedFilesLinear(t *testing.T) {
	logOf := func(dir string, n int) string {
		var rs []string
		for i := range n {
			rs = append(rs, fmt.Sprintf(`{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"%s%d/a.go"},"region":{"startLine":1}}}]}`, dir, i))
		}
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[` + strings.Join(rs, ",") + `]}]}`
	}
	per := map[int]uint64{}
	for _, n := range []int{250, 2500} {
		base, head := parse(t, logOf("d", n)), parse(t, logOf("e", n))
		var d *Diff
		per[n] = allocs(func() {
			var err error
			if d, err = Compare(context.Background(), base, head, nil); err != nil {
				t.Fatal(err)
			}
		}) / uint64(n)
		if got := d.Count(StateUpdated); got != n {
			t.Errorf("%d files renamed: %d results updated", n, got)
		}
		for _, m := range d.Matches[:min(n, 50)] {
			if m.Base == nil || m.Pass != PassRenamedFile || strings.TrimPrefix(m.Base.URI, "d") != strings.TrimPrefix(m.Head.URI, "e") {
				t.Errorf("%d files renamed: %v paired with %v", n, m.Base, m.Head)
			}
		}
	}
	// Linear: ten times the files, about the same bytes per file.
	if per[2500] > 3*per[250] {
		t.Errorf("pairing renamed files allocates %d bytes a file for 250 files, %d for 2500", per[250], per[2500])
	}
}

// Runs of many tools, each with one category in base and another in
// head, are paired in one pass: merging each tool's pair by a scan of
// every run took minutes at this size (n² steps), with no more memory.
func TestPairRunsLinear(t *testing.T) {
	const n = 30000
	logOf := func(cat string) string {
		var rs []string
		for i := range n {
			rs = append(rs, fmt.Sprintf(`{"tool":{"driver":{"name":"t%d"}},"automationDetails":{"id":"%s/"},"results":[]}`, i, cat))
		}
		return `{"version":"2.1.0","runs":[` + strings.Join(rs, ",") + `]}`
	}
	d, err := Compare(t.Context(), parse(t, logOf("c")), parse(t, logOf("w")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != n {
		t.Fatalf("%d tools: %d run pairs", n, len(d.Runs))
	}
	for _, r := range d.Runs[:10] {
		if !r.InBase || !r.InHead || r.BaseCategory != "c" || r.HeadCategory != "w" {
			t.Errorf("%+v", r)
		}
	}
}
