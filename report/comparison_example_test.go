package report_test

import (
	"context"
	"log"
	"os"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// Compare the scan of a pull request with the scan of its base, and print
// the comparison for a terminal, then as GitHub annotations of what fails
// a gate.
func ExampleWriteComparisonText() {
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
	if err := report.WriteComparisonText(os.Stdout, d, nil); err != nil {
		log.Fatal(err)
	}
	gate := diff.Gate{FailOn: diff.FailOnNew, MinLevel: sarif.LevelError}
	if _, err := report.WriteComparisonAnnotations(os.Stdout, d, gate.Judge(d)); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 2 new (1 error, 1 warning), 1 absent, 1 updated, 1 unchanged
	// cmd/server/main.go:52:3: warning G104: Errors unhandled.
	// internal/config/config.go:12:2: error G101: Potential hardcoded credentials
	// ::error file=internal/config/config.go,line=12,col=2,title=gosec G101::Potential hardcoded credentials
}
