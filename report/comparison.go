package report

// Reports of a comparison. Package diff compares two logs and writes the
// comparison's data formats (JSON, and SARIF with baselineState); the
// reports people and CI read of it are here: the text of a terminal
// ([WriteComparisonText]), Markdown for a pull request comment or a step
// summary ([WriteComparisonMarkdown]), and GitHub Actions annotations and
// step outputs ([WriteComparisonAnnotations], [WriteComparisonOutputs],
// in annotations.go). diff does not import report; report reads a
// [diff.Diff] and, for what fails a gate, a [diff.Verdict].

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/internal/table"
)

// ComparisonTextOptions tune [WriteComparisonText].
type ComparisonTextOptions struct {
	// Explain lists every match with the pass that made it, not only the
	// new results.
	Explain bool
}

// WriteComparisonText writes the comparison's summary line, then one line
// per new result, by file and line, as "file:line:col: level ruleId:
// message"; with Explain, one line per match: state, pass, base and head
// locations, and whether the result is suppressed (by its own
// suppression, or as its base partner is). Every line is made
// [safetext.Text]: what the logs say is shown escaped, never as a control
// character or a workflow command.
func WriteComparisonText(w io.Writer, d *diff.Diff, opts *ComparisonTextOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, safetext.Text(diff.Summarize(d).String()))
	explain := opts != nil && opts.Explain
	var list []*diff.Match
	if explain {
		list = diff.SortByLocation(d.MatchesIn())
	} else {
		list = diff.SortByLocation(d.MatchesIn(diff.StateNew))
	}
	for _, m := range list {
		if explain {
			pass := string(m.Pass)
			if pass == "" {
				pass = "-"
			}
			suppressed := ""
			if it := m.Item(); it.Suppressed {
				suppressed = " (suppressed)"
				if it.Inherited {
					suppressed = " (suppressed, as in base)"
				}
			}
			switch {
			case m.Base != nil && m.Head != nil:
				fmt.Fprintln(bw, safetext.Text(fmt.Sprintf("%-9s %-19s %s -> %s%s", m.State, pass, m.Base.Location(), resultLine(m.Head), suppressed)))
			default:
				fmt.Fprintln(bw, safetext.Text(fmt.Sprintf("%-9s %-19s %s%s", m.State, pass, resultLine(m.Item()), suppressed)))
			}
			continue
		}
		fmt.Fprintln(bw, resultLine(m.Head))
	}
	return bw.Flush()
}

// resultLine renders one result as "file:line:col: level ruleId:
// message", the message's first line, made [safetext.Text]
// (WriteComparisonText makes the whole line so again).
func resultLine(it *diff.Item) string {
	rule := it.RuleID
	if rule == "" {
		rule = "(no rule)"
	}
	msg := strings.TrimSpace(it.Message)
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = msg[:i] + " ..."
	}
	return safetext.Text(fmt.Sprintf("%s: %s %s: %s", it.Location(), it.Level(), rule, msg))
}

// ComparisonMarkdownOptions tune [WriteComparisonMarkdown].
type ComparisonMarkdownOptions struct {
	// MaxRows caps the listed new results; 0 means 50. The rest is
	// summarised in one "and N more" line.
	MaxRows int
	// Title heads the report; "SARIF comparison" when empty.
	Title string
}

// maxComparisonMessage bounds a message in a Markdown table cell.
const maxComparisonMessage = 1000

// WriteComparisonMarkdown writes a report of the comparison fit for a
// pull request comment or $GITHUB_STEP_SUMMARY: a table of counts, the
// notes ([diff.Diff.Notes]) as warnings, then the new results, most
// severe first. What the logs say is rendered as text
// ([safetext.Markdown], locations as code spans): no heading, image,
// link, mention or HTML of theirs, a table row a line.
func WriteComparisonMarkdown(w io.Writer, d *diff.Diff, opts *ComparisonMarkdownOptions) error {
	o := ComparisonMarkdownOptions{}
	if opts != nil {
		o = *opts
	}
	if o.MaxRows <= 0 {
		o.MaxRows = 50
	}
	if o.Title == "" {
		o.Title = "SARIF comparison"
	}
	s := diff.Summarize(d)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### %s\n\n", safetext.Markdown(o.Title))
	counts := &table.Table{Header: []string{"new", "absent", "updated", "unchanged"}, Right: []bool{true, true, true, true, true}}
	row := []string{strconv.Itoa(s.New), strconv.Itoa(s.Absent), strconv.Itoa(s.Updated), strconv.Itoa(s.Unchanged)}
	if s.NotCompared > 0 {
		counts.Header = append(counts.Header, "not compared")
		row = append(row, strconv.Itoa(s.NotCompared))
	}
	counts.Add(row...)
	counts.WriteMarkdown(bw)
	bw.WriteString("\n")
	for _, n := range d.Notes() {
		fmt.Fprintf(bw, "> [!WARNING]\n> %s\n\n", safetext.Markdown(n.String()))
	}
	if s.New == 0 {
		fmt.Fprintln(bw, "No new results.")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "**New results** (%s)\n\n", safetext.Markdown(s.NewByLvl.String()))
	list := &table.Table{Header: []string{"level", "rule", "location", "message"}, Raw: []bool{false, false, true, false}}
	ms := diff.SortBySeverity(d.MatchesIn(diff.StateNew))
	for _, m := range ms[:min(len(ms), o.MaxRows)] {
		it := m.Head
		list.Add(it.Level(), it.RuleID, safetext.MarkdownCode(it.Location()), Truncate(strings.TrimSpace(it.Message), maxComparisonMessage))
	}
	list.WriteMarkdown(bw)
	if len(ms) > o.MaxRows {
		fmt.Fprintf(bw, "\nand %d more.\n", s.New-o.MaxRows)
	}
	return bw.Flush()
}
