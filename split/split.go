package split

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sarifkit/sarifkit/merge"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

// Options tune [Split].
type Options struct {
	// Merge are the options the inputs are combined with (see
	// [merge.Merge]); nil for the defaults. KeepDuplicates is always
	// set: every result of the inputs is in the split, identical ones
	// too.
	Merge *merge.Options
	// Write writes one file of the split, in order. f.Log is valid only
	// during the call: it must be written (with [sarif.Log.Write]) before
	// Write returns, and not kept. An error stops the split and is
	// returned. A nil Write plans and measures the split without
	// writing it.
	Write func(ctx context.Context, f *File) error

	limits limits
}

// limits are GitHub's limits, smaller in tests.
type limits struct {
	runs, results, rules int
	gzip                 int64
	// underestimate scales the first estimates of sizes (1 when 0), so
	// that tests see plans made again after a measure.
	underestimate float64
}

func (o *Options) limitsOrDefault() limits {
	l := o.limits
	if l.runs == 0 {
		l.runs = schema.GitHubMaxRuns
	}
	if l.results == 0 {
		l.results = schema.GitHubMaxResultsPerRun
	}
	if l.rules == 0 {
		l.rules = schema.GitHubMaxRulesPerRun
	}
	if l.gzip == 0 {
		l.gzip = schema.GitHubMaxGzipSize
	}
	return l
}

// A File is one file of a split: one upload to GitHub.
type File struct {
	// Name is the file's name without an extension, unique in the
	// split (case aside), made of its first run's tool and category,
	// and "-and-N-more" when it holds N more runs:
	// only ASCII letters, digits, '.', '-' and '_', no leading '.' or
	// '-', at most [MaxNameLength] bytes.
	Name string
	// Log is the file's log: the combined log's top level and the
	// file's runs.
	Log *sarif.Log
	// Results counts the results of the file's runs.
	Results int
	// GzipSize is the size of the log's text, as [sarif.Log.Write]
	// writes it without indentation, gzip-compressed (the default
	// level), as measured.
	GzipSize int64
}

// Stats say what [Split] did.
type Stats struct {
	Inputs    int `json:"inputs"`
	RunsIn    int `json:"runsIn"`    // runs of the inputs
	ResultsIn int `json:"resultsIn"` // results of the inputs
	// Files are the files written, in order.
	Files []FileStats `json:"files"`
	// Runs are the runs of the combined log, in order.
	Runs []RunStats `json:"runs"`
	// Trims are what trimming changed (see [Trimmer] and [TrimRules]):
	// rules first, then results, run by run of the combined log; each
	// names its input and its pointer there ([Trim].Input), when known.
	Trims []Trim `json:"trims,omitempty"`
	// Replans counts the times a file measured over the size limit and
	// the split was planned again.
	Replans int `json:"replans"`
}

// FileStats describe one file of a split.
type FileStats struct {
	Name     string `json:"name"`
	Runs     int    `json:"runs"`
	Results  int    `json:"results"`
	GzipSize int64  `json:"gzipSize"`
}

// Reasons a run is divided into parts.
const (
	ReasonResults = "results" // over GitHub's results per run
	ReasonRules   = "rules"   // over GitHub's rules per run
	ReasonSize    = "size"    // too large for one file, gzip-compressed
)

// RunStats describe what became of one run of the combined log.
type RunStats struct {
	Tool     string `json:"tool"`
	Category string `json:"category"`
	Results  int    `json:"results"`
	// Parts is the number of runs it became (1: it stays as it is).
	Parts int `json:"parts"`
	// Reasons say why it was divided (or, with Parts 1, pruned of the
	// rules no result uses): ReasonResults, ReasonRules, ReasonSize.
	Reasons []string `json:"reasons,omitempty"`
	// ByLocation lists the rules whose results were too many for one
	// part, and were divided by file instead of by rule.
	ByLocation []string `json:"byLocation,omitempty"`
	// Pruned adds up what pruning dropped of the parts' copies of the
	// run (rules, taxa, artifacts, thread flow locations no result of a
	// part uses).
	Pruned sarif.Pruned `json:"pruned"`
}

