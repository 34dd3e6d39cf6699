// Package report renders SARIF logs as what people read: a terminal
// summary ([WriteSummary]), a self-contained HTML page ([WriteHTML]),
// CSV ([WriteCSV]), JUnit XML ([WriteJUnit]), GitLab Code Quality JSON
// ([WriteCodeClimate]) and a GitLab security report of type SAST
// ([WriteGitLabSAST]); [Findings] hands the same findings to a format of
// one's own. Pages of counts ([WriteTablesHTML]) serve
// reports of other things, such as code scanning alerts.
//
// A comparison of two logs ([diff.Diff], which package diff makes and
// which knows nothing of this package) is rendered for people and CI by
// [WriteComparisonText] (a line per result for a terminal),
// [WriteComparisonMarkdown] (a job summary), [WriteComparisonAnnotations]
// (GitHub workflow annotations of what fails a gate) and
// [WriteComparisonOutputs] (a job's step outputs); its data formats,
// JSON and SARIF with baseline states, are package diff's.
//
// Every format reads any number of logs ([sarif.Input]), one [Finding] per
// result, with what the log leaves indirect resolved by package sarif
// (the rule and its level, the file, the message's placeholders and
// embedded links). Every format shows more where the log has it: the
// baselineState that a comparison of two logs writes (new, absent,
// updated, unchanged), suppressions (shown, counted apart), and the
// github/alertUrl of logs fetched from GitHub (linked).
//
// # Memory
//
// The formats stream: a log read with [sarif.ReadOptions].ResultsOnDisk
// is rendered without its results ever being in memory at once. A first
// pass over the results keeps a few numbers per finding (its rule, file,
// line, level and baseline state, the names shared once) and the counts;
// the findings are then read again from disk as they are written, in the
// order the format needs (the HTML page's most severe first, JUnit's
// suite by suite), a batch at a time. What a report holds beyond those
// numbers is bounded: the source lines shown beside findings
// ([Options].Source), and, for Code Quality and GitLab SAST, a hash per
// fingerprint or id to tell repeated ones apart.
//
// As each format reads the results twice, the logs must stay open (see
// [sarif.Log.Close]) until it returns. Its error is ctx's, that of a
// result whose JSON cannot be decoded (naming the input and the result:
// nothing is written then), that of a result that cannot be read back
// (its file changed meanwhile), or w's.
package report

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/dirset"
	"github.com/sarifkit/sarifkit/sarif"
)

// Options tune every format. A nil *Options is the zero value.
type Options struct {
	// Title heads the report; "SARIF report" when empty. CSV and Code
	// Quality have no title.
	Title string
	// Source, when set, holds the files of the checkout the logs were
	// made in, and SourceRoot its path or file: URI (absolute URIs under
	// it are shown relative to it). With Source, each finding gets the
	// lines around its own ([Finding].Source) and its line's text, which
	// the HTML page shows and Code Quality fingerprints. Only regular
	// files are read, up to 32 MiB each; Source should confine the paths
	// it resolves to the checkout, symbolic links included: the FS of an
	// [os.Root] does ([os.OpenRoot], then [os.Root.FS]); [os.DirFS]
	// follows links out of it.
	Source     fs.FS
	SourceRoot string
	// Context is how many lines of source above and below a finding's
	// line [Finding].Source holds; 2 when zero, none when negative.
	Context int
	// Now is when the report is made, for a format that records it
	// where the logs do not say (GitLab SAST's scan times); the current
	// time when zero.
	Now time.Time
}

// A Rule is what a report says of a rule: its id and name, its short
// description, its help as plain text (help.text, else fullDescription)
// and its help URI.
type Rule struct {
	Tool, ID, Name       string
	Short, Help, HelpURI string
	Tags                 []string
	// CWE are the numbers of the CWE weaknesses the rule names ("79"),
	// from its tags and its relationships (see [sarif.Run.CWEs]); CVE
	// the CVE ids it names, its id or tags (see [sarif.CVEs]). [Findings]
	// and the GitLab SAST report read them; the other formats, which
	// show neither, leave them empty.
	CWE, CVE []string
}

// Baseline states (SARIF §3.27.24), as a comparison of two logs writes
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
	// Kind is the result's kind (SARIF §3.27.9): "" when it has none,
	// which means "fail" (see [Finding.Problem]).
	Kind          string
	Suppressed    bool
	Justification string // of the suppressions, joined

	// Path is the primary location's file: relative to SourceRoot when it
	// is under it, else to the run's originalUriBaseIds (the checkout the
	// tool saw), else as the log resolves it; "" when none.
	Path                             string
	Line, Column, EndLine, EndColumn int

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

	// resultSeverity is the result's own security-severity, when
	// hasResultSeverity; gitlabSuppressed tells whether GitLab's SARIF
	// ingestion skips it as suppressed (see gitlabSuppressed).
	resultSeverity                      float64
	hasResultSeverity, gitlabSuppressed bool
}

