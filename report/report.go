// Package render turns SARIF logs into what people read: a terminal
// summary, a self-contained HTML page, CSV, JUnit XML and GitLab Code
// Quality JSON (see [Format]), and the aligned and Markdown tables the
// commands share ([Table]).
//
// A [Report] is read once from any number of logs ([Collect]): one
// [Finding] per result, with what the log leaves indirect resolved by
// package sarif (the rule and its level, the file, the message's
// placeholders and embedded links). Every format shows more where the log
// has it: the baselineState that sarif-diff --format sarif writes (new,
// absent, updated, unchanged), suppressions (shown, counted apart), and
// the github/alertUrl of logs fetched from GitHub (linked).
package report

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/dirset"
	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/sarif"
)

// Options tune [Collect].
type Options struct {
	// Title heads the report; "SARIF report" when empty.
	Title string
	// Source, when set, holds the files of the checkout the logs were
	// made in, and SourceRoot its path or file: URI (absolute URIs under
	// it are shown relative to it). With Source, each finding gets the
	// lines around its own ([Finding.Source]) and its line's text. Only
	// regular files are read, up to 32 MiB each; Source should confine
	// the paths it resolves to the checkout (a checkout.FS does).
	Source     fs.FS
	SourceRoot string
	// Context is how many lines of source above and below a finding's
	// line [Finding.Source] holds; 2 when zero, none when negative.
	Context int
}

// A Report is what every format renders: the findings of all the logs,
// in the logs' order.
type Report struct {
	Title    string
	Inputs   []string
	Findings []*Finding
	// Rules are the rules the findings name, each once per tool.
	Rules []*Rule
	// Baseline tells whether any finding has a baselineState.
	Baseline bool
}

// A Rule is what a report says of a rule: its id and name, its short
// description, its help as plain text (help.text, else fullDescription)
// and its help URI.
type Rule struct {
	Tool, ID, Name       string
	Short, Help, HelpURI string
	Tags                 []string
}

// Baseline states (SARIF §3.27.24), as sarif-diff --format sarif writes
// them.
const (
	BaselineNew       = "new"
	BaselineAbsent    = "absent"
	BaselineUpdated   = "updated"
	BaselineUnchanged = "unchanged"
)

// A Finding is one result as a report shows it.
type Finding struct {
	// Input, Run and Index say where the result is: the input's name,
	// the run's index in it and the result's in the run.
	Input      string
	Run, Index int

	Tool, Category string
	RuleID         string
	Rule           *Rule // nil when the run does not describe it
	Level          string
	// SecuritySeverity is the rule's security-severity (GitHub's 0 to 10
	// score), when HasSecuritySeverity.
	SecuritySeverity    float64
	HasSecuritySeverity bool
	Baseline            string // baselineState, "" when none
	Suppressed          bool
	Justification       string // of the suppressions, joined

	// Path is the primary location's file: relative to SourceRoot when it
	// is under it, else to the run's originalUriBaseIds (the checkout the
	// tool saw), else as the log resolves it; "" when none.
	Path                  string
	Line, Column, EndLine int

	// Message is the message's plain text; Parts the same split at its
	// embedded links, with Related giving the location ("path:line") of
	// each relatedLocations id a link names.
	Message string
	Parts   []sarif.MessagePart
	Related map[int]string

	// Fingerprint is the result's own identity when it has one: its
	// first fingerprint (by key), else its primaryLocationLineHash (or
	// first partial fingerprint); FingerprintKey names it.
	Fingerprint, FingerprintKey string
	AlertURL                    string // github/alertUrl
	AlertNumber                 string // github/alertNumber

	// Source is the code around the line (with Options.Source), starting
	// at line SourceStart; LineText is the finding's line, trimmed.
	Source      []string
	SourceStart int
	LineText    string
}

// Current tells whether the finding is in the scanned code: not absent
// (a result an earlier scan had and this one no longer has).
func (f *Finding) Current() bool { return f.Baseline != BaselineAbsent }

// Counts tells whether the finding counts: current and not suppressed.
func (f *Finding) Counts() bool { return f.Current() && !f.Suppressed }

