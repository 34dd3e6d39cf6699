package split

import (
	"bytes"
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
	// the result's locations or codeFlows, or of the rule's tags. In the
	// trims of [Split] it is a pointer into the input named Input, when
	// Input is not "" (else into the combined log).
	Pointer string
	// Input names the input the trimmed result or rule comes from, in
	// the trims of [Split]; "" when unknown, and in those of [Trimmer]
	// and [TrimRun].
	Input         string
	Before, After int
}

// String says what the trim did, in one line.
func (t Trim) String() string {
	switch t.Kind {
	case InlineThreadFlowLocations:
		return fmt.Sprintf("%s: %s referring to run.threadFlowLocations inlined", t.Pointer, steps(t.Before))
	case DanglingThreadFlowLocations:
		return fmt.Sprintf("%s: %s with an index out of range of run.threadFlowLocations, left as they are", t.Pointer, steps(t.Before))
	case TrimTags:
		return fmt.Sprintf("%s: rule %q: %d tags trimmed to %d", t.Pointer, t.Rule, t.Before, t.After)
	}
	return fmt.Sprintf("%s: %d %s trimmed to %d", t.Pointer, t.Before, t.Kind, t.After)
}

// steps says "1 thread-flow location", "2 thread-flow locations".
func steps(n int) string {
	if n == 1 {
		return "1 thread-flow location"
	}
	return strconv.Itoa(n) + " thread-flow locations"
}

// A Trimmer trims the results of one run to [Limits] and inlines the
// thread-flow locations they refer to by index, so that GitHub accepts
// and shows them; [NewTrimmer] makes one. Its Result method may be
// called from several goroutines at once.
//
// Of a result's locations, the first ones are kept (the first is the
// primary location, where GitHub shows the alert). Its relatedLocations
// are left alone: GitHub sets no limit on them.
//
// Which thread-flow locations are kept, when a result has more than the
// limit (counted over all threadFlows of all codeFlows): whole code flows
// in order while they fit; in the first one that does not, whole thread
// flows in order while they fit, and the first thread flow that does not
// keeps its first and last steps (the source and the sink; a single step
// kept is the first) and loses steps by their importance (SARIF's
// threadFlowLocation.importance, "important" when absent, read from the
// run's threadFlowLocations for a step that refers to one): its
// "unimportant" steps first, then its "important" ones, each from the
// middle of those of their rank while not all need to go, then its
// "essential" ones from the middle: of the n steps left, the first n-n/2
// and the last n/2. Everything after it is
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
	// shared are the run's threadFlowLocations; nil for an element
	// that is null.
	shared []*sharedTFL
}

// sharedTFL is an element of the run's threadFlowLocations, as its JSON
// text, with the spans of its members and of its property bag's.
type sharedTFL struct {
	text  []byte
	all   []memberSpan
	props []memberSpan
}

// NewTrimmer returns a Trimmer for the results of run, which is run
// number runIndex of its log (for the reports), trimming to limits.
func NewTrimmer(run *sarif.Run, runIndex int, limits Limits) (*Trimmer, error) {
	t := &Trimmer{run: runIndex, limits: limits.effective()}
	if run.Model == nil {
		return t, nil
	}
	t.shared = make([]*sharedTFL, len(run.Model.ThreadFlowLocations))
	for i, tfl := range run.Model.ThreadFlowLocations {
		if tfl == nil {
			continue
		}
		text, err := run.Encode(tfl)
		if err != nil {
			return nil, fmt.Errorf("reading run.threadFlowLocations[%d]: %w", i, err)
		}
		sh := &sharedTFL{text: text}
		whole := span{0, len(text)}
		eachMember(text, whole, func(m memberSpan) bool {
			sh.all = append(sh.all, m)
			return true
		})
		if p, ok := memberOf(text, whole, "properties"); ok {
			eachMember(text, p, func(m memberSpan) bool {
				sh.props = append(sh.props, m)
				return true
			})
		}
		t.shared[i] = sh
	}
	return t, nil
}

// span is a part of a result's text: text[start:end].
type span struct{ start, end int }

