package diff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

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
		case New:
			s.New++
			s.NewByLvl[m.Head.Level]++
		case Absent:
			s.Absent++
		case Unchanged:
			s.Unchanged++
		case Updated:
			s.Updated++
		case NotCompared:
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
		levels = " (" + byLevel(s.NewByLvl) + ")"
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
	for _, p := range d.Runs {
		if !p.Unusual() {
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
	if d.StaleBase > 0 {
		out = append(out, fmt.Sprintf("%d base result(s) already had baselineState \"absent\" (an earlier comparison's): they were not compared again", d.StaleBase))
	}
	if d.StaleHead > 0 {
		out = append(out, fmt.Sprintf("%d head result(s) already had baselineState \"absent\": they were left out of the comparison", d.StaleHead))
	}
	return out
}

func describeRun(tool, category string) string {
	if category == "" {
		return fmt.Sprintf("a run of %q without category", tool)
	}
	return fmt.Sprintf("a run of %q with category %q", tool, category)
}

// byLevel renders counts by level, most severe first: "1 error, 2 note".
func byLevel(counts map[string]int) string {
	var lv []string
	for _, l := range []string{sarif.LevelError, sarif.LevelWarning, sarif.LevelNote, sarif.LevelNone} {
		if n := counts[l]; n > 0 {
			lv = append(lv, fmt.Sprintf("%d %s", n, l))
		}
	}
	var other []string // levels outside the enum, from invalid logs
	for l := range counts {
		if sarif.LevelRank(l) == 0 && l != sarif.LevelNone {
			other = append(other, l)
		}
	}
	slices.Sort(other)
	for _, l := range other {
		lv = append(lv, fmt.Sprintf("%d %q", counts[l], l))
	}
	return strings.Join(lv, ", ")
}

// line renders one result as "file:line:col: level ruleId: message".
func line(it *Item) string {
	rule := it.RuleID
	if rule == "" {
		rule = "(no rule)"
	}
	return fmt.Sprintf("%s: %s %s: %s", it.Location(), it.Level, rule, oneLine(it.Message))
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

// WriteText writes the summary line, then one line per new result; with
// Explain, one line per match: state, pass, base and head locations.
func WriteText(w io.Writer, d *Diff, opts *TextOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, Summarize(d))
	for i := range d.Matches {
		m := &d.Matches[i]
		if opts != nil && opts.Explain {
			pass := string(m.Pass)
			if pass == "" {
				pass = "-"
			}
			switch {
			case m.Base != nil && m.Head != nil:
				fmt.Fprintf(bw, "%-9s %-19s %s -> %s\n", m.State, pass, m.Base.Location(), line(m.Head))
			default:
				fmt.Fprintf(bw, "%-9s %-19s %s\n", m.State, pass, line(m.Item()))
			}
			continue
		}
		if m.State == New {
			fmt.Fprintln(bw, line(m.Head))
		}
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
}

// WriteJSON writes the summary and every match: state, level, rule,
// location, the pass that matched it, and JSON pointers into both logs.
// failures, when not nil, are listed again as the gate's verdict.
func WriteJSON(w io.Writer, d *Diff, failures []*Match) error {
	out := struct {
		Summary  Summary      `json:"summary"`
		GateFail *int         `json:"gateFailures,omitempty"`
		Runs     []RunPair    `json:"runs"`
		Notes    []string     `json:"notes,omitempty"`
		Results  []jsonResult `json:"results"`
	}{Summary: Summarize(d), Runs: d.Runs, Notes: d.Notes(), Results: make([]jsonResult, 0, len(d.Matches))}
	if out.Runs == nil {
		out.Runs = []RunPair{}
	}
	if failures != nil {
		n := len(failures)
		out.GateFail = &n
	}
	for i := range d.Matches {
		m := &d.Matches[i]
		it := m.Item()
		r := jsonResult{State: m.State, Pass: m.Pass, Level: it.Level, RuleID: it.RuleID, Tool: it.Tool, Category: it.Category,
			Message: it.Message, URI: it.URI, StartLine: it.StartLine, StartColumn: it.StartColumn, Suppressed: it.Suppressed}
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
		out.Results = append(out.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// MarkdownOptions tune WriteMarkdown.
type MarkdownOptions struct {
	// MaxRows caps the listed new results; 0 means 50. The rest is
	// summarised in one "and N more" line.
	MaxRows int
	// Title heads the report; "SARIF comparison" when empty.
	Title string
}

// WriteMarkdown writes a report fit for a pull request comment or
// $GITHUB_STEP_SUMMARY: a table of counts, then the new results.
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
	fmt.Fprintf(bw, "### %s\n\n", o.Title)
	if s.NotCompared > 0 {
		fmt.Fprintf(bw, "| new | absent | updated | unchanged | not compared |\n|---:|---:|---:|---:|---:|\n| %d | %d | %d | %d | %d |\n\n", s.New, s.Absent, s.Updated, s.Unchanged, s.NotCompared)
	} else {
		fmt.Fprintf(bw, "| new | absent | updated | unchanged |\n|---:|---:|---:|---:|\n| %d | %d | %d | %d |\n\n", s.New, s.Absent, s.Updated, s.Unchanged)
	}
	for _, n := range d.Notes() {
		fmt.Fprintf(bw, "> [!WARNING]\n> %s\n\n", mdCell(n))
	}
	if s.New == 0 {
		fmt.Fprintln(bw, "No new results.")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "**New results** (%s)\n\n| level | rule | location | message |\n|---|---|---|---|\n", byLevel(s.NewByLvl))
	shown := 0
	for i := range d.Matches {
		m := &d.Matches[i]
		if m.State != New {
			continue
		}
		if shown == o.MaxRows {
			fmt.Fprintf(bw, "\nand %d more.\n", s.New-shown)
			break
		}
		shown++
		it := m.Head
		fmt.Fprintf(bw, "| %s | %s | `%s` | %s |\n", it.Level, mdCell(it.RuleID), strings.ReplaceAll(it.Location(), "`", "'"), mdCell(truncate(oneLine(it.Message), 200)))
	}
	return bw.Flush()
}

func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\n", " ")
	return r.Replace(s)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "..."
}

// WriteGitHub writes GitHub Actions workflow commands that annotate the
// new results: ::error for level error, ::warning for warning, ::notice
// for note and none; before them, a ::warning for each of d.Notes.
func WriteGitHub(w io.Writer, d *Diff) error {
	bw := bufio.NewWriter(w)
	for _, n := range d.Notes() {
		fmt.Fprintf(bw, "::warning title=%s::%s\n", ghProperty("sarif-diff"), ghData(n))
	}
	for i := range d.Matches {
		m := &d.Matches[i]
		if m.State != New {
			continue
		}
		it := m.Head
		cmd := "notice"
		switch it.Level {
		case sarif.LevelError:
			cmd = "error"
		case sarif.LevelWarning:
			cmd = "warning"
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
		title := it.Tool
		if it.RuleID != "" {
			title += " " + it.RuleID
		}
		props = append(props, "title="+ghProperty(title))
		fmt.Fprintf(bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(it.Message))
	}
	return bw.Flush()
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteGitHubOutput appends the counts as GitHub Actions step outputs
// (the $GITHUB_OUTPUT format): new-count, absent-count, updated-count,
// unchanged-count.
func WriteGitHubOutput(w io.Writer, d *Diff) error {
	s := Summarize(d)
	_, err := fmt.Fprintf(w, "new-count=%d\nabsent-count=%d\nupdated-count=%d\nunchanged-count=%d\n", s.New, s.Absent, s.Updated, s.Unchanged)
	return err
}
