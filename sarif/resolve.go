package sarif

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// SARIF leaves much indirect: a result names its rule by id, by index,
// or by a reference into a tool extension (SARIF §3.27.5-3.27.7, §3.52);
// an artifact location names its file by a URI relative to a base id
// (§3.4.4, §3.14.14), or by an index into the run's artifacts, which may
// be nested in others (§3.24.2). Rules and Artifacts answer those
// questions, one way, for every package: built from a run ([Run.Rules],
// [Run.Artifacts]) or from plain data (NewRules, NewArtifacts) by code that
// reads logs as generic JSON, as package schema does.

// A RuleRef is how a result names its rule.
type RuleRef struct {
	// ID is result.ruleId, else result.rule.id; "" when neither is given.
	ID string
	// Index is result.rule.index, else result.ruleIndex; -1 when neither.
	Index int
	// Component is result.rule.toolComponent; nil means the driver.
	Component *ComponentRef
}

// A ComponentRef names a tool component (SARIF §3.54): by Index into the
// run's tool.extensions (-1 when absent), else by GUID, else by Name.
type ComponentRef struct {
	Index      int
	Name, GUID string
}

// resultRule returns how the result names its rule.
func resultRule(r *gosarif.Result) RuleRef {
	ref := RuleRef{Index: -1}
	if r == nil {
		return ref
	}
	if r.RuleID != nil {
		ref.ID = *r.RuleID
	}
	if r.RuleIndex != nil {
		ref.Index = int(*r.RuleIndex)
	}
	if r.Rule != nil {
		descriptorRef(r.Rule, &ref)
	}
	return ref
}

// descriptorRef reads a reportingDescriptorReference (SARIF §3.52) into
// ref: its id when ref has none, its index, its tool component.
func descriptorRef(d *gosarif.ReportingDescriptorReference, ref *RuleRef) {
	if ref.ID == "" && d.Id != nil {
		ref.ID = *d.Id
	}
	if d.Index != nil {
		ref.Index = int(*d.Index)
	}
	if tc := d.ToolComponent; tc != nil {
		c := &ComponentRef{Index: -1}
		if tc.Index != nil {
			c.Index = int(*tc.Index)
		}
		if tc.Name != nil {
			c.Name = *tc.Name
		}
		if tc.Guid != nil {
			c.GUID = *tc.Guid
		}
		ref.Component = c
	}
}

// A RuleComponent describes one tool component for NewRules: its name,
// GUID and the ids of its rules, in order.
type RuleComponent struct {
	Name, GUID string
	IDs        []string
}

// Rules answers which rule a result of a run names. Component 0 is the
// driver, component 1+i the run's extension i. It is safe for concurrent
// use; it does not see changes to the run made after it was built.
type Rules struct {
	comps     []ruleComponent
	overrides []levelOverride
}

type ruleComponent struct {
	RuleComponent
	byID  map[string]int
	rules []*gosarif.ReportingDescriptor // when built from the model
}

// levelOverride is a ruleConfigurationOverrides entry of an invocation
// that sets a level.
type levelOverride struct {
	ref   RuleRef
	level string
}

// NewRules returns the resolver for a run whose driver and extensions are
// components, the driver first.
func NewRules(components ...RuleComponent) *Rules {
	rs := &Rules{}
	for _, c := range components {
		rs.comps = append(rs.comps, ruleComponent{RuleComponent: c})
	}
	if len(rs.comps) == 0 {
		rs.comps = []ruleComponent{{}}
	}
	return rs.indexed()
}

// rulesOf returns the resolver of run's rules: its driver's and its
// extensions', with the level overrides of its invocations.
func rulesOf(run *gosarif.Run) *Rules {
	rs := &Rules{}
	add := func(c *gosarif.ToolComponent) {
		var rc ruleComponent
		if c != nil {
			rc.Name = c.Name
			if c.GUID != nil {
				rc.GUID = *c.GUID
			}
			rc.rules = c.Rules
			rc.IDs = make([]string, len(c.Rules))
			for i, r := range c.Rules {
				if r != nil {
					rc.IDs[i] = r.ID
				}
			}
		}
		rs.comps = append(rs.comps, rc)
	}
	if run == nil {
		add(nil)
		return rs.indexed()
	}
	add(run.Tool.Driver)
	for _, e := range run.Tool.Extensions {
		add(e)
	}
	for _, inv := range run.Invocations {
		if inv == nil {
			continue
		}
		for _, o := range inv.RuleConfigurationOverrides {
			if o == nil || o.Descriptor == nil || o.Configuration == nil || o.Configuration.Level == "" {
				continue
			}
			ref := RuleRef{Index: -1}
			descriptorRef(o.Descriptor, &ref)
			rs.overrides = append(rs.overrides, levelOverride{ref, o.Configuration.Level})
		}
	}
	return rs.indexed()
}

