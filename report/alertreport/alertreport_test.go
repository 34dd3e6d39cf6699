package alertreport

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata from the current output: check them by hand before committing")

// now is the date the report is as of.
var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// alerts are eight alerts of acme/api (those without a repository) and
// acme/web, chosen so that every number of the report can be worked out
// by hand: four open (3, 11, 61 and 548 days old), two fixed (in 10 and
// 61 days, 20 and 122 days ago), two dismissed, one rule id hostile.
func alerts() []*fetch.Alert {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	ptr := func(t time.Time) *time.Time { return &t }
	web := &fetch.Repository{FullName: "acme/web"}
	reason := "false positive"
	mk := func(n int, state, rule, sev, secSev, tool string, created time.Time, repo *fetch.Repository) *fetch.Alert {
		return &fetch.Alert{Number: n, State: state, CreatedAt: created, Repository: repo,
			Rule: fetch.AlertRule{ID: rule, Severity: sev, SecuritySeverityLevel: secSev}, Tool: fetch.Tool{Name: tool}}
	}
	as := []*fetch.Alert{
		mk(1, "open", "G101", "error", "high", "gosec", day(2026, 11, 28), nil),
		mk(2, "open", "G104", "warning", "", "gosec", day(2026, 10, 1), nil),
		mk(3, "open", "js/xss", "error", "critical", "CodeQL", day(2025, 6, 1), web),
		mk(4, "fixed", "G101", "error", "high", "gosec", day(2026, 11, 1), nil),
		mk(5, "fixed", "js/xss", "error", "critical", "CodeQL", day(2026, 6, 1), web),
		mk(6, "dismissed", "js/xss", "error", "critical", "CodeQL", day(2026, 5, 1), web),
		mk(7, "dismissed", "G104", "warning", "", "gosec", day(2026, 5, 1), nil),
		mk(8, "open", "<script>|# x", "note", "", "Semgrep", day(2026, 11, 20), web),
	}
	as[3].FixedAt = ptr(day(2026, 11, 11))
	as[4].FixedAt = ptr(day(2026, 8, 1))
	as[5].DismissedReason = &reason
	comment := "=HYPERLINK(\"http://x\")"
	as[5].DismissedComment, as[5].DismissedAt = &comment, ptr(day(2026, 5, 3))
	as[0].MostRecentInstance.Location = fetch.AlertLocation{Path: "cmd/main.go", StartLine: 40}
	as[0].HTMLURL = "https://github.com/acme/api/security/code-scanning/1"
	return as
}

// The report in each format is its golden file, checked by hand: 8
// alerts, 4 open, 2 fixed, 2 dismissed; open by severity critical 1,
// high 1, warning 1, note 1; ages median 11, 90th percentile 548, one in
// each bucket but 90-365 days; fixed 1 in the last 30 and 90 days, mean
// time to fix 35.5 days; the hostile rule id escaped. The CSV has a row
// per alert, the formula of alert 6's comment defused.
func TestGolden(t *testing.T) {
	t.Parallel()
	rep := New("Code scanning alerts of the organization acme", now)
	for _, a := range alerts() {
		rep.Add(a, "acme/api")
	}
	for _, c := range []struct {
		file  string
		write func(*bytes.Buffer) error
	}{
		{"report.md", func(b *bytes.Buffer) error { return rep.WriteMarkdown(b) }},
		{"report.html", func(b *bytes.Buffer) error { return rep.WriteHTML(b) }},
		{"report.json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
		{"alerts.csv", func(b *bytes.Buffer) error {
			w := NewCSVWriter(b, "acme/api")
			for _, a := range alerts() {
				if err := w.Write(a); err != nil {
					return err
				}
			}
			return w.Flush()
		}},
	} {
		var got bytes.Buffer
		if err := c.write(&got); err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", c.file), got.Bytes())
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; got:\n%s", name, got)
	}
}
