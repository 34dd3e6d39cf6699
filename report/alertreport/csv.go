package alertreport

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/report"
)

// A CSVWriter writes alerts as CSV, a row each, as they stream in: a
// header row first, then per alert its repository, number, state,
// severity and security severity, rule, tool, path and line, creation,
// fix and dismissal dates (RFC 3339, UTC), dismissal reason and comment,
// and web URL. Lines end in CRLF, as RFC 4180 has them, and every cell
// that a spreadsheet would read as a formula is defused
// ([report.CSVCell]).
type CSVWriter struct {
	w    *csv.Writer
	repo string
}

// NewCSVWriter returns a writer of alerts to w, which names repo the
// repository of the alerts that do not name theirs (a repository's own
// listing), and writes the header row. Call Flush at the end.
func NewCSVWriter(w io.Writer, repo string) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(csvHeader())
	return &CSVWriter{w: cw, repo: repo}
}

// csvHeader is the header row.
func csvHeader() []string {
	return []string{"repository", "number", "state", "severity", "security_severity", "rule", "tool", "path", "line",
		"created_at", "fixed_at", "dismissed_at", "dismissed_reason", "dismissed_comment", "url"}
}

// Write writes the row of an alert.
func (c *CSVWriter) Write(a *fetch.Alert) error {
	t := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.UTC().Format(time.RFC3339)
	}
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	row := []string{repoOf(a, c.repo), strconv.Itoa(a.Number), a.State, a.Rule.Severity, a.Rule.SecuritySeverityLevel, a.Rule.ID, a.Tool.Name,
		a.MostRecentInstance.Location.Path, strconv.Itoa(a.MostRecentInstance.Location.StartLine),
		a.CreatedAt.UTC().Format(time.RFC3339), t(a.FixedAt), t(a.DismissedAt), s(a.DismissedReason), s(a.DismissedComment), a.HTMLURL}
	for i := range row {
		row[i] = report.CSVCell(row[i])
	}
	return c.w.Write(row)
}

// Flush writes what is buffered and returns the first error of a write.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
