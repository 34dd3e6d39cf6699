package merge

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// combiner folds runs of one key (see sarif.RunKey) into a target run,
// remapping every index into the run-level arrays: rules (of the driver
// and of each extension), extensions, taxonomies, artifacts, logical
// locations and thread flow locations.
type combiner struct {
	target *sarif.Run // the run combined into, whose model is to
	to     *gosarif.Run
	opts   *Options
	st     *Stats

	rules      map[*gosarif.ToolComponent]map[string]int // rule id -> index, per target component
	ruleFrom   map[*gosarif.ReportingDescriptor]string   // the input a target rule came from
	exts       map[string]int                            // extension key -> index in to.Tool.Extensions
	taxonomies map[string]int                            // taxonomy key -> index in to.Taxonomies
	artifacts  map[string]int                            // artifact location key -> index in to.Artifacts
	baseFrom   map[string]string                         // originalUriBaseIds key -> input that defined it
}

func newCombiner(target *sarif.Run, name string, opts *Options, st *Stats) *combiner {
	to := target.Model
	c := &combiner{target: target, to: to, opts: opts, st: st,
		rules: map[*gosarif.ToolComponent]map[string]int{}, ruleFrom: map[*gosarif.ReportingDescriptor]string{},
		exts: map[string]int{}, taxonomies: map[string]int{}, artifacts: map[string]int{}, baseFrom: map[string]string{}}
	if to.Tool.Driver == nil {
		to.Tool.Driver = &gosarif.ToolComponent{}
	}
	c.indexRules(to.Tool.Driver, name)
	for i, e := range to.Tool.Extensions {
		if e != nil {
			c.exts[componentKey(e)] = i
			c.indexRules(e, name)
		}
	}
	for i, t := range to.Taxonomies {
		if t != nil {
			c.taxonomies[componentKey(t)] = i
			c.indexRules(t, name)
		}
	}
	for i, a := range to.Artifacts {
		if a != nil {
			if k := c.artifactKey(a); k != "" {
				if _, dup := c.artifacts[k]; !dup {
					c.artifacts[k] = i
				}
			}
		}
	}
	for k := range to.OriginalUriBaseIDs {
		c.baseFrom[k] = name
	}
	return c
}

// indexRules records the rules (or taxa) of a target component.
func (c *combiner) indexRules(comp *gosarif.ToolComponent, name string) {
	m := map[string]int{}
	for i, r := range rulesOf(comp) {
		if r == nil {
			continue
		}
		if _, dup := m[r.ID]; !dup {
			m[r.ID] = i
		}
		c.ruleFrom[r] = name
	}
	c.rules[comp] = m
}

// rulesOf returns the reporting descriptors of a component: its rules, or
// for a taxonomy its taxa.
func rulesOf(comp *gosarif.ToolComponent) []*gosarif.ReportingDescriptor {
	if len(comp.Rules) > 0 {
		return comp.Rules
	}
	return comp.Taxa
}

func componentKey(c *gosarif.ToolComponent) string {
	guid := ""
	if c.GUID != nil {
		guid = *c.GUID
	}
	return c.Name + "\x00" + guid
}

func (c *combiner) artifactKey(a *gosarif.Artifact) string {
	if a.Location == nil || a.Location.URI == nil {
		return ""
	}
	base := ""
	if a.Location.URIBaseId != nil {
		base = *a.Location.URIBaseId
	}
	return *a.Location.URI + "\x00" + base
}

