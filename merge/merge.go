// Package merge combines SARIF logs into one that GitHub code scanning
// accepts: runs of the same tool and category become one run, every index
// that points into a run-level array is remapped, duplicate rules and
// results are folded, and nothing else is lost.
//
// Merge is a pure function over sarif values: it does no I/O. It moves
// runs and results out of its inputs (they must not be used afterwards),
// which keeps it fast and frugal on large logs.
package merge

import (
	"fmt"
	"hash/fnv"
	"runtime"
	"strings"
	"sync"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// Input is one log to merge and the name that identifies it in messages.
type Input struct {
	Name string
	Log  *sarif.Log
}

// Options tune Merge. The zero value combines runs and drops duplicate
// results.
type Options struct {
	// Category sets automationDetails.id to Category+"/" on runs that
	// have none (GitHub's category).
	Category string
	// CategoryFromTool uses each run's tool name as its category, on runs
	// that have none (after Category, which wins when both are set).
	CategoryFromTool bool
	// KeepDuplicates keeps identical results instead of folding them.
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
	return fmt.Sprintf("runs of %s (category %q) in %s and %s define originalUriBaseIds %q differently (%q and %q); use --rename-uri-bases to rename the second",
		e.Tool, e.Category, e.First, e.Second, e.Key, e.FirstURI, e.SecondURI)
}

// VersionConflictError reports runs of the same tool and category with
// different semantic versions: they cannot be combined, and GitHub rejects
// them as separate runs.
type VersionConflictError struct {
	Tool, Category     string
	First, Second      string
	Version1, Version2 string
}

func (e *VersionConflictError) Error() string {
	return fmt.Sprintf("runs of %s (category %q) in %s and %s have different versions (%s and %s): GitHub rejects two runs of one tool and category; give them distinct categories",
		e.Tool, e.Category, e.First, e.Second, e.Version1, e.Version2)
}

// Merge combines the inputs into one log. The log-level members
// ($schema, version, properties, inlineExternalProperties) come from the
// first input. Runs with the same tool name and category (and the same
// semantic version where both give one) are combined into the first of
// them, in input order; other runs are kept as they are.
func Merge(inputs []Input, opts *Options) (*sarif.Log, *Stats, error) {
	if opts == nil {
		opts = &Options{}
	}
	st := &Stats{Inputs: len(inputs)}
	runsOf := make([][]*gosarif.Run, len(inputs))
	for i, in := range inputs {
		if in.Log != nil {
			runsOf[i] = in.Log.Report.Runs
		}
	}
	out := sarif.New()
	if len(inputs) > 0 && inputs[0].Log != nil {
		// The first input's top level, with whatever its log recorded
		// beyond the model (adopted below), becomes the output's.
		out.Report = inputs[0].Log.Report
		out.Report.Runs = []*gosarif.Run{}
	}
	targets := map[[2]string]*target{}
	for i, in := range inputs {
		if in.Log == nil {
			continue
		}
		out.Adopt(in.Log)
		for _, run := range runsOf[i] {
			if run == nil {
				continue
			}
			st.RunsIn++
			st.ResultsIn += len(run.Results)
			setCategory(run, opts)
			k := [2]string{sarif.ToolName(run), sarif.Category(run)}
			t := targets[k]
			if t == nil {
				t = &target{run: run, from: in.Name, m: newCombiner(out, run, in.Name, opts, st)}
				if !opts.KeepDuplicates {
					t.seen = map[resultKey]bool{}
					keys := resultKeys(out, run, run.Results)
					kept := run.Results[:0]
					for i, r := range run.Results {
						if r != nil && t.duplicate(keys[i]) {
							st.Duplicates++
							continue
						}
						kept = append(kept, r)
					}
					run.Results = kept
				}
				targets[k] = t
				out.Report.Runs = append(out.Report.Runs, run)
				continue
			}
			if v1, v2 := version(t.run), version(run); v1 != "" && v2 != "" && v1 != v2 {
				return nil, nil, &VersionConflictError{Tool: k[0], Category: k[1], First: t.from, Second: in.Name, Version1: v1, Version2: v2}
			}
			results, err := t.m.combine(run, in.Name)
			if err != nil {
				return nil, nil, err
			}
			var keys []resultKey
			if t.seen != nil {
				keys = resultKeys(out, t.run, results)
			}
			for i, r := range results {
				if t.seen != nil && t.duplicate(keys[i]) {
					st.Duplicates++
					continue
				}
				t.run.Results = append(t.run.Results, r)
			}
		}
	}
	st.RunsOut = len(out.Report.Runs)
	for _, run := range out.Report.Runs {
		st.ResultsOut += len(run.Results)
	}
	return out, st, nil
}

// target is the output run that runs of one tool and category go into.
type target struct {
	run  *gosarif.Run
	from string // the input the run came from
	m    *combiner
	seen map[resultKey]bool // keys of the results kept, when folding duplicates
}

// duplicate tells whether a result with the key was already kept in the
// run, and remembers the key.
func (t *target) duplicate(key resultKey) bool {
	if key == (resultKey{}) {
		return false // could not be encoded: keep it
	}
	if t.seen[key] {
		return true
	}
	t.seen[key] = true
	return false
}

// resultKey is a 128-bit FNV-1a hash of what makes two results identical:
// the encoding of their rule, locations, message and fingerprints.
type resultKey [16]byte

// resultKeys returns the key of each result, computed on all cores.
func resultKeys(out *sarif.Log, run *gosarif.Run, results []*gosarif.Result) []resultKey {
	keys := make([]resultKey, len(results))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(results); i += workers {
				r := results[i]
				if r == nil {
					continue
				}
				key := gosarif.Result{
					RuleID: r.RuleID, Kind: r.Kind, Level: r.Level,
					Message: r.Message, Locations: r.Locations,
					Fingerprints: r.Fingerprints, PartialFingerprints: r.PartialFingerprints,
				}
				id := sarif.RuleID(run, r)
				key.RuleID = &id
				if b, err := out.Encode(&key); err == nil {
					h := fnv.New128a()
					h.Write(b)
					h.Sum(keys[i][:0])
				}
			}
		})
	}
	wg.Wait()
	return keys
}

// setCategory gives a run without automationDetails.id the category the
// options ask for.
func setCategory(run *gosarif.Run, opts *Options) {
	if run.AutomationDetails != nil && run.AutomationDetails.ID != nil {
		return
	}
	cat := opts.Category
	if cat == "" && opts.CategoryFromTool {
		cat = sarif.ToolName(run)
	}
	if cat == "" {
		return
	}
	id := strings.TrimSuffix(cat, "/") + "/"
	if run.AutomationDetails == nil {
		run.AutomationDetails = &gosarif.RunAutomationDetails{}
	}
	run.AutomationDetails.ID = &id
}

func version(run *gosarif.Run) string {
	if run.Tool.Driver == nil || run.Tool.Driver.SemanticVersion == nil {
		return ""
	}
	return *run.Tool.Driver.SemanticVersion
}