// ConflictError reports two runs that GitHub would take for one analysis
// (one tool and one category) but that cannot be combined into one run:
// their tools differ in version or guid, or their automationDetails.id in
// the run id after the category. Uploaded in one file GitHub rejects
// them; in two files the second replaces the first.
//
// The check is conservative: an automationDetails.id without "/" is read
// both as a category (all of it) and as a run id of the empty category,
// so that "cat" conflicts with "cat/" and with a run without an id.
type ConflictError struct {
	First, Second sarif.RunKey
	// Category is the category GitHub may read both as.
	Category string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("two runs of tool %q and category %q cannot be combined and cannot be uploaded apart: %v and %v",
		e.First.Tool(), e.Category, e.First, e.Second)
}

// ResultError reports a result that no split makes acceptable to GitHub,
// or, with Index -1, a run: one whose tool, invocations and the rest
// (what each part copies) are too large for an upload, or whose results
// do not spread into parts that fit.
type ResultError struct {
	Tool, Category string
	Index          int    // in the combined run; -1 for the run
	Rule           string // the result's rule id, "" for the run
	Reason         string
	// Input names the input the result (or the run) comes from, and
	// Pointer is its JSON pointer there ("/runs/N/results/M", or
	// "/runs/N" for a run); both "" when unknown.
	Input, Pointer string
}

func (e *ResultError) Error() string {
	where := ""
	if e.Input != "" {
		where = e.Input + ": " + e.Pointer + ": "
	}
	if e.Index < 0 {
		return where + fmt.Sprintf("the run of tool %q, category %q: %s", e.Tool, e.Category, e.Reason)
	}
	if where != "" {
		return where + fmt.Sprintf("result (rule %q) of tool %q, category %q: %s", e.Rule, e.Tool, e.Category, e.Reason)
	}
	return fmt.Sprintf("result %d (rule %q) of tool %q, category %q: %s", e.Index, e.Rule, e.Tool, e.Category, e.Reason)
}

// CollisionError reports runs that GitHub's upload action takes for one
// upload's tool and category once it has replaced every character other
// than a letter, digit or '_' by '_' (its validateUniqueCategory) and that
// must so share a file, but do not fit in one.
type CollisionError struct {
	Key  string
	Runs []sarif.RunKey
}

func (e *CollisionError) Error() string {
	keys := make([]string, len(e.Runs))
	for i, k := range e.Runs {
		keys[i] = k.String()
	}
	return fmt.Sprintf("%d runs share the upload key %q and do not fit in one file: %s", len(e.Runs), e.Key, strings.Join(keys, "; "))
}

// errTooLarge is a file measured over the limit, found again.
var errTooLarge = errors.New("file over the size limit")

