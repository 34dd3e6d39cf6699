package report_test

import (
	"bytes"
	"fmt"
	"github.com/sarifkit/sarifkit/sarif"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/report"
)

// The source shown beside a finding keeps only its own lines alive, not
// the file it came from: files of nothing but newlines (a line header
// each when split whole), one finding near the top of each, leave the
// heap about where it was once the report is built, and reading them
// costs about their size.
func TestSourceMemoryBounded(t *testing.T) {
	const files, size = 6, 1 << 20
	data := bytes.Repeat([]byte("\n"), size)
	copy(data[4:], "x := 1") // line 5
	fsys := fstest.MapFS{}
	var rs []string
	for i := range files {
		p := fmt.Sprintf("f%d.go", i)
		fsys[p] = &fstest.MapFile{Data: data}
		rs = append(rs, fmt.Sprintf(`{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":5}}}]}`, p))
	}
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[`+strings.Join(rs, ",")+`]}]}`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var findings []*report.Finding
	for f, err := range report.Findings(t.Context(), []sarif.Input{{Name: "x", Log: l}}, &report.Options{Source: fsys}) {
		if err != nil {
			t.Fatal(err)
		}
		findings = append(findings, f)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(findings) != files {
		t.Fatalf("%d findings", len(findings))
	}
	for _, f := range findings {
		if f.SourceStart != 3 || len(f.Source) != 5 || f.Source[2] != "x := 1" || f.LineText != "x := 1" {
			t.Errorf("%s: source %d %q", f.Path, f.SourceStart, f.Source)
		}
	}
	if kept := int64(after.HeapInuse) - int64(before.HeapInuse); kept > 4<<20 {
		t.Errorf("%d MiB kept alive by %d findings' source", kept>>20, files)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > files*3*size+(8<<20) {
		t.Errorf("%d MiB allocated to show %d files of %d MiB", alloc>>20, files, size>>20)
	}
	runtime.KeepAlive(findings)
}
