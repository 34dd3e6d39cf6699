package sarif

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/internal/parallel"
)

// Pruned counts what [Run.Prune] dropped from a run.
type Pruned struct {
	// Rules are reporting descriptors of the driver and the extensions.
	Rules int `json:"rules"`
	// Taxa are reporting descriptors of the run's taxonomies.
	Taxa int `json:"taxa"`
	// Artifacts are entries of run.artifacts.
	Artifacts int `json:"artifacts"`
	// ThreadFlowLocations are entries of run.threadFlowLocations.
	ThreadFlowLocations int `json:"threadFlowLocations"`
}

// Add adds the counts of q to p, to total the prunings of several runs.
func (p *Pruned) Add(q Pruned) {
	p.Rules += q.Rules
	p.Taxa += q.Taxa
	p.Artifacts += q.Artifacts
	p.ThreadFlowLocations += q.ThreadFlowLocations
}

// Total is the number of entries dropped, of every kind.
func (p Pruned) Total() int { return p.Rules + p.Taxa + p.Artifacts + p.ThreadFlowLocations }

// Prune drops from the run the entries of its run-level arrays that
// nothing left in it uses, and renumbers every index that points into
// them, in the results and in the rest of the run, so that each still
// names what it named. After a filter or a split, a run carries only the
// rules, taxa, artifacts and thread-flow locations of its own results.
//
// What counts as used:
//   - a rule (of the driver or of an extension): one a result names (by
//     index, and by id, which may name another), one a notification or a
//     configuration override of an invocation names, and one a kept
//     rule's relationships point at within its own component;
//   - a taxon: one a result, a thread-flow location of a result or a kept
//     rule's relationship points at;
//   - an artifact: one an artifact location anywhere in the run points at
//     (results, invocations, graphs, the tool's own files, the thread-flow
//     locations kept...), and the parents of each;
//   - a thread-flow location of run.threadFlowLocations: one a result's
//     thread-flow location points at.
//
// The components themselves (the driver, extensions, taxonomies) stay,
// each with the descriptors it keeps, so that references to components
// by index, guid or name still hold. Where Prune cannot tell what a
// reference points at (a relationship to a component that is not one of
// the run's taxonomies, a taxon reference it cannot resolve), it drops no
// descriptor of that kind: pruning never breaks a reference. Indices out
// of range are left as they are (the validator reports them); logical
// locations, graphs and the rest are kept whole.
//
// Prune reads the results once (on all cores) to see what they use and,
// where indices move, edits them as [Run.EditResults] does: results on
// disk stay there and are renumbered as they are read.
func (r *Run) Prune(ctx context.Context) (Pruned, error) {
	if r == nil || r.Model == nil {
		return Pruned{}, nil
	}
	rules := r.Rules()
	u := newUsage(r.Model, rules)

	// What the results use, each worker in its own tables.
	var mu sync.Mutex
	per := make([]*usage, parallel.Workers())
	err := r.EachResult(ctx, func(w, _ int, res Result) error {
		if per[w] == nil {
			mu.Lock()
			per[w] = newUsage(r.Model, rules)
			mu.Unlock()
		}
		return per[w].result(res)
	})
	if err != nil {
		return Pruned{}, err
	}
	for _, p := range per {
		if p != nil {
			u.add(p)
		}
	}
	u.run(r)

	m := u.maps()
	var st Pruned
	st.Rules = m.applyRules(r)
	st.Taxa = m.applyTaxa(r)
	st.Artifacts, st.ThreadFlowLocations = m.applyLocations(r)
	if !m.resultsMove() {
		return st, nil
	}
	return st, r.EditResults(ctx, func(_ int, res Result) (Result, error) { return m.result(res) })
}

