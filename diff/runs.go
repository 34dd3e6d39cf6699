package diff

import (
	"cmp"
	"slices"

	"github.com/sarifkit/sarifkit/sarif"
)

// runKey identifies the runs that GitHub code scanning tracks alerts
// across, from one analysis to the next: those of one tool (its driver's
// name) and category (see [sarif.Run.Category]).
type runKey struct{ tool, category string }

// runGroup is the runs of base and head that are compared with each
// other (one side's may be missing), and their results.
type runGroup struct {
	pair       *RunPair
	base, head []*Item
	// baseKey and headKey are the keys of the group's first run of each
	// side (see sarif.RunKey).
	baseKey, headKey sarif.RunKey
	// headRun is the group's first head run, where Annotate puts the
	// absent base results; nil when head has none.
	headRun *sarif.Run
	first   int // where its first run is: head's runs, then base's
	// split is set when another group has runs of the same tool and
	// category: the notes then say which runs each group is.
	split bool
}

// pairRuns decides which runs of base are compared with which of head,
// in three steps:
//
//  1. Runs that are one run to GitHub ([sarif.RunKey]: the same tool,
//     version and guid, the same whole automationDetails.id) on both
//     sides are compared with each other.
//  2. The runs left are compared by tool name and category: a tool's run
//     in a new version (another version, semanticVersion, guid) or with
//     a new run id ("cat/2024-01-02" after "cat/2024-01-01") is still
//     the same analysis to GitHub, which tracks alerts across analyses by
//     tool and category. The upload action refuses two runs of one key in
//     one upload, but a comparison of two commits must pair a tool's runs
//     across a version bump, or every result would be new or absent.
//  3. A tool left with runs of one category in base only and of another
//     in head only has them compared, as the same configuration
//     categorised differently.
//
// Step 1 matters only where a log has distinct runs of one tool and
// category (two versions of a tool, two run ids of a category): each is
// compared with its own counterpart, not all with all. Runs left alone
// are in a group of their own side. Groups come in the order of their
// first run's appearance in head, then in base; groupOf gives each run's
// group.
func pairRuns(base, head *sarif.Log) (groups []*runGroup, groupOf map[*sarif.Run]*runGroup) {
	type entry struct {
		run  *sarif.Run
		key  sarif.RunKey
		pos  int
		base bool
	}
	var entries []*entry
	for side, l := range [2]*sarif.Log{head, base} {
		for _, run := range l.Runs {
			if run == nil || run.Model == nil {
				continue
			}
			entries = append(entries, &entry{run: run, key: run.Key(), pos: len(entries), base: side == 1})
		}
	}
	groupOf = map[*sarif.Run]*runGroup{}
	add := func(g *runGroup, e *entry) {
		groupOf[e.run] = g
		g.first = min(g.first, e.pos)
		if e.base {
			if !g.pair.InBase {
				g.pair.InBase, g.pair.BaseCategory, g.baseKey = true, e.key.Category(), e.key
			}
		} else if !g.pair.InHead {
			g.pair.InHead, g.pair.HeadCategory, g.headKey, g.headRun = true, e.key.Category(), e.key, e.run
		}
	}
	newGroup := func(tool string) *runGroup {
		g := &runGroup{pair: &RunPair{Tool: tool}, first: len(entries)}
		groups = append(groups, g)
		return g
	}
	// 1. One key on both sides.
	sides := map[sarif.RunKey][2]bool{} // in head, in base
	for _, e := range entries {
		in := sides[e.key]
		if e.base {
			in[1] = true
		} else {
			in[0] = true
		}
		sides[e.key] = in
	}
	exact := map[sarif.RunKey]*runGroup{}
	for _, e := range entries {
		if sides[e.key] != [2]bool{true, true} {
			continue
		}
		g := exact[e.key]
		if g == nil {
			g = newGroup(e.key.Tool())
			exact[e.key] = g
		}
		add(g, e)
	}
	// 2. The rest by tool and category.
	byCategory := map[runKey]*runGroup{}
	for _, e := range entries {
		if groupOf[e.run] != nil {
			continue
		}
		k := runKey{e.key.Tool(), e.key.Category()}
		g := byCategory[k]
		if g == nil {
			g = newGroup(k.tool)
			byCategory[k] = g
		}
		add(g, e)
	}
	// 3. A tool with one category only in base and another only in head.
	onlyBase, onlyHead := map[string][]*runGroup{}, map[string][]*runGroup{}
	for _, g := range groups {
		switch {
		case !g.pair.InHead:
			onlyBase[g.pair.Tool] = append(onlyBase[g.pair.Tool], g)
		case !g.pair.InBase:
			onlyHead[g.pair.Tool] = append(onlyHead[g.pair.Tool], g)
		}
	}
	// Merged all at once: one pass over the runs and groups, however
	// many tools are merged.
	into := map[*runGroup]*runGroup{} // base-only group -> head-only group it joins
	for tool, bs := range onlyBase {
		hs := onlyHead[tool]
		if len(bs) != 1 || len(hs) != 1 {
			continue
		}
		b, h := bs[0], hs[0]
		h.pair.BaseCategory, h.pair.InBase, h.baseKey = b.pair.BaseCategory, true, b.baseKey
		h.first = min(h.first, b.first)
		into[b] = h
	}
	if len(into) > 0 {
		for run, g := range groupOf {
			if h := into[g]; h != nil {
				groupOf[run] = h
			}
		}
		groups = slices.DeleteFunc(groups, func(g *runGroup) bool { return into[g] != nil })
	}
	slices.SortStableFunc(groups, func(a, b *runGroup) int { return cmp.Compare(a.first, b.first) })
	// A tool and category in more than one group: the notes say which
	// runs each is.
	covers := func(g *runGroup) []runKey {
		var ks []runKey
		if g.pair.InBase {
			ks = append(ks, runKey{g.pair.Tool, g.pair.BaseCategory})
		}
		if g.pair.InHead && !(g.pair.InBase && g.pair.HeadCategory == g.pair.BaseCategory) {
			ks = append(ks, runKey{g.pair.Tool, g.pair.HeadCategory})
		}
		return ks
	}
	seen := map[runKey]int{}
	for _, g := range groups {
		for _, k := range covers(g) {
			seen[k]++
		}
	}
	for _, g := range groups {
		for _, k := range covers(g) {
			g.split = g.split || seen[k] > 1
		}
	}
	return groups, groupOf
}