// memberSpan is where a member of an object is in a text: key is the
// key's text between its quotes, all the whole member ("key":value), val
// its value.
type memberSpan struct {
	key      []byte
	all, val span
}

// eachMember calls fn with each member of the object text[obj], in
// order, until fn returns false; nothing when it is not an object. The
// text is valid JSON (a Result), so it checks no syntax.
func eachMember(text []byte, obj span, fn func(memberSpan) bool) {
	i := jsonscan.SkipSpace(text, obj.start)
	if i >= obj.end || text[i] != '{' {
		return
	}
	for i = jsonscan.SkipSpace(text, i+1); i < obj.end && text[i] == '"'; {
		ke := jsonscan.StringEnd(text, i)
		if ke < 0 {
			return
		}
		vs := jsonscan.SkipSpace(text, jsonscan.SkipSpace(text, ke)+1)
		ve := jsonscan.ValueEnd(text, vs)
		if ve < 0 || ve > obj.end || !fn(memberSpan{text[i+1 : ke-1], span{i, ve}, span{vs, ve}}) {
			return
		}
		if i = jsonscan.SkipSpace(text, ve); i < obj.end && text[i] == ',' {
			i = jsonscan.SkipSpace(text, i+1)
		}
	}
}

// memberOf returns where the value of the named member of the object
// text[obj] is.
func memberOf(text []byte, obj span, name string) (span, bool) {
	var found span
	ok := false
	eachMember(text, obj, func(m memberSpan) bool {
		ok = jsonscan.KeyIs(m.key, name)
		found = m.val
		return !ok
	})
	return found, ok
}

// elems returns the spans of the elements of the array text[arr], or nil
// when it is not an array.
func elems(text []byte, arr span) []span {
	i := jsonscan.SkipSpace(text, arr.start)
	if i >= arr.end || text[i] != '[' {
		return nil
	}
	var out []span
	for i = jsonscan.SkipSpace(text, i+1); i < arr.end && text[i] != ']'; {
		e := jsonscan.ValueEnd(text, i)
		if e < 0 || e > arr.end {
			return out
		}
		out = append(out, span{i, e})
		if i = jsonscan.SkipSpace(text, e); i < arr.end && text[i] == ',' {
			i = jsonscan.SkipSpace(text, i+1)
		}
	}
	return out
}

// elemsOf returns the spans of the elements of the named member of the
// object text[obj], when it is an array.
func elemsOf(text []byte, obj span, name string) []span {
	if v, ok := memberOf(text, obj, name); ok {
		return elems(text, v)
	}
	return nil
}

// codeFlow is what trimming needs of a code flow: the spans of its
// thread flows and of their steps.
type codeFlow struct {
	threadFlows []span
	steps       [][]span // per thread flow
	n           int      // steps in all its thread flows
}

// ref is a step with an index member: the step's span and the index's.
type ref struct{ step, index span }

// codeFlows reads a result's codeFlows, text[arr], as GitHub counts them:
// the locations arrays of the threadFlows arrays of the code flows that
// are objects. It returns the code flows' spans, what trimming needs of
// them, the number of steps, and the steps with an index member.
func codeFlows(text []byte, arr span) (spans []span, flows []codeFlow, n int, refs []ref) {
	spans = elems(text, arr)
	for _, cs := range spans {
		var cf codeFlow
		cf.threadFlows = elemsOf(text, cs, "threadFlows")
		for _, ts := range cf.threadFlows {
			steps := elemsOf(text, ts, "locations")
			for _, s := range steps {
				if v, ok := memberOf(text, s, "index"); ok {
					refs = append(refs, ref{s, v})
				}
			}
			cf.steps = append(cf.steps, steps)
			cf.n += len(steps)
		}
		flows = append(flows, cf)
		n += cf.n
	}
	return spans, flows, n, refs
}

// cutAfter returns the span that removes the elements after the k-th
// (0-based) of an array whose elements are es: from the end of element k
// to the end of the last.
func cutAfter(es []span, k int) span { return span{es[k].end, es[len(es)-1].end} }

