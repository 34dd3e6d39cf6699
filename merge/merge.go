// Package merge combines SARIF logs into one that GitHub code scanning
// accepts ([Merge]): runs that are one run to GitHub (one
// [sarif.RunKey]: the tool's name, fullName, version, semanticVersion and
// guid, and the whole automationDetails.id) become one run, other runs
// stay apart, every index that points into a run-level array (rules of
// the driver and of each extension, taxa, artifacts, logical and thread
// flow locations) is remapped, rules and results that are the same are
// folded, and nothing else is lost. [Options] set the category of runs
// that have none and say what to fold; [Stats] count what was done.
// [RebaseURIs] makes absolute file URIs relative to the checkout, as
// GitHub needs them.
//
// Merge takes the logs as [sarif.Input] values (a log and the name its
// messages give it), moves runs and results out of them (they must not be
// used afterwards) and rewrites the text of a result ([sarif.Result])
// only where one of its indices moves, which keeps it fast and frugal on
// large logs. It works on results through [sarif.Run.EachResult],
// [sarif.Run.EditResults] and [sarif.Run.TakeResults] only, so that
// inputs read with their results on disk
// ([sarif.ReadOptions].ResultsOnDisk) keep them there: Merge reads them
// once to fold duplicates, holding a key per result, and the merged log
// refers to them, remapped as they are written, so that its memory does
// not grow with the results. A program reads the inputs with
// [sarif.ReadFile], merges them, writes the merged log
// ([sarif.Log.WriteFile]) and closes it ([sarif.Log.Close]), which
// releases the inputs' files.
package merge

import (
	"context"
	"fmt"
	"hash/maphash"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/sarif"
)

// Options tune Merge. The zero value combines runs and drops duplicate
// results.
type Options struct {
	// Category sets automationDetails.id to Category+"/" on runs that
	// have no automationDetails at all, as the upload action's category
	// input does (a run with automationDetails but no id keeps it as it
	// is). A run whose id has another category is an error (a
	// *CategoryError), unless ReplaceCategory.
	Category string
	// ReplaceCategory makes Category replace the automationDetails.id of
	// every run.
	ReplaceCategory bool
	// CategoryFromTool uses each run's tool name as its category, on runs
	// that have no automationDetails (after Category, which wins when
	// both are set).
	CategoryFromTool bool
	// KeepDuplicates keeps results that are identical (equal as JSON
	// values once their indices are remapped into the combined run, and
	// naming the same rule) instead of folding them into one.
	KeepDuplicates bool
	// RenameURIBases renames an originalUriBaseIds key that two combined
	// runs define differently ("SRC" becomes "SRC_2" in the second run)
	// instead of failing.
	RenameURIBases bool
}

// Stats counts what Merge did.
type Stats struct {
	Inputs     int `json:"inputs"`
	RunsIn     int `json:"runsIn"`
	RunsOut    int `json:"runsOut"`
	ResultsIn  int `json:"resultsIn"`
	ResultsOut int `json:"resultsOut"`
	Duplicates int `json:"duplicatesDropped"`
	// Warnings are problems Merge worked around: rules with the same id
	// and different content (the first is kept), renamed base ids.
	Warnings []string `json:"warnings,omitempty"`
}

// ConflictError reports an originalUriBaseIds key that two runs to combine
// define differently.
type ConflictError struct {
	Tool, Category string
	Key            string
	First, Second  string // the inputs that define Key
	FirstURI       string
	SecondURI      string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("runs of %s (category %q) in %s and %s define originalUriBaseIds %q differently (%q and %q)",
		e.Tool, e.Category, e.First, e.Second, e.Key, e.FirstURI, e.SecondURI)
}

// Merge combines the inputs into one log. The log-level members
// ($schema, version, properties, inlineExternalProperties) come from the
// first input. Runs that are one run to GitHub (the same [sarif.RunKey],
// once their category is set) are combined into the first of them, in
// input order; runs whose keys differ in anything (another version or
// guid of the tool, another run id of the category) are never combined,
// and are kept as they are.
//
// Merge moves the inputs' runs and results into the output, which is the
// first input's log: the inputs must not be used afterwards, and the
// output takes their files of results on disk ([sarif.Log.TakeFiles]),
// which closing it releases (on error the inputs keep them). Results stay JSON text ([sarif.Result])
// throughout; only those of a run combined into another are rewritten,
// where an index into a run-level array moves.
func Merge(ctx context.Context, inputs []sarif.Input, opts *Options) (*sarif.Log, *Stats, error) {
	if opts == nil {
		opts = &Options{}
	}
	st := &Stats{Inputs: len(inputs)}
	runsOf := make([][]*sarif.Run, len(inputs))
	for i, in := range inputs {
		if in.Log != nil {
			runsOf[i] = in.Log.Runs
		}
	}
	out := sarif.New()
	if len(inputs) > 0 && inputs[0].Log != nil {
		out = inputs[0].Log
	}
	out.Runs = []*sarif.Run{}
	targets := map[sarif.RunKey]*target{}
	var order []*target
	seeds := &keySeeds{maphash.MakeSeed(), maphash.MakeSeed()}
	for i, in := range inputs {
		for _, run := range runsOf[i] {
			if run == nil || run.Model == nil {
				continue
			}
			st.RunsIn++
			st.ResultsIn += run.Len()
			if err := setCategory(run, opts); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", in.Name, err)
			}
			k := run.Key()
			t := targets[k]
			if t == nil {
				t = &target{run: run, from: in.Name, m: newCombiner(run, in.Name, opts, st), seeds: seeds}
				if !opts.KeepDuplicates {
					t.seen = map[resultKey]bool{}
				}
				targets[k] = t
				order = append(order, t)
				out.Runs = append(out.Runs, run)
				if err := t.add(ctx, run, nil, st); err != nil {
					return nil, nil, fmt.Errorf("%s: %w", in.Name, err)
				}
				continue
			}
			remap, err := t.m.combine(run, in.Name)
			if err != nil {
				return nil, nil, err
			}
			if err := t.add(ctx, run, remap, st); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", in.Name, err)
			}
		}
	}
	for _, t := range order {
		st.ResultsOut += t.run.Len()
	}
	st.RunsOut = len(out.Runs)
	for _, in := range inputs {
		out.TakeFiles(in.Log) // results on disk stay where they are
	}
	return out, st, nil
}

