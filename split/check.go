package split

import (
	"context"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/schema"
)

// check validates every file of the plan as GitHub's upload would have
// it ([schema.Options].GitHub), before any is written: an error there is
// a *ResultError naming the result (or run) of the inputs it comes from.
func (p *planner) check(ctx context.Context, files []*plannedFile) error {
	v, err := schema.New(&schema.Options{GitHub: true})
	if err != nil {
		return err
	}
	saved := p.log.Runs
	defer func() { p.log.Runs = saved }()
	for _, f := range files {
		p.log.Runs = f.runs
		findings, err := v.ValidateLog(ctx, p.log, f.name)
		if err != nil {
			return err
		}
		for _, fd := range findings {
			if fd.Severity == schema.SeverityError {
				return p.rejected(f, fd)
			}
		}
	}
	return nil
}

// rejected makes the error of a finding that makes GitHub reject a file.
func (p *planner) rejected(f *plannedFile, fd schema.Finding) error {
	reason := "GitHub rejects it: " + fd.ID + ": " + fd.Message
	r, rest, ok := index(fd.Pointer, "/runs/")
	if !ok || r >= len(f.runs) {
		return &ResultError{Index: -1, Reason: reason, Input: f.name + " (a file of the split)", Pointer: fd.Pointer}
	}
	var rp *runPlan
	var pt *part
	k := 0
	for _, u := range f.units {
		for i, x := range u.parts {
			if k == r {
				rp, pt = u.owner[i], x
			}
			k++
		}
	}
	if rp == nil {
		return &ResultError{Index: -1, Reason: reason, Input: f.name + " (a file of the split)", Pointer: fd.Pointer}
	}
	j, tail, ok := index(rest, "/results/")
	if !ok || j >= pt.run.Len() {
		e := rp.resultError(-1, "", reason)
		if e.Input != "" {
			e.Pointer += rest
		}
		return e
	}
	i := rp.indexOf(pt, j)
	rule := ""
	if res, err := pt.run.Result(j); err == nil {
		rule = pt.run.Rules().RuleID(res.Rule())
	}
	e := rp.resultError(i, rule, reason)
	if e.Input != "" {
		e.Pointer += tail
	}
	return e
}

// index reads prefix and a decimal index at the start of a JSON pointer,
// returning the index and what follows.
func index(ptr, prefix string) (int, string, bool) {
	s, ok := strings.CutPrefix(ptr, prefix)
	if !ok {
		return 0, ptr, false
	}
	end := strings.IndexByte(s, '/')
	if end < 0 {
		end = len(s)
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil || n < 0 {
		return 0, ptr, false
	}
	return n, s[end:], true
}
