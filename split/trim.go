package split

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

// Limits are how many elements trimming keeps of the arrays GitHub
// truncates: a result's locations, a result's thread-flow locations
// (counted over all its code flows, as GitHub counts them) and a rule's
// tags. A zero field means GitHub's maximum (the most GitHub accepts:
// [schema.GitHubMaxLocationsPerResult], [schema.GitHubMaxThreadFlowLocations],
// [schema.GitHubMaxTagsPerRule]); a field above the maximum is lowered to
// it, and one below what GitHub keeps of a longer array
// ([schema.GitHubKeptLocationsPerResult] and the other Kept limits) is
// raised to that, so that trimming never loses what GitHub would show.
type Limits struct {
	Locations           int
	ThreadFlowLocations int
	Tags                int
}

// effective returns the limits with every field within GitHub's range.
func (l Limits) effective() Limits {
	clamp := func(v, kept, most int) int {
		if v == 0 {
			return most
		}
		return min(max(v, kept), most)
	}
	return Limits{
		Locations:           clamp(l.Locations, schema.GitHubKeptLocationsPerResult, schema.GitHubMaxLocationsPerResult),
		ThreadFlowLocations: clamp(l.ThreadFlowLocations, schema.GitHubKeptThreadFlowLocations, schema.GitHubMaxThreadFlowLocations),
		Tags:                clamp(l.Tags, schema.GitHubKeptTagsPerRule, schema.GitHubMaxTagsPerRule),
	}
}

// TrimKind says what a [Trim] changed.
type TrimKind uint8

const (
	// TrimLocations: a result's locations were cut to the limit, keeping
	// the first ones (the first is the primary location).
	TrimLocations TrimKind = iota + 1
	// TrimThreadFlowLocations: a result's thread-flow locations were cut
	// to the limit (see [Trimmer] for which are kept).
	TrimThreadFlowLocations
	// TrimTags: a rule's properties.tags were cut to the limit, keeping
	// the first ones.
	TrimTags
	// InlineThreadFlowLocations: a result's thread-flow locations that
	// referred to the run's threadFlowLocations by index were replaced by
	// the objects they referred to (GitHub does not show a result with
	// such references; the SARIF Multitool's rule GH1002).
	InlineThreadFlowLocations
	// DanglingThreadFlowLocations: a result's thread-flow locations have
	// an index that names no element of the run's threadFlowLocations;
	// they are left as they are.
	DanglingThreadFlowLocations
)

// String names the kind in a few words, as a report says it.
func (k TrimKind) String() string {
	switch k {
	case TrimLocations:
		return "locations"
	case TrimThreadFlowLocations:
		return "thread-flow locations"
	case TrimTags:
		return "tags"
	case InlineThreadFlowLocations:
		return "thread-flow locations inlined"
	case DanglingThreadFlowLocations:
		return "thread-flow location indices out of range"
	}
	return "TrimKind(" + strconv.Itoa(int(k)) + ")"
}

// A Trim is one change trimming made to a run, to report: what (Kind),
// where, and how many elements there were before and after. For
// InlineThreadFlowLocations, Before is the number of references inlined
// and After 0; for DanglingThreadFlowLocations, both are the number of
// references left as they were.
type Trim struct {
	Kind TrimKind
	// Run is the index of the run in its log, as given to [NewTrimmer]
	// or [TrimRun].
	Run int
	// Result is the index of the result in the run, or -1 for a rule.
	Result int
	// Rule is the id of the rule whose tags were cut (TrimTags only).
	Rule string
	// Pointer is the JSON pointer, in the log, of the array changed: of
	// the result's locations or codeFlows, or of the rule's tags.
	Pointer       string
	Before, After int
}

// String says what the trim did, in one line.
func (t Trim) String() string {
	switch t.Kind {
	case InlineThreadFlowLocations:
		return fmt.Sprintf("%s: %d thread-flow locations referring to run.threadFlowLocations inlined", t.Pointer, t.Before)
	case DanglingThreadFlowLocations:
		return fmt.Sprintf("%s: %d thread-flow locations have an index out of range of run.threadFlowLocations; left as they are", t.Pointer, t.Before)
	case TrimTags:
		return fmt.Sprintf("%s: rule %q: %d tags trimmed to %d", t.Pointer, t.Rule, t.Before, t.After)
	}
	return fmt.Sprintf("%s: %d %s trimmed to %d", t.Pointer, t.Before, t.Kind, t.After)
}