// Split cuts the inputs into files that GitHub code scanning accepts and
// hands each to opts.Write. It moves the inputs' runs and results (they
// must not be used afterwards); the inputs' logs, whose files hold the
// results on disk, must stay open until Split returns.
//
// The inputs are combined first ([merge.Merge], every result kept). Two
// runs left with one tool and category are a *ConflictError. Each run
// then has its per-result arrays and its rules' tags trimmed to what
// GitHub takes (see [TrimStats]). A run that is over GitHub's results or
// rules per run, or too large to fit in a file alone, is divided into B
// parts, B the smallest power of two that makes every part fit: result
// goes to part K = h mod B, h a hash of its rule id (SHA-256 of the id
// GitHub tracks alerts by, as [sarif.Rules.RuleID] resolves it). When a
// later scan needs twice as many parts, each part splits in two and half
// of its rules keep their category; as long as B stays, every result of
// a rule keeps its category from scan to scan. A rule with more results
// than fit in half a part has its results hashed with the path of their
// primary location instead (their category is then stable while the
// rule stays that large and B stays), and a file of such a rule with
// more than fit in half a part with the whole text of each result
// (stable only while the result does not change). The parts' automationDetails.id are given by [PartID],
// unless a run of the split already has that tool and category, or the
// upload key GitHub's upload action makes of them: then the part is
// "part-K-2" (or -3...), the first free. Before anything is written,
// every run of every file is checked once more: no two with one tool and
// category (a *ConflictError), no two files with one upload key (a
// *CollisionError). Then each file is validated as GitHub's upload
// would have it ([schema.Options].GitHub): a file with an error (a
// result without a location GitHub can process, an index out of range,
// a schema violation...) is a *ResultError naming the result, or the
// run, of the inputs that the error is in, and nothing is written.
//
// Parts are packed into files in order, at most the run limit per file,
// and each file is measured: written, gzip-compressed and counted. When
// one is over the limit (the plan estimates sizes from the run's
// compression ratio), the split is planned again with the measured size,
// deterministically, before any file is written. A result too large
// alone is a *ResultError.
//
// The parts of a run duplicate its invocations, notifications included:
// each part is an analysis of its own to GitHub, whose tool status shows
// whether that analysis ran well, and the invocations hold no results.
// Rules, taxa, artifacts and thread flow locations no result of a part
// uses are pruned from it when the run had more rules than a run may
// have, was divided for its size, or has run-level artifacts or thread
// flow locations (which would otherwise be repeated in every part, and
// held in memory as many times); otherwise each part keeps the run's
// whole tool. Parts are made without the run's artifacts and thread flow
// locations, which are copied into one part at a time and pruned there.
func Split(ctx context.Context, inputs []sarif.Input, opts *Options) (*Stats, error) {
	if opts == nil {
		opts = &Options{}
	}
	lim := opts.limitsOrDefault()
	mo := merge.Options{}
	if opts.Merge != nil {
		mo = *opts.Merge
	}
	mo.KeepDuplicates = true
	st := &Stats{Inputs: len(inputs)}
	for _, in := range inputs {
		if in.Log == nil {
			continue
		}
		for _, r := range in.Log.Runs {
			if r != nil && r.Model != nil {
				st.RunsIn++
				st.ResultsIn += r.Len()
			}
		}
	}
	noted := noteInputs(inputs)
	l, _, err := merge.Merge(ctx, inputs, &mo)
	if err != nil {
		return nil, err
	}
	if err := checkConflicts(l.Runs); err != nil {
		return nil, err
	}
	p := &planner{lim: lim, st: st, log: l, taken: map[toolCat]bool{}, keys: map[string]bool{}}
	for _, r := range l.Runs {
		if r != nil && r.Model != nil {
			id, ok := idOf(r)
			p.take(r.Tool(), id, ok)
		}
	}
	from := origins(noted, l.Runs)
	for i, r := range l.Runs {
		if r == nil || r.Model == nil {
			continue
		}
		rp, err := p.measureRun(ctx, r, i, from[i])
		if err != nil {
			return nil, err
		}
		p.runs = append(p.runs, rp)
	}
	if err := p.plan(ctx); err != nil {
		return nil, err
	}
	files, err := p.fit(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkFiles(files); err != nil {
		return nil, err
	}
	if err := p.check(ctx, files); err != nil {
		return nil, err
	}
	runs := l.Runs
	defer func() { l.Runs = runs }()
	for _, f := range files {
		st.Files = append(st.Files, FileStats{Name: f.name, Runs: len(f.runs), Results: f.results(), GzipSize: f.gz})
		if opts.Write == nil {
			continue
		}
		l.Runs = f.runs
		if err := opts.Write(ctx, &File{Name: f.name, Log: l, Results: f.results(), GzipSize: f.gz}); err != nil {
			return nil, err
		}
	}
	for _, rp := range p.runs {
		st.Runs = append(st.Runs, rp.stats())
	}
	return st, nil
}

// checkConflicts fails on two runs of one tool and category (under
// either reading of an id without "/", see [categories]): after merging,
// such runs differ in their keys.
func checkConflicts(runs []*sarif.Run) error {
	seen := analyses{}
	for _, r := range runs {
		if r == nil || r.Model == nil {
			continue
		}
		if err := seen.add(r); err != nil {
			return err
		}
	}
	return nil
}

// analyses are the tools and categories of runs seen, with the first
// run of each.
type analyses map[toolCat]sarif.RunKey

// add adds the run, a *ConflictError when a run seen has its tool and one
// of its categories.
func (a analyses) add(r *sarif.Run) error {
	id, hasID := idOf(r)
	cats := categories(id, hasID)
	for _, c := range cats {
		if first, ok := a[toolCat{r.Tool(), c}]; ok {
			return &ConflictError{First: first, Second: r.Key(), Category: c}
		}
	}
	for _, c := range cats {
		a[toolCat{r.Tool(), c}] = r.Key()
	}
	return nil
}

// toolCat is a tool and a category, which GitHub takes for one analysis.
type toolCat struct{ tool, cat string }

// idOf returns the run's automationDetails.id and whether it has one.
func idOf(r *sarif.Run) (string, bool) {
	return r.Key().AutomationID()
}

// categories returns the categories GitHub may read in an
// automationDetails.id (hasID false when there is none): what precedes
// its last "/"; an id without "/" is read both ways, as all category
// ([sarif.Run.Category]) and as a run id of the empty category, and no
// id is the empty category.
func categories(id string, hasID bool) []string {
	if !hasID {
		return []string{""}
	}
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return []string{id[:i]}
	}
	if id == "" {
		return []string{""}
	}
	return []string{id, ""}
}