// Component returns the index of the component c names (0 for nil, the
// driver): by index into the extensions, else by GUID (case-insensitive)
// or, without one, by name. ok is false when it names none.
func (rs *Rules) Component(c *ComponentRef) (int, bool) {
	switch {
	case c == nil:
		return 0, true
	case c.Index >= 0:
		return 1 + c.Index, 1+c.Index < len(rs.comps)
	}
	for i := range rs.comps {
		rc := &rs.comps[i]
		if c.GUID != "" && strings.EqualFold(c.GUID, rc.GUID) || c.GUID == "" && c.Name != "" && c.Name == rc.Name {
			return i, true
		}
	}
	return 0, false
}

// numRules is the number of rules of component comp.
func (rs *Rules) numRules(comp int) int { return len(rs.comps[comp].IDs) }

// ID returns the id of rule index of component comp.
func (rs *Rules) ID(comp, index int) string { return rs.comps[comp].IDs[index] }

// Descriptor returns the rule's reportingDescriptor, for Rules built by
// [Run.Rules]; nil otherwise.
func (rs *Rules) Descriptor(comp, index int) *gosarif.ReportingDescriptor {
	if c := &rs.comps[comp]; index < len(c.rules) {
		return c.rules[index]
	}
	return nil
}

// Find returns the rule ref names: its component (ref.Component, else the
// driver) and its index there, by ref.Index when given, else by ref.ID,
// which may be hierarchical ("CA2101/1" names rule "CA2101", §3.27.5).
// Without a component, a rule the driver lacks is looked for among the
// extensions too (tools do not always say). ok is false when the
// reference names no rule: an index out of range, an unknown id, a
// component the run lacks.
func (rs *Rules) Find(ref RuleRef) (comp, index int, ok bool) {
	comp, ok = rs.Component(ref.Component)
	if !ok {
		return 0, 0, false
	}
	if ref.Index >= 0 {
		return comp, ref.Index, ref.Index < rs.numRules(comp)
	}
	if ref.ID == "" {
		return comp, 0, false
	}
	comps := []int{comp}
	if ref.Component == nil {
		for i := 1; i < len(rs.comps); i++ {
			comps = append(comps, i)
		}
	}
	for id := ref.ID; ; {
		for _, c := range comps {
			if i, found := rs.byID(c)[id]; found {
				return c, i, true
			}
		}
		slash := strings.LastIndexByte(id, '/')
		if slash <= 0 {
			return comp, 0, false
		}
		id = id[:slash]
	}
}

// byID maps the rule ids of a component to their first index.
func (rs *Rules) byID(comp int) map[string]int { return rs.comps[comp].byID }

// indexed fills the components' maps from ids to indices and returns rs.
func (rs *Rules) indexed() *Rules {
	for k := range rs.comps {
		c := &rs.comps[k]
		c.byID = make(map[string]int, len(c.IDs))
		for i := len(c.IDs) - 1; i >= 0; i-- {
			c.byID[c.IDs[i]] = i
		}
	}
	return rs
}

// RuleID returns the id of the rule ref names: ref.ID when given, else the
// id of the rule its index points at; "" when there is none. It is the id
// GitHub code scanning tracks alerts by.
func (rs *Rules) RuleID(ref RuleRef) string {
	if ref.ID != "" {
		return ref.ID
	}
	if comp, index, ok := rs.Find(ref); ok {
		return rs.ID(comp, index)
	}
	return ""
}

// level returns a result's level as SARIF §3.27.9-3.27.10 define it,
// given how the result names its rule and its kind and level members
// ("" when absent): "none" when the kind is present and not "fail"; else
// the level when present; else the level of the last configuration
// override for the rule in the run's invocations; else the rule's
// defaultConfiguration.level; else "warning".
func (rs *Rules) level(ref RuleRef, kind, level string) string {
	if kind != "" && kind != "fail" {
		return LevelNone
	}
	if level != "" {
		return level
	}
	comp, index, ok := rs.Find(ref)
	if !ok {
		return LevelWarning
	}
	lvl := ""
	for _, o := range rs.overrides {
		oc, oi, ok := rs.Find(o.ref)
		if ok && oc == comp && oi == index {
			lvl = o.level
		}
	}
	if lvl != "" {
		return lvl
	}
	if d := rs.Descriptor(comp, index); d != nil && d.DefaultConfiguration != nil && d.DefaultConfiguration.Level != "" {
		return d.DefaultConfiguration.Level
	}
	return LevelWarning
}

