package diff

import (
	"fmt"

	"github.com/sarifkit/sarifkit/sarif"
)

// A NoteKind says what a [Note] is about.
type NoteKind string

const (
	// NoteBaseRunOnly: base has runs of a tool and category that head
	// has no run of; their Count results were not compared.
	NoteBaseRunOnly NoteKind = "base-run-only"
	// NoteHeadRunOnly: head has runs of a tool and category that base
	// has no run of; their Count results are all new.
	NoteHeadRunOnly NoteKind = "head-run-only"
	// NoteRunsPaired: runs of a tool were compared across categories
	// (Run.BaseCategory, Run.HeadCategory), the tool having no other run.
	NoteRunsPaired NoteKind = "runs-paired"
	// NoteRoot: absolute URIs of one side were compared relative to
	// Root, as From says, the two sides' roots being different.
	NoteRoot NoteKind = "root"
	// NoteInferredRoots: absolute URIs were compared relative to
	// Roots[0] in base and Roots[1] in head, inferred from the Count
	// files whose paths end alike under them.
	NoteInferredRoots NoteKind = "inferred-roots"
	// NoteInherited: Count head results are suppressed as the base result
	// they match is (see [Options.OwnSuppressionsOnly]).
	NoteInherited NoteKind = "inherited-suppressions"
	// NoteStaleBase and NoteStaleHead: Count results of base, or of head,
	// already had baselineState "absent" and were left out.
	NoteStaleBase NoteKind = "stale-base"
	NoteStaleHead NoteKind = "stale-head"
)

// A Note is something unusual about a comparison, worth a warning: a run
// pairing that is not one to one by tool and category, the checkout
// roots that made the two sides' URIs comparable, results left out or
// suppressed for another's sake. Its fields depend on its Kind; String
// says it in a sentence.
type Note struct {
	Kind NoteKind
	// Run is the pairing of runs a run note (NoteBaseRunOnly,
	// NoteHeadRunOnly, NoteRunsPaired) is about.
	Run RunPair
	// Split is set on a run note when other runs of the tool and
	// category are distinct runs to GitHub (another version, another run
	// id), compared with their own counterparts: BaseRun and HeadRun,
	// the keys of the runs left, say which runs the note is about.
	Split            bool
	BaseRun, HeadRun sarif.RunKey
	// Side, Root and From are a NoteRoot's: the side, the root (without
	// a final "/") and what said it (the checkout given, a run's
	// originalUriBaseIds or working directory).
	Side Side
	Root string
	From string
	// Roots are a NoteInferredRoots' base and head roots.
	Roots [2]string
	// Count is the number of results (files, for NoteInferredRoots) the
	// note is about; for run notes, Run's BaseResults or HeadResults.
	Count int
}

// String says the note in one line.
func (n Note) String() string {
	p := n.Run
	switch n.Kind {
	case NoteBaseRunOnly:
		if n.Split {
			return fmt.Sprintf("base has %s; head's runs of that tool and category were compared with base's runs of the same version and id: its %d result(s) were not compared", describeKey(n.BaseRun), n.Count)
		}
		return fmt.Sprintf("base has %s, head has no run of that tool and category: its %d result(s) were not compared", describeRun(p.Tool, p.BaseCategory), n.Count)
	case NoteHeadRunOnly:
		if n.Split {
			return fmt.Sprintf("head has %s; base's runs of that tool and category were compared with head's runs of the same version and id: its %d result(s) are all new", describeKey(n.HeadRun), n.Count)
		}
		return fmt.Sprintf("head has %s, base has no run of that tool and category: its %d result(s) are all new", describeRun(p.Tool, p.HeadCategory), n.Count)
	case NoteRunsPaired:
		if n.Split {
			return fmt.Sprintf("compared %s of base with %s of head: the tool has no other run left once the runs of the same version and id were compared", describeKey(n.BaseRun), describeKey(n.HeadRun))
		}
		return fmt.Sprintf("compared %s of base with %s of head: the tool has no other run", describeRun(p.Tool, p.BaseCategory), describeRun(p.Tool, p.HeadCategory))
	case NoteRoot:
		return fmt.Sprintf("absolute URIs of %s compared relative to %s (%s)", n.Side, n.Root, n.From)
	case NoteInferredRoots:
		return fmt.Sprintf("absolute URIs compared relative to %s in base and %s in head, inferred from the %d files whose paths end alike under them",
			n.Roots[0], n.Roots[1], n.Count)
	case NoteInherited:
		return fmt.Sprintf("%d head result(s) suppressed as the base result they match is (dismissed on GitHub, or suppressed in the base log): they do not count in the gate", n.Count)
	case NoteStaleBase:
		return fmt.Sprintf("%d base result(s) already had baselineState \"absent\" (an earlier comparison's): they were not compared again", n.Count)
	case NoteStaleHead:
		return fmt.Sprintf("%d head result(s) already had baselineState \"absent\": they were left out of the comparison", n.Count)
	}
	return string(n.Kind)
}

// Notes returns what is unusual about the comparison, in this order: a
// note for each run pairing worth a warning (see [RunPair.Unusual]), in
// the order of [Diff.Runs]; the checkout roots that made the two sides'
// URIs comparable, when they differ; then the results suppressed as
// their base partner is, and those left out as already absent.
func (d *Diff) Notes() []Note {
	var out []Note
	for i, p := range d.Runs {
		if !p.Unusual() {
			continue
		}
		n := Note{Run: p}
		if i < len(d.groups) && d.groups[i].split {
			n.Split, n.BaseRun, n.HeadRun = true, d.groups[i].baseKey, d.groups[i].headKey
		}
		switch {
		case !p.InHead:
			n.Kind, n.Count = NoteBaseRunOnly, p.BaseResults
		case !p.InBase:
			n.Kind, n.Count = NoteHeadRunOnly, p.HeadResults
		default:
			n.Kind = NoteRunsPaired
		}
		out = append(out, n)
	}
	out = append(out, d.roots...)
	for _, c := range []struct {
		kind NoteKind
		n    int
	}{{NoteInherited, d.Inherited}, {NoteStaleBase, d.StaleBase}, {NoteStaleHead, d.StaleHead}} {
		if c.n > 0 {
			out = append(out, Note{Kind: c.kind, Count: c.n})
		}
	}
	return out
}

// describeKey describes a run by its tool, version and automationDetails.id.
func describeKey(k sarif.RunKey) string {
	s := fmt.Sprintf("a run of %q", k.Tool())
	if v := k.Version(); v != "" {
		s += fmt.Sprintf(" version %q", v)
	}
	if id, ok := k.AutomationID(); ok {
		return s + fmt.Sprintf(" with automationDetails.id %q", id)
	}
	return s + " without category"
}

func describeRun(tool, category string) string {
	if category == "" {
		return fmt.Sprintf("a run of %q without category", tool)
	}
	return fmt.Sprintf("a run of %q with category %q", tool, category)
}

// noteStrings returns the notes as sentences.
func noteStrings(notes []Note) []string {
	if notes == nil {
		return nil
	}
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = n.String()
	}
	return out
}