// A Trimmer trims the results of one run to [Limits] and inlines the
// thread-flow locations they refer to by index, so that GitHub accepts
// and shows them. Its Result method may be called from several
// goroutines at once.
//
// Which thread-flow locations are kept, when a result has more than the
// limit (counted over all threadFlows of all codeFlows): whole code flows
// in order while they fit; in the first one that does not, whole thread
// flows in order while they fit, and the first thread flow that does not
// keeps its first and last steps (the source and the sink) and loses
// steps from its middle: of the n steps it may keep, the first n-n/2 and
// the last n/2 (a single step kept is the first). Everything after it is
// dropped: the rest of its code flow's thread flows, and the code flows
// that follow. So exactly the limit is kept, every code flow and thread
// flow kept has at least one step, and none is emptied.
//
// A thread-flow location with an index into the run's
// threadFlowLocations is replaced by the object it names, as SARIF
// defines the reference: the named object's members, the local object's
// own members taking precedence, without index; the two property bags
// are merged key by key, local keys winning. An index of -1 (no
// reference) is left alone, and so is one that names no element of the
// run's threadFlowLocations (reported as DanglingThreadFlowLocations).
// Nothing else in a result changes: the text kept is the original text,
// byte for byte.
type Trimmer struct {
	run    int
	limits Limits
	// shared are the members of the run's threadFlowLocations, each as
	// its JSON text; nil for an element that is not an object.
	shared [][]member
}

// member is one member of a JSON object: its (unescaped) key and its
// value's text.
type member struct {
	key string
	raw []byte
}

// NewTrimmer returns a Trimmer for the results of run, which is run
// number runIndex of its log (for the reports), trimming to limits.
func NewTrimmer(run *sarif.Run, runIndex int, limits Limits) (*Trimmer, error) {
	t := &Trimmer{run: runIndex, limits: limits.effective()}
	if run.Model != nil {
		for i, tfl := range run.Model.ThreadFlowLocations {
			var ms []member
			if tfl != nil {
				text, err := run.Encode(tfl)
				if err != nil {
					return nil, fmt.Errorf("reading run.threadFlowLocations[%d]: %w", i, err)
				}
				ms = []member{}
				jsonscan.Object(text, func(key string, v []byte) bool {
					ms = append(ms, member{key, v})
					return true
				})
			}
			t.shared = append(t.shared, ms)
		}
	}
	return t, nil
}

// span is a part of a result's text: text[start:end].
type span struct{ start, end int }

// offset returns where sub, a slice of text as jsonscan returns it,
// starts in text: slices of one array end at the same place, so their
// capacities differ by the offset.
func offset(text, sub []byte) int { return cap(text) - cap(sub) }

// elems returns the spans of the elements of the array arr (a slice of
// text), or nil when arr is not an array.
func elems(text, arr []byte) []span {
	var out []span
	jsonscan.Elems(arr, func(_ int, v []byte) bool {
		s := offset(text, v)
		out = append(out, span{s, s + len(v)})
		return true
	})
	return out
}

// codeFlow is what trimming needs of a code flow: the spans of its
// thread flows and of their steps.
type codeFlow struct {
	threadFlows []span
	steps       [][]span // per thread flow
	n           int      // steps in all its thread flows
}

// codeFlows reads a result's codeFlows member as GitHub counts it: the
// locations arrays of the threadFlows arrays of the code flows that are
// objects. It returns them, the number of steps, and whether a step has
// an index member.
func codeFlows(text, arr []byte) (spans []span, flows []codeFlow, n int, refs bool) {
	spans = elems(text, arr)
	for _, cs := range spans {
		var cf codeFlow
		cf.threadFlows = elems(text, memberOf(text[cs.start:cs.end], "threadFlows"))
		for _, ts := range cf.threadFlows {
			steps := elems(text, memberOf(text[ts.start:ts.end], "locations"))
			for _, s := range steps {
				refs = refs || memberOf(text[s.start:s.end], "index") != nil
			}
			cf.steps = append(cf.steps, steps)
			cf.n += len(steps)
		}
		flows = append(flows, cf)
		n += cf.n
	}
	return spans, flows, n, refs
}