// combine folds src (from the input name) into the target run: its rules,
// extensions, taxonomies, artifacts, logical and thread flow locations and
// invocations, with every index in them remapped. It returns the function
// that remaps src's results the same way, or nil when none moves.
func (c *combiner) combine(srcRun *sarif.Run, name string) (func(sarif.Result) (sarif.Result, error), error) {
	// What src's values carry beyond the model moves with them.
	c.target.Absorb(srcRun)
	src := srcRun.Model
	renamed, err := c.mergeBases(src, name)
	if err != nil {
		return nil, err
	}
	m := &indexMaps{renamed: renamed}

	// Rules of the driver, then extensions and taxonomies with theirs.
	m.driver = c.mergeRules(c.to.Tool.Driver, src.Tool.Driver, name)
	m.ext = make([]int, len(src.Tool.Extensions))
	m.extRules = make([][]int, len(src.Tool.Extensions))
	for i, e := range src.Tool.Extensions {
		if e == nil {
			m.ext[i] = -1
			continue
		}
		j, ok := c.exts[componentKey(e)]
		rules := e.Rules
		if !ok {
			// The extension itself moves over (what it carries beyond
			// the model with it), its rules added back one by one.
			j = len(c.to.Tool.Extensions)
			e.Rules = nil
			if rules != nil {
				e.Rules = []*gosarif.ReportingDescriptor{}
			}
			c.to.Tool.Extensions = append(c.to.Tool.Extensions, e)
			c.exts[componentKey(e)] = j
			c.rules[e] = map[string]int{}
		}
		m.ext[i] = j
		m.extRules[i] = c.mergeDescriptors(c.rules[c.to.Tool.Extensions[j]], &c.to.Tool.Extensions[j].Rules, rules, name, "rule")
	}
	m.tax = make([]int, len(src.Taxonomies))
	m.taxa = make([][]int, len(src.Taxonomies))
	for i, t := range src.Taxonomies {
		if t == nil {
			m.tax[i] = -1
			continue
		}
		j, ok := c.taxonomies[componentKey(t)]
		taxa := t.Taxa
		if !ok {
			j = len(c.to.Taxonomies)
			t.Taxa = nil
			if taxa != nil {
				t.Taxa = []*gosarif.ReportingDescriptor{}
			}
			c.to.Taxonomies = append(c.to.Taxonomies, t)
			c.taxonomies[componentKey(t)] = j
			c.rules[t] = map[string]int{}
		}
		m.tax[i] = j
		m.taxa[i] = c.mergeDescriptors(c.rules[c.to.Taxonomies[j]], &c.to.Taxonomies[j].Taxa, taxa, name, "taxon")
	}

	// Artifacts (folded by location), logical and thread flow locations
	// (appended).
	m.artifacts = make([]int, len(src.Artifacts))
	for i, a := range src.Artifacts {
		if a == nil {
			m.artifacts[i] = -1
			continue
		}
		k := c.artifactKey(a)
		if j, ok := c.artifacts[k]; ok && k != "" {
			m.artifacts[i] = j
			continue
		}
		m.artifacts[i] = len(c.to.Artifacts)
		if k != "" {
			c.artifacts[k] = m.artifacts[i]
		}
		c.to.Artifacts = append(c.to.Artifacts, a)
	}
	for _, a := range src.Artifacts {
		if a != nil && a.ParentIndex != nil {
			remapUint(&a.ParentIndex, m.artifacts)
		}
	}
	m.logicalOffset = len(c.to.LogicalLocations)
	for _, l := range src.LogicalLocations {
		if l != nil && l.ParentIndex != nil {
			*l.ParentIndex += uint(m.logicalOffset)
		}
	}
	m.tflOffset = len(c.to.ThreadFlowLocations)

	// Every artifact, logical and thread flow location in src's run-level
	// arrays and invocations (notifications point at artifacts too), then
	// the arrays moved over.
	sarif.Walk(src, func(v any) {
		switch v := v.(type) {
		case *gosarif.ArtifactLocation:
			remapUint(&v.Index, m.artifacts)
			if v.URIBaseId != nil {
				if n, ok := renamed[*v.URIBaseId]; ok {
					v.URIBaseId = &n
				}
			}
		case *gosarif.LogicalLocation:
			if v.Index != nil {
				*v.Index += uint(m.logicalOffset)
			}
		case *gosarif.ThreadFlowLocation:
			if v.Index != nil {
				*v.Index += m.tflOffset
			}
		}
	})
	c.to.LogicalLocations = append(c.to.LogicalLocations, src.LogicalLocations...)
	c.to.ThreadFlowLocations = append(c.to.ThreadFlowLocations, src.ThreadFlowLocations...)
	c.to.Invocations = append(c.to.Invocations, src.Invocations...)
	if m.identity() {
		return nil, nil
	}
	return m.result, nil
}

