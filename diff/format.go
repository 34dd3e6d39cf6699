package diff

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/internal/table"

	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// Summary counts the matches of a comparison by state, and the new ones
// by level.
type Summary struct {
	New         int            `json:"new"`
	Absent      int            `json:"absent"`
	Unchanged   int            `json:"unchanged"`
	Updated     int            `json:"updated"`
	NotCompared int            `json:"notCompared"`
	NewByLvl    map[string]int `json:"newByLevel"`
}

// Summarize counts the matches of d.
func Summarize(d *Diff) Summary {
	s := Summary{NewByLvl: map[string]int{}}
	for i := range d.Matches {
		m := &d.Matches[i]
		switch m.State {
		case StateNew:
			s.New++
			s.NewByLvl[m.Head.Level()]++
		case StateAbsent:
			s.Absent++
		case StateUnchanged:
			s.Unchanged++
		case StateUpdated:
			s.Updated++
		case StateNotCompared:
			s.NotCompared++
		}
	}
	return s
}

// String renders the summary as one line: "3 new (1 error, 2 warning),
// 2 absent, 4 updated, 10 unchanged", followed by ", 7 not compared" when
// some base results were not compared.
func (s Summary) String() string {
	levels := ""
	if s.New > 0 {
		levels = " (" + report.ByLevel(s.NewByLvl) + ")"
	}
	out := fmt.Sprintf("%d new%s, %d absent, %d updated, %d unchanged", s.New, levels, s.Absent, s.Updated, s.Unchanged)
	if s.NotCompared > 0 {
		out += fmt.Sprintf(", %d not compared", s.NotCompared)
	}
	return out
}

// Notes returns one line for each run pairing worth a warning (see
// RunPair.Unusual) and for results left out as already absent: a tool and
// category that only one log has, or whose category differs between them.
func (d *Diff) Notes() []string {
	var out []string
	for i, p := range d.Runs {
		if !p.Unusual() {
			continue
		}
		if i < len(d.groups) && d.groups[i].split {
			out = append(out, splitNote(p, d.groups[i]))
			continue
		}
		switch {
		case !p.InHead:
			out = append(out, fmt.Sprintf("base has %s, head has no run of that tool and category: its %d result(s) were not compared", describeRun(p.Tool, p.BaseCategory), p.BaseResults))
		case !p.InBase:
			out = append(out, fmt.Sprintf("head has %s, base has no run of that tool and category: its %d result(s) are all new", describeRun(p.Tool, p.HeadCategory), p.HeadResults))
		default:
			out = append(out, fmt.Sprintf("compared %s of base with %s of head: the tool has no other run", describeRun(p.Tool, p.BaseCategory), describeRun(p.Tool, p.HeadCategory)))
		}
	}
	out = append(out, d.roots...)
	if d.Inherited > 0 {
		out = append(out, fmt.Sprintf("%d head result(s) suppressed as the base result they match is (dismissed on GitHub, or suppressed in the base log): they do not count in the gate", d.Inherited))
	}
	if d.StaleBase > 0 {
		out = append(out, fmt.Sprintf("%d base result(s) already had baselineState \"absent\" (an earlier comparison's): they were not compared again", d.StaleBase))
	}
	if d.StaleHead > 0 {
		out = append(out, fmt.Sprintf("%d head result(s) already had baselineState \"absent\": they were left out of the comparison", d.StaleHead))
	}
	return out
}

// splitNote is the note on a pairing of runs of a tool and category that
// other runs of one side share: distinct runs to GitHub (another version,
// another run id), each compared with its own counterpart.
func splitNote(p RunPair, g *runGroup) string {
	switch {
	case !p.InHead:
		return fmt.Sprintf("base has %s; head's runs of that tool and category were compared with base's runs of the same version and id: its %d result(s) were not compared", describeKey(g.baseKey), p.BaseResults)
	case !p.InBase:
		return fmt.Sprintf("head has %s; base's runs of that tool and category were compared with head's runs of the same version and id: its %d result(s) are all new", describeKey(g.headKey), p.HeadResults)
	}
	return fmt.Sprintf("compared %s of base with %s of head: the tool has no other run left once the runs of the same version and id were compared", describeKey(g.baseKey), describeKey(g.headKey))
}