// An ArtifactEntry describes one element of run.artifacts for
// NewArtifacts: its location's uri and uriBaseId, and its parentIndex (-1
// when absent).
type ArtifactEntry struct {
	URI, BaseID string
	Parent      int
}

// A BaseEntry is an originalUriBaseIds entry: the base's uri and its own
// uriBaseId, when it is relative to another base.
type BaseEntry struct {
	URI, BaseID string
}

// Artifacts answers which file an artifact location of a run names.
//
// A log chooses how its bases and artifacts nest, and a chain of
// thousands would cost, for each result, a join per link of strings that
// grow with the chain. So each base is resolved once, when the resolver
// is made, from the base it is relative to; an artifact's URI is
// remembered once made. A base whose URI resolves to more than
// maxBaseURI bytes is unknown, a chain of nested artifacts is followed
// for maxChain links at most, and what is remembered is at most
// maxRemembered bytes in all. No real log comes near any of these.
type Artifacts struct {
	entries []ArtifactEntry
	bases   map[string]BaseEntry
	// resolved is each base id's URI resolved through the bases it is
	// relative to: what a URI relative to it is joined to.
	resolved map[string]string
	// full remembers Artifact's answers, by index; remembered counts
	// their bytes.
	full       sync.Map
	remembered atomic.Int64
}

// Bounds on resolving (see Artifacts).
const (
	maxChain      = 64
	maxBaseURI    = 8 << 10
	maxRemembered = 16 << 20
)

// NewArtifacts returns the resolver for a run with these artifacts and
// originalUriBaseIds.
func NewArtifacts(entries []ArtifactEntry, bases map[string]BaseEntry) *Artifacts {
	a := &Artifacts{entries: entries, bases: bases}
	a.resolveBases()
	return a
}

// resolveBases resolves every base once, each from the base it is
// relative to: joining a URI to the base resolved is joining it to each
// base of the chain in turn. A base that is part of a cycle is resolved
// as far as the cycle.
func (a *Artifacts) resolveBases() {
	a.resolved = make(map[string]string, len(a.bases))
	done := make(map[string]bool, len(a.bases))
	var total int64
	var path []string
	onPath := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(a.bases)) {
		// Up the chain to a base resolved already, or one that is
		// relative to nothing known.
		path = path[:0]
		clear(onPath)
		for cur := id; cur != "" && !done[cur] && !onPath[cur]; {
			b, ok := a.bases[cur]
			if !ok || b.URI == "" {
				break
			}
			path, onPath[cur] = append(path, cur), true
			if isAbsURI(b.URI) {
				break
			}
			cur = b.BaseID
		}
		// Down again, each from its parent.
		for i := len(path) - 1; i >= 0; i-- {
			b := a.bases[path[i]]
			uri := b.URI
			if parent, ok := a.resolved[b.BaseID]; ok && !isAbsURI(uri) && (i == len(path)-1 || path[i+1] == b.BaseID) {
				uri = joinURI(parent, uri)
			}
			done[path[i]] = true
			if len(uri) <= maxBaseURI && total+int64(len(uri)) <= maxRemembered {
				a.resolved[path[i]] = uri
				total += int64(len(uri))
			}
		}
	}
}

// isAbsURI tells whether uri is an absolute URI (it has a scheme).
func isAbsURI(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && u.IsAbs()
}

// artifactsOf returns the resolver of run's artifact locations.
func artifactsOf(run *gosarif.Run) *Artifacts {
	a := &Artifacts{bases: map[string]BaseEntry{}}
	if run == nil {
		return a
	}
	for _, art := range run.Artifacts {
		e := ArtifactEntry{Parent: -1}
		if art != nil {
			if art.Location != nil {
				e.URI, e.BaseID = deref(art.Location.URI), deref(art.Location.URIBaseId)
			}
			if art.ParentIndex != nil {
				e.Parent = int(*art.ParentIndex)
			}
		}
		a.entries = append(a.entries, e)
	}
	for id, b := range run.OriginalUriBaseIDs {
		if b != nil {
			a.bases[id] = BaseEntry{URI: deref(b.URI), BaseID: deref(b.URIBaseId)}
		}
	}
	a.resolveBases()
	return a
}

