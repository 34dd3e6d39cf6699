package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

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
	in := []sarif.Input{{Name: "diff.sarif", Log: l}}
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

// A large log is best read with its results left on disk: the formats
// read them back as they write them, and memory holds a few numbers per
// result. The HTML page goes to a file; its totals are returned.
func ExampleWriteHTML() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/report/diff-base-head.sarif", &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	page, err := os.Create(os.DevNull) // report.html
	if err != nil {
		fmt.Println(err)
		return
	}
	defer page.Close()
	t, err := report.WriteHTML(ctx, page, []sarif.Input{{Name: "diff.sarif", Log: l}}, &report.Options{Title: "Pull request 42"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d results (%s), %d absent\n", t.Results, t.ByLevel, t.Baseline[report.BaselineAbsent])
	// Output:
	// 4 results (2 error, 2 warning), 1 absent
}

// CSV: a row per finding, absent ones included, with their baseline
// state. Rows end in CRLF (RFC 4180), shown here as plain line ends.
func ExampleWriteCSV() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/report/diff-base-head.sarif", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	var out strings.Builder
	if _, err := report.WriteCSV(ctx, &out, []sarif.Input{{Name: "diff.sarif", Log: l}}, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	// Output:
	// tool,rule,level,security_severity,baseline_state,suppressed,file,line,column,message,fingerprint,alert_url
	// gosec,G104,warning,3,unchanged,false,cmd/server/main.go,40,3,Errors unhandled.,,
	// gosec,G104,warning,3,new,false,cmd/server/main.go,52,3,Errors unhandled.,,
	// gosec,G101,error,7.5,new,false,internal/config/config.go,12,2,Potential hardcoded credentials,,
	// gosec,G204,error,9,updated,false,internal/exec/run.go,27,9,Subprocess launched with variable,,
	// gosec,G104,warning,3,absent,false,internal/store/store.go,88,2,Errors unhandled.,,
}

// Code Quality leaves out the findings that do not count: here the
// absent one.
func ExampleWriteCodeClimate() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/report/diff-base-head.sarif", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	t, err := report.WriteCodeClimate(ctx, io.Discard, []sarif.Input{{Name: "diff.sarif", Log: l}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d issues, %d findings left out\n", t.Results, t.Findings-t.Results)
	// Output:
	// 4 issues, 1 findings left out
}

// A GitLab SAST report of a comparison: the absent result is left out
// (GitLab compares with the target branch itself); each vulnerability's
// severity comes from its rule's security-severity.
func ExampleWriteGitLabSAST() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/report/diff-base-head.sarif", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	var b bytes.Buffer
	// Now is when the report is made: the log does not say when it ran.
	opts := &report.Options{Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	t, err := report.WriteGitLabSAST(ctx, &b, []sarif.Input{{Name: "diff.sarif", Log: l}}, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	var r struct {
		Version         string
		Vulnerabilities []struct {
			Severity string
			Location struct{ File string }
		}
	}
	if err := json.Unmarshal(b.Bytes(), &r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("schema %s: %d vulnerabilities, %d findings left out\n", r.Version, t.Results, t.Findings-t.Results)
	for _, v := range r.Vulnerabilities {
		fmt.Println(v.Severity, v.Location.File)
	}
	// Output:
	// schema 15.2.1: 4 vulnerabilities, 1 findings left out
	// Low cmd/server/main.go
	// Low cmd/server/main.go
	// High internal/config/config.go
	// Critical internal/exec/run.go
}

// A format of one's own: the findings one at a time, in the logs' order,
// with what every format shows of them.
func ExampleFindings() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/report/diff-base-head.sarif", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	for f, err := range report.Findings(ctx, []sarif.Input{{Name: "diff.sarif", Log: l}}, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if f.Counts() {
			fmt.Printf("%s %s %s: %s (%s)\n", f.Level, f.RuleID, f.Location(), f.Message, f.Baseline)
		}
	}
	// Output:
	// warning G104 cmd/server/main.go:40:3: Errors unhandled. (unchanged)
	// warning G104 cmd/server/main.go:52:3: Errors unhandled. (new)
	// error G101 internal/config/config.go:12:2: Potential hardcoded credentials (new)
	// error G204 internal/exec/run.go:27:9: Subprocess launched with variable (updated)
}