// describeKey describes a run by its tool, version and automationDetails.id.
func describeKey(k sarif.RunKey) string {
	s := fmt.Sprintf("a run of %q", k.Tool())
	if v := k.Version(); v != "" {
		s += fmt.Sprintf(" version %q", v)
	}
	if id, ok := k.AutomationID(); ok {
		return s + fmt.Sprintf(" with automationDetails.id %q", id)
	}
	return s + " without category"
}

func describeRun(tool, category string) string {
	if category == "" {
		return fmt.Sprintf("a run of %q without category", tool)
	}
	return fmt.Sprintf("a run of %q with category %q", tool, category)
}

// line renders one result as "file:line:col: level ruleId: message",
// made [safetext.Text] (WriteText makes the whole line so again).
func line(it *Item) string {
	rule := it.RuleID
	if rule == "" {
		rule = "(no rule)"
	}
	return safetext.Text(fmt.Sprintf("%s: %s %s: %s", it.Location(), it.Level(), rule, oneLine(it.Message)))
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i] + " ..."
	}
	return s
}

// TextOptions tune WriteText.
type TextOptions struct {
	// Explain lists every match with the pass that made it, not only the
	// new results.
	Explain bool
}

// byLocation returns the matches in the order people read results: by
// file, line and column, then rule and message (a match is where its head
// result is, or its base result when it has no head).
func byLocation(ms []*Match) []*Match {
	slices.SortStableFunc(ms, func(a, b *Match) int { return compareLocation(a.Item(), b.Item()) })
	return ms
}

// bySeverity returns the matches most severe first (by level, then
// security severity), each level by location.
func bySeverity(ms []*Match) []*Match {
	slices.SortStableFunc(ms, func(a, b *Match) int {
		x, y := a.Item(), b.Item()
		return cmp.Or(
			cmp.Compare(sarif.LevelRank(y.Level()), sarif.LevelRank(x.Level())),
			cmp.Compare(y.SecuritySeverity, x.SecuritySeverity),
			compareLocation(x, y))
	})
	return ms
}

func compareLocation(a, b *Item) int {
	return cmp.Or(strings.Compare(a.URI, b.URI), cmp.Compare(a.StartLine, b.StartLine), cmp.Compare(a.StartColumn, b.StartColumn),
		strings.Compare(a.RuleID, b.RuleID), strings.Compare(a.Message, b.Message))
}

// matches returns pointers to the matches of d in the states given (all
// when none is given).
func matches(d *Diff, states ...State) []*Match {
	var out []*Match
	for i := range d.Matches {
		if len(states) == 0 || slices.Contains(states, d.Matches[i].State) {
			out = append(out, &d.Matches[i])
		}
	}
	return out
}

// WriteText writes the summary line, then one line per new result, by
// file and line; with Explain, one line per match: state, pass, base and
// head locations, and whether the result is suppressed (by its own
// suppression, or as its base partner is). Every line is made [safetext.Text]: what the logs say
// is shown escaped, never as a control character or a workflow command.
func WriteText(w io.Writer, d *Diff, opts *TextOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, safetext.Text(Summarize(d).String()))
	explain := opts != nil && opts.Explain
	var list []*Match
	if explain {
		list = byLocation(matches(d))
	} else {
		list = byLocation(matches(d, StateNew))
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
				fmt.Fprintln(bw, safetext.Text(fmt.Sprintf("%-9s %-19s %s -> %s%s", m.State, pass, m.Base.Location(), line(m.Head), suppressed)))
			default:
				fmt.Fprintln(bw, safetext.Text(fmt.Sprintf("%-9s %-19s %s%s", m.State, pass, line(m.Item()), suppressed)))
			}
			continue
		}
		fmt.Fprintln(bw, line(m.Head))
	}
	return bw.Flush()
}

