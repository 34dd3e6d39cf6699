package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
)

// The reference checks: indices that point into run-level arrays
// (tool.driver.rules, tool.extensions, artifacts, logicalLocations,
// addresses, threadFlowLocations, webRequests, webResponses, invocations,
// graphs) must be in range, and agree with the ids and URIs given beside
// them; a result's ruleId must equal its rule.id; a message that names a
// rule's message string by id must give it enough arguments. These are
// the integrity checks of the SARIF Multitool (SARIF1009, SARIF1010,
// SARIF1012) that catch real tool bugs.
//
// A result is checked by the worker that validated it as far as it can be
// alone; what needs its run is kept in a compact record (resultRefs) and
// checked once the run's arrays are known, that is once the skeleton, read
// last, is; past keptRefs records they wait in a temporary file (see
// refSpill), so that memory does not grow with the log. The run's own
// objects that point into its arrays (a nested
// artifact's parentIndex, a notification's artifact location...) are
// walked from the skeleton the same way.

// runArray names a run-level array that objects refer into by index.
type runArray uint8

const (
	arrayArtifacts runArray = iota
	arrayThreadFlowLocations
	arrayLogicalLocations
	arrayAddresses
	arrayWebRequests
	arrayWebResponses
	arrayInvocations
	arrayGraphs
	numArrays
)

// member is the array's member name in a run object.
func (a runArray) member() string {
	return [numArrays]string{"artifacts", "threadFlowLocations", "logicalLocations", "addresses", "webRequests", "webResponses", "invocations", "graphs"}[a]
}

// outOfRangeID is the finding ID of an index past the end of the array.
func (a runArray) outOfRangeID() string {
	return "ref/" + [numArrays]string{"artifact", "thread-flow-location", "logical-location", "address", "web-request", "web-response", "invocation", "graph"}[a] + "-index-out-of-range"
}

// withoutArrayID is the finding ID of an index into an array the run does
// not have.
func (a runArray) withoutArrayID() string {
	if a == arrayArtifacts {
		return "ref/artifact-index-without-artifacts"
	}
	return strings.TrimSuffix(a.outOfRangeID(), "out-of-range") + "without-array"
}

// resultRefs is what one result refers to, gathered by the worker that
// validated it and checked against its run once the run is known. It is
// kept only for results that refer to something (most results of most
// tools refer to a rule by index, few to anything else), and holds small
// ints and the strings the checks compare: nothing that grows with the
// result but its lists of references, whose pointers are suffixes shared
// between results (see suffixes).
type resultRefs struct {
	run, index int32 // index is -1 for the run's own objects (the skeleton)

	ruleIndex    int32 // result.ruleIndex, or -1
	ruleRefIndex int32 // result.rule.index, or -1
	// GitHub mode: what GitHub cannot take of the result's primary
	// location (locations[0]) and message, and the artifact index whose
	// run.artifacts entry must give that location's URI (-1 if none).
	primaryArtifact int32
	primary         locationProblem
	noStartLine     startLineProblem
	noMessageText   bool

	ruleID    string // result.ruleId, else result.rule.id
	artifacts []artifactRef
	// rare holds what few results have (most have none of it), so that
	// the record of a common result stays small; nil when none.
	rare *rareRefs
}

// rareRefs are the references few results make.
type rareRefs struct {
	// messageArgs is the number of arguments of result.message, whose id
	// is messageID: the rule's message string with that id must exist and
	// have no placeholder beyond them.
	messageArgs int32
	messageID   string
	component   *sarif.ComponentRef
	indices     []indexRef
}

// more returns r's rare part, made on first use.
func (r *resultRefs) more() *rareRefs {
	if r.rare == nil {
		r.rare = &rareRefs{}
	}
	return r.rare
}

// component is the result's rule.toolComponent, or nil.
func (r *resultRefs) component() *sarif.ComponentRef {
	if r.rare == nil {
		return nil
	}
	return r.rare.component
}

// messageID is the id of the result's message, or "".
func (r *resultRefs) messageID() string {
	if r.rare == nil {
		return ""
	}
	return r.rare.messageID
}

