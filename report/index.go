package report

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sort"
	"strings"
	"sync"

	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/sarif"
)

// An index is what a report keeps of its findings between reading them
// and writing them: an entry of a few numbers per finding, in the logs'
// order, the names the entries share (once each), and the rules. The
// findings themselves are read again from their logs ([index.walk]), in
// the order a format writes them.
type index struct {
	title   string
	inputs  []string
	runs    []*runIndex
	entries []entry
	names   names
	// rules are the Rules of the findings, in the order the findings
	// first name them (entry.rule indexes it): one per tool and rule id,
	// the first the run describes it with.
	rules  []*Rule
	source *sourceLines // nil without Options.Source
}

// A runIndex is a run of an input, with what reading its results again
// takes; its findings are entries[first:first+n].
type runIndex struct {
	input          string
	ri             int // the run's index in its log
	run            *sarif.Run
	tool, category string
	rv             *sarif.Resolver
	roots          *pathRoots
	descs          *ruleCache
	first, n       int
}

// An entry is what the index keeps of a finding: what the formats
// count, group and order findings by.
type entry struct {
	line, endLine int
	// path, ruleID, level and baseline are indices in names ("" is 0).
	path, ruleID, level, baseline int32
	rule                          int32 // in index.rules; -1 when the finding has none
	suppressed, absent            bool
	notProblem                    bool // see Finding.Problem
}

// counts tells whether the entry's finding counts (see [Finding.Counts]).
func (e *entry) counts() bool { return !e.absent && !e.suppressed }

// names is a set of strings, each numbered once; "" is 0. It is safe
// for concurrent use.
type names struct {
	mu   sync.Mutex
	ids  map[string]int32
	list []string
}