// memberOf returns the text of the named member of obj, or nil.
func memberOf(obj []byte, name string) []byte {
	var v [1][]byte
	jsonscan.Members(obj, []string{name}, v[:])
	return v[0]
}

// cutAfter returns the span that removes the elements after the k-th
// (0-based) of an array whose elements are es: from the end of element k
// to the end of the last.
func cutAfter(es []span, k int) span { return span{es[k].end, es[len(es)-1].end} }

// trimFlows returns the spans to remove from a result's code flows
// (spans, and what codeFlows read of them) so that budget steps are left
// (see Trimmer), budget > 0.
func trimFlows(spans []span, flows []codeFlow, budget int) []span {
	for c, cf := range flows {
		if cf.n <= budget {
			budget -= cf.n
			continue
		}
		if budget == 0 {
			// c > 0: the budget was positive to begin with.
			return []span{cutAfter(spans, c-1)}
		}
		var cuts []span
		for t, steps := range cf.steps {
			if len(steps) <= budget {
				budget -= len(steps)
				continue
			}
			if budget == 0 {
				// t > 0, as for code flows.
				cuts = append(cuts, cutAfter(cf.threadFlows, t-1))
				break
			}
			n := len(steps)
			head, tail := budget-budget/2, budget/2
			cuts = append(cuts, span{steps[head-1].end, steps[n-tail-1].end})
			if t+1 < len(cf.steps) {
				cuts = append(cuts, cutAfter(cf.threadFlows, t))
			}
			break
		}
		if c+1 < len(flows) {
			cuts = append(cuts, cutAfter(spans, c))
		}
		return cuts
	}
	return nil
}

// Result returns result i of the run trimmed, and what was changed; r
// itself when nothing was (see [Trimmer] for what is).
func (t *Trimmer) Result(i int, r sarif.Result) (sarif.Result, []Trim, error) {
	vals := r.Members("locations", "codeFlows")
	ptr := "/runs/" + strconv.Itoa(t.run) + "/results/" + strconv.Itoa(i)
	var cuts []span
	var trims []Trim
	if locs := elems(r, vals[0]); len(locs) > t.limits.Locations {
		cuts = append(cuts, cutAfter(locs, t.limits.Locations-1))
		trims = append(trims, Trim{Kind: TrimLocations, Run: t.run, Result: i, Pointer: ptr + "/locations", Before: len(locs), After: t.limits.Locations})
	}
	spans, flows, n, refs := codeFlows(r, vals[1])
	if n > t.limits.ThreadFlowLocations {
		cuts = append(cuts, trimFlows(spans, flows, t.limits.ThreadFlowLocations)...)
		trims = append(trims, Trim{Kind: TrimThreadFlowLocations, Run: t.run, Result: i, Pointer: ptr + "/codeFlows", Before: n, After: t.limits.ThreadFlowLocations})
	}
	out := r
	if len(cuts) > 0 {
		out = cut(r, cuts)
	}
	if refs {
		inlined, dangling, err := t.inline(out)
		if err != nil {
			return nil, nil, fmt.Errorf("result %d: %w", i, err)
		}
		if inlined.n > 0 {
			out = inlined.r
			trims = append(trims, Trim{Kind: InlineThreadFlowLocations, Run: t.run, Result: i, Pointer: ptr + "/codeFlows", Before: inlined.n})
		}
		if dangling > 0 {
			trims = append(trims, Trim{Kind: DanglingThreadFlowLocations, Run: t.run, Result: i, Pointer: ptr + "/codeFlows", Before: dangling, After: dangling})
		}
	}
	return out, trims, nil
}