// Current tells whether the finding is in the scanned code: not absent
// (a result an earlier scan had and this one no longer has).
func (f *Finding) Current() bool { return f.Baseline != BaselineAbsent }

// Counts tells whether the finding counts: current and not suppressed.
func (f *Finding) Counts() bool { return f.Current() && !f.Suppressed }

// Problem tells whether the finding's kind does not say it is no
// problem: SARIF's kinds "pass" (the rule was evaluated and its
// condition met) and "notApplicable" (the rule does not apply) are
// not; "fail", "open" and "review" (not yet determined),
// "informational" and kinds SARIF does not define are taken as
// problems.
func (f *Finding) Problem() bool { return f.Kind != "pass" && f.Kind != "notApplicable" }

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

// ruleCache makes one Rule per descriptor of a run, for the workers
// that read its results.
type ruleCache struct {
	mu   sync.Mutex
	run  *sarif.Run
	taxa bool // fill Rule.CWE and Rule.CVE
	m    map[*gosarif.ReportingDescriptor]*Rule
}

func newRuleCache(run *sarif.Run, taxa bool) *ruleCache {
	return &ruleCache{run: run, taxa: taxa, m: map[*gosarif.ReportingDescriptor]*Rule{}}
}

func (c *ruleCache) rule(d *gosarif.ReportingDescriptor) *Rule {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[d]
	if !ok {
		r = newRule(d)
		if c.taxa {
			r.CWE, r.CVE = c.run.CWEs(d), sarif.CVEs(d)
		}
		c.m[d] = r
	}
	return r
}

// finding reads one result; its Rule is the run's Rule of its
// descriptor, which the index then makes one per tool and id.
func finding(rv *sarif.Resolver, res *gosarif.Result, roots *pathRoots, rules *ruleCache) *Finding {
	f, desc := findingKey(rv, res, roots, rules)
	if desc != nil {
		f.SecuritySeverity, f.HasSecuritySeverity = sarif.SecuritySeverity(desc)
	}
	var just []string
	for _, s := range res.Suppressions {
		if s != nil && s.Justification != nil && *s.Justification != "" {
			just = append(just, *s.Justification)
		}
	}
	f.Justification = strings.Join(just, "; ")
	if pl := sarif.PrimaryLocation(res); pl != nil && pl.Region != nil {
		f.Column, f.EndColumn = deref(pl.Region.StartColumn), deref(pl.Region.EndColumn)
	}
	f.resultSeverity, f.hasResultSeverity = sarif.ResultSecuritySeverity(res)
	f.gitlabSuppressed = gitlabSuppressed(res)
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

// findingKey reads what the index keeps of a result (its rule, level,
// suppression, baseline state, file and lines), and returns its
// descriptor.
func findingKey(rv *sarif.Resolver, res *gosarif.Result, roots *pathRoots, rules *ruleCache) (*Finding, *gosarif.ReportingDescriptor) {
	desc := rv.Rule(res)
	f := &Finding{RuleID: rv.RuleID(res), Level: rv.Level(res), Suppressed: sarif.AcceptedSuppression(res) != nil}
	if desc != nil {
		f.Rule = rules.rule(desc)
	}
	if res.BaselineState != nil {
		f.Baseline = *res.BaselineState
	}
	f.Kind = deref(res.Kind)
	f.Path = displayPath(rv.PrimaryURI(res), roots)
	if pl := sarif.PrimaryLocation(res); pl != nil && pl.Region != nil {
		f.Line, f.EndLine = deref(pl.Region.StartLine), deref(pl.Region.EndLine)
	}
	return f, desc
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

// A Count is a name and how many findings have it.
type Count struct {
	Name  string
	N     int
	Level map[string]int // by level, for the findings that count
}

// sortCounts orders counts most first, then by name.
func sortCounts(out []Count) {
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(b.N-a.N, strings.Compare(a.Name, b.Name)) })
}

// Totals are a report's headline numbers, which every format returns.
// Findings - Results are those that do not count: absent or suppressed,
// and for Code Quality and GitLab SAST, which leave them out, those
// that are no problem (NotProblems).
type Totals struct {
	Findings   int               // every finding, counted or not
	Results    int               // findings that count (see [Finding.Counts])
	ByLevel    sarif.LevelCounts // of those
	Suppressed int               // current findings suppressed
	Baseline   map[string]int    // current and absent findings by baselineState
	// NotProblems counts the current, unsuppressed findings that a
	// format of problems (Code Quality, GitLab SAST) leaves out as no
	// problem (see [Finding.Problem]); 0 for the other formats.
	NotProblems int
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
