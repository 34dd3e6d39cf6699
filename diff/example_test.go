package diff_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/sarif"
)

// Compare the scan of a pull request with the scan of its base, print the
// counts and the new results, and apply a gate. (Package report renders
// a comparison for people: report.WriteComparisonText writes these
// lines, escaped.)
func Example() {
	ctx := context.Background()
	base, err := sarif.ReadFile(ctx, "../testdata/diff/base.sarif", nil)
	if err != nil {
		log.Fatal(err)
	}
	head, err := sarif.ReadFile(ctx, "../testdata/diff/head.sarif", nil)
	if err != nil {
		log.Fatal(err)
	}
	d, err := diff.Compare(ctx, base, head, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(diff.Summarize(d))
	for _, m := range diff.SortByLocation(d.MatchesIn(diff.StateNew)) {
		fmt.Printf("%s: %s %s: %s\n", m.Head.Location(), m.Head.Level(), m.Head.RuleID, m.Head.Message)
	}
	gate := diff.Gate{FailOn: diff.FailOnNew, MinLevel: sarif.LevelError}
	verdict := gate.Judge(d)
	for _, m := range verdict.Failures {
		fmt.Println("gate fails on", m.Head.RuleID, m.Head.Location())
	}
	// Output:
	// 2 new (1 error, 1 warning), 1 absent, 1 updated, 1 unchanged
	// cmd/server/main.go:52:3: warning G104: Errors unhandled.
	// internal/config/config.go:12:2: error G101: Potential hardcoded credentials
	// gate fails on G101 internal/config/config.go:12:2
}

// Every match says which evidence paired it.
func ExampleMatch() {
	ctx := context.Background()
	base, _ := sarif.ReadFile(ctx, "../testdata/diff/base.sarif", nil)
	head, _ := sarif.ReadFile(ctx, "../testdata/diff/head.sarif", nil)
	d, err := diff.Compare(ctx, base, head, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range d.Matches {
		if m.Base != nil && m.Head != nil {
			fmt.Printf("%s by %s: %s -> %s\n", m.State, m.Pass, m.Base.Location(), m.Head.Location())
		}
	}
	// Output:
	// unchanged by location: cmd/server/main.go:40:3 -> cmd/server/main.go:40:3
	// updated by snippet: internal/exec/run.go:21:9 -> internal/exec/run.go:27:9
}