// trimFlows returns the spans to remove from a result's code flows
// (spans, and what codeFlows read of them) so that budget steps are left
// (see Trimmer), budget > 0.
func trimFlows(spans []span, flows []codeFlow, budget int, rank func(step span) int) []span {
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
			for _, k := range dropSteps(steps, budget, rank) {
				cuts = append(cuts, span{steps[k-1].end, steps[k].end})
			}
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

// Importance ranks of a thread-flow location, as SARIF's importance
// member says (important when it has none).
const (
	essential = iota
	important
	unimportant
)

// importance returns the rank of the step text[step]: its own
// importance, else that of the run's threadFlowLocations element its
// index names.
func (t *Trimmer) importance(text []byte, step span) int {
	v, ok := memberOf(text, step, "importance")
	if !ok {
		if ix, has := memberOf(text, step, "index"); has {
			if k, ok := jsonscan.Int(text[ix.start:ix.end]); ok && k >= 0 && k < int64(len(t.shared)) && t.shared[k] != nil {
				sh := t.shared[k].text
				v, ok = memberOf(sh, span{0, len(sh)}, "importance")
				text = sh
			}
		}
	}
	if !ok {
		return important
	}
	switch string(text[v.start:v.end]) {
	case `"essential"`:
		return essential
	case `"unimportant"`:
		return unimportant
	}
	return important
}

// dropSteps returns, in order, the indices of the steps of a thread flow
// to drop so that budget (0 < budget < len(steps)) are left: never the
// first (the source), nor the last (the sink) while budget > 1; the
// unimportant steps first, then the important, then the essential, each
// time from the middle of those of that rank while not all need to go;
// and when steps of every rank are left over, the middle of what is left
// (of n kept, the first n-n/2 and the last n/2).
func dropSteps(steps []span, budget int, rank func(step span) int) []int {
	n := len(steps)
	keep := make([]bool, n)
	for i := range keep {
		keep[i] = true
	}
	left := n
	for r := unimportant; r > essential && left > budget; r-- {
		var cand []int
		for i := 1; i < n-1; i++ {
			if keep[i] && rank(steps[i]) == r {
				cand = append(cand, i)
			}
		}
		need := min(left-budget, len(cand))
		from := (len(cand) - need + 1) / 2 // an odd number kept: one more before
		for _, i := range cand[from : from+need] {
			keep[i] = false
		}
		left -= need
	}
	if left > budget {
		var kept []int
		for i, k := range keep {
			if k {
				kept = append(kept, i)
			}
		}
		head, tail := budget-budget/2, budget/2
		for _, i := range kept[head : len(kept)-tail] {
			keep[i] = false
		}
	}
	var out []int
	for i, k := range keep {
		if !k {
			out = append(out, i)
		}
	}
	return out
}

// splice replaces a span of a result's text.
type splice struct {
	span
	text []byte
}

// Result returns result i of the run trimmed, and what was changed; r
// itself when nothing was (see [Trimmer] for what is).
func (t *Trimmer) Result(i int, r sarif.Result) (sarif.Result, []Trim, error) {
	whole := span{0, len(r)}
	ptr := "/runs/" + strconv.Itoa(t.run) + "/results/" + strconv.Itoa(i)
	var edits []splice
	var trims []Trim
	if locs := elemsOf(r, whole, "locations"); len(locs) > t.limits.Locations {
		edits = append(edits, splice{span: cutAfter(locs, t.limits.Locations-1)})
		trims = append(trims, Trim{Kind: TrimLocations, Run: t.run, Result: i, Pointer: ptr + "/locations", Before: len(locs), After: t.limits.Locations})
	}
	var spans []span
	var flows []codeFlow
	var n int
	var refs []ref
	if cf, ok := memberOf(r, whole, "codeFlows"); ok {
		spans, flows, n, refs = codeFlows(r, cf)
	}
	if n > t.limits.ThreadFlowLocations {
		rank := func(step span) int { return t.importance(r, step) }
		for _, c := range trimFlows(spans, flows, t.limits.ThreadFlowLocations, rank) {
			edits = append(edits, splice{span: c})
		}
		trims = append(trims, Trim{Kind: TrimThreadFlowLocations, Run: t.run, Result: i, Pointer: ptr + "/codeFlows", Before: n, After: t.limits.ThreadFlowLocations})
	}
	cuts := len(edits)
	inlined, dangling := 0, 0
	for _, rf := range refs {
		if cutOut(rf.step, edits[:cuts]) {
			continue
		}
		k, ok := jsonscan.Int(r[rf.index.start:rf.index.end])
		switch {
		case ok && k == -1: // no reference
		case !ok || k < 0 || k >= int64(len(t.shared)) || t.shared[k] == nil:
			dangling++
		default:
			edits = append(edits, splice{rf.step, t.shared[k].inline(r, rf.step)})
			inlined++
		}
	}
	if inlined > 0 {
		trims = append(trims, Trim{Kind: InlineThreadFlowLocations, Run: t.run, Result: i, Pointer: ptr + "/codeFlows", Before: inlined})
	}
	if dangling > 0 {
		trims = append(trims, Trim{Kind: DanglingThreadFlowLocations, Run: t.run, Result: i, Pointer: ptr + "/codeFlows", Before: dangling, After: dangling})
	}
	if len(edits) == 0 {
		return r, trims, nil
	}
	return apply(r, edits), trims, nil
}

// cutOut tells whether s is inside one of the cuts.
func cutOut(s span, cuts []splice) bool {
	for _, c := range cuts {
		if s.start >= c.start && s.end <= c.end {
			return true
		}
	}
	return false
}

// apply returns text with the edits (which do not overlap) made.
func apply(text []byte, edits []splice) sarif.Result {
	slices.SortFunc(edits, func(a, b splice) int { return cmp.Compare(a.start, b.start) })
	n := len(text)
	for _, e := range edits {
		n += len(e.text) - (e.end - e.start)
	}
	out := make(sarif.Result, 0, n)
	pos := 0
	for _, e := range edits {
		out = append(out, text[pos:e.start]...)
		out = append(out, e.text...)
		pos = e.end
	}
	return append(out, text[pos:]...)
}

// inline returns the text of the step text[step], which refers to sh,
// with sh's members it lacks added after its own, its index removed, and
// its property bag given sh's properties it lacks.
func (sh *sharedTFL) inline(text []byte, step span) []byte {
	out := append(make([]byte, 0, step.end-step.start+len(sh.text)), '{')
	var local []memberSpan
	eachMember(text, step, func(m memberSpan) bool {
		local = append(local, m)
		return true
	})
	has := func(ms []memberSpan, key []byte) bool {
		return slices.ContainsFunc(ms, func(m memberSpan) bool { return sameKey(m.key, key) })
	}
	n := 0
	add := func(b []byte) {
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, b...)
		n++
	}
	for _, m := range local {
		switch {
		case jsonscan.KeyIs(m.key, "index"):
		case jsonscan.KeyIs(m.key, "properties") && text[m.val.start] == '{':
			var bag []memberSpan
			eachMember(text, m.val, func(b memberSpan) bool {
				bag = append(bag, b)
				return true
			})
			add(text[m.all.start : m.val.end-1]) // without its closing brace
			for _, p := range sh.props {
				if !has(bag, p.key) {
					if len(bag) > 0 {
						out = append(out, ',')
					}
					out = append(out, sh.text[p.all.start:p.all.end]...)
					bag = append(bag, p)
				}
			}
			out = append(out, '}')
		default:
			add(text[m.all.start:m.all.end])
		}
	}
	for _, m := range sh.all {
		if !jsonscan.KeyIs(m.key, "index") && !has(local, m.key) {
			add(sh.text[m.all.start:m.all.end])
		}
	}
	return append(out, '}')
}

// sameKey tells whether two keys' texts between their quotes are one
// name.
func sameKey(a, b []byte) bool {
	if bytes.IndexByte(a, '\\') < 0 && bytes.IndexByte(b, '\\') < 0 {
		return bytes.Equal(a, b)
	}
	ka, oka := jsonscan.Unescape(a)
	kb, okb := jsonscan.Unescape(b)
	return oka && okb && ka == kb
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
// afterwards: [sarif.Run.Prune] drops them.
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