// Len is the number of artifacts.
func (a *Artifacts) Len() int { return len(a.entries) }

// Resolve resolves uri, relative to the base baseID, through the run's
// originalUriBaseIds (which may be relative to one another). An absolute
// uri, an empty baseID or an unknown base leaves uri as it is; a cycle
// among base ids stops the resolution.
func (a *Artifacts) Resolve(uri, baseID string) string {
	if baseID == "" {
		return uri
	}
	base, ok := a.resolved[baseID]
	if !ok {
		return uri
	}
	if isAbsURI(uri) {
		return uri
	}
	return joinURI(base, uri)
}

// Artifact returns the full URI of run.artifacts[index]: its location
// resolved through the bases and, for a nested artifact (whose location
// is a path within its parent, §3.24.2), under its parents'. ok is false
// for an index out of range.
func (a *Artifacts) Artifact(index int) (string, bool) {
	if index < 0 || index >= len(a.entries) {
		return "", false
	}
	if uri, ok := a.full.Load(index); ok {
		return uri.(string), true
	}
	e := a.entries[index]
	uri := a.Resolve(e.URI, e.BaseID)
	for seen := 0; e.Parent >= 0 && e.Parent < len(a.entries) && seen < min(len(a.entries), maxChain); seen++ {
		e = a.entries[e.Parent]
		parent := a.Resolve(e.URI, e.BaseID)
		uri = strings.TrimSuffix(parent, "/") + "/" + strings.TrimPrefix(uri, "/")
	}
	if a.remembered.Add(int64(len(uri))) <= maxRemembered {
		a.full.Store(index, uri)
	}
	return uri, true
}

// Location returns the URI an artifactLocation names: its own uri (with
// uriBaseId) resolved, else, when it has only an index, that artifact's
// (see Artifact); "" when it names nothing.
func (a *Artifacts) Location(uri, baseID string, index int) string {
	if uri != "" {
		return a.Resolve(uri, baseID)
	}
	if s, ok := a.Artifact(index); ok {
		return s
	}
	return ""
}

// ArtifactLocation is Location for the model's artifactLocation.
func (a *Artifacts) ArtifactLocation(al *gosarif.ArtifactLocation) string {
	if al == nil {
		return ""
	}
	index := -1
	if al.Index != nil {
		index = int(*al.Index)
	}
	return a.Location(deref(al.URI), deref(al.URIBaseId), index)
}

// joinURI resolves ref against base, treating base as a directory.
func joinURI(base, ref string) string {
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	b, err1 := url.Parse(base)
	r, err2 := url.Parse(ref)
	if err1 != nil || err2 != nil || !b.IsAbs() {
		// A relative base stays relative: url.ResolveReference would
		// root it at "/".
		return base + ref
	}
	return b.ResolveReference(r).String()
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// A Resolver answers what a run's results leave indirect: the rule each
// names, its level, the file of its primary location. Run.Resolver builds
// one from the run as it is then.
type Resolver struct {
	Rules     *Rules
	Artifacts *Artifacts
}

// Resolver returns the run's resolver.
func (r *Run) Resolver() *Resolver {
	return &Resolver{Rules: r.Rules(), Artifacts: r.Artifacts()}
}

// Rule returns the reportingDescriptor of the result's rule, or nil.
func (rv *Resolver) Rule(res *gosarif.Result) *gosarif.ReportingDescriptor {
	if comp, index, ok := rv.Rules.Find(resultRule(res)); ok {
		return rv.Rules.Descriptor(comp, index)
	}
	return nil
}

// RuleID returns the result's rule id (see Rules.RuleID).
func (rv *Resolver) RuleID(res *gosarif.Result) string { return rv.Rules.RuleID(resultRule(res)) }

// Level returns the result's level (see Rules.Level).
func (rv *Resolver) Level(res *gosarif.Result) string {
	if res == nil {
		return LevelWarning
	}
	return rv.Rules.level(resultRule(res), deref(res.Kind), deref(res.Level))
}

// PrimaryURI returns the URI of the result's primary location, resolved
// (see Artifacts.Location); "" when it has none.
func (rv *Resolver) PrimaryURI(res *gosarif.Result) string {
	if pl := PrimaryLocation(res); pl != nil {
		return rv.Artifacts.ArtifactLocation(pl.ArtifactLocation)
	}
	return ""
}
