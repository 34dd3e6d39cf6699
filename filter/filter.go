package filter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/sarif"
)

// Options select the results [Filter] keeps: a result is kept when every
// selector given holds for it and the patterns leave it a location. The
// zero Options keep every result.
type Options struct {
	// Patterns decide each location of a result by its file and the
	// result's rule (see [Pattern]); a result whose locations they all
	// exclude is dropped, a kept result loses the locations they exclude.
	// A location without a URI, and a result without locations, are kept.
	Patterns []Pattern
	// ResolveURIs matches Patterns against the file a location resolves
	// to (its uriBaseId and artifact index followed, a file: URI under
	// SourceRoot made relative to it, percent-encoding decoded, as
	// sarif.NormalizeURI reads it) rather than its uri as written.
	ResolveURIs bool
	// SourceRoot is the checkout's root, a file: URI: absolute file: URIs
	// under it are matched relative to it (with ResolveURIs, and by
	// ChangedLines). "" for none; anything else, a path say, is an
	// error (sarif.FileURI makes a directory's URI).
	SourceRoot string

	// Severity keeps results as filter-sarif's severity option does.
	Severity Severity
	// Rule keeps the results whose rule id (as the result resolves it)
	// the glob matches; nil for any.
	Rule *Glob
	// MinLevel keeps results of this level or above ("error", "warning"
	// or "note"): the effective level of SARIF 3.27.10, "none" for a kind
	// other than "fail", the rule's configured level when the result
	// gives none; a level in the log is read in any case, as Severity
	// reads it. "" for any.
	MinLevel string
	// MinSecuritySeverity keeps results whose rule's security-severity
	// is in this band of GitHub's or above ("critical", "high", "medium"
	// or "low"; see sarif.SeverityBand). "" for any.
	MinSecuritySeverity string
	// States keeps the results whose baselineState is one of these
	// ("new", "unchanged", "updated", "absent"); nil for any.
	States []string
	// Suppressed keeps suppressed results, drops them, or keeps only
	// them.
	Suppressed Suppressed
	// Tools keeps the results of runs whose driver has one of these
	// names; nil for any.
	Tools []string
	// Categories keeps the results of runs of one of these categories
	// (sarif.Run.Category: "" for a run without automationDetails.id);
	// nil for any.
	Categories []string
	// ChangedLines keeps the results that have a location or a related
	// location starting on a line the diff added, in the file of the new
	// side, as codeql-action keeps a pull request's results: paths are
	// the map's (relative to the repository root), the location's URI is
	// resolved (relative to SourceRoot when absolute; when it resolves
	// outside SourceRoot, its uri as written when that is relative). nil
	// for any.
	ChangedLines *linemap.LineMap

	// Prune drops from each run the rules, taxa, artifacts and thread
	// flow locations that no result kept uses (sarif.Run.Prune).
	Prune bool
}

// Suppressed says what becomes of suppressed results (see
// sarif.AcceptedSuppression).
type Suppressed int

const (
	// SuppressedInclude keeps them as other results.
	SuppressedInclude Suppressed = iota
	// SuppressedExclude drops them.
	SuppressedExclude
	// SuppressedOnly keeps only them.
	SuppressedOnly
)

// ParseSuppressed reads "include", "exclude" or "only"; its error is an
// *[OptionsError].
func ParseSuppressed(s string) (Suppressed, error) {
	switch s {
	case "include":
		return SuppressedInclude, nil
	case "exclude":
		return SuppressedExclude, nil
	case "only":
		return SuppressedOnly, nil
	}
	return 0, &OptionsError{Option: "Suppressed", Value: s, Valid: []string{"include", "exclude", "only"}}
}

// A Reason is why [Filter] dropped a result: the first selector, in the
// order of [Reasons], that did not hold.
type Reason string

// The reasons, in the order Filter asks.
const (
	ReasonTool             Reason = "tool"
	ReasonCategory         Reason = "category"
	ReasonSeverity         Reason = "severity"
	ReasonRule             Reason = "rule"
	ReasonLevel            Reason = "level"
	ReasonSecuritySeverity Reason = "security-severity"
	ReasonState            Reason = "state"
	ReasonSuppressed       Reason = "suppressed"
	ReasonChangedLines     Reason = "changed-lines"
	ReasonPatterns         Reason = "patterns"
)