// usage records which entries of a run's arrays are used: rules per
// component (0 the driver, 1+i extension i), taxa per taxonomy, artifacts,
// thread-flow locations.
type usage struct {
	model     *gosarif.Run
	rules     *Rules
	rule      [][]bool
	taxa      [][]bool
	artifacts []bool
	tfl       []bool
	// keepAllRules and keepAllTaxa are set when a reference could not
	// be resolved: then no descriptor of that kind is dropped.
	keepAllRules, keepAllTaxa bool
}

func newUsage(m *gosarif.Run, rules *Rules) *usage {
	u := &usage{model: m, rules: rules}
	u.rule = make([][]bool, 1+len(m.Tool.Extensions))
	u.rule[0] = make([]bool, len(rulesOfComponent(m.Tool.Driver)))
	for i, e := range m.Tool.Extensions {
		u.rule[1+i] = make([]bool, len(rulesOfComponent(e)))
	}
	u.taxa = make([][]bool, len(m.Taxonomies))
	for i, t := range m.Taxonomies {
		if t != nil {
			u.taxa[i] = make([]bool, len(t.Taxa))
		}
	}
	u.artifacts = make([]bool, len(m.Artifacts))
	u.tfl = make([]bool, len(m.ThreadFlowLocations))
	return u
}

func rulesOfComponent(c *gosarif.ToolComponent) []*gosarif.ReportingDescriptor {
	if c == nil {
		return nil
	}
	return c.Rules
}

// mark sets s[i] when i is in range.
func mark(s []bool, i int64) {
	if i >= 0 && i < int64(len(s)) {
		s[i] = true
	}
}

// add merges the marks of o into u.
func (u *usage) add(o *usage) {
	or := func(dst, src []bool) {
		for i, v := range src {
			if v {
				dst[i] = true
			}
		}
	}
	for c := range u.rule {
		or(u.rule[c], o.rule[c])
	}
	for t := range u.taxa {
		or(u.taxa[t], o.taxa[t])
	}
	or(u.artifacts, o.artifacts)
	or(u.tfl, o.tfl)
	u.keepAllRules = u.keepAllRules || o.keepAllRules
	u.keepAllTaxa = u.keepAllTaxa || o.keepAllTaxa
}

// markRule marks the rule ref names: by its index, and by its id when
// that names another.
func (u *usage) markRule(ref RuleRef) {
	if comp, i, ok := u.rules.Find(ref); ok {
		u.rule[comp][i] = true
	}
	if ref.Index >= 0 && ref.ID != "" {
		byID := ref
		byID.Index = -1
		if comp, i, ok := u.rules.Find(byID); ok {
			u.rule[comp][i] = true
		}
	}
}

// indexKey and taxaKey are the member names of every reference of a
// result but its rule: a result without either refers to nothing else.
var indexKey, taxaKey = []byte(`"index"`), []byte(`"taxa"`)

// refersBeyondRule tells whether a result may refer to an entry of its
// run other than its rule.
func refersBeyondRule(res Result) bool {
	return bytes.Contains(res, indexKey) || bytes.Contains(res, taxaKey)
}

// result marks what one result uses.
func (u *usage) result(res Result) error {
	u.markRule(res.Rule())
	if !refersBeyondRule(res) {
		return nil
	}
	_, err := res.Rewrite(func(o RawObject) {
		switch o.Kind() {
		case "result":
			for _, t := range o.Elems("taxa") {
				u.markTaxon(rawDescriptorRef(t))
			}
		case "threadFlowLocation":
			if i, ok := o.Int("index"); ok {
				mark(u.tfl, i)
			}
			for _, t := range o.Elems("taxa") {
				u.markTaxon(rawDescriptorRef(t))
			}
		case "artifactLocation":
			if i, ok := o.Int("index"); ok {
				mark(u.artifacts, i)
			}
		}
	})
	return err
}

// descRef is a reportingDescriptorReference (SARIF §3.52) as read from
// result text or the model: the descriptor's index (-1 when absent), id and
// guid, and its component, when given (component index -1 when absent).
type descRef struct {
	index    int64
	id       string
	hasComp  bool
	comp     int64
	compName string
	compGUID string
}

