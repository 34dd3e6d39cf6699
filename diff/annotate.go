package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

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
// the next comparison's base, still holds them. References of the copied
// results into base's run-level arrays are rewritten to fit the head run:
// rules are looked up by id and added when missing, artifact indices are
// replaced by the artifact's location, thread flow location indices are
// dropped. Head results left out of the comparison (already absent) keep
// their baselineState. head is modified in place; d must come from
// [Compare] of some base and head. Head results on disk get their state
// as they are read (see [sarif.Run.EditResults]): base's log must stay
// open, and d unchanged, until head is written.
func Annotate(ctx context.Context, d *Diff, head *sarif.Log) error {
	// Head results get their state, on all cores for results in memory,
	// as they are written for results on disk.
	byRun := map[*sarif.Run][]*Match{}
	for i := range d.Matches {
		m := &d.Matches[i]
		if m.Head == nil {
			continue
		}
		of := byRun[m.Head.rr.run]
		if of == nil {
			of = make([]*Match, m.Head.rr.run.Len())
			byRun[m.Head.rr.run] = of
		}
		of[m.Head.Index] = m
	}
	for _, run := range head.Runs {
		of := byRun[run]
		if of == nil {
			continue
		}
		err := run.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
			m := of[i]
			if m == nil {
				return r, nil
			}
			head := r
			r, err := r.Set("baselineState", string(m.State))
			if err == nil && m.Head.Inherited {
				var base sarif.Result
				if base, err = m.Base.Result(); err == nil {
					r, err = r.Set("suppressions", inherited(head, base))
				}
			}
			if err != nil {
				return nil, fmt.Errorf("head result %s: %w", m.Head.Pointer(), err)
			}
			return r, nil
		})
		if err != nil {
			return err
		}
	}
	// Base results go into the head run they were compared with (the
	// first of their group's), the others into a copy of their group's
	// first base run.
	copies := map[*runGroup]*sarif.Run{}
	own := map[*sarif.Run]*runGroup{}
	moves := map[[2]*sarif.Run]*rehomer{}
	for i := range d.Matches {
		m := &d.Matches[i]
		if m.Head != nil {
			continue
		}
		b := m.Base
		g := d.groupOf[b.rr.run]
		if g == nil { // d is not from Compare: each run a group of its own
			if g = own[b.rr.run]; g == nil {
				g = &runGroup{}
				own[b.rr.run] = g
			}
		}
		run := g.headRun
		if run == nil {
			if run = copies[g]; run == nil {
				var err error
				if run, err = sarif.CopyRun(b.rr.run); err != nil {
					return err
				}
				head.Runs = append(head.Runs, run)
				copies[g] = run
			}
		}
		rh := moves[[2]*sarif.Run{b.rr.run, run}]
		if rh == nil {
			rh = newRehomer(b.rr.run, run)
			moves[[2]*sarif.Run{b.rr.run, run}] = rh
		}
		r, err := b.Result()
		if err == nil {
			r, err = rh.rehome(r)
		}
		if err == nil && m.State == StateAbsent {
			r, err = r.Set("baselineState", string(StateAbsent))
		}
		if err != nil {
			return fmt.Errorf("copying base result %s: %w", b.Pointer(), err)
		}
		run.AppendResults(r)
	}
	return nil
}

// rehomer moves results from one run into another: it rewrites their
// references into the run-level arrays of from so that they hold in to.
type rehomer struct {
	from, to  *sarif.Run
	fromRules *sarif.Rules
	toRules   map[string]int // rule id -> index in to's driver
	arts      *sarif.Artifacts
}

func newRehomer(from, to *sarif.Run) *rehomer {
	rh := &rehomer{from: from, to: to, fromRules: from.Rules(), arts: from.Artifacts(), toRules: map[string]int{}}
	if to.Model.Tool.Driver == nil {
		to.Model.Tool.Driver = &gosarif.ToolComponent{}
	}
	for i, r := range to.Model.Tool.Driver.Rules {
		if _, dup := rh.toRules[r.ID]; r != nil && !dup {
			rh.toRules[r.ID] = i
		}
	}
	return rh
}