// Reasons returns the reasons in the order Filter asks (a new slice at
// each call).
func Reasons() []Reason { return slices.Clone(reasons) }

// reasons are the reasons in the order Filter asks: a verdict is an
// index in it, and the summary says them in its order.
var reasons = []Reason{ReasonTool, ReasonCategory, ReasonSeverity, ReasonRule, ReasonLevel,
	ReasonSecuritySeverity, ReasonState, ReasonSuppressed, ReasonChangedLines, ReasonPatterns}

// Stats say what [Filter] kept and dropped.
type Stats struct {
	// Results is the number of results read, Kept those kept.
	Results, Kept int
	// Dropped counts the dropped results by reason.
	Dropped map[Reason]int
	// Edited is the number of kept results that lost locations, and
	// LocationsDropped the locations they lost.
	Edited, LocationsDropped int
	// Pruned is what Options.Prune dropped, over all runs.
	Pruned sarif.Pruned
}

// String says it in one line: "12 results: 9 kept (2 with fewer locations,
// 3 locations dropped), 3 dropped (patterns 2, level 1)".
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d results: %d kept", s.Results, s.Kept)
	if s.Edited > 0 {
		fmt.Fprintf(&b, " (%d with fewer locations, %d locations dropped)", s.Edited, s.LocationsDropped)
	}
	fmt.Fprintf(&b, ", %d dropped", s.Results-s.Kept)
	var parts []string
	for _, r := range reasons {
		if n := s.Dropped[r]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", r, n))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	if p := s.Pruned; p != (sarif.Pruned{}) {
		fmt.Fprintf(&b, "; pruned %d rules, %d taxa, %d artifacts, %d thread flow locations", p.Rules, p.Taxa, p.Artifacts, p.ThreadFlowLocations)
	}
	return b.String()
}

// An OptionsError reports an option's value that is none of those it
// may take.
type OptionsError struct {
	// Option is the name of the field of [Options]; Value the value
	// refused ("" in a list that needs values); Valid the values it may
	// take.
	Option, Value string
	Valid         []string
}

func (e *OptionsError) Error() string { return "filter: " + e.Named(e.Option) }

// Named says the error with name for the option: "name must be a, b or
// c, not "x"", for a caller that gives the option another name.
func (e *OptionsError) Named(name string) string {
	if e.Value == "" {
		return fmt.Sprintf("%s: an empty value: give %s", name, orList(e.Valid))
	}
	return fmt.Sprintf("%s must be %s, not %q", name, orList(e.Valid), e.Value)
}

// orList joins values as "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// states are the baselineState values [Options].States may hold.
var states = []string{"new", "unchanged", "updated", "absent"}

// ParseStates reads a comma-separated list of baselineState values
// ("new", "unchanged", "updated", "absent"), each trimmed of white space,
// for [Options].States. An empty value, the list's own included, is an
// error, as is one of none of those: an *[OptionsError].
func ParseStates(list string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(states, v) {
			return nil, &OptionsError{Option: "States", Value: v, Valid: slices.Clone(states)}
		}
		out = append(out, v)
	}
	return out, nil
}

// Check validates the options' values, as [Filter] does first: a value
// none of those an option may take is an *[OptionsError].
func (o *Options) Check() error {
	switch o.MinLevel {
	case "", sarif.LevelError, sarif.LevelWarning, sarif.LevelNote:
	default:
		return &OptionsError{Option: "MinLevel", Value: o.MinLevel, Valid: []string{"error", "warning", "note"}}
	}
	switch o.MinSecuritySeverity {
	case "", "critical", "high", "medium", "low":
	default:
		return &OptionsError{Option: "MinSecuritySeverity", Value: o.MinSecuritySeverity, Valid: []string{"critical", "high", "medium", "low"}}
	}
	for _, s := range o.States {
		if !slices.Contains(states, s) {
			return &OptionsError{Option: "States", Value: s, Valid: slices.Clone(states)}
		}
	}
	if o.SourceRoot != "" && sarif.Scheme(o.SourceRoot) != "file" {
		return &OptionsError{Option: "SourceRoot", Value: o.SourceRoot, Valid: []string{"a file: URI"}}
	}
	if o.Suppressed < SuppressedInclude || o.Suppressed > SuppressedOnly {
		return &OptionsError{Option: "Suppressed", Value: fmt.Sprint(int(o.Suppressed)), Valid: []string{"0", "1", "2"}}
	}
	return nil
}