// indexMaps say where the indices of a run being combined go in the
// target run: for each of its rules, extensions, taxonomies, taxa and
// artifacts, the index in the target (-1 for none); the offsets of its
// logical and thread flow locations; its renamed base ids.
type indexMaps struct {
	driver        []int
	ext           []int
	extRules      [][]int
	tax           []int
	taxa          [][]int
	artifacts     []int
	logicalOffset int
	tflOffset     int
	renamed       map[string]string
}

// identity tells whether no index moves and no base id is renamed.
func (m *indexMaps) identity() bool {
	same := func(s []int) bool {
		for i, j := range s {
			if j != i && j >= 0 {
				return false
			}
		}
		return true
	}
	if !same(m.driver) || !same(m.ext) || !same(m.tax) || !same(m.artifacts) ||
		m.logicalOffset != 0 || m.tflOffset != 0 || len(m.renamed) > 0 {
		return false
	}
	for _, s := range append(slices.Clone(m.extRules), m.taxa...) {
		if !same(s) {
			return false
		}
	}
	return true
}

// result remaps one result: its rule (in the driver, or in the extension
// its rule reference names by index), taxa, and every artifact, logical
// and thread flow location in it.
func (m *indexMaps) result(r sarif.Result) (sarif.Result, error) {
	return r.Rewrite(func(o sarif.RawObject) {
		switch o.Kind() {
		case "result":
			rules := m.driver
			rule := o.Object("rule")
			if tc := rule.Object("toolComponent"); tc.Exists() {
				if e, ok := tc.Int("index"); ok && e >= 0 && e < int64(len(m.ext)) && m.ext[e] >= 0 {
					rules = m.extRules[e]
					tc.Set("index", m.ext[e])
				}
			}
			remapIndex(o, "ruleIndex", rules)
			remapIndex(rule, "index", rules)
			m.remapTaxa(o)
		case "artifactLocation":
			remapIndex(o, "index", m.artifacts)
			if base, ok := o.String("uriBaseId"); ok {
				if n, ok := m.renamed[base]; ok {
					o.Set("uriBaseId", n)
				}
			}
		case "logicalLocation":
			if i, ok := o.Int("index"); ok {
				o.Set("index", i+int64(m.logicalOffset))
			}
		case "threadFlowLocation":
			if i, ok := o.Int("index"); ok {
				o.Set("index", i+int64(m.tflOffset))
			}
			m.remapTaxa(o)
		}
	})
}

// remapTaxa remaps the taxa references of a result or a thread-flow
// location: their taxonomy, and the taxon in it.
func (m *indexMaps) remapTaxa(o sarif.RawObject) {
	for _, t := range o.Elems("taxa") {
		tc := t.Object("toolComponent")
		if e, ok := tc.Int("index"); ok && e >= 0 && e < int64(len(m.tax)) && m.tax[e] >= 0 {
			remapIndex(t, "index", m.taxa[e])
			tc.Set("index", m.tax[e])
		}
	}
}

// remapIndex rewrites the integer member name of o through s; an index s
// does not cover is left as it is (the validator reports it).
func remapIndex(o sarif.RawObject, name string, s []int) {
	if i, ok := o.Int(name); ok && i >= 0 && i < int64(len(s)) && s[i] >= 0 && int64(s[i]) != i {
		o.Set(name, s[i])
	}
}