// indices are the result's indices into the run's other arrays.
func (r *resultRefs) indices() []indexRef {
	if r.rare == nil {
		return nil
	}
	return r.rare.indices
}

// pointer is the JSON pointer of the result (or of the run, for the
// skeleton's references).
func (r *resultRefs) pointer() string {
	if r.index < 0 {
		return "/runs/" + strconv.Itoa(int(r.run))
	}
	return resultPointer(int(r.run), int(r.index))
}

func resultPointer(run, index int) string {
	return "/runs/" + strconv.Itoa(run) + "/results/" + strconv.Itoa(index)
}

type artifactRef struct {
	at             string // the artifactLocation object, below the result
	uri, uriBaseID string
	index          int32 // -1 when absent
	// shown: under result.locations or relatedLocations, where GitHub
	// shows it.
	shown bool
}

// indexRef is an index into one of the run's arrays other than the rules
// and extensions; at is the pointer of the index member, below the result.
type indexRef struct {
	at    string
	index int32
	array runArray
}

// suffixes interns the pointer suffixes of references below their result
// ("/locations/0/physicalLocation/artifactLocation"), which repeat from
// result to result, so that a record holds a shared string. One worker
// owns one; it stops growing at maxSuffixes entries.
//
// The same type interns the strings records keep of each result (rule
// ids, message ids, URIs and URI base ids), which repeat from result to
// result too: a record then holds a string header, not its own copy of
// the bytes.
type suffixes struct {
	m   map[string]string
	max int
	buf []byte
}

const (
	maxSuffixes = 4096
	maxValues   = 1 << 16
)

func newSuffixes() *suffixes { return &suffixes{m: map[string]string{}, max: maxSuffixes} }

func newValues() *suffixes { return &suffixes{m: map[string]string{}, max: maxValues} }

// intern returns buf as a string, shared when seen before.
func (x *suffixes) intern(buf []byte) string {
	if s, ok := x.m[string(buf)]; ok {
		return s
	}
	s := string(buf)
	if len(x.m) < x.max {
		x.m[s] = s
	}
	return s
}

// str returns s, or the equal string seen before.
func (x *suffixes) str(s string) string {
	if s == "" {
		return ""
	}
	if t, ok := x.m[s]; ok {
		return t
	}
	if len(x.m) < x.max {
		x.m[s] = s
	}
	return s
}

// int32Of narrows a non-negative index (or -1) for a record; an index
// beyond int32 is out of range of any array anyway, and is kept as
// math.MaxInt32, which messages show as such (see indexText).
// indexText is an index of a record, for a message: one that int32Of
// narrowed is shown as what is known of it, not as math.MaxInt32.
func indexText(i int) string {
	if i >= math.MaxInt32 {
		return "of 2147483647 or more"
	}
	return strconv.Itoa(i)
}

func int32Of(i int) int32 {
	if i > math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(i)
}

// collector is what the walks of one worker share: how to walk, and the
// interned pointer suffixes.
type collector struct {
	file   string
	github bool // keep what the GitHub checks need
	// regionStarts: check region.anyOf, which the schema used for
	// results leaves out (see compileSchema).
	regionStarts bool
	sx           *suffixes
	values       *suffixes // interned strings the records keep
	path         []string  // reused by one walk after another
}