// rehome returns r, a result of from, rewritten for to.
func (rh *rehomer) rehome(r sarif.Result) (sarif.Result, error) {
	from, to := rh.from.Model, rh.to.Model
	ruleIndex := -1
	comp, index, found := rh.fromRules.Find(r.Rule())
	var err error
	if found {
		id := rh.fromRules.ID(comp, index)
		j, ok := rh.toRules[id]
		if !ok && comp == 0 {
			// A rule of base's driver that head's lacks comes along.
			var cp *gosarif.ReportingDescriptor
			if cp, err = sarif.Copy(rh.to, rh.from, rh.fromRules.Descriptor(comp, index)); err != nil {
				return nil, err
			}
			j, ok = len(to.Tool.Driver.Rules), true
			to.Tool.Driver.Rules = append(to.Tool.Driver.Rules, cp)
			rh.toRules[id] = j
		}
		if ok {
			ruleIndex = j
		}
		if r.Member("ruleId") == nil {
			if r, err = r.Set("ruleId", id); err != nil {
				return nil, err
			}
		}
	}
	out, rerr := r.Rewrite(func(o sarif.RawObject) {
		switch o.Kind() {
		case "result":
			if found {
				o.Delete("rule")
			} else if rule := o.Object("rule"); rule.Exists() {
				rule.Delete("index")
				rule.Delete("toolComponent")
			}
			if ruleIndex >= 0 {
				o.Set("ruleIndex", ruleIndex)
			} else {
				o.Delete("ruleIndex")
			}
		case "threadFlowLocation":
			o.Delete("index")
		case "artifactLocation":
			err = rh.artifactLocation(o, from, to)
		}
	})
	if rerr != nil {
		return nil, rerr
	}
	return out, err
}

// artifactLocation rewrites an artifactLocation of a result moving from
// the run from to the run to: an index is replaced by the artifact's
// location, as base wrote it; a uriBaseId that to lacks is added to it,
// one that to defines otherwise is resolved away when from resolves it.
func (rh *rehomer) artifactLocation(o sarif.RawObject, from, to *gosarif.Run) error {
	uri, hasURI := o.String("uri")
	base, hasBase := o.String("uriBaseId")
	if index, ok := o.Int("index"); ok {
		if !hasURI && index >= 0 && index < int64(len(from.Artifacts)) {
			if a := from.Artifacts[index]; a != nil && a.Location != nil && a.Location.URI != nil {
				uri, hasURI = *a.Location.URI, true
				o.Set("uri", uri)
				base, hasBase = "", a.Location.URIBaseId != nil
				if hasBase {
					base = *a.Location.URIBaseId
					o.Set("uriBaseId", base)
				} else {
					o.Delete("uriBaseId")
				}
			}
		}
		o.Delete("index")
	}
	if !hasBase || !hasURI {
		return nil
	}
	fromBase, inFrom := from.OriginalUriBaseIDs[base]
	toBase, inTo := to.OriginalUriBaseIDs[base]
	switch {
	case !inFrom:
		// base does not say where the id points: keep it, head's reader
		// knows as much as base's did.
	case !inTo:
		cp, err := sarif.Copy(rh.to, rh.from, fromBase)
		if err != nil {
			return err
		}
		if to.OriginalUriBaseIDs == nil {
			to.OriginalUriBaseIDs = map[string]*gosarif.ArtifactLocation{}
		}
		to.OriginalUriBaseIDs[base] = cp
	case !sameBase(fromBase, toBase):
		// head defines the id otherwise: write the URI out whole when
		// base resolves it; else keep it as it is.
		if full := rh.arts.Resolve(uri, base); sarif.Scheme(full) != "" {
			o.Set("uri", full)
			o.Delete("uriBaseId")
		}
	}
	return nil
}

func sameBase(a, b *gosarif.ArtifactLocation) bool {
	return a != nil && b != nil && deref(a.URI) == deref(b.URI) && deref(a.URIBaseId) == deref(b.URIBaseId)
}

// inherited is the head result's suppressions (none of them accepted,
// or it would not inherit) followed by the base result's.
func inherited(head, base sarif.Result) []any {
	list := func(r sarif.Result) []any {
		var l []any
		if raw := r.Member("suppressions"); raw != nil {
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber() // numbers as written
			d.Decode(&l)
		}
		return l
	}
	return append(list(head), list(base)...)
}