// bandRank orders GitHub's security-severity bands.
func bandRank(band string) int {
	switch band {
	case "critical":
		return 4
	case "high":
		return 3
	case "medium":
		return 2
	case "low":
		return 1
	}
	return 0
}

// Filter keeps the results of log that opts select and drops the others,
// run by run, in place; a kept result loses the locations the patterns
// exclude. Every other member of the log is left as it was (with Prune,
// but for what no kept result uses). Results on disk are read twice
// (once to decide, once as the log is written) and never held in memory.
func Filter(ctx context.Context, log *sarif.Log, opts *Options) (Stats, error) {
	if opts == nil {
		opts = &Options{}
	}
	st := Stats{Dropped: map[Reason]int{}}
	if err := opts.Check(); err != nil {
		return st, err
	}
	for i, run := range log.Runs {
		if err := filterRun(ctx, i, run, opts, &st); err != nil {
			var pe *pointerError
			if !errors.As(err, &pe) {
				err = &pointerError{fmt.Sprintf("/runs/%d", i), err}
			}
			return st, err
		}
	}
	return st, nil
}

// pointerError is an error at a JSON pointer of the log.
type pointerError struct {
	ptr string
	err error
}

func (e *pointerError) Error() string { return e.ptr + ": " + e.err.Error() }
func (e *pointerError) Unwrap() error { return e.err }

// verdict is what became of one result: kept (reason 0) or the index
// in reasons plus one of why it was dropped.
type verdict uint8