func rawDescriptorRef(o RawObject) descRef {
	d := descRef{index: -1, comp: -1}
	if !o.Exists() {
		return d
	}
	if i, ok := o.Int("index"); ok {
		d.index = i
	}
	d.id, _ = o.String("id")
	if tc := o.Object("toolComponent"); tc.Exists() {
		d.hasComp = true
		if i, ok := tc.Int("index"); ok {
			d.comp = i
		}
		d.compName, _ = tc.String("name")
		d.compGUID, _ = tc.String("guid")
	}
	return d
}

// genericDescriptorRef reads a reference held as a generic JSON value
// (what the model has no field for: a rule's relationships).
func genericDescriptorRef(v any) (descRef, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return descRef{}, false
	}
	d := descRef{index: -1, comp: -1}
	d.index = genericInt(m["index"], -1)
	d.id, _ = m["id"].(string)
	if tc, ok := m["toolComponent"].(map[string]any); ok {
		d.hasComp = true
		d.comp = genericInt(tc["index"], -1)
		d.compName, _ = tc["name"].(string)
		d.compGUID, _ = tc["guid"].(string)
	}
	return d, true
}

func genericInt(v any, def int64) int64 {
	switch n := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i
		}
	case float64:
		if n == float64(int64(n)) {
			return int64(n)
		}
	}
	return def
}

// taxonomy returns the index in run.taxonomies of the component d names,
// by guid, else name, else index.
func (u *usage) taxonomy(d descRef) (int, bool) {
	if !d.hasComp {
		return 0, false
	}
	ts := u.model.Taxonomies
	for i, t := range ts {
		if t == nil {
			continue
		}
		if d.compGUID != "" && t.GUID != nil && strings.EqualFold(*t.GUID, d.compGUID) ||
			d.compGUID == "" && d.compName != "" && t.Name == d.compName {
			return i, true
		}
	}
	if d.compGUID == "" && d.compName == "" && d.comp >= 0 && d.comp < int64(len(ts)) && ts[d.comp] != nil {
		return int(d.comp), true
	}
	return 0, false
}

// taxon resolves a reference to a taxon: its taxonomy and index, by the
// reference's index, else its id.
func (u *usage) taxon(d descRef) (tax, index int, ok bool) {
	tax, ok = u.taxonomy(d)
	if !ok {
		return 0, 0, false
	}
	taxa := u.model.Taxonomies[tax].Taxa
	if d.index >= 0 {
		return tax, int(d.index), d.index < int64(len(taxa))
	}
	for i, t := range taxa {
		if t != nil && d.id != "" && t.ID == d.id {
			return tax, i, true
		}
	}
	return 0, 0, false
}

// markTaxon marks the taxon d names, or gives up pruning taxa when it
// cannot tell which it is.
func (u *usage) markTaxon(d descRef) {
	if tax, i, ok := u.taxon(d); ok {
		u.taxa[tax][i] = true
		return
	}
	u.keepAllTaxa = true
}

