package diff

import (
	"fmt"
	"net/url"
	"reflect"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// Annotate turns head into the comparison's SARIF report, the shape the
// SARIF Multitool's match-results-forward writes: every compared head
// result gets its baselineState ("new", "unchanged" or "updated"), and
// every absent base result is copied into the head run it was compared
// with, with baselineState "absent". Base results that were not compared
// (their tool and category did not run on head) are copied too, into a
// copy of their base run, without a baselineState: the report, taken as
// the next comparison's base, still holds them. Indices of the copied
// results that point into base's run arrays are rewritten to fit the head
// run: rules are looked up by id and added when missing, artifact indices
// are replaced by the artifact's location, thread flow location indices
// are dropped. Head results left out of the comparison (already absent)
// keep their baselineState. head is modified in place; d must come from
// Compare(base, head).
func Annotate(d *Diff, base, head *sarif.Log) error {
	runFor := map[runKey]*gosarif.Run{}
	for _, run := range head.Report.Runs {
		if run == nil {
			continue
		}
		k := runKey{sarif.ToolName(run), sarif.Category(run)}
		if runFor[k] == nil {
			runFor[k] = run
		}
	}
	// Base results go into the head run they were compared with.
	headKey := map[runKey]runKey{}
	for _, p := range d.Runs {
		if p.InBase && p.InHead {
			headKey[runKey{p.Tool, p.BaseCategory}] = runKey{p.Tool, p.HeadCategory}
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
		k := runKey{b.Tool, b.Category}
		if hk, ok := headKey[k]; ok {
			k = hk
		}
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
			return fmt.Errorf("copying base result %s: %w", b.Pointer(), err)
		}
		if m.State == Absent {
			absent := string(Absent)
			r.BaselineState = &absent
		}
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
			// The artifact's location, as base wrote it: its uriBaseId
			// is carried over below like the result's own.
			if al.URI == nil && int(*al.Index) < len(from.Artifacts) {
				if a := from.Artifacts[*al.Index]; a != nil && a.Location != nil && a.Location.URI != nil {
					uri := *a.Location.URI
					al.URI, al.URIBaseId = &uri, nil
					if a.Location.URIBaseId != nil {
						id := *a.Location.URIBaseId
						al.URIBaseId = &id
					}
				}
			}
			al.Index = nil
		}
		if al.URIBaseId == nil || al.URI == nil {
			return
		}
		id := *al.URIBaseId
		fromBase, inFrom := from.OriginalUriBaseIDs[id]
		toBase, inTo := to.OriginalUriBaseIDs[id]
		switch {
		case !inFrom:
			// base does not say where the id points: keep it, head's
			// reader knows as much as base's did.
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
			// head defines the id otherwise: write the URI out whole when
			// base resolves it; else keep it as it is.
			if uri := sarif.ArtifactURI(from, al); isAbsoluteURI(uri) {
				al.URI, al.URIBaseId = &uri, nil
			}
		}
	})
	return err
}

// isAbsoluteURI tells whether uri has a scheme.
func isAbsoluteURI(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && u.IsAbs()
}

func sameBase(a, b *gosarif.ArtifactLocation) bool {
	return a != nil && b != nil && reflect.DeepEqual(a.URI, b.URI) && reflect.DeepEqual(a.URIBaseId, b.URIBaseId)
}
