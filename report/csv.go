package report

import (
	"context"
	"encoding/csv"
	"github.com/sarifkit/sarifkit/sarif"
	"io"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/internal/safetext"
)

// CSVHeader is the header row [WriteCSV] writes.
func CSVHeader() []string {
	return []string{"tool", "rule", "level", "security_severity", "baseline_state", "suppressed", "file", "line", "column", "message", "fingerprint", "alert_url"}
}

// WriteCSV writes one row per finding (RFC 4180: fields quoted where
// needed, CRLF line ends), under [CSVHeader], each row one line: the
// text cells are made [CSVCell] (control characters escaped, formulas
// neutralised); the number columns are written as numbers. The rows
// come in the logs' order, read from them a batch at a time.
func WriteCSV(ctx context.Context, w io.Writer, inputs []sarif.Input, opts *Options) (Totals, error) {
	x, err := newIndex(ctx, inputs, opts, 0)
	if err != nil {
		return Totals{}, err
	}
	t := x.totals()
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader()); err != nil {
		return t, err
	}
	num := func(n int) string {
		if n <= 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	err = x.walk(ctx, len(x.entries), inOrder, func(_ int, f *Finding) error {
		sev := ""
		if f.HasSecuritySeverity {
			sev = strconv.FormatFloat(f.SecuritySeverity, 'f', -1, 64)
		}
		row := []string{f.Tool, f.RuleID, f.Level, sev, f.Baseline, strconv.FormatBool(f.Suppressed), f.Path, num(f.Line), num(f.Column), f.Message, f.Fingerprint, f.AlertURL}
		for _, i := range []int{0, 1, 2, 4, 6, 9, 10, 11} { // the text columns
			row[i] = CSVCell(row[i])
		}
		return cw.Write(row)
	})
	if err != nil {
		return t, err
	}
	cw.Flush()
	return t, cw.Error()
}

// CSVCell makes text a CSV cell that stays on its line and is never
// evaluated: [safetext.Text] escapes its control characters (a line break
// is written \n, so that a record is one line, as line-oriented tools
// read it), and a cell that a spreadsheet would evaluate as a formula (it
// starts with =, +, -, @, a tab, a carriage return or NUL) is prefixed
// with an apostrophe, as OWASP advises against CSV injection.
func CSVCell(s string) string {
	s = safetext.Text(s)
	if s != "" && strings.ContainsRune("=+-@\t\r\x00", rune(s[0])) {
		return "'" + s
	}
	return s
}