// run marks what the run uses outside its results: rules named by
// invocations and by kept rules' relationships, artifacts named
// anywhere, and the parents of used artifacts.
func (u *usage) run(r *Run) {
	m := r.Model
	for _, inv := range m.Invocations {
		if inv == nil {
			continue
		}
		for _, ns := range [][]*gosarif.Notification{inv.ToolExecutionNotifications, inv.ToolConfigurationNotifications} {
			for _, n := range ns {
				if n != nil && n.AssociatedRule != nil {
					u.markModelRule(n.AssociatedRule)
				}
			}
		}
		for _, o := range inv.RuleConfigurationOverrides {
			if o != nil && o.Descriptor != nil {
				u.markModelRule(o.Descriptor)
			}
		}
	}
	// Relationships of kept rules, to a fixed point: a rule kept for a
	// relationship may have relationships of its own, and once every rule
	// is kept, every rule's relationships count.
	for changed := true; changed; {
		changed = false
		keepAll := u.keepAllRules
		for c, comp := range u.components() {
			for i, rule := range rulesOfComponent(comp) {
				if rule == nil || !u.rule[c][i] && !u.keepAllRules {
					continue
				}
				for _, d := range r.relationships(rule) {
					if !d.hasComp {
						// Within the rule's own component.
						if j, ok := findDescriptor(rulesOfComponent(comp), d); ok && !u.rule[c][j] {
							u.rule[c][j], changed = true, true
						} else if !ok {
							u.keepAllRules = true
						}
						continue
					}
					if tax, j, ok := u.taxon(d); ok {
						u.taxa[tax][j] = true
						continue
					}
					// A component that is no taxonomy: perhaps rules.
					u.keepAllRules, u.keepAllTaxa = true, true
				}
			}
		}
		if u.keepAllRules && !keepAll {
			changed = true
		}
	}

	// Thread-flow locations are used by results only; artifacts by
	// everything but the unused entries of the arrays Prune empties.
	arts, tfls := m.Artifacts, m.ThreadFlowLocations
	m.Artifacts, m.ThreadFlowLocations = nil, nil
	walkArtifactLocations(m, func(al *gosarif.ArtifactLocation) {
		if al.Index != nil {
			mark(u.artifacts, int64(*al.Index))
		}
	})
	m.Artifacts, m.ThreadFlowLocations = arts, tfls
	for i, t := range tfls {
		if u.tfl[i] && t != nil {
			walkArtifactLocations(t, func(al *gosarif.ArtifactLocation) {
				if al.Index != nil {
					mark(u.artifacts, int64(*al.Index))
				}
			})
		}
	}
	// The parents of used artifacts: each artifact is followed once, so
	// that neither a long chain nor a cycle of parents costs more.
	followed := make([]bool, len(arts))
	for i := range arts {
		for j := i; u.artifacts[j] && !followed[j]; {
			followed[j] = true
			a := arts[j]
			if a == nil || a.ParentIndex == nil || int(*a.ParentIndex) >= len(arts) {
				break
			}
			j = int(*a.ParentIndex)
			u.artifacts[j] = true
		}
	}
}

func walkArtifactLocations(v any, fn func(*gosarif.ArtifactLocation)) {
	Walk(v, func(x any) {
		if al, ok := x.(*gosarif.ArtifactLocation); ok {
			fn(al)
		}
	})
}

// components are the driver and the extensions, in component order.
func (u *usage) components() []*gosarif.ToolComponent {
	return append([]*gosarif.ToolComponent{u.model.Tool.Driver}, u.model.Tool.Extensions...)
}

// markModelRule marks the rule a reference of the model names.
func (u *usage) markModelRule(d *gosarif.ReportingDescriptorReference) {
	ref := RuleRef{Index: -1}
	descriptorRef(d, &ref)
	u.markRule(ref)
}

// findDescriptor finds the descriptor d names among ds, by index, else
// id (a reference by guid alone is not resolved: the model does not hold
// descriptors' guids).
func findDescriptor(ds []*gosarif.ReportingDescriptor, d descRef) (int, bool) {
	if d.index >= 0 {
		return int(d.index), d.index < int64(len(ds))
	}
	for i, x := range ds {
		if x != nil && d.id != "" && x.ID == d.id {
			return i, true
		}
	}
	return 0, false
}

// relationships returns the targets of a rule's relationships, which the
// model holds among the members it has no field for.
func (r *Run) relationships(rule *gosarif.ReportingDescriptor) []descRef {
	rels := r.relationshipValues(rule)
	var out []descRef
	for _, rel := range rels {
		m, _ := rel.(map[string]any)
		if d, ok := genericDescriptorRef(m["target"]); ok {
			out = append(out, d)
		}
	}
	return out
}

