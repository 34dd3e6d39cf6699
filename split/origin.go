package split

import (
	"fmt"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
)

// segment is a share of a combined run's results that come from one run
// of one input: the results start to start+n of the combined run are
// those of /runs/run/results of the input named input, in order.
type segment struct {
	input    string
	run      int
	start, n int
}

// inputRun is a run of an input, noted before the inputs are combined.
type inputRun struct {
	run   *sarif.Run
	input string
	index int
	n     int
}

// noteInputs notes the runs of the inputs, before they are combined.
func noteInputs(inputs []sarif.Input) []inputRun {
	var out []inputRun
	for _, in := range inputs {
		if in.Log == nil {
			continue
		}
		for i, r := range in.Log.Runs {
			if r != nil && r.Model != nil {
				out = append(out, inputRun{run: r, input: in.Name, index: i, n: r.Len()})
			}
		}
	}
	return out
}

// origins derives where each combined run's results come from: merging
// keeps the first run of each key as the combined run and appends the
// results of the others of its key, in input order. A combined run whose
// origin cannot be derived gets none.
func origins(noted []inputRun, combined []*sarif.Run) [][]segment {
	out := make([][]segment, len(combined))
	byRun := map[*sarif.Run]int{}
	byKey := map[sarif.RunKey]int{}
	for j, r := range combined {
		if r == nil || r.Model == nil {
			continue
		}
		byRun[r] = j
		byKey[r.Key()] = j
	}
	next := make([]int, len(combined))
	for _, ir := range noted {
		j, ok := byRun[ir.run]
		if !ok {
			if ir.run.Model == nil {
				continue
			}
			if j, ok = byKey[ir.run.Key()]; !ok {
				continue
			}
		}
		out[j] = append(out[j], segment{input: ir.input, run: ir.index, start: next[j], n: ir.n})
		next[j] += ir.n
	}
	for j, r := range combined {
		if r != nil && r.Model != nil && next[j] != r.Len() {
			out[j] = nil
		}
	}
	return out
}

// where returns the input and the JSON pointer of result i of the
// combined run (i < 0: the run), "" when unknown.
func (rp *runPlan) where(i int) (input, pointer string) {
	if len(rp.origin) == 0 {
		return "", ""
	}
	if i < 0 {
		var names []string
		for _, s := range rp.origin {
			names = append(names, fmt.Sprintf("%s: /runs/%d", s.input, s.run))
		}
		first := rp.origin[0]
		if len(names) > 1 {
			return first.input, fmt.Sprintf("/runs/%d (and %s)", first.run, strings.Join(names[1:], ", "))
		}
		return first.input, fmt.Sprintf("/runs/%d", first.run)
	}
	for _, s := range rp.origin {
		if i >= s.start && i < s.start+s.n {
			return s.input, fmt.Sprintf("/runs/%d/results/%d", s.run, i-s.start)
		}
	}
	return "", ""
}

// resultError makes a *ResultError of result i of the run (-1: the run).
func (rp *runPlan) resultError(i int, rule, reason string) *ResultError {
	in, ptr := rp.where(i)
	return &ResultError{Tool: rp.tool, Category: rp.cat, Index: i, Rule: rule, Reason: reason, Input: in, Pointer: ptr}
}

// relocate gives the trims of the run the input they are in and their
// JSON pointer there, when the run's origin is known (and, for a rule,
// when the run comes from one input's run).
func (p *planner) relocate(rp *runPlan, trims []Trim) {
	if rp == nil || len(rp.origin) == 0 {
		return
	}
	for i := range trims {
		t := &trims[i]
		_, rest, ok := index(t.Pointer, "/runs/")
		if !ok {
			continue
		}
		if t.Result < 0 {
			if len(rp.origin) == 1 {
				s := rp.origin[0]
				t.Input, t.Pointer = s.input, fmt.Sprintf("/runs/%d", s.run)+rest
			}
			continue
		}
		_, tail, ok := index(rest, "/results/")
		if !ok {
			continue
		}
		if in, ptr := rp.where(t.Result); in != "" {
			t.Input, t.Pointer = in, ptr+tail
		}
	}
}