// target is the output run that the runs of one key go into.
type target struct {
	run   *sarif.Run
	from  string // the input the run came from
	m     *combiner
	seen  map[resultKey]bool // keys of the results kept, when folding duplicates
	seeds *keySeeds
}

// add moves the results of src (the target's own run, the first time)
// to the target, remapped when remap is not nil, leaving out those
// identical to one it has when folding duplicates. The work on each
// result is spread over all cores. Results on disk (see
// [sarif.ReadOptions].ResultsOnDisk) stay there, remapped as they are
// read, so that only their keys are held.
func (t *target) add(ctx context.Context, src *sarif.Run, remap func(sarif.Result) (sarif.Result, error), st *Stats) error {
	if remap != nil {
		if err := src.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
			r, err := remap(r)
			if err != nil {
				return nil, fmt.Errorf("result %d: %w", i, err)
			}
			return r, nil
		}); err != nil {
			return err
		}
	}
	var keep []bool
	if t.seen != nil {
		keys := make([]resultKey, src.Len())
		scratch := make([]keyScratch, parallel.Workers())
		rules := t.run.Rules()
		if err := src.EachResult(ctx, func(w, i int, r sarif.Result) error {
			keys[i] = t.seeds.keyOf(rules, r, &scratch[w])
			return nil
		}); err != nil {
			return err
		}
		keep = make([]bool, len(keys))
		for i, k := range keys {
			if t.seen[k] {
				st.Duplicates++
				continue
			}
			t.seen[k] = true
			keep[i] = true
		}
	}
	return t.run.TakeResults(ctx, src, keep)
}

// resultKey is a 128-bit hash (two seeded maphash sums) of a result's
// canonical JSON (see jsonscan.Canonicalizer), after its indices were
// remapped into the target run: two results have the same key when they
// are equal as JSON values, whatever the order of their members. Results
// that differ in anything (a property bag, a suppression, a code flow)
// are different results. One difference does not count: how the result
// names its rule (ruleId, ruleIndex, or both), which only says the same
// thing twice; the key holds the rule id it resolves to instead.
type resultKey [2]uint64

// keySeeds seed the two halves of result keys; one pair serves a Merge.
type keySeeds [2]maphash.Seed

// keyScratch is the memory one worker reuses to compute keys.
type keyScratch struct {
	c   jsonscan.Canonicalizer
	buf []byte
}

// keyOf returns the key of a result of the run whose rules are rules. A
// result that is not JSON text (it cannot be: the reader checked it) gets
// the hash of its text.
func (seeds *keySeeds) keyOf(rules *sarif.Rules, r sarif.Result, ks *keyScratch) resultKey {
	buf := append(ks.buf[:0], rules.RuleID(r.Rule())...)
	buf = append(buf, 0)
	buf, err := ks.c.AppendOmitting(buf, r, "ruleId", "ruleIndex")
	if err != nil {
		buf = append(buf[:0], r...)
	}
	ks.buf = buf
	return resultKey{maphash.Bytes(seeds[0], buf), maphash.Bytes(seeds[1], buf)}
}

// CategoryError reports a run that has a category other than the one
// Options.Category asks for.
type CategoryError struct {
	Tool, Category, Want string
}

func (e *CategoryError) Error() string {
	return fmt.Sprintf("the run of %s has category %q already, not %q", e.Tool, e.Category, e.Want)
}

// setCategory gives a run the category the options ask for: to a run
// without automationDetails, or with ReplaceCategory to every run. A run
// with automationDetails but no id keeps it as it is, as it does in the
// upload action.
func setCategory(r *sarif.Run, opts *Options) error {
	run := r.Model
	hasID := run.AutomationDetails != nil && run.AutomationDetails.ID != nil
	if hasID && opts.Category != "" && !opts.ReplaceCategory && r.Category() != strings.TrimSuffix(opts.Category, "/") {
		return &CategoryError{Tool: r.Tool(), Category: r.Category(), Want: opts.Category}
	}
	if run.AutomationDetails != nil && !(opts.Category != "" && opts.ReplaceCategory) {
		return nil
	}
	cat := opts.Category
	if cat == "" && opts.CategoryFromTool {
		cat = r.Tool()
	}
	if cat == "" {
		return nil
	}
	id := strings.TrimSuffix(cat, "/") + "/"
	if run.AutomationDetails == nil {
		run.AutomationDetails = &gosarif.RunAutomationDetails{}
	}
	run.AutomationDetails.ID = &id
	return nil
}
