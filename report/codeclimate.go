package report

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"

	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
)

// WriteCodeClimate writes a GitLab Code Quality report: a JSON array of
// Code Climate issues, one per current, unsuppressed finding that is a
// problem (GitLab compares the reports of two pipelines itself, and has
// no notion of a suppressed issue; results of kind pass or
// notApplicable, [Finding.Problem], are left out and counted in
// Totals.NotProblems), with
//
//   - description: the message; check_name: the rule id; engine_name:
//     the tool; type "issue"; categories: ["Security"] for a rule with a
//     security-severity or a "security" tag, else ["Bug Risk"];
//   - severity: from the rule's security-severity when it has one
//     (critical from 9.0, major from 7.0, minor from 4.0, else info),
//     else from the level (error major, warning minor, note and none
//     info);
//   - location.path (relative to the checkout) and location.lines.begin
//     (1 when the result has no line);
//   - fingerprint: stable across runs, the SHA-256 (hex, 32 digits) of
//     the tool, the rule and the result's own fingerprint when it has
//     one, else of the rule, path and line's text (with the source), else
//     of the rule, path and message; results that would share one are
//     told apart by their order, as GitHub's line hashes are.
//
// The issues come in the logs' order, read from them a batch at a time;
// what is kept meanwhile is a hash of each fingerprint's basis, to tell
// repeated ones apart. It returns the totals: the findings it leaves out
// are Totals.Findings - Totals.Results.
func WriteCodeClimate(ctx context.Context, w io.Writer, inputs []sarif.Input, opts *Options) (Totals, error) {
	x, err := newIndex(ctx, inputs, opts, needSource)
	if err != nil {
		return Totals{}, err
	}
	t := x.totals()
	type lines struct {
		Begin int `json:"begin"`
		End   int `json:"end,omitempty"`
	}
	type location struct {
		Path  string `json:"path"`
		Lines lines  `json:"lines"`
	}
	type issue struct {
		Type        string   `json:"type"`
		Description string   `json:"description"`
		CheckName   string   `json:"check_name"`
		EngineName  string   `json:"engine_name,omitempty"`
		Categories  []string `json:"categories"`
		Severity    string   `json:"severity"`
		Fingerprint string   `json:"fingerprint"`
		Location    location `json:"location"`
	}
	var counted []int32 // the positions of the findings that count
	for p := range x.entries {
		switch e := &x.entries[p]; {
		case !e.counts():
		case e.notProblem:
			t.NotProblems++
			t.Results--
			t.ByLevel[x.names.name(e.level)]--
		default:
			counted = append(counted, int32(p))
		}
	}
	for l, n := range t.ByLevel {
		if n == 0 {
			delete(t.ByLevel, l)
		}
	}
	ids := newStableIDs("\x00")
	// One issue a line: readable, and far faster than indenting.
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[")
	first := true
	err = x.walk(ctx, len(counted), func(k int) int { return int(counted[k]) }, func(_ int, f *Finding) error {
		basis := []string{f.Tool, f.RuleID}
		switch {
		case f.Fingerprint != "":
			basis = append(basis, "fp", f.FingerprintKey, f.Fingerprint)
		case f.LineText != "":
			basis = append(basis, "line", f.Path, f.LineText)
		default:
			basis = append(basis, "message", f.Path, f.Message)
		}
		sum := ids.next(basis...)
		begin := max(f.Line, 1)
		is := issue{
			Type: "issue", Description: f.Message, CheckName: f.RuleID, EngineName: f.Tool,
			Categories: []string{category(f)}, Severity: codeClimateSeverity(f),
			Fingerprint: hex.EncodeToString(sum[:16]),
			Location:    location{Path: f.Path, Lines: lines{Begin: begin}},
		}
		if f.EndLine > begin {
			is.Location.Lines.End = f.EndLine
		}
		if is.Description == "" {
			is.Description = f.RuleID
		}
		if is.Location.Path == "" {
			is.Location.Path = "(no file)"
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n  ")
		b, err := json.Marshal(is)
		if err != nil {
			return err
		}
		_, err = bw.Write(safetext.JSON(b))
		return err
	})
	if err != nil {
		return t, err
	}
	bw.WriteString("\n]\n")
	return t, bw.Flush()
}

func category(f *Finding) string {
	if f.HasSecuritySeverity || f.Rule != nil && slices.Contains(f.Rule.Tags, "security") {
		return "Security"
	}
	return "Bug Risk"
}

func codeClimateSeverity(f *Finding) string {
	if f.HasSecuritySeverity {
		switch sarif.SeverityBand(f.SecuritySeverity) {
		case "critical":
			return "critical"
		case "high":
			return "major"
		case "medium":
			return "minor"
		}
		return "info"
	}
	switch f.Level {
	case "error":
		return "major"
	case "warning":
		return "minor"
	}
	return "info"
}