func (n *names) id(s string) int32 {
	if s == "" {
		return 0
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ids == nil {
		n.ids, n.list = map[string]int32{}, []string{""}
	}
	id, ok := n.ids[s]
	if !ok {
		id = int32(len(n.list))
		n.ids[s] = id
		n.list = append(n.list, s)
	}
	return id
}

// name returns the string numbered id; read it only once no id is
// being added.
func (n *names) name(id int32) string {
	if id == 0 {
		return ""
	}
	return n.list[id]
}

// needs are what a format needs of the findings beyond what every one
// reads.
type needs uint8

const (
	needSource needs = 1 << iota // the lines around them (with Options.Source)
	needTaxa                     // their rules' CWEs and CVEs (Rule.CWE, Rule.CVE)
)

// newIndex reads the findings of the inputs once, on all cores, keeping
// an entry each; with source (and Options.Source) it then reads the
// lines of the checkout the findings show. Its only error is ctx's, a
// result whose JSON cannot be decoded (naming the input and result), or
// one that cannot be read back from disk.
func newIndex(ctx context.Context, inputs []sarif.Input, opts *Options, needs needs) (*index, error) {
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
	x := &index{title: o.Title}
	root := ""
	if o.SourceRoot != "" {
		root = strings.TrimSuffix(sarif.NormalizeURI(o.SourceRoot), "/") + "/"
	}
	total := 0
	for _, in := range inputs {
		for _, run := range in.Log.Runs {
			if run != nil && run.Model != nil {
				total += run.Len()
			}
		}
	}
	x.entries = make([]entry, total)
	rules := map[[2]string]int32{} // by tool and rule id
	numbered := map[*Rule]int32{}  // x.rules, by Rule
	pos := 0
	for _, in := range inputs {
		x.inputs = append(x.inputs, in.Name)
		for ri, run := range in.Log.Runs {
			if run == nil || run.Model == nil {
				continue
			}
			rv := run.Resolver()
			rx := &runIndex{input: in.Name, ri: ri, run: run, tool: run.Tool(), category: run.Category(), rv: rv,
				roots: runRoots(run, root, rv), descs: newRuleCache(run, needs&needTaxa != 0), first: pos, n: run.Len()}
			pos += rx.n
			x.runs = append(x.runs, rx)
			entries := x.entries[rx.first : rx.first+rx.n]
			described := make([]*Rule, rx.n) // each finding's rule, as its run describes it
			if err := run.EachResult(ctx, func(_, i int, r sarif.Result) error {
				f, err := rx.finding(i, r, false)
				if err != nil {
					return err
				}
				described[i] = f.Rule
				entries[i] = entry{line: f.Line, endLine: f.EndLine, path: x.names.id(f.Path), ruleID: x.names.id(f.RuleID),
					level: x.names.id(f.Level), baseline: x.names.id(f.Baseline), rule: -1,
					suppressed: f.Suppressed, absent: !f.Current(), notProblem: !f.Problem()}
				return nil
			}); err != nil {
				return nil, err
			}
			// One Rule per tool and id: the first the findings name, in
			// order; a finding before it has none.
			for i := range entries {
				e := &entries[i]
				k := [2]string{rx.tool, x.names.name(e.ruleID)}
				r, ok := rules[k]
				if !ok {
					d := described[i]
					if d == nil {
						continue
					}
					// Ids that resolve to one descriptor (a hierarchical
					// id and its parent's) share its Rule.
					if r, ok = numbered[d]; !ok {
						r = int32(len(x.rules))
						numbered[d] = r
						x.rules = append(x.rules, d)
					}
					rules[k] = r
				}
				e.rule = r
			}
		}
	}
	if needs&needSource != 0 && o.Source != nil {
		var err error
		if x.source, err = readSource(ctx, x, o.Source, o.Context); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// finding decodes result i of the run, r, as a finding, with the Rule of
// its descriptor in the run (not yet the one of the index); whole, or
// only what the index keeps of it (see findingKey).
func (rx *runIndex) finding(i int, r sarif.Result, whole bool) (*Finding, error) {
	res, err := rx.run.DecodeResult(i, r)
	if err != nil {
		return nil, fmt.Errorf("%s: /runs/%d/results/%d: %w", rx.input, rx.ri, i, err)
	}
	var f *Finding
	if whole {
		f = finding(rx.rv, res, rx.roots, rx.descs)
	} else {
		f, _ = findingKey(rx.rv, res, rx.roots, rx.descs)
	}
	f.Input, f.Run, f.Index, f.Tool, f.Category = rx.input, rx.ri, i, rx.tool, rx.category
	return f, nil
}

// runOf returns the run of the finding at position p, 0 <= p <
// len(entries).
func (x *index) runOf(p int) *runIndex {
	k := sort.Search(len(x.runs), func(k int) bool { return x.runs[k].first+x.runs[k].n > p })
	return x.runs[k]
}

// finding reads the finding at position p again, whole: its result from
// its log, its Rule the index's, and its source.
func (x *index) finding(p int) (*Finding, error) {
	rx := x.runOf(p)
	i := p - rx.first
	r, err := rx.run.Result(i)
	if err != nil {
		return nil, err
	}
	f, err := rx.finding(i, r, true)
	if err != nil {
		return nil, err
	}
	f.Rule = nil
	if e := &x.entries[p]; e.rule >= 0 {
		f.Rule = x.rules[e.rule]
	}
	x.source.attach(f)
	return f, nil
}

// walkBatch is how many findings [index.walk] reads ahead.
const walkBatch = 1024

// walk calls fn with the findings at positions order(0), ...,
// order(n-1), in that order. It reads them again from their logs a
// batch at a time, on all cores, so that at most a batch of findings is
// in memory at once. The first error stops the walk and is returned.
func (x *index) walk(ctx context.Context, n int, order func(k int) int, fn func(p int, f *Finding) error) error {
	batch := make([]*Finding, min(n, walkBatch))
	for start := 0; start < n; start += walkBatch {
		m := min(walkBatch, n-start)
		if err := parallel.For(ctx, m, func(_, k int) error {
			f, err := x.finding(order(start + k))
			batch[k] = f
			return err
		}); err != nil {
			return err
		}
		for k := range m {
			if err := fn(order(start+k), batch[k]); err != nil {
				return err
			}
			batch[k] = nil
		}
	}
	return nil
}

// inOrder is the order of the logs.
func inOrder(k int) int { return k }

// errStop ends a walk whose consumer stopped.
var errStop = errors.New("stopped")

// Findings returns the findings of the inputs, in the logs' order, as
// every format reads them: with the index's Rule (one per tool and id,
// shared) and, with [Options].Source, the lines around each. It reads
// the results twice: once to index them (and learn what source lines
// to keep), then again, a batch at a time, as they are yielded; a
// finding stays valid after the loop moves on. A read error is yielded
// once, with a nil finding, and ends the sequence.
func Findings(ctx context.Context, inputs []sarif.Input, opts *Options) iter.Seq2[*Finding, error] {
	return func(yield func(*Finding, error) bool) {
		x, err := newIndex(ctx, inputs, opts, needSource|needTaxa)
		if err != nil {
			yield(nil, err)
			return
		}
		err = x.walk(ctx, len(x.entries), inOrder, func(_ int, f *Finding) error {
			if !yield(f, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			yield(nil, err)
		}
	}
}

// totals counts the findings.
func (x *index) totals() Totals {
	t := Totals{Findings: len(x.entries), ByLevel: sarif.LevelCounts{}, Baseline: map[string]int{}}
	for i := range x.entries {
		e := &x.entries[i]
		if e.baseline != 0 {
			t.Baseline[x.names.name(e.baseline)]++
		}
		switch {
		case e.absent:
		case e.suppressed:
			t.Suppressed++
		default:
			t.Results++
			t.ByLevel[x.names.name(e.level)]++
		}
	}
	return t
}

// countBy counts the findings that count (current, not suppressed) by
// key, most first (then by name).
func (x *index) countBy(key func(rx *runIndex, e *entry) string) []Count {
	m := map[string]*Count{}
	for _, rx := range x.runs {
		for p := rx.first; p < rx.first+rx.n; p++ {
			e := &x.entries[p]
			if !e.counts() {
				continue
			}
			k := key(rx, e)
			c := m[k]
			if c == nil {
				c = &Count{Name: k, Level: map[string]int{}}
				m[k] = c
			}
			c.N++
			c.Level[x.names.name(e.level)]++
		}
	}
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sortCounts(out)
	return out
}