// cut returns text without the spans (which do not overlap).
func cut(text []byte, cuts []span) sarif.Result {
	slices.SortFunc(cuts, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	out := make(sarif.Result, 0, len(text))
	pos := 0
	for _, c := range cuts {
		out = append(out, text[pos:c.start]...)
		pos = c.end
	}
	return append(out, text[pos:]...)
}

// inlined is a result with its references inlined, and how many were.
type inlined struct {
	r sarif.Result
	n int
}

// inline replaces the thread-flow locations of r that refer to the run's
// threadFlowLocations by what they refer to; it returns the result and
// how many it inlined, and how many references name nothing.
func (t *Trimmer) inline(r sarif.Result) (inlined, int, error) {
	var done inlined
	dangling := 0
	var err error
	out, rerr := r.Rewrite(func(o sarif.RawObject) {
		if o.Kind() != "threadFlowLocation" || err != nil {
			return
		}
		raw := o.Raw("index")
		if raw == nil {
			return
		}
		k, ok := jsonscan.Int(raw)
		if ok && k == -1 {
			return // no reference
		}
		if !ok || k < 0 || k >= int64(len(t.shared)) || t.shared[k] == nil {
			dangling++
			return
		}
		o.Delete("index")
		for _, m := range t.shared[k] {
			switch {
			case m.key == "index":
			case m.key == "properties" && o.Object("properties").Exists():
				bag := o.Object("properties")
				jsonscan.Object(m.raw, func(key string, v []byte) bool {
					if bag.Raw(key) == nil {
						err = bag.Set(key, jsonscan.Tree(v))
					}
					return err == nil
				})
			case o.Raw(m.key) == nil:
				err = o.Set(m.key, jsonscan.Tree(m.raw))
			}
			if err != nil {
				return
			}
		}
		done.n++
	})
	if rerr != nil {
		return inlined{}, 0, rerr
	}
	if err != nil {
		return inlined{}, 0, err
	}
	done.r = out
	return done, dangling, nil
}

// TrimRules trims the tags of the rules of run (its driver's and its
// extensions'), which is run number runIndex of its log, to limits,
// keeping the first ones, and says which it trimmed. It changes the
// run's model.
func TrimRules(run *sarif.Run, runIndex int, limits Limits) []Trim {
	if run.Model == nil || run.Model.Tool.Driver == nil && len(run.Model.Tool.Extensions) == 0 {
		return nil
	}
	most := limits.effective().Tags
	var trims []Trim
	comps := append([]*gosarif.ToolComponent{run.Model.Tool.Driver}, run.Model.Tool.Extensions...)
	for c, comp := range comps {
		if comp == nil {
			continue
		}
		ptr := "/runs/" + strconv.Itoa(runIndex) + "/tool/driver"
		if c > 0 {
			ptr = "/runs/" + strconv.Itoa(runIndex) + "/tool/extensions/" + strconv.Itoa(c-1)
		}
		for k, rule := range comp.Rules {
			if rule == nil {
				continue
			}
			tags, _ := rule.Properties["tags"].([]any)
			if len(tags) <= most {
				continue
			}
			rule.Properties["tags"] = slices.Clone(tags[:most])
			trims = append(trims, Trim{Kind: TrimTags, Run: runIndex, Result: -1, Rule: rule.ID,
				Pointer: ptr + "/rules/" + strconv.Itoa(k) + "/properties/tags", Before: len(tags), After: most})
		}
	}
	return trims
}

// TrimRun trims run, run number runIndex of its log, to limits: its
// rules' tags ([TrimRules]) and its results ([Trimmer]), results on disk
// as they are read (see [sarif.Run.EditResults]). It returns what it
// changed, rules first, then results in order. The run's
// threadFlowLocations stay, although no result may refer to them
// afterwards.
func TrimRun(ctx context.Context, run *sarif.Run, runIndex int, limits Limits) ([]Trim, error) {
	trims := TrimRules(run, runIndex, limits)
	t, err := NewTrimmer(run, runIndex, limits)
	if err != nil {
		return trims, err
	}
	var mu sync.Mutex
	var found []Trim
	err = run.EachResult(ctx, func(_, i int, r sarif.Result) error {
		_, tr, err := t.Result(i, r)
		if len(tr) > 0 {
			mu.Lock()
			found = append(found, tr...)
			mu.Unlock()
		}
		return err
	})
	if err != nil {
		return trims, err
	}
	if len(found) == 0 {
		return trims, nil
	}
	slices.SortStableFunc(found, func(a, b Trim) int { return cmp.Compare(a.Result, b.Result) })
	changed := map[int]bool{}
	for _, f := range found {
		if f.Kind != DanglingThreadFlowLocations {
			changed[f.Result] = true
		}
	}
	if len(changed) > 0 {
		err = run.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
			if !changed[i] {
				return r, nil
			}
			out, _, err := t.Result(i, r)
			return out, err
		})
	}
	return append(trims, found...), err
}
