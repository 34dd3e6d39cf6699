package diff

import (
	"fmt"
	"reflect"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// Annotate turns head into the comparison's SARIF report, the shape the
// SARIF Multitool's match-results-forward writes: every head result gets
// its baselineState ("new", "unchanged" or "updated"), and every absent
// base result is copied into the head run of the same tool and category
// (a copy of its base run is added when head has none) with baselineState
// "absent". Indices of the copied results that point into base's run
// arrays are rewritten to fit the head run: rules are looked up by id and
// added when missing, artifact indices are replaced by the artifact's URI,
// thread flow location indices are dropped. head is modified in place; d
// must come from Compare(base, head).
func Annotate(d *Diff, base, head *sarif.Log) error {
	runFor := map[[2]string]*gosarif.Run{}
	for _, run := range head.Report.Runs {
		if run == nil {
			continue
		}
		k := [2]string{sarif.ToolName(run), sarif.Category(run)}
		if runFor[k] == nil {
			runFor[k] = run
		}
	}
	for i := range d.Matches {
		m := &d.Matches[i]
		if m.Head != nil {
			state := string(m.State)
			m.Head.Result.BaselineState = &state
			continue
		}
		b := m.Base
		k := [2]string{b.Tool, b.Category}
		run := runFor[k]
		if run == nil {
			var err error
			if run, err = emptyCopy(head, base, b.Run); err != nil {
				return err
			}
			head.Report.Runs = append(head.Report.Runs, run)
			runFor[k] = run
		}
		r, err := sarif.Copy(head, base, b.Result)
		if err != nil {
			return err
		}
		if err := rehome(r, b.Run, run, head, base); err != nil {
			return fmt.Errorf("diff: copying absent result %s: %w", b.Pointer(), err)
		}
		absent := string(Absent)
		r.BaselineState = &absent
		run.Results = append(run.Results, r)
	}
	return nil
}

// emptyCopy copies a base run into head without its results.
func emptyCopy(head, base *sarif.Log, run *gosarif.Run) (*gosarif.Run, error) {
	results := run.Results
	run.Results = []*gosarif.Result{}
	defer func() { run.Results = results }()
	return sarif.Copy(head, base, run)
}

// rehome rewrites the references of r, a result copied from the run from,
// so that they hold in the run to.
func rehome(r *gosarif.Result, from, to *gosarif.Run, head, base *sarif.Log) error {
	if rule, comp := sarif.FindRule(from, r); rule != nil {
		id := rule.ID
		if r.RuleID == nil {
			r.RuleID = &id
		}
		r.Rule = nil
		idx := -1
		if to.Tool.Driver != nil {
			for j, hr := range to.Tool.Driver.Rules {
				if hr != nil && hr.ID == id {
					idx = j
					break
				}
			}
			if idx < 0 && comp == from.Tool.Driver {
				cp, err := sarif.Copy(head, base, rule)
				if err != nil {
					return err
				}
				to.Tool.Driver.Rules = append(to.Tool.Driver.Rules, cp)
				idx = len(to.Tool.Driver.Rules) - 1
			}
		}
		if idx >= 0 {
			u := uint(idx)
			r.RuleIndex = &u
		} else {
			r.RuleIndex = nil
		}
	} else {
		r.RuleIndex = nil
		if r.Rule != nil {
			r.Rule.Index, r.Rule.ToolComponent = nil, nil
		}
	}
	var err error
	sarif.Walk(r, func(v any) {
		if tfl, ok := v.(*gosarif.ThreadFlowLocation); ok {
			tfl.Index = nil
			return
		}
		al, ok := v.(*gosarif.ArtifactLocation)
		if !ok {
			return
		}
		if al.Index != nil {
			if al.URI == nil {
				if uri := sarif.ArtifactURI(from, &gosarif.ArtifactLocation{Index: al.Index}); uri != "" {
					al.URI = &uri
					al.URIBaseId = nil // ArtifactURI resolved it
				}
			}
			al.Index = nil
		}
		if al.URIBaseId != nil && al.URI != nil {
			id := *al.URIBaseId
			fromBase, inFrom := from.OriginalUriBaseIDs[id]
			toBase, inTo := to.OriginalUriBaseIDs[id]
			switch {
			case !inFrom:
			case !inTo:
				if to.OriginalUriBaseIDs == nil {
					to.OriginalUriBaseIDs = map[string]*gosarif.ArtifactLocation{}
				}
				cp, cerr := sarif.Copy(head, base, fromBase)
				if cerr != nil {
					err = cerr
					return
				}
				to.OriginalUriBaseIDs[id] = cp
			case !sameBase(fromBase, toBase):
				uri := sarif.ArtifactURI(from, al)
				al.URI, al.URIBaseId = &uri, nil
			}
		}
	})
	return err
}

func sameBase(a, b *gosarif.ArtifactLocation) bool {
	return a != nil && b != nil && reflect.DeepEqual(a.URI, b.URI) && reflect.DeepEqual(a.URIBaseId, b.URIBaseId)
}
