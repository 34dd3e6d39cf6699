package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
)

// Annotations GitHub shows per step, of each kind (error, warning,
// notice); a job shows 50 in all. Those beyond are dropped silently.
const (
	GitHubAnnotationsPerKind = 10
	GitHubAnnotationsPerJob  = 50
)

// WriteComparisonAnnotations writes GitHub Actions workflow commands for
// a comparison: a ::warning for each of its notes ([diff.Diff.Notes]),
// then an annotation for each result that fails the gate: the failures
// of the verdict v, or every new result when there is no gate (v nil).
// A result of level error is an ::error, warning a ::warning, note and
// none a ::notice, most severe first, so that what GitHub shows
// ([GitHubAnnotationsPerKind] of each kind per step) is what matters
// most. Messages and properties are encoded as the Actions toolkit
// encodes them, control characters escaped ([safetext.CommandData],
// [safetext.CommandProperty]): each annotation is one line and one
// command. It returns how many of the results' annotations GitHub will
// not display.
func WriteComparisonAnnotations(w io.Writer, d *diff.Diff, v *diff.Verdict) (hidden int, err error) {
	bw := bufio.NewWriter(w)
	kinds := map[string]int{}
	for _, n := range d.Notes() {
		kinds["warning"]++
		fmt.Fprintf(bw, "::warning title=%s::%s\n", safetext.CommandProperty("SARIF comparison"), safetext.CommandData(n.String()))
	}
	var list []*diff.Match
	if v != nil {
		list = slices.Clone(v.Failures)
	} else {
		list = d.MatchesIn(diff.StateNew)
	}
	for _, m := range diff.SortBySeverity(list) {
		it := m.Item()
		cmd := "notice"
		switch it.Level() {
		case sarif.LevelError:
			cmd = "error"
		case sarif.LevelWarning:
			cmd = "warning"
		}
		if kinds[cmd]++; kinds[cmd] > GitHubAnnotationsPerKind {
			hidden++
		}
		var props []string
		if it.URI != "" {
			props = append(props, "file="+safetext.CommandProperty(it.URI))
			if it.StartLine > 0 {
				props = append(props, fmt.Sprintf("line=%d", it.StartLine))
				if it.EndLine > it.StartLine {
					props = append(props, fmt.Sprintf("endLine=%d", it.EndLine))
				}
				if it.StartColumn > 0 {
					props = append(props, fmt.Sprintf("col=%d", it.StartColumn))
				}
			}
		}
		title := it.Tool()
		if it.RuleID != "" {
			title += " " + it.RuleID
		}
		props = append(props, "title="+safetext.CommandProperty(title))
		fmt.Fprintf(bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), safetext.CommandData(it.Message))
	}
	return hidden, bw.Flush()
}

// WriteComparisonOutputs writes the comparison's counts as GitHub Actions
// step outputs (the $GITHUB_OUTPUT format): new-count, absent-count,
// updated-count, unchanged-count.
func WriteComparisonOutputs(w io.Writer, d *diff.Diff) error {
	s := diff.Summarize(d)
	_, err := fmt.Fprintf(w, "new-count=%d\nabsent-count=%d\nupdated-count=%d\nunchanged-count=%d\n", s.New, s.Absent, s.Updated, s.Unchanged)
	return err
}