// take marks the tool and categories of an id, and its upload key, as
// used by a run of the split.
func (p *planner) take(tool string, id string, hasID bool) {
	for _, c := range categories(id, hasID) {
		p.taken[toolCat{tool, c}] = true
	}
	p.keys[uploadKeyOf(tool, id, hasID)] = true
}

// free tells whether no run of the split has the tool and a category of
// the id, nor its upload key.
func (p *planner) free(tool string, id string, hasID bool) bool {
	for _, c := range categories(id, hasID) {
		if p.taken[toolCat{tool, c}] {
			return false
		}
	}
	return !p.keys[uploadKeyOf(tool, id, hasID)]
}

// partID returns the automationDetails.id of part k of the run: [PartID]
// unless a run of the split (an input's, or a part of another run) has
// its tool and category, or its upload key; then the first free of
// "part-K-2", "part-K-3"... in its place. The choice depends on the runs
// of the split only, and is kept while the run is planned again.
func (p *planner) partID(rp *runPlan, k int) string {
	if id, ok := rp.ids[k]; ok {
		return id
	}
	if rp.ids == nil {
		rp.ids = map[int]string{}
	}
	label := fmt.Sprintf("part-%d", k)
	for n := 2; ; n++ {
		id := partID(rp.id, rp.hasID, label)
		if p.free(rp.tool, id, true) {
			p.take(rp.tool, id, true)
			rp.ids[k] = id
			return id
		}
		label = fmt.Sprintf("part-%d-%d", k, n)
	}
}

// checkFiles fails when two runs of the split have one tool and
// category, or two files runs of one upload key: the last check before
// anything is written.
func checkFiles(files []*plannedFile) error {
	seen := analyses{}
	keyFile := map[string]int{}
	keyRun := map[string]sarif.RunKey{}
	for fi, f := range files {
		for _, r := range f.runs {
			if err := seen.add(r); err != nil {
				return err
			}
			id, hasID := idOf(r)
			key := uploadKeyOf(r.Tool(), id, hasID)
			if g, ok := keyFile[key]; ok && g != fi {
				return &CollisionError{Key: key, Runs: []sarif.RunKey{keyRun[key], r.Key()}}
			}
			keyFile[key], keyRun[key] = fi, r.Key()
		}
	}
	return nil
}

// PartID returns the automationDetails.id of part k of a run whose id is
// id (hasID false when it has none): the category gets "/part-K" after
// it, and the run id after the category stays. An id whose last "/" is
// at index i becomes id[:i] + "/part-K/" + id[i+1:] ("cat/" gives
// "cat/part-3/", "cat/run1" gives "cat/part-3/run1"), an id without "/"
// becomes id + "/part-K/" (whether GitHub reads "cat" as a category or a
// run id, its part's category is "cat/part-K"), and no id gives
// "part-K/".
func PartID(id string, hasID bool, k int) string {
	return partID(id, hasID, fmt.Sprintf("part-%d", k))
}

func partID(id string, hasID bool, part string) string {
	switch i := strings.LastIndexByte(id, '/'); {
	case !hasID:
		return part + "/"
	case i < 0:
		return id + "/" + part + "/"
	default:
		return id[:i] + "/" + part + "/" + id[i+1:]
	}
}
