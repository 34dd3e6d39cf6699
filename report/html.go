package report

import (
	"bufio"
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
)

// The page's parts, embedded: one file to open, nothing fetched.
var (
	//go:embed page/head.html
	pageHead string
	//go:embed page/report.html
	pageHTML string
	//go:embed page/report.css
	pageCSS string
	//go:embed page/report.js
	pageJS string
)

// WriteHTML writes one self-contained HTML page (inline CSS and script,
// a Content-Security-Policy that lets it load nothing): the counts, then
// every finding, most severe first, in pages of 100, with filters by
// level, tool, rule, file and baseline state, a search, and suppressed
// results on demand. The filters live in the address's #fragment
// (#level=error&tool=gosec), so a filtered view can be shared.
//
// The findings are embedded as JSON and the script writes them into the
// page as text, so nothing from the log is ever read as HTML; links are
// made of http(s) URLs only.
func WriteHTML(w io.Writer, r *Report) error {
	tmpl, err := template.New("report").Parse(strings.TrimSpace(pageHead) + pageHTML)
	if err != nil {
		return err
	}
	t := r.Totals()
	type count struct {
		Name string
		N    int
	}
	var lv, bl []count
	for _, l := range levels() {
		if n := t.ByLevel[l]; n > 0 {
			lv = append(lv, count{l, n})
		}
	}
	if r.Baseline {
		for _, s := range []string{BaselineNew, BaselineUpdated, BaselineUnchanged, BaselineAbsent} {
			bl = append(bl, count{s, t.Baseline[s]})
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := tmpl.Execute(bw, map[string]any{
		"Title": safetext.Escape(r.Title), "Inputs": escapeAll(r.Inputs), "Totals": t, "Levels": lv, "Baseline": bl, "CSS": template.CSS(pageCSS),
	}); err != nil {
		return err
	}
	// The data follows, written a result at a time (json.Marshal escapes
	// <, > and & as \u003c..., so nothing in it ends the element), then
	// the page's script.
	bw.WriteString(`<script type="application/json" id="report-data">`)
	if err := writePageData(bw, pageData(r)); err != nil {
		return err
	}
	fmt.Fprintf(bw, "</script>\n<script>%s</script>\n</body>\n</html>\n", pageJS)
	return bw.Flush()
}

// escapeAll returns ss [safetext.Escape]d: html/template escapes what HTML
// reads, and leaves control characters, which XML forbids and a terminal
// obeys.
func escapeAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = safetext.Escape(s)
	}
	return out
}

// writePageData writes p as JSON, a result a line.
func writePageData(w *bufio.Writer, p page) error {
	head, err := json.Marshal(struct {
		Tools []string   `json:"tools"`
		Files []string   `json:"files"`
		Rules []pageRule `json:"rules"`
	}{p.Tools, p.Files, p.Rules})
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1]) // without its closing brace
	w.WriteString(`,"results":[`)
	for i, r := range p.Results {
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n")
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		w.Write(b)
	}
	_, err = w.WriteString("]}")
	return err
}

// page is the JSON the page's script reads: names once, results by
// index into them.
type page struct {
	Tools   []string     `json:"tools"`
	Files   []string     `json:"files"`
	Rules   []pageRule   `json:"rules"`
	Results []pageResult `json:"results"`
}

type pageRule struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Short   string `json:"short,omitempty"`
	Help    string `json:"help,omitempty"`
	HelpURI string `json:"helpUri,omitempty"`
}

type pageResult struct {
	Level     string     `json:"l"`
	Tool      int        `json:"t"`
	Rule      int        `json:"r"` // index in rules, -1 when not described
	RuleID    string     `json:"rid"`
	File      int        `json:"f"` // index in files, -1 when none
	Line      int        `json:"ln,omitempty"`
	Location  string     `json:"loc,omitempty"`
	Message   [][]string `json:"m"` // [text] or [text, target, related location]
	Baseline  string     `json:"b,omitempty"`
	Supp      int        `json:"s,omitempty"`
	Just      string     `json:"j,omitempty"`
	Severity  string     `json:"sev,omitempty"`
	AlertURL  string     `json:"u,omitempty"`
	AlertNum  string     `json:"n,omitempty"`
	Source    []any      `json:"src,omitempty"` // [first line, [lines]]
	levelRank int
	path      string
}

func pageData(r *Report) page {
	var p page
	tools, files, rules := map[string]int{}, map[string]int{}, map[*Rule]int{}
	index := func(m map[string]int, list *[]string, s string) int {
		i, ok := m[s]
		if !ok {
			i = len(*list)
			m[s] = i
			*list = append(*list, s)
		}
		return i
	}
	for _, f := range r.Findings {
		pr := pageResult{Level: f.Level, Tool: index(tools, &p.Tools, f.Tool), Rule: -1, RuleID: f.RuleID, File: -1,
			Line: f.Line, Location: f.Location(), Baseline: f.Baseline, Just: f.Justification, AlertURL: f.AlertURL, AlertNum: f.AlertNumber,
			levelRank: sarif.LevelRank(f.Level), path: f.Path}
		if f.Rule != nil {
			i, ok := rules[f.Rule]
			if !ok {
				i = len(p.Rules)
				rules[f.Rule] = i
				p.Rules = append(p.Rules, pageRule{ID: f.Rule.ID, Name: f.Rule.Name, Short: f.Rule.Short, Help: f.Rule.Help, HelpURI: f.Rule.HelpURI})
			}
			pr.Rule = i
		}
		if f.Path != "" {
			pr.File = index(files, &p.Files, f.Path)
		}
		if f.Suppressed {
			pr.Supp = 1
		}
		if f.HasSecuritySeverity {
			pr.Severity = strings.TrimSpace(sarif.SeverityBand(f.SecuritySeverity) + " " + strconv.FormatFloat(f.SecuritySeverity, 'f', -1, 64))
		}
		for _, part := range f.Parts {
			switch {
			case part.Target == "":
				pr.Message = append(pr.Message, []string{part.Text})
			case part.Related:
				pr.Message = append(pr.Message, []string{part.Text, part.Target, f.Related[part.ID]})
			default:
				pr.Message = append(pr.Message, []string{part.Text, part.Target, ""})
			}
		}
		if pr.Message == nil {
			pr.Message = [][]string{{""}}
		}
		if f.Source != nil {
			pr.Source = []any{f.SourceStart, f.Source}
		}
		p.Results = append(p.Results, pr)
	}
	// Most severe first, then by file and line; absent results last.
	slices.SortStableFunc(p.Results, func(a, b pageResult) int {
		return cmp.Or(
			cmp.Compare(boolInt(a.Baseline == BaselineAbsent), boolInt(b.Baseline == BaselineAbsent)),
			cmp.Compare(b.levelRank, a.levelRank),
			cmp.Compare(a.path, b.path),
			cmp.Compare(a.Line, b.Line),
		)
	})
	if p.Tools == nil {
		p.Tools = []string{}
	}
	if p.Files == nil {
		p.Files = []string{}
	}
	if p.Rules == nil {
		p.Rules = []pageRule{}
	}
	if p.Results == nil {
		p.Results = []pageResult{}
	}
	return p
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
