package report

import (
	"bufio"
	"cmp"
	"context"
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
//
// To order the findings, it keeps a few numbers per finding (see the
// package documentation), then reads them again from the logs in the
// page's order, a batch at a time. It returns the totals it shows.
func WriteHTML(ctx context.Context, w io.Writer, inputs []sarif.Input, opts *Options) (Totals, error) {
	tmpl, err := template.New("report").Parse(strings.TrimSpace(pageHead) + pageHTML)
	if err != nil {
		return Totals{}, err
	}
	x, err := newIndex(ctx, inputs, opts, needSource)
	if err != nil {
		return Totals{}, err
	}
	t := x.totals()
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
	if len(t.Baseline) > 0 {
		for _, s := range []string{BaselineNew, BaselineUpdated, BaselineUnchanged, BaselineAbsent} {
			bl = append(bl, count{s, t.Baseline[s]})
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := tmpl.Execute(bw, map[string]any{
		"Title": safetext.Escape(x.title), "Inputs": escapeAll(x.inputs), "Totals": t, "Levels": lv, "Baseline": bl, "CSS": template.CSS(pageCSS),
	}); err != nil {
		return t, err
	}
	// The data follows, written a result at a time (json.Marshal escapes
	// <, > and & as \u003c..., so nothing in it ends the element), then
	// the page's script.
	bw.WriteString(`<script type="application/json" id="report-data">`)
	if err := writePageData(ctx, bw, x); err != nil {
		return t, err
	}
	fmt.Fprintf(bw, "</script>\n<script>%s</script>\n</body>\n</html>\n", pageJS)
	return t, bw.Flush()
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

// writePageData writes the JSON the page's script reads, a result a
// line: the names of tools, files and rules once each, in the order the
// findings first name them, then the results, most severe first.
func writePageData(ctx context.Context, w *bufio.Writer, x *index) error {
	p := pageNames(x)
	head, err := json.Marshal(p)
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1]) // without its closing brace
	w.WriteString(`,"results":[`)
	order := pageOrder(x)
	err = x.walk(ctx, len(order), func(k int) int { return int(order[k]) }, func(i int, f *Finding) error {
		if i != int(order[0]) {
			w.WriteString(",")
		}
		w.WriteString("\n")
		b, err := json.Marshal(p.result(f, x.entries[i].rule))
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("]}")
	return err
}

// page is the head of the JSON the page's script reads: names once, the
// results (which follow it) by index into them.
type page struct {
	Tools []string   `json:"tools"`
	Files []string   `json:"files"`
	Rules []pageRule `json:"rules"`
	tools map[string]int
	files map[string]int
	rules map[int32]int // by the index's rule
}

type pageRule struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Short   string `json:"short,omitempty"`
	Help    string `json:"help,omitempty"`
	HelpURI string `json:"helpUri,omitempty"`
}

type pageResult struct {
	Level    string     `json:"l"`
	Tool     int        `json:"t"`
	Rule     int        `json:"r"` // index in rules, -1 when not described
	RuleID   string     `json:"rid"`
	File     int        `json:"f"` // index in files, -1 when none
	Line     int        `json:"ln,omitempty"`
	Location string     `json:"loc,omitempty"`
	Message  [][]string `json:"m"` // [text] or [text, target, related location]
	Baseline string     `json:"b,omitempty"`
	Supp     int        `json:"s,omitempty"`
	Just     string     `json:"j,omitempty"`
	Severity string     `json:"sev,omitempty"`
	AlertURL string     `json:"u,omitempty"`
	AlertNum string     `json:"n,omitempty"`
	Source   []any      `json:"src,omitempty"` // [first line, [lines]]
}

// pageNames numbers the tools, files and rules of the findings in the
// order they first name them.
func pageNames(x *index) *page {
	p := &page{Tools: []string{}, Files: []string{}, Rules: []pageRule{}, tools: map[string]int{}, files: map[string]int{}, rules: map[int32]int{}}
	for _, rx := range x.runs {
		if rx.n > 0 {
			if _, ok := p.tools[rx.tool]; !ok {
				p.tools[rx.tool] = len(p.Tools)
				p.Tools = append(p.Tools, rx.tool)
			}
		}
		for _, e := range x.entries[rx.first : rx.first+rx.n] {
			if _, ok := p.rules[e.rule]; !ok && e.rule >= 0 {
				r := x.rules[e.rule]
				p.rules[e.rule] = len(p.Rules)
				p.Rules = append(p.Rules, pageRule{ID: r.ID, Name: r.Name, Short: r.Short, Help: r.Help, HelpURI: r.HelpURI})
			}
			if path := x.names.name(e.path); path != "" {
				if _, ok := p.files[path]; !ok {
					p.files[path] = len(p.Files)
					p.Files = append(p.Files, path)
				}
			}
		}
	}
	return p
}

// pageOrder returns the positions of the findings in the page's order:
// most severe first, then by file and line, absent results last; in the
// logs' order where those are the same.
func pageOrder(x *index) []int32 {
	// The names in order, so that files compare by number.
	byName := make([]int32, len(x.names.list))
	for i := range byName {
		byName[i] = int32(i)
	}
	slices.SortFunc(byName, func(a, b int32) int { return strings.Compare(x.names.name(a), x.names.name(b)) })
	rank := make([]int32, max(1, len(x.names.list)))
	for r, id := range byName {
		rank[id] = int32(r)
	}
	type key struct {
		line      int
		path, pos int32
		level     int8
		absent    bool
	}
	keys := make([]key, len(x.entries))
	levels := map[int32]int8{}
	for p := range x.entries {
		e := &x.entries[p]
		lv, ok := levels[e.level]
		if !ok {
			lv = int8(sarif.LevelRank(x.names.name(e.level)))
			levels[e.level] = lv
		}
		keys[p] = key{line: e.line, path: rank[e.path], pos: int32(p), level: lv, absent: e.absent}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(
			cmp.Compare(boolInt(a.absent), boolInt(b.absent)),
			cmp.Compare(b.level, a.level),
			cmp.Compare(a.path, b.path),
			cmp.Compare(a.line, b.line),
			cmp.Compare(a.pos, b.pos),
		)
	})
	order := make([]int32, len(keys))
	for k := range keys {
		order[k] = keys[k].pos
	}
	return order
}

// result is the page's JSON of a finding, whose rule is the index's
// rule.
func (p *page) result(f *Finding, rule int32) pageResult {
	pr := pageResult{Level: f.Level, Tool: p.tools[f.Tool], Rule: -1, RuleID: f.RuleID, File: -1,
		Line: f.Line, Location: f.Location(), Baseline: f.Baseline, Just: f.Justification, AlertURL: f.AlertURL, AlertNum: f.AlertNumber}
	if rule >= 0 {
		pr.Rule = p.rules[rule]
	}
	if f.Path != "" {
		pr.File = p.files[f.Path]
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
	return pr
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