// collectRefs walks one result, checks what it can alone and returns the
// findings, and the references that need the run, or nil when there are
// none. GitHub mode also keeps the results without a rule id, the URIs
// that may be absolute (for the checkout check) and what GitHub cannot
// take. ptr is the result's pointer.
func (c *collector) collectRefs(result any, ptr string) (*resultRefs, []Finding) {
	m, ok := result.(map[string]any)
	if !ok {
		return nil, nil
	}
	github := c.github
	r := &resultRefs{ruleIndex: -1, ruleRefIndex: -1, primaryArtifact: -1}
	w := &refWalker{collector: c, r: r, prefix: ptr, path: c.path[:0], resultGraphs: -1}
	defer func() { c.path = w.path[:0] }()
	ruleID, hasRuleID := m["ruleId"].(string)
	r.ruleID = c.values.str(ruleID)
	r.ruleIndex = int32Of(intOr(m["ruleIndex"], -1))
	if ref, ok := m["rule"].(map[string]any); ok {
		if id, ok := ref["id"].(string); ok {
			if hasRuleID && id != ruleID {
				// SARIF §3.27.5: if both are present they SHALL be equal.
				w.add(ptr+"/rule/id", "ref/rule-reference-id-mismatch", SeverityError, "rule.id %q differs from ruleId %q", id, ruleID)
			}
			if r.ruleID == "" {
				r.ruleID = c.values.str(id)
			}
		}
		r.ruleRefIndex = int32Of(intOr(ref["index"], -1))
		if tc, ok := ref["toolComponent"].(map[string]any); ok {
			comp := &sarif.ComponentRef{Index: intOr(tc["index"], -1)}
			comp.Name, _ = tc["name"].(string)
			comp.GUID, _ = tc["guid"].(string)
			r.more().component = comp
		}
	}
	msg, _ := m["message"].(map[string]any)
	if id, ok := msg["id"].(string); ok && id != "" {
		args, _ := msg["arguments"].([]any)
		r.more().messageID, r.more().messageArgs = c.values.str(id), int32Of(len(args))
	}
	if graphs, ok := m["graphs"].([]any); ok {
		w.resultGraphs = len(graphs)
	}
	if github {
		text, _ := msg["text"].(string)
		r.noMessageText = text == ""
		var artifact int
		r.primary, artifact, r.noStartLine = primaryLocation(m)
		r.primaryArtifact = int32Of(artifact)
	}
	w.object(m, kindResult, false)
	if r.ruleIndex < 0 && r.ruleRefIndex < 0 && r.rare == nil && len(r.artifacts) == 0 &&
		!(github && (r.ruleID == "" || r.primary != locationOK || r.noStartLine != startLineOK || r.noMessageText)) {
		return nil, w.found
	}
	return r, w.found
}

// collectRunRefs walks the skeleton of one run (the run without its
// results) for the references its own objects make, such as a nested
// artifact's parentIndex or a notification's artifact location.
func collectRunRefs(run any, ptr, file string) (*resultRefs, []Finding) {
	m, ok := run.(map[string]any)
	if !ok {
		return nil, nil
	}
	r := &resultRefs{index: -1, ruleIndex: -1, ruleRefIndex: -1, primaryArtifact: -1}
	w := &refWalker{collector: &collector{file: file, sx: newSuffixes(), values: newValues()}, r: r, prefix: ptr, resultGraphs: -1}
	w.object(m, kindRun, false)
	if len(r.artifacts) == 0 && r.rare == nil {
		return nil, w.found
	}
	return r, w.found
}

// objKind is what a JSON object is, as far as the reference checks care;
// the walker knows it from the member or array the object is found in.
type objKind uint8

const (
	kindOther objKind = iota
	kindResult
	kindRun
	kindLocation // result.locations[] or relatedLocations[]
	kindArtifactLocation
	kindArtifact // run.artifacts[]
	kindRegion
	kindLogicalLocation
	kindAddress
	kindWebRequest
	kindWebResponse
	kindThreadFlow
	kindThreadFlowLocation // threadFlow.locations[]
	kindProvenance
	kindGraphTraversal
)

// childKind is the kind of the object(s) found under member key of an
// object of kind parent.
func childKind(parent objKind, key string) objKind {
	switch key {
	case "artifactLocation", "analysisTarget", "executableLocation", "workingDirectory",
		"stdin", "stdout", "stderr", "stdoutStderr", "responseFiles", "analysisToolLogFiles":
		return kindArtifactLocation
	case "region", "contextRegion", "deletedRegion", "annotations", "regions":
		return kindRegion // annotations (of a location) and regions (of an attachment) are arrays of regions
	case "logicalLocations":
		return kindLogicalLocation
	case "address", "addresses":
		return kindAddress
	case "webRequest", "webRequests":
		return kindWebRequest
	case "webResponse", "webResponses":
		return kindWebResponse
	case "threadFlows":
		return kindThreadFlow
	case "provenance":
		return kindProvenance
	case "graphTraversals":
		return kindGraphTraversal
	case "locations":
		switch parent {
		case kindThreadFlow:
			return kindThreadFlowLocation
		case kindResult:
			return kindLocation
		}
	case "relatedLocations":
		if parent == kindResult {
			return kindLocation
		}
	case "artifacts":
		if parent == kindRun {
			return kindArtifact
		}
	case "location":
		if parent == kindArtifact {
			return kindArtifactLocation
		}
	}
	return kindOther
}