func (r *Run) relationshipValues(rule *gosarif.ReportingDescriptor) []any {
	x := r.extra[keyOf(reflect.ValueOf(rule).Elem())]
	if x == nil {
		return nil
	}
	rels, _ := x.unknown["relationships"].([]any)
	return rels
}

// indexMap says where each entry of an array goes: its new index, or -1.
type indexMap []int

// newIndexMap numbers the used entries in order; nil when all are used.
func newIndexMap(used []bool) (indexMap, int) {
	m := make(indexMap, len(used))
	n, dropped := 0, 0
	for i, u := range used {
		if u {
			m[i] = n
			n++
		} else {
			m[i] = -1
			dropped++
		}
	}
	if dropped == 0 {
		return nil, 0
	}
	return m, dropped
}

// at returns where index i goes, and false when it stays (nil map, out
// of range or dropped: the reference is then left alone).
func (m indexMap) at(i int64) (int64, bool) {
	if m == nil || i < 0 || i >= int64(len(m)) || m[i] < 0 || int64(m[i]) == i {
		return i, false
	}
	return int64(m[i]), true
}

// pruneMaps are the index maps of one pruning; nil maps move nothing.
type pruneMaps struct {
	u         *usage
	rules     []indexMap // per component
	taxa      []indexMap // per taxonomy
	artifacts indexMap
	tfl       indexMap
	dropped   Pruned
}

func (u *usage) maps() *pruneMaps {
	m := &pruneMaps{u: u, rules: make([]indexMap, len(u.rule)), taxa: make([]indexMap, len(u.taxa))}
	if !u.keepAllRules {
		for c, used := range u.rule {
			var n int
			m.rules[c], n = newIndexMap(used)
			m.dropped.Rules += n
		}
	}
	if !u.keepAllTaxa {
		for t, used := range u.taxa {
			var n int
			m.taxa[t], n = newIndexMap(used)
			m.dropped.Taxa += n
		}
	}
	m.artifacts, m.dropped.Artifacts = newIndexMap(u.artifacts)
	m.tfl, m.dropped.ThreadFlowLocations = newIndexMap(u.tfl)
	return m
}

// keep returns the entries of s that m keeps.
func keep[T any](s []T, m indexMap) []T {
	if m == nil {
		return s
	}
	out := make([]T, 0, len(s))
	for i, v := range s {
		if m[i] >= 0 {
			out = append(out, v)
		}
	}
	return out
}

func (m *pruneMaps) resultsMove() bool {
	if m.artifacts != nil || m.tfl != nil {
		return true
	}
	for _, s := range append(append([]indexMap{}, m.rules...), m.taxa...) {
		if s != nil {
			return true
		}
	}
	return false
}

// remapUint renumbers a model index through m.
func remapUintIndex(p *uint, m indexMap) {
	if p == nil {
		return
	}
	if j, ok := m.at(int64(*p)); ok {
		*p = uint(j)
	}
}

// remapModelRule renumbers a reference of the model to a rule.
func (m *pruneMaps) remapModelRule(d *gosarif.ReportingDescriptorReference) {
	if d == nil || d.Index == nil {
		return
	}
	ref := RuleRef{Index: -1}
	descriptorRef(d, &ref)
	if comp, ok := m.u.rules.Component(ref.Component); ok {
		remapUintIndex(d.Index, m.rules[comp])
	}
}