// remapUint rewrites an index through m; an index m does not cover is
// left as it is (the validator reports it).
func remapUint(p **uint, m []int) {
	if *p == nil {
		return
	}
	if i := int(**p); i < len(m) && m[i] >= 0 {
		v := uint(m[i])
		*p = &v
	}
}

// mergeRules adds the rules of from that to lacks and returns the index of
// every rule of from in to. A rule whose id to has with other content is
// not added: the first is kept, with a warning.
func (c *combiner) mergeRules(to, from *gosarif.ToolComponent, name string) []int {
	if from == nil {
		return nil
	}
	return c.mergeDescriptors(c.rules[to], &to.Rules, from.Rules, name, "rule")
}

// mergeDescriptors adds the descriptors of from to *to by id (ids indexes
// *to) and returns where each one of from is in *to.
func (c *combiner) mergeDescriptors(ids map[string]int, to *[]*gosarif.ReportingDescriptor, from []*gosarif.ReportingDescriptor, name, what string) []int {
	m := make([]int, len(from))
	for i, r := range from {
		if r == nil {
			m[i] = -1
			continue
		}
		if j, ok := ids[r.ID]; ok {
			m[i] = j
			c.compare((*to)[j], r, name, what)
			continue
		}
		m[i] = len(*to)
		ids[r.ID] = m[i]
		c.ruleFrom[r] = name
		*to = append(*to, r)
	}
	return m
}

func (c *combiner) compare(kept, other *gosarif.ReportingDescriptor, name, what string) {
	a, err1 := c.target.Encode(kept)
	b, err2 := c.target.Encode(other)
	if err1 == nil && err2 == nil && bytes.Equal(a, b) {
		return
	}
	c.st.Warnings = append(c.st.Warnings, fmt.Sprintf("%s %q differs between %s and %s; kept the one from %s",
		what, kept.ID, c.ruleFrom[kept], name, c.ruleFrom[kept]))
}

// mergeBases adds src's originalUriBaseIds to the target. A key defined
// differently is an error, or with RenameURIBases is renamed in src; the
// renames are returned.
func (c *combiner) mergeBases(src *gosarif.Run, name string) (map[string]string, error) {
	renamed := map[string]string{}
	if c.to.OriginalUriBaseIDs == nil && len(src.OriginalUriBaseIDs) > 0 {
		c.to.OriginalUriBaseIDs = map[string]*gosarif.ArtifactLocation{}
	}
	for _, k := range sortedKeys(src.OriginalUriBaseIDs) {
		v := src.OriginalUriBaseIDs[k]
		have, ok := c.to.OriginalUriBaseIDs[k]
		if !ok {
			c.to.OriginalUriBaseIDs[k] = v
			c.baseFrom[k] = name
			continue
		}
		a, _ := c.target.Encode(have)
		b, _ := c.target.Encode(v)
		if bytes.Equal(a, b) {
			continue
		}
		if !c.opts.RenameURIBases {
			return nil, &ConflictError{Tool: c.target.Tool(), Category: c.target.Category(), Key: k,
				First: c.baseFrom[k], Second: name, FirstURI: uriOf(have), SecondURI: uriOf(v)}
		}
		n := k
		for i := 2; ; i++ {
			n = k + "_" + strconv.Itoa(i)
			if _, taken := c.to.OriginalUriBaseIDs[n]; !taken {
				if _, taken := src.OriginalUriBaseIDs[n]; !taken {
					break
				}
			}
		}
		renamed[k] = n
		c.to.OriginalUriBaseIDs[n] = v
		c.baseFrom[n] = name
		c.st.Warnings = append(c.st.Warnings, fmt.Sprintf("originalUriBaseIds %q of %s renamed %q: %s defines it differently", k, name, n, c.baseFrom[k]))
	}
	return renamed, nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func uriOf(al *gosarif.ArtifactLocation) string {
	if al == nil || al.URI == nil {
		return ""
	}
	return *al.URI
}