// refWalker gathers the references of one result or run skeleton into r,
// and checks on the spot what needs nothing beyond the walked value. It
// keeps the pointer of the current value as a stack of segments below
// prefix, and builds pointer strings only for what it records.
type refWalker struct {
	*collector
	r            *resultRefs
	prefix       string
	path         []string
	resultGraphs int // len(result.graphs), or -1 when absent
	found        []Finding
}

// suffix returns the pointer of the current value below prefix, with
// member appended when not empty, interned.
func (w *refWalker) suffix(member string) string {
	b := w.sx.buf[:0]
	for _, s := range w.path {
		b = append(b, '/')
		b = append(b, s...)
	}
	if member != "" {
		b = append(b, '/')
		b = append(b, member...)
	}
	w.sx.buf = b
	return w.sx.intern(b)
}

// pointer returns the full pointer of the current value's member.
func (w *refWalker) pointer(member string) string { return w.prefix + w.suffix(member) }

func (w *refWalker) add(ptr, id string, sev Severity, format string, args ...any) {
	w.found = append(w.found, Finding{File: w.file, Pointer: ptr, ID: id, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (w *refWalker) walk(v any, kind objKind, shown bool) {
	switch v := v.(type) {
	case map[string]any:
		w.object(v, kind, shown)
	case []any:
		for i, child := range v {
			w.path = append(w.path, strconv.Itoa(i))
			w.walk(child, kind, shown)
			w.path = w.path[:len(w.path)-1]
		}
	}
}

func (w *refWalker) object(m map[string]any, kind objKind, shown bool) {
	switch kind {
	case kindArtifactLocation:
		a := artifactRef{index: int32Of(intOr(m["index"], -1)), shown: shown}
		a.uri, _ = m["uri"].(string)
		a.uriBaseID, _ = m["uriBaseId"].(string)
		a.uri, a.uriBaseID = w.values.str(a.uri), w.values.str(a.uriBaseID)
		// GitHub checks the URIs that are, or may resolve to, absolute.
		if a.index >= 0 || (w.github && a.uri != "" && (a.uriBaseID != "" || hasScheme(a.uri))) {
			a.at = w.suffix("")
			w.r.artifacts = append(w.r.artifacts, a)
		}
		return // the rest of an artifactLocation holds no reference
	case kindRegion:
		w.region(m)
		return
	case kindArtifact:
		w.index(m, "parentIndex", arrayArtifacts)
	case kindLogicalLocation:
		w.index(m, "index", arrayLogicalLocations)
		w.index(m, "parentIndex", arrayLogicalLocations)
	case kindAddress:
		w.index(m, "index", arrayAddresses)
		w.index(m, "parentIndex", arrayAddresses)
	case kindWebRequest:
		w.index(m, "index", arrayWebRequests)
	case kindWebResponse:
		w.index(m, "index", arrayWebResponses)
	case kindThreadFlowLocation:
		w.index(m, "index", arrayThreadFlowLocations)
	case kindProvenance:
		w.index(m, "invocationIndex", arrayInvocations)
	case kindGraphTraversal:
		w.index(m, "runGraphIndex", arrayGraphs)
		if i := intOr(m["resultGraphIndex"], -1); i >= 0 && i >= w.resultGraphs {
			w.add(w.pointer("resultGraphIndex"), arrayGraphs.outOfRangeID(), SeverityError,
				"resultGraphIndex %d is out of range: the result has %d graphs", i, max(w.resultGraphs, 0))
		}
	}
	for k, child := range m {
		switch k {
		case "properties", "message", "snippet", "text", "markdown", "results":
			continue // property bags and texts hold no references; results are walked one by one
		}
		ck := childKind(kind, k)
		w.path = append(w.path, escape(k))
		w.walk(child, ck, shown || ck == kindLocation)
		w.path = w.path[:len(w.path)-1]
	}
}

// index records the index-valued member name of m, when present, as a
// reference into the run's array.
func (w *refWalker) index(m map[string]any, name string, array runArray) {
	if i := intOr(m[name], -1); i >= 0 {
		m := w.r.more()
		m.indices = append(m.indices, indexRef{at: w.suffix(name), index: int32Of(i), array: array})
	}
}

// hasScheme tells whether uri begins with a URI scheme (RFC 3986 §3.1:
// a letter, then letters, digits, "+", "-" or ".", then ":").
func hasScheme(uri string) bool {
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// intOr returns v as a non-negative int when it is an integer JSON number,
// else def (negative indices are schema errors, reported as such).
func intOr(v any, def int) int {
	n, ok := v.(json.Number)
	if !ok {
		return def
	}
	i, err := strconv.Atoi(string(n))
	if err != nil || i < 0 {
		return def
	}
	return i
}

// runInfo is what the reference and GitHub checks need of one run, taken
// from the skeleton (the log without its results).
type runInfo struct {
	ptr  string
	tool string
	key  sarif.RunKey // the run's identity to GitHub
	// results tells whether the run has a results member (the schema
	// wants it an array when present); GitHub's upload needs one.
	results bool

	driver     componentInfo
	extensions []componentInfo
	hasExts    bool

	artifacts []artifactInfo
	// lengths and has give the length and presence of each run-level
	// array that objects refer into by index.
	lengths [numArrays]int
	has     [numArrays]bool

	// rules and arts resolve rule references and artifact locations, as
	// package sarif does for every package.
	rules *sarif.Rules
	arts  *sarif.Artifacts
}

// artifactInfo is one element of run.artifacts.
type artifactInfo struct {
	uri, uriBaseID string
	parent         int // parentIndex, or -1
}

type componentInfo struct {
	name, guid string
	rules      []ruleInfo
	hasRules   bool
	// globalMessages holds the globalMessageStrings: id -> the number of
	// arguments the string needs.
	globalMessages map[string]int
}

type ruleInfo struct {
	id   string
	tags int
	// severity is what GitHub makes of properties["security-severity"].
	severity securitySeverity
	// messages holds the rule's messageStrings: id -> the number of
	// arguments the string needs. Nil when the rule has none.
	messages map[string]int
}

func skeletonRuns(skeleton any) []runInfo {
	root, _ := skeleton.(map[string]any)
	runs, _ := root["runs"].([]any)
	infos := make([]runInfo, len(runs))
	for i, r := range runs {
		m, _ := r.(map[string]any)
		ri := &infos[i]
		ri.ptr = "/runs/" + strconv.Itoa(i)
		_, ri.results = m["results"]
		ri.results = ri.results || m == nil // a run that is no object is the schema's finding
		tool, _ := m["tool"].(map[string]any)
		ri.driver = component(tool["driver"])
		ri.tool = ri.driver.name
		exts, ok := tool["extensions"].([]any)
		ri.hasExts = ok
		for _, e := range exts {
			ri.extensions = append(ri.extensions, component(e))
		}
		ri.key = runKey(tool, m["automationDetails"])
		for a := range numArrays {
			arr, ok := m[a.member()].([]any)
			ri.has[a], ri.lengths[a] = ok, len(arr)
		}
		arts, _ := m["artifacts"].([]any)
		var entries []sarif.ArtifactEntry
		for _, a := range arts {
			am, _ := a.(map[string]any)
			loc, _ := am["location"].(map[string]any)
			var ai artifactInfo
			ai.uri, _ = loc["uri"].(string)
			ai.uriBaseID, _ = loc["uriBaseId"].(string)
			ai.parent = intOr(am["parentIndex"], -1)
			ri.artifacts = append(ri.artifacts, ai)
			entries = append(entries, sarif.ArtifactEntry{URI: ai.uri, BaseID: ai.uriBaseID, Parent: ai.parent})
		}
		bases := map[string]sarif.BaseEntry{}
		if bm, ok := m["originalUriBaseIds"].(map[string]any); ok {
			for id, b := range bm {
				b, _ := b.(map[string]any)
				var e sarif.BaseEntry
				e.URI, _ = b["uri"].(string)
				e.BaseID, _ = b["uriBaseId"].(string)
				bases[id] = e
			}
		}
		ri.arts = sarif.NewArtifacts(entries, bases)
		comps := []sarif.RuleComponent{ri.driver.ruleComponent()}
		for _, e := range ri.extensions {
			comps = append(comps, e.ruleComponent())
		}
		ri.rules = sarif.NewRules(comps...)
	}
	return infos
}

// runKey returns the key of a run whose tool and automationDetails are
// these JSON values: a member that is absent, or not a string (which the
// schema check reports), is left out of the key.
func runKey(tool map[string]any, automationDetails any) sarif.RunKey {
	str := func(m map[string]any, name string) *string {
		if s, ok := m[name].(string); ok {
			return &s
		}
		return nil
	}
	d, _ := tool["driver"].(map[string]any)
	ad, _ := automationDetails.(map[string]any)
	return sarif.NewRunKey(str(d, "name"), str(d, "fullName"), str(d, "version"), str(d, "semanticVersion"), str(d, "guid"), str(ad, "id"))
}

// ruleComponent describes the component for rule resolution.
func (c *componentInfo) ruleComponent() sarif.RuleComponent {
	rc := sarif.RuleComponent{Name: c.name, GUID: c.guid, IDs: make([]string, len(c.rules))}
	for i, r := range c.rules {
		rc.IDs[i] = r.id
	}
	return rc
}

func component(v any) componentInfo {
	m, _ := v.(map[string]any)
	var c componentInfo
	c.name, _ = m["name"].(string)
	c.guid, _ = m["guid"].(string)
	c.globalMessages = messageStrings(m["globalMessageStrings"])
	rules, ok := m["rules"].([]any)
	c.hasRules = ok
	for _, r := range rules {
		rm, _ := r.(map[string]any)
		var ri ruleInfo
		ri.id, _ = rm["id"].(string)
		props, _ := rm["properties"].(map[string]any)
		tags, _ := props["tags"].([]any)
		ri.tags = len(tags)
		ri.severity = readSecuritySeverity(props)
		ri.messages = messageStrings(rm["messageStrings"])
		c.rules = append(c.rules, ri)
	}
	return c
}

// messageStrings reads a messageStrings (or globalMessageStrings) object:
// id -> the number of arguments its text and markdown need.
func messageStrings(v any) map[string]int {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]int, len(m))
	for id, s := range m {
		sm, _ := s.(map[string]any)
		text, _ := sm["text"].(string)
		markdown, _ := sm["markdown"].(string)
		out[id] = max(argumentsNeeded(text), argumentsNeeded(markdown))
	}
	return out
}

// argumentsNeeded is one more than the highest placeholder "{n}" in a
// message string (SARIF §3.11.5), that is the number of arguments it
// needs; "{{" and "}}" stand for literal braces.
func argumentsNeeded(s string) int {
	need := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '{' {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '}' {
			if n, err := strconv.Atoi(s[i+1 : j]); err == nil {
				need = max(need, n+1)
			}
			i = j
		}
	}
	return need
}

// aggregates counts findings of one kind in one run, so that a tool bug
// repeated on every result gives one line, not thousands: "N <what>
// (first here)". "First" is the least pointer, array indices compared as
// numbers: the first in document order but for the order of members
// within an object.
type aggregates map[aggKey]*aggregate

type aggKey struct {
	run int32
	id  string
}

type aggregate struct {
	first, what string
	sev         Severity
	n           int
}

// add counts one finding at ptr; what describes the findings in the
// plural ("artifact URIs are absolute file URIs...").
func (a aggregates) add(run int32, id string, sev Severity, ptr, what string) {
	k := aggKey{run, id}
	g := a[k]
	if g == nil {
		g = &aggregate{first: ptr, what: what, sev: sev}
		a[k] = g
	} else if comparePointers(ptr, g.first) < 0 {
		g.first = ptr
	}
	g.n++
}

func (st *state) addAggregates(a aggregates) {
	for k, g := range a {
		if g.n == 1 {
			st.add(g.first, k.id, g.sev, "%s", g.what)
			continue
		}
		st.add(g.first, k.id, g.sev, "%d %s (first here)", g.n, g.what)
	}
}

// checkRefs checks the references of one result, or of the run's own
// objects, against its run; with GitHub checks on, also what GitHub
// cannot take of a result (see checkResult). checkout is the checkout
// URI ending in "/", or "".
func (st *state) checkRefs(r *resultRefs, runs []runInfo, checkout string) {
	if int(r.run) >= len(runs) {
		return
	}
	if st.github && r.index >= 0 {
		st.checkResult(r, runs, checkout)
	}
	agg := st.agg
	run := &runs[r.run]
	ptr := r.pointer()
	comp, compPtr := st.resolveComponent(r, ptr, run)
	if r.ruleIndex >= 0 && r.ruleRefIndex >= 0 && r.ruleIndex != r.ruleRefIndex {
		st.add(ptr+"/rule/index", "ref/rule-index-mismatch", SeverityError, "rule.index %d differs from ruleIndex %d", r.ruleRefIndex, r.ruleIndex)
	}
	index, indexPtr := int(r.ruleIndex), ptr+"/ruleIndex"
	if r.ruleRefIndex >= 0 {
		index, indexPtr = int(r.ruleRefIndex), ptr+"/rule/index"
	}
	if index >= 0 && comp != nil {
		switch {
		case !comp.hasRules:
			agg.add(r.run, "ref/rule-index-without-rules", SeverityWarning, indexPtr,
				"results refer to rules by index, but the tool component has no rules array")
		case index >= len(comp.rules):
			st.add(indexPtr, "ref/rule-index-out-of-range", SeverityError, "rule index %s is out of range: %s has %d rules", indexText(index), compPtr+"/rules", len(comp.rules))
		case r.ruleID != "" && !ruleIDMatches(r.ruleID, comp.rules[index].id):
			st.add(indexPtr, "ref/rule-id-mismatch", SeverityError, "rule index %d points at rule %q, but the result's rule id is %q", index, comp.rules[index].id, r.ruleID)
		}
	}
	if r.messageID() != "" && comp != nil {
		st.checkMessageArguments(r, ptr, run, comp)
	}
	for _, a := range r.artifacts {
		if a.index < 0 {
			continue
		}
		switch at := ptr + a.at; {
		case !run.has[arrayArtifacts]:
			agg.add(r.run, arrayArtifacts.withoutArrayID(), SeverityWarning, at+"/index",
				"artifactLocations refer to run.artifacts by index, but the run has no artifacts array")
		case int(a.index) >= len(run.artifacts):
			st.add(at+"/index", arrayArtifacts.outOfRangeID(), SeverityError, "artifact index %s is out of range: the run has %d artifacts", indexText(int(a.index)), len(run.artifacts))
		case a.uri != "" && !run.sameArtifact(a, int(a.index)):
			full, _ := run.arts.Artifact(int(a.index))
			st.add(at+"/uri", "ref/artifact-uri-mismatch", SeverityError, "uri %q differs from the uri %q of artifact %d", a.uri, full, a.index)
		}
	}
	for _, x := range r.indices() {
		switch at := ptr + x.at; {
		case !run.has[x.array]:
			what := "objects refer to run." + x.array.member() + " by index, but the run has none"
			if x.array == arrayThreadFlowLocations {
				what = "thread flow locations refer to run.threadFlowLocations by index, but the run has none"
			}
			agg.add(r.run, x.array.withoutArrayID(), SeverityWarning, at, what)
		case int(x.index) >= run.lengths[x.array]:
			member := x.at[strings.LastIndexByte(x.at, '/')+1:]
			st.add(at, x.array.outOfRangeID(), SeverityError, "%s %s is out of range: the run has %d %s", member, indexText(int(x.index)), run.lengths[x.array], x.array.member())
		}
	}
}

// ruleRef is how the result names its rule, for package sarif's
// resolution.
func (r *resultRefs) ruleRef() sarif.RuleRef {
	ref := sarif.RuleRef{ID: r.ruleID, Index: int(r.ruleIndex), Component: r.component()}
	if r.ruleRefIndex >= 0 {
		ref.Index = int(r.ruleRefIndex)
	}
	return ref
}

// resolveComponent finds the tool component a result's rule belongs to
// (rule.toolComponent, else the driver) and its pointer; nil, after a
// finding, when the reference is broken.
func (st *state) resolveComponent(r *resultRefs, ptr string, run *runInfo) (*componentInfo, string) {
	i, ok := run.rules.Component(r.component())
	switch {
	case ok && i == 0:
		return run.component(i), run.ptr + "/tool/driver"
	case ok:
		return run.component(i), run.ptr + "/tool/extensions/" + strconv.Itoa(i-1)
	case r.component().Index >= 0:
		st.add(ptr+"/rule/toolComponent/index", "ref/tool-component-index-out-of-range", SeverityError,
			"toolComponent index %d is out of range: the run has %d tool extensions", r.component().Index, len(run.extensions))
	default:
		st.add(ptr+"/rule/toolComponent", "ref/tool-component-not-found", SeverityError, "toolComponent %s matches no tool component of the run", describeComponent(r.component()))
	}
	return nil, ""
}

// checkMessageArguments checks a result message that names a message
// string by id (SARIF §3.11.7, §3.11.11, Multitool SARIF1012): the string
// must be among the rule's messageStrings or the tool component's
// globalMessageStrings, and the message must give as many arguments as
// its highest placeholder needs.
func (st *state) checkMessageArguments(r *resultRefs, resultPtr string, run *runInfo, comp *componentInfo) {
	ptr := resultPtr + "/message"
	need, found := comp.globalMessages[r.messageID()]
	ruleDesc := "the tool component's globalMessageStrings"
	if c, i, ok := run.rules.Find(r.ruleRef()); ok {
		rule := &run.component(c).rules[i]
		ruleDesc = fmt.Sprintf("rule %q", rule.id)
		if n, ok := rule.messages[r.messageID()]; ok {
			need, found = n, true
		}
	}
	switch {
	case !found:
		st.add(ptr+"/id", "ref/message-id-not-found", SeverityError,
			"message id %q is neither in the messageStrings of the result's rule nor in the tool component's globalMessageStrings", r.messageID())
	case int(r.rare.messageArgs) < need:
		st.add(ptr+"/arguments", "ref/message-arguments-missing", SeverityError,
			"message string %q of %s needs %d arguments, the message has %d", r.messageID(), ruleDesc, need, r.rare.messageArgs)
	}
}

// component returns the tool component at index i of [sarif.Rules]: 0
// the driver, then the extensions.
func (run *runInfo) component(i int) *componentInfo {
	if i == 0 {
		return &run.driver
	}
	return &run.extensions[i-1]
}

// sameArtifact tells whether an artifactLocation that gives both an index
// and a uri names the artifact it points at. The URIs are compared as
// resolved: through originalUriBaseIds on both sides and, for a nested
// artifact, through its parents; the artifact's own URI as written (a path
// within its parent, for a nested one) matches too.
func (run *runInfo) sameArtifact(a artifactRef, index int) bool {
	art := run.artifacts[index]
	if art.uri == "" || (a.uri == art.uri && a.uriBaseID == art.uriBaseID) {
		return true
	}
	uri := run.arts.Resolve(a.uri, a.uriBaseID)
	full, _ := run.arts.Artifact(index)
	return uri == run.arts.Resolve(art.uri, art.uriBaseID) || uri == full
}

// ruleIDMatches tells whether a result's rule id names the rule: equal,
// or a hierarchical child of it ("CA2101/1" of "CA2101", SARIF §3.27.5).
func ruleIDMatches(resultID, ruleID string) bool {
	return resultID == ruleID || strings.HasPrefix(resultID, ruleID+"/")
}

func describeComponent(c *sarif.ComponentRef) string {
	switch {
	case c.GUID != "":
		return "guid " + strconv.Quote(c.GUID)
	case c.Name != "":
		return "name " + strconv.Quote(c.Name)
	}
	return "(no index, guid or name)"
}