// Location is "path:line:column" as far as the finding has them.
func (f *Finding) Location() string {
	switch {
	case f.Path == "":
		return ""
	case f.Line <= 0:
		return f.Path
	case f.Column <= 0:
		return fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
}

// Collect reads the findings of the inputs. Its only error is ctx's, or
// a result whose JSON cannot be decoded (naming the input and result).
func Collect(ctx context.Context, inputs []sarif.Input, opts *Options) (*Report, error) {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Title == "" {
		o.Title = "SARIF report"
	}
	if o.Context == 0 {
		o.Context = 2
	}
	rep := &Report{Title: o.Title}
	root := ""
	if o.SourceRoot != "" {
		root = strings.TrimSuffix(sarif.NormalizeURI(o.SourceRoot), "/") + "/"
	}
	rules := map[[2]string]*Rule{}
	for _, in := range inputs {
		rep.Inputs = append(rep.Inputs, in.Name)
		for ri, run := range in.Log.Runs {
			if run == nil || run.Model == nil {
				continue
			}
			rv := run.Resolver()
			tool, category := run.Tool(), run.Category()
			roots := runRoots(run, root, rv)
			descs := &ruleCache{m: map[*gosarif.ReportingDescriptor]*Rule{}}
			out := make([]*Finding, run.Len())
			if err := run.EachResult(ctx, func(_, i int, r sarif.Result) error {
				res, err := run.DecodeResult(i, r)
				if err != nil {
					return fmt.Errorf("%s: /runs/%d/results/%d: %w", in.Name, ri, i, err)
				}
				f := finding(rv, res, roots, descs)
				f.Input, f.Run, f.Index, f.Tool, f.Category = in.Name, ri, i, tool, category
				out[i] = f
				return nil
			}); err != nil {
				return nil, err
			}
			for _, f := range out {
				k := [2]string{tool, f.RuleID}
				r, ok := rules[k]
				if !ok && f.Rule != nil {
					r = f.Rule
					rules[k] = r
					rep.Rules = append(rep.Rules, r)
				}
				f.Rule = r // one Rule per tool and id
				rep.Baseline = rep.Baseline || f.Baseline != ""
			}
			rep.Findings = append(rep.Findings, out...)
		}
	}
	if o.Source != nil {
		if err := addSource(ctx, rep.Findings, o.Source, o.Context); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// ruleCache makes one Rule per descriptor of a run, for the workers
// that read its results.
type ruleCache struct {
	mu sync.Mutex
	m  map[*gosarif.ReportingDescriptor]*Rule
}

func (c *ruleCache) rule(d *gosarif.ReportingDescriptor) *Rule {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[d]
	if !ok {
		r = newRule(d)
		c.m[d] = r
	}
	return r
}

// finding reads one result; its Rule is the run's Rule of its
// descriptor, which Collect then makes one per tool and id.
func finding(rv *sarif.Resolver, res *gosarif.Result, roots *pathRoots, rules *ruleCache) *Finding {
	desc := rv.Rule(res)
	f := &Finding{RuleID: rv.RuleID(res), Level: rv.Level(res), Suppressed: sarif.AcceptedSuppression(res) != nil}
	if desc != nil {
		f.Rule = rules.rule(desc)
		f.SecuritySeverity, f.HasSecuritySeverity = sarif.SecuritySeverity(desc)
	}
	if res.BaselineState != nil {
		f.Baseline = *res.BaselineState
	}
	var just []string
	for _, s := range res.Suppressions {
		if s != nil && s.Justification != nil && *s.Justification != "" {
			just = append(just, *s.Justification)
		}
	}
	f.Justification = strings.Join(just, "; ")
	f.Path = displayPath(rv.PrimaryURI(res), roots)
	if pl := sarif.PrimaryLocation(res); pl != nil && pl.Region != nil {
		f.Line, f.Column, f.EndLine = deref(pl.Region.StartLine), deref(pl.Region.StartColumn), deref(pl.Region.EndLine)
	}
	text := sarif.MessageText(&res.Message, desc)
	f.Parts = sarif.MessageLinks(text)
	var plain strings.Builder
	for _, p := range f.Parts {
		plain.WriteString(p.Text)
		if p.Related && f.Related == nil {
			f.Related = relatedLocations(rv, res, roots)
		}
	}
	f.Message = plain.String()
	f.Fingerprint, f.FingerprintKey = ownFingerprint(res)
	if v, ok := res.Properties["github/alertUrl"].(string); ok {
		f.AlertURL = v
	}
	if v, ok := res.Properties["github/alertNumber"]; ok && v != nil {
		f.AlertNumber = fmt.Sprint(v)
	}
	return f
}

func newRule(d *gosarif.ReportingDescriptor) *Rule {
	r := &Rule{ID: d.ID, Name: deref(d.Name), HelpURI: deref(d.HelpURI), Tags: sarif.Tags(d)}
	if d.ShortDescription != nil {
		r.Short = deref(d.ShortDescription.Text)
	}
	switch {
	case d.Help != nil && deref(d.Help.Text) != "":
		r.Help = *d.Help.Text
	case d.FullDescription != nil:
		r.Help = deref(d.FullDescription.Text)
	}
	return r
}

// relatedLocations maps the ids of a result's related locations to where
// they are.
func relatedLocations(rv *sarif.Resolver, res *gosarif.Result, roots *pathRoots) map[int]string {
	m := map[int]string{}
	for _, loc := range res.RelatedLocations {
		if loc == nil || loc.Id == nil || loc.PhysicalLocation == nil {
			continue
		}
		s := displayPath(rv.Artifacts.ArtifactLocation(loc.PhysicalLocation.ArtifactLocation), roots)
		if rg := loc.PhysicalLocation.Region; rg != nil && rg.StartLine != nil {
			s = fmt.Sprintf("%s:%d", s, *rg.StartLine)
		}
		m[int(*loc.Id)] = s
	}
	return m
}

// pathRoots are the directories a run's paths are shown relative to: the
// checkout given (normalised, with a final "/"), then the absolute
// directories the run's originalUriBaseIds name (%SRCROOT% and the like),
// the longest that holds a path first. They are a set, which finds that
// one without trying each: a log may name as many as it likes.
type pathRoots struct {
	root  string
	bases dirset.Set
}

func runRoots(run *sarif.Run, root string, rv *sarif.Resolver) *pathRoots {
	roots := &pathRoots{root: root}
	for id := range run.Model.OriginalUriBaseIDs {
		p := sarif.NormalizeURI(rv.Artifacts.Resolve("", id))
		if strings.HasPrefix(p, "/") || len(p) > 2 && p[1] == ':' {
			if p = strings.TrimSuffix(p, "/") + "/"; p != "/" {
				roots.bases.Add(p)
			}
		}
	}
	return roots
}

// displayPath is uri as a report shows it: relative to the first of
// roots that holds it, else as resolved (a local file: URI as its path).
func displayPath(uri string, roots *pathRoots) string {
	if uri == "" {
		return ""
	}
	p := sarif.NormalizeURI(uri)
	if rel, ok := strings.CutPrefix(p, roots.root); ok && rel != "" && roots.root != "" {
		return rel
	}
	if _, rel, ok := roots.bases.Longest(p); ok {
		return rel
	}
	return p
}

// ownFingerprint returns the result's first fingerprint by key, else its
// primaryLocationLineHash, else its first partial fingerprint.
func ownFingerprint(res *gosarif.Result) (value, key string) {
	first := func(m map[string]any, prefer string) (string, string) {
		if v, ok := m[prefer].(string); ok && v != "" {
			return v, prefer
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if v, ok := m[k].(string); ok && v != "" {
				return v, k
			}
		}
		return "", ""
	}
	if v, k := first(res.Fingerprints, ""); v != "" {
		return v, k
	}
	return first(res.PartialFingerprints, "primaryLocationLineHash")
}

// addSource gives each finding under the checkout the lines around its
// own, reading each file once.
//
// Only the lines some finding shows are kept, each copied out of the
// file's bytes, and the file is read no further than the last of them:
// what stays alive after a file is served is bounded by its findings,
// not by its size, and what is in flight by the per-file cap
// ([checkout.DefaultMaxFileSize]) times the workers.
func addSource(ctx context.Context, findings []*Finding, files fs.FS, context int) error {
	byPath := map[string][]*Finding{}
	for _, f := range findings {
		if f.Path != "" && f.Line > 0 && fs.ValidPath(f.Path) {
			byPath[f.Path] = append(byPath[f.Path], f)
		}
	}
	paths := slices.Sorted(maps.Keys(byPath))
	var mu sync.Mutex
	return parallel.For(ctx, len(paths), func(_, k int) error {
		data, err := checkout.ReadFile(files, paths[k])
		if err != nil || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
			return nil // not in the checkout, refused, or binary: no source shown
		}
		found := byPath[paths[k]]
		// The lines each finding may show, before the file's length is
		// known: its own and, with context, the region around it.
		want := map[int]string{}
		last := 0
		for _, f := range found {
			start, end := sourceRegion(f, context)
			for n := start; n <= end; n++ {
				want[n] = ""
			}
			last = max(last, end)
		}
		nlines := 0
		for rest := data; len(rest) > 0 && nlines < last; {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			nlines++
			if _, ok := want[nlines]; ok {
				want[nlines] = string(bytes.TrimRight(line, "\r")) // a copy: the file's bytes are not kept
			}
		}
		data = nil
		mu.Lock()
		defer mu.Unlock()
		for _, f := range found {
			if f.Line > nlines {
				continue
			}
			f.LineText = strings.TrimSpace(want[f.Line])
			if context < 0 {
				continue
			}
			start, end := sourceRegion(f, context)
			end = min(nlines, end)
			f.Source, f.SourceStart = make([]string, 0, end-start+1), start
			for n := start; n <= end; n++ {
				f.Source = append(f.Source, want[n])
			}
		}
		return nil
	})
}

// sourceRegion is the first and last line a finding shows with context
// lines around its region (its own line alone when context is negative),
// a long region cut to its start; the last may lie past the file's end.
func sourceRegion(f *Finding, context int) (start, end int) {
	if context < 0 {
		return f.Line, f.Line
	}
	start = max(1, f.Line-context)
	end = max(f.Line, f.EndLine) + context
	if end-start > 4*context+20 {
		end = start + 4*context + 20 // a long region: its start
	}
	return start, end
}

// A Count is a name and how many findings have it.
type Count struct {
	Name  string
	N     int
	Level map[string]int // by level, for the findings that count
}

// CountBy counts the findings that count (current, not suppressed) by
// key, most first (then by name).
func (r *Report) CountBy(key func(*Finding) string) []Count {
	m := map[string]*Count{}
	for _, f := range r.Findings {
		if !f.Counts() {
			continue
		}
		k := key(f)
		c := m[k]
		if c == nil {
			c = &Count{Name: k, Level: map[string]int{}}
			m[k] = c
		}
		c.N++
		c.Level[f.Level]++
	}
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sortCounts(out)
	return out
}

// sortCounts orders counts most first, then by name.
func sortCounts(out []Count) {
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(b.N-a.N, strings.Compare(a.Name, b.Name)) })
}

// Totals are a report's headline numbers.
type Totals struct {
	Results    int            // findings that count
	ByLevel    map[string]int // of those
	Suppressed int            // current findings suppressed
	Baseline   map[string]int // current and absent findings by baselineState
}

// Totals counts the report's findings.
func (r *Report) Totals() Totals {
	t := Totals{ByLevel: map[string]int{}, Baseline: map[string]int{}}
	for _, f := range r.Findings {
		if f.Baseline != "" {
			t.Baseline[f.Baseline]++
		}
		switch {
		case !f.Current():
		case f.Suppressed:
			t.Suppressed++
		default:
			t.Results++
			t.ByLevel[f.Level]++
		}
	}
	return t
}

// levels are SARIF's levels, most severe first.
func levels() []string {
	return []string{sarif.LevelError, sarif.LevelWarning, sarif.LevelNote, sarif.LevelNone}
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