// filterRun decides every result of run (in parallel, each on its own),
// cuts the excluded locations of those it keeps as they are next read,
// drops the others, and prunes, counting all in st.
func filterRun(ctx context.Context, ri int, run *sarif.Run, opts *Options, st *Stats) error {
	n := run.Len()
	st.Results += n
	var runReason Reason
	switch {
	case opts.Tools != nil && !slices.Contains(opts.Tools, run.Tool()):
		runReason = ReasonTool
	case opts.Categories != nil && !slices.Contains(opts.Categories, run.Category()):
		runReason = ReasonCategory
	}
	if runReason != "" {
		st.Dropped[runReason] += n
		if n > 0 {
			if err := run.TakeResults(ctx, run, make([]bool, n)); err != nil {
				return err
			}
		}
		return prune(ctx, run, opts, st)
	}
	d := newDecider(run, opts)
	verdicts := make([]verdict, n)
	// The locations each kept result loses, by result: few results.
	drops := map[int][]int32{}
	var mu sync.Mutex
	// Each goroutine of EachResult (w, below parallel.Workers()) has its
	// own buffer.
	bufs := make([][]byte, parallel.Workers())
	err := run.EachResult(ctx, func(w, i int, text sarif.Result) error {
		// Only the members the selectors read are decoded.
		bufs[w] = d.members(bufs[w][:0], text)
		res, err := run.DecodeResult(i, bufs[w])
		if err != nil {
			return &pointerError{fmt.Sprintf("/runs/%d/results/%d", ri, i), err}
		}
		reason, dropped := d.decide(res, text)
		verdicts[i] = verdict(reasonIndex(reason))
		if reason == "" && len(dropped) > 0 {
			mu.Lock()
			drops[i] = dropped
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return err
	}
	keep := make([]bool, n)
	edited := false
	for i, v := range verdicts {
		if v != 0 {
			st.Dropped[reasons[v-1]]++
			continue
		}
		keep[i] = true
		st.Kept++
		if drops[i] != nil {
			edited = true
			st.Edited++
			st.LocationsDropped += len(drops[i])
		}
	}
	if edited {
		err := run.EditResults(ctx, func(i int, res sarif.Result) (sarif.Result, error) {
			if drops[i] == nil {
				return res, nil
			}
			return dropElements(res, "locations", drops[i])
		})
		if err != nil {
			return err
		}
	}
	if !allTrue(keep) {
		if err := run.TakeResults(ctx, run, keep); err != nil {
			return err
		}
	}
	return prune(ctx, run, opts, st)
}

// prune prunes run when opts ask for it, adding what went to st.
func prune(ctx context.Context, run *sarif.Run, opts *Options, st *Stats) error {
	if !opts.Prune {
		return nil
	}
	p, err := run.Prune(ctx)
	if err != nil {
		return err
	}
	st.Pruned.Add(p)
	return nil
}

func allTrue(b []bool) bool {
	for _, x := range b {
		if !x {
			return false
		}
	}
	return true
}

func reasonIndex(r Reason) int {
	if r == "" {
		return 0
	}
	return slices.Index(reasons, r) + 1
}

// A decider decides the results of one run.
type decider struct {
	opts     *Options
	rv       *sarif.Resolver
	sevRules *severityRules
	names    []string // the members decide reads of a result's model
}

// members returns, appended to buf, the result's text with only the
// members decide reads of its model: a result's messages, code flows and
// properties are most of its text, and decoding them most of the time.
func (d *decider) members(buf []byte, text sarif.Result) sarif.Result {
	buf = append(buf, '{')
	for k, v := range text.Members(d.names...) {
		if v == nil {
			continue
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendQuote(buf, d.names[k])
		buf = append(append(buf, ':'), v...)
	}
	return append(buf, '}')
}

func newDecider(run *sarif.Run, opts *Options) *decider {
	d := &decider{opts: opts, rv: run.Resolver(), names: []string{"ruleId", "ruleIndex", "rule", "kind", "level", "baselineState", "suppressions"}}
	if opts.ChangedLines != nil {
		d.names = append(d.names, "locations", "relatedLocations")
	}
	if !opts.Severity.Empty() {
		d.sevRules = newSeverityRules(run.Model)
	}
	return d
}

// decide returns why res is dropped ("" when kept) and, when kept, the
// indices of the locations the patterns exclude.
func (d *decider) decide(res *gosarif.Result, text sarif.Result) (Reason, []int32) {
	o := d.opts
	if d.sevRules != nil && !o.Severity.keeps(res, d.sevRules) {
		return ReasonSeverity, nil
	}
	if o.Rule != nil && !o.Rule.Match(d.rv.RuleID(res)) {
		return ReasonRule, nil
	}
	if o.MinLevel != "" && sarif.LevelRank(strings.ToLower(d.rv.Level(res))) < sarif.LevelRank(o.MinLevel) {
		return ReasonLevel, nil
	}
	if o.MinSecuritySeverity != "" {
		score, ok := sarif.SecuritySeverity(d.rv.Rule(res))
		if !ok || bandRank(sarif.SeverityBand(score)) < bandRank(o.MinSecuritySeverity) {
			return ReasonSecuritySeverity, nil
		}
	}
	if o.States != nil && (res.BaselineState == nil || !slices.Contains(o.States, *res.BaselineState)) {
		return ReasonState, nil
	}
	if o.Suppressed != SuppressedInclude && (sarif.AcceptedSuppression(res) != nil) != (o.Suppressed == SuppressedOnly) {
		return ReasonSuppressed, nil
	}
	if o.ChangedLines != nil && !d.onAddedLine(res) {
		return ReasonChangedLines, nil
	}
	if len(o.Patterns) == 0 {
		return "", nil
	}
	rule := d.rv.RuleID(res)
	var dropped []int32
	n := 0
	// The locations as written, so that indices are the array's whatever
	// its elements hold.
	jsonscan.Elems(text.Member("locations"), func(i int, loc []byte) bool {
		n++
		path, ok := d.patternPath(loc)
		if ok && !Keep(o.Patterns, path, rule) {
			dropped = append(dropped, int32(i))
		}
		return true
	})
	if n > 0 && len(dropped) == n {
		return ReasonPatterns, nil
	}
	return "", dropped
}

// patternPath returns the path patterns match of a location (its JSON
// text): its artifactLocation's uri as written, or resolved; ok is false
// when it has none.
func (d *decider) patternPath(loc []byte) (string, bool) {
	al := member(member(loc, "physicalLocation"), "artifactLocation")
	uri, hasURI := jsonscan.String(member(al, "uri"))
	if !d.opts.ResolveURIs {
		return uri, hasURI
	}
	base, _ := jsonscan.String(member(al, "uriBaseId"))
	index := -1
	if k, ok := jsonscan.Int(member(al, "index")); ok && k >= 0 && k <= math.MaxInt32 {
		index = int(k)
	}
	return d.relative(d.rv.Artifacts.Location(uri, base, index))
}

// member returns the JSON text of the object's member name, nil when it
// has none or obj is no object.
func member(obj []byte, name string) []byte {
	var v [1][]byte
	jsonscan.Members(obj, []string{name}, v[:])
	return v[0]
}

// resolve returns the file an artifact location names: relative to the
// source root when under it, else as sarif.NormalizeURI reads it.
func (d *decider) resolve(al *gosarif.ArtifactLocation) (string, bool) {
	return d.relative(d.rv.Artifacts.ArtifactLocation(al))
}

// relative is resolve for the URI a location resolves to.
func (d *decider) relative(u string) (string, bool) {
	if u == "" {
		return "", false
	}
	if d.opts.SourceRoot != "" {
		if rel, ok := sarif.RelativePath(u, d.opts.SourceRoot); ok {
			return rel, true
		}
	}
	return sarif.NormalizeURI(u), true
}

// changedPath returns the repository path of an artifact location for
// ChangedLines: the file it resolves to, relative to the source root;
// when that is absolute and not under the root (a uriBaseId defined as
// the scanner's checkout elsewhere, or no root given), its uri as written
// when that is relative. ok is false for a location outside the
// repository.
func (d *decider) changedPath(al *gosarif.ArtifactLocation) (string, bool) {
	path, ok := d.resolve(al)
	if ok && !isAbsolute(path) {
		return path, true
	}
	if al.URI == nil || *al.URI == "" {
		return "", false
	}
	path = sarif.NormalizeURI(*al.URI)
	return path, !isAbsolute(path)
}

func isAbsolute(path string) bool {
	return strings.HasPrefix(path, "/") || sarif.Scheme(path) != ""
}

// onAddedLine tells whether a location or related location of res
// starts on a line the diff added.
func (d *decider) onAddedLine(res *gosarif.Result) bool {
	for _, list := range [][]*gosarif.Location{res.Locations, res.RelatedLocations} {
		for _, loc := range list {
			if loc == nil || loc.PhysicalLocation == nil || loc.PhysicalLocation.ArtifactLocation == nil {
				continue
			}
			pl := loc.PhysicalLocation
			if pl.Region == nil || pl.Region.StartLine == nil {
				continue
			}
			path, ok := d.changedPath(pl.ArtifactLocation)
			if !ok {
				continue // outside the repository
			}
			if d.opts.ChangedLines.Added(path, *pl.Region.StartLine) {
				return true
			}
		}
	}
	return false
}

// dropElements returns res without the elements of its member array
// name at the (ascending) indices drop; the rest of the text is kept as
// it is.
func dropElements(res sarif.Result, name string, drop []int32) (sarif.Result, error) {
	vs, ve, ok := memberSpan(res, name)
	if !ok {
		return nil, errors.New("no " + name + " array")
	}
	var b bytes.Buffer
	b.Grow(ve - vs)
	b.WriteByte('[')
	k, first := 0, true
	jsonscan.Elems(res[vs:ve], func(i int, v []byte) bool {
		if k < len(drop) && int(drop[k]) == i {
			k++
			return true
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.Write(v)
		return true
	})
	b.WriteByte(']')
	out := make(sarif.Result, 0, len(res)-(ve-vs)+b.Len())
	out = append(append(append(out, res[:vs]...), b.Bytes()...), res[ve:]...)
	return out, nil
}

// memberSpan finds the value of the object's first member name.
func memberSpan(r []byte, name string) (vs, ve int, ok bool) {
	i := jsonscan.SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' {
		return 0, 0, false
	}
	i = jsonscan.SkipSpace(r, i+1)
	for i < len(r) && r[i] == '"' {
		ke := jsonscan.StringEnd(r, i)
		if ke < 0 {
			return 0, 0, false
		}
		key := r[i+1 : ke-1]
		i = jsonscan.SkipSpace(r, ke)
		if i >= len(r) || r[i] != ':' {
			return 0, 0, false
		}
		vs = jsonscan.SkipSpace(r, i+1)
		ve = jsonscan.ValueEnd(r, vs)
		if ve < 0 {
			return 0, 0, false
		}
		if jsonscan.KeyIs(key, name) {
			return vs, ve, true
		}
		i = jsonscan.SkipSpace(r, ve)
		if i < len(r) && r[i] == ',' {
			i = jsonscan.SkipSpace(r, i+1)
		}
	}
	return 0, 0, false
}
