package review

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// A pull request of 500 files, each adding its first 200 lines; a plain
// log of 20,000 results on lines 1-400 of those files (half on added
// lines), no fingerprints: every result is keyed by its text and rank.
func BenchmarkBuild(b *testing.B) {
	var results []string
	for i := range 20_000 {
		results = append(results, fmt.Sprintf(`{"ruleId":"R%d","level":"warning","message":{"text":"problem %d"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"pkg/f%d.go"},"region":{"startLine":%d}}}]}`,
			i%7, i%13, i%500, 1+(i*37)%400))
	}
	text := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[` + strings.Join(results, ",") + `]}]}`
	l, err := sarif.Read(context.Background(), strings.NewReader(text), "bench.sarif", nil)
	if err != nil {
		b.Fatal(err)
	}
	var patch strings.Builder
	patch.WriteString("@@ -0,0 +1,200 @@\n")
	for i := range 200 {
		fmt.Fprintf(&patch, "+\tline %d\n", i)
	}
	files := make([]File, 500)
	for i := range files {
		files[i] = File{Path: fmt.Sprintf("pkg/f%d.go", i), Status: "modified", Patch: patch.String()}
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := Build(context.Background(), l, files, nil, nil)
		if err != nil || len(p.Comments) != DefaultMaxComments {
			b.Fatalf("%v, %d comments", err, len(p.Comments))
		}
	}
}
