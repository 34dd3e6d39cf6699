package report_test

import (
	"context"
	"fmt"
	"os"

	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// A report of a sarif-diff result: the counts by level, then by baseline
// state, then by tool, rule and file.
func ExampleWriteSummary() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/report/diff-base-head.sarif", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	in := []report.Input{{Name: "diff.sarif", Log: l}}
	if _, err := report.WriteSummary(ctx, os.Stdout, in, &report.SummaryOptions{Options: report.Options{Title: "Pull request 42"}, Top: 2}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Pull request 42
	// 4 results in 1 log
	//   2 error, 2 warning
	// Against the baseline: 2 new, 1 updated, 1 unchanged, 1 absent
	//
	// By tool
	//   tool   results  error  warning  note
	//   gosec        4      2        2     0
	//
	// By rule (top 2 of 3)
	//   rule  results  error  warning  note  tool
	//   G104        2      0        2     0  gosec
	//   G101        1      1        0     0  gosec
	//
	// By file (top 2 of 3)
	//   file                       results  error  warning  note
	//   cmd/server/main.go               2      0        2     0
	//   internal/config/config.go        1      1        0     0
}