// jsonResult is one entry of WriteJSON's results array.
type jsonResult struct {
	State       State   `json:"state"`
	Pass        Pass    `json:"pass,omitempty"`
	Level       string  `json:"level"`
	RuleID      string  `json:"ruleId,omitempty"`
	Tool        string  `json:"tool"`
	Category    string  `json:"category,omitempty"`
	Message     string  `json:"message"`
	URI         string  `json:"uri,omitempty"`
	StartLine   int     `json:"startLine,omitempty"`
	StartColumn int     `json:"startColumn,omitempty"`
	Security    float64 `json:"securitySeverity,omitempty"`
	Suppressed  bool    `json:"suppressed,omitempty"`
	BasePointer string  `json:"basePointer,omitempty"`
	HeadPointer string  `json:"headPointer,omitempty"`
	BaseURI     string  `json:"baseUri,omitempty"`
	BaseLine    int     `json:"baseStartLine,omitempty"`
	FailsGate   bool    `json:"failsGate,omitempty"`
}

// WriteJSON writes the summary and every match, by file and line: state,
// level, rule, location, the pass that matched it, and JSON pointers into
// both logs. failures, when not nil, are the gate's verdict: their number
// is given, and each of them is marked failsGate. The results are written
// as they are rendered, one at a time.
func WriteJSON(w io.Writer, d *Diff, failures []*Match) error {
	head := struct {
		Summary  Summary   `json:"summary"`
		GateFail *int      `json:"gateFailures,omitempty"`
		Runs     []RunPair `json:"runs"`
		Notes    []string  `json:"notes,omitempty"`
	}{Summary: Summarize(d), Runs: d.Runs, Notes: d.Notes()}
	if head.Runs == nil {
		head.Runs = []RunPair{}
	}
	if failures != nil {
		n := len(failures)
		head.GateFail = &n
	}
	failing := map[*Match]bool{}
	for _, m := range failures {
		failing[m] = true
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(head); err != nil {
		return err
	}
	// The object so far, without its closing brace, then the results
	// member, one element at a time, indented as one Encode would.
	bw.Write(safetext.JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n}\n"))))
	bw.WriteString(",\n  \"results\": [")
	enc.SetIndent("    ", "  ")
	list := byLocation(matches(d))
	for i, m := range list {
		buf.Reset()
		if err := enc.Encode(newJSONResult(m, failing[m])); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(safetext.JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
	}
	if len(list) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

func newJSONResult(m *Match, fails bool) jsonResult {
	it := m.Item()
	r := jsonResult{State: m.State, Pass: m.Pass, Level: it.Level(), RuleID: it.RuleID, Tool: it.Tool(), Category: it.Category(),
		Message: it.Message, URI: it.URI, StartLine: it.StartLine, StartColumn: it.StartColumn, Suppressed: it.Suppressed, FailsGate: fails}
	if it.HasSecuritySeverity {
		r.Security = it.SecuritySeverity
	}
	if m.Base != nil {
		r.BasePointer = m.Base.Pointer()
		if m.Head != nil && (m.Base.URI != m.Head.URI || m.Base.StartLine != m.Head.StartLine) {
			r.BaseURI, r.BaseLine = m.Base.URI, m.Base.StartLine
		}
	}
	if m.Head != nil {
		r.HeadPointer = m.Head.Pointer()
	}
	return r
}

// MarkdownOptions tune WriteMarkdown.
type MarkdownOptions struct {
	// MaxRows caps the listed new results; 0 means 50. The rest is
	// summarised in one "and N more" line.
	MaxRows int
	// Title heads the report; "SARIF comparison" when empty.
	Title string
}

// maxMessage bounds a message in a Markdown table cell.
const maxMessage = 1000

// WriteMarkdown writes a report fit for a pull request comment or
// $GITHUB_STEP_SUMMARY: a table of counts, the notes on how runs were
// paired, then the new results, most severe first. What the logs say is
// rendered as text ([safetext.Markdown], locations as code spans): no
// heading, image, link, mention or HTML of theirs, a table row a line.
func WriteMarkdown(w io.Writer, d *Diff, opts *MarkdownOptions) error {
	o := MarkdownOptions{}
	if opts != nil {
		o = *opts
	}
	if o.MaxRows <= 0 {
		o.MaxRows = 50
	}
	if o.Title == "" {
		o.Title = "SARIF comparison"
	}
	s := Summarize(d)
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
		fmt.Fprintf(bw, "> [!WARNING]\n> %s\n\n", safetext.Markdown(n))
	}
	if s.New == 0 {
		fmt.Fprintln(bw, "No new results.")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "**New results** (%s)\n\n", safetext.Markdown(report.ByLevel(s.NewByLvl)))
	list := &table.Table{Header: []string{"level", "rule", "location", "message"}, Raw: []bool{false, false, true, false}}
	ms := bySeverity(matches(d, StateNew))
	for _, m := range ms[:min(len(ms), o.MaxRows)] {
		it := m.Head
		list.Add(it.Level(), it.RuleID, safetext.MarkdownCode(it.Location()), report.Truncate(strings.TrimSpace(it.Message), maxMessage))
	}
	list.WriteMarkdown(bw)
	if len(ms) > o.MaxRows {
		fmt.Fprintf(bw, "\nand %d more.\n", s.New-o.MaxRows)
	}
	return bw.Flush()
}

// Annotations GitHub shows per step, of each kind (error, warning,
// notice); a job shows 50 in all. Those beyond are dropped silently.
const (
	GitHubAnnotationsPerKind = 10
	GitHubAnnotationsPerJob  = 50
)

// WriteGitHub writes GitHub Actions workflow commands: a ::warning for
// each of d.Notes, then an annotation for each result that fails the gate
// (failures; every new result when failures is nil): ::error for level
// error, ::warning for warning, ::notice for note and none, most severe
// first, so that what GitHub shows (GitHubAnnotationsPerKind of each kind
// per step) is what matters most. Messages and properties are encoded as
// the Actions toolkit encodes them, control characters escaped
// ([safetext.CommandData], [safetext.CommandProperty]): each annotation
// is one line and one command. It returns how many of the results'
// annotations GitHub will not display.
func WriteGitHub(w io.Writer, d *Diff, failures []*Match) (hidden int, err error) {
	bw := bufio.NewWriter(w)
	kinds := map[string]int{}
	for _, n := range d.Notes() {
		kinds["warning"]++
		fmt.Fprintf(bw, "::warning title=%s::%s\n", ghProperty("SARIF comparison"), ghData(n))
	}
	list := failures
	if list == nil {
		list = matches(d, StateNew)
	}
	for _, m := range bySeverity(slices.Clone(list)) {
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
			props = append(props, "file="+ghProperty(it.URI))
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
		props = append(props, "title="+ghProperty(title))
		fmt.Fprintf(bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(it.Message))
	}
	return hidden, bw.Flush()
}

// ghData escapes a workflow command's message.
func ghData(s string) string { return safetext.CommandData(s) }

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string { return safetext.CommandProperty(s) }

// WriteGitHubOutput appends the counts as GitHub Actions step outputs
// (the $GITHUB_OUTPUT format): new-count, absent-count, updated-count,
// unchanged-count.
func WriteGitHubOutput(w io.Writer, d *Diff) error {
	s := Summarize(d)
	_, err := fmt.Fprintf(w, "new-count=%d\nabsent-count=%d\nupdated-count=%d\nunchanged-count=%d\n", s.New, s.Absent, s.Updated, s.Unchanged)
	return err
}