// applyRules drops unused rules from the driver and the extensions and
// renumbers the references the model holds to them: invocations'
// notifications and overrides, rules' relationships. It returns the
// number dropped.
func (m *pruneMaps) applyRules(r *Run) int {
	model := r.Model
	for _, inv := range model.Invocations {
		if inv == nil {
			continue
		}
		for _, ns := range [][]*gosarif.Notification{inv.ToolExecutionNotifications, inv.ToolConfigurationNotifications} {
			for _, n := range ns {
				if n != nil {
					m.remapModelRule(n.AssociatedRule)
				}
			}
		}
		for _, o := range inv.RuleConfigurationOverrides {
			if o != nil {
				m.remapModelRule(o.Descriptor)
			}
		}
	}
	for c, comp := range m.u.components() {
		if comp == nil {
			continue
		}
		for _, rule := range rulesOfComponent(comp) {
			if rule == nil {
				continue
			}
			for _, rel := range r.relationshipValues(rule) {
				rm, _ := rel.(map[string]any)
				target, _ := rm["target"].(map[string]any)
				d, ok := genericDescriptorRef(target)
				if !ok || d.index < 0 {
					continue
				}
				var im indexMap
				if !d.hasComp {
					im = m.rules[c]
				} else if tax, ok := m.u.taxonomy(d); ok {
					im = m.taxa[tax]
				}
				if j, ok := im.at(d.index); ok {
					target["index"] = json.Number(strconv.FormatInt(j, 10))
				}
			}
		}
		comp.Rules = keep(comp.Rules, m.rules[c])
	}
	return m.dropped.Rules
}

// applyTaxa drops unused taxa from the taxonomies.
func (m *pruneMaps) applyTaxa(r *Run) int {
	for t, tax := range r.Model.Taxonomies {
		if tax != nil {
			tax.Taxa = keep(tax.Taxa, m.taxa[t])
		}
	}
	return m.dropped.Taxa
}

// applyLocations drops unused artifacts and thread-flow locations and
// renumbers every artifact location and parent index of the model.
func (m *pruneMaps) applyLocations(r *Run) (artifacts, tfls int) {
	model := r.Model
	model.Artifacts = keep(model.Artifacts, m.artifacts)
	model.ThreadFlowLocations = keep(model.ThreadFlowLocations, m.tfl)
	if m.artifacts != nil {
		Walk(model, func(x any) {
			switch v := x.(type) {
			case *gosarif.ArtifactLocation:
				remapUintIndex(v.Index, m.artifacts)
			case *gosarif.Artifact:
				remapUintIndex(v.ParentIndex, m.artifacts)
			}
		})
	}
	return m.dropped.Artifacts, m.dropped.ThreadFlowLocations
}

// remapRaw renumbers the integer member name of o through im.
func remapRaw(o RawObject, name string, im indexMap) {
	if i, ok := o.Int(name); ok {
		if j, ok := im.at(i); ok {
			o.Set(name, j)
		}
	}
}

// remapTaxa renumbers the taxa references of o.
func (m *pruneMaps) remapTaxa(o RawObject) {
	for _, t := range o.Elems("taxa") {
		if tax, ok := m.u.taxonomy(rawDescriptorRef(t)); ok {
			remapRaw(t, "index", m.taxa[tax])
		}
	}
}

// result renumbers one result's references.
func (m *pruneMaps) result(res Result) (Result, error) {
	ref := res.Rule()
	comp, compOK := m.u.rules.Component(ref.Component)
	if !refersBeyondRule(res) {
		// Nothing to renumber but ruleIndex, when it moves.
		if !compOK {
			return res, nil
		}
		raw := res.Member("ruleIndex")
		i, ok := jsonscan.Int(raw)
		if !ok {
			return res, nil
		}
		j, move := m.rules[comp].at(i)
		if !move {
			return res, nil
		}
		return res.Set("ruleIndex", j)
	}
	return res.Rewrite(func(o RawObject) {
		switch o.Kind() {
		case "result":
			if compOK {
				remapRaw(o, "ruleIndex", m.rules[comp])
				remapRaw(o.Object("rule"), "index", m.rules[comp])
			}
			m.remapTaxa(o)
		case "threadFlowLocation":
			remapRaw(o, "index", m.tfl)
			m.remapTaxa(o)
		case "artifactLocation":
			remapRaw(o, "index", m.artifacts)
		}
	})
}
