package schema

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
)

// The reference checks: indices that point into run-level arrays
// (tool.driver.rules, tool.extensions, artifacts, threadFlowLocations) must
// be in range and agree with the ids and URIs given beside them. These are
// the integrity checks of the SARIF Multitool that catch real tool bugs.

// resultRefs is what one result refers to by index, gathered by the worker
// that validated it and checked against its run once the run is known.
type resultRefs struct {
	run, index int
	ptr        string

	ruleID       string // result.ruleId, else result.rule.id
	ruleIndex    int    // result.ruleIndex, or -1
	ruleRefIndex int    // result.rule.index, or -1
	component    *componentRef

	artifacts []artifactRef
	tfls      []indexRef
}

type componentRef struct {
	ptr        string
	index      int // -1 when absent
	name, guid string
}

type artifactRef struct {
	ptr            string // the artifactLocation object
	index          int    // -1 when absent
	uri, uriBaseID string
}

type indexRef struct {
	ptr   string
	index int
}

// collectRefs walks one result and returns its references, or nil when it
// has nothing that needs its run to be checked. GitHub mode also keeps the
// results without a rule id and every URI (for the checkout check).
func collectRefs(result any, ptr string, github bool) *resultRefs {
	m, ok := result.(map[string]any)
	if !ok {
		return nil
	}
	r := &resultRefs{ptr: ptr, ruleIndex: -1, ruleRefIndex: -1}
	r.ruleID, _ = m["ruleId"].(string)
	r.ruleIndex = intOr(m["ruleIndex"], -1)
	if ref, ok := m["rule"].(map[string]any); ok {
		if r.ruleID == "" {
			r.ruleID, _ = ref["id"].(string)
		}
		r.ruleRefIndex = intOr(ref["index"], -1)
		if tc, ok := ref["toolComponent"].(map[string]any); ok {
			c := &componentRef{ptr: ptr + "/rule/toolComponent", index: intOr(tc["index"], -1)}
			c.name, _ = tc["name"].(string)
			c.guid, _ = tc["guid"].(string)
			r.component = c
		}
	}
	walkRefs(m, ptr, r, github)
	if r.ruleIndex < 0 && r.ruleRefIndex < 0 && r.component == nil && len(r.artifacts) == 0 && len(r.tfls) == 0 &&
		!(github && r.ruleID == "") {
		return nil
	}
	return r
}

// walkRefs finds artifactLocation objects (under "artifactLocation" and
// "analysisTarget") and thread flow locations with an index anywhere in v.
func walkRefs(v any, ptr string, r *resultRefs, github bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			switch k {
			case "properties", "message", "snippet", "text", "markdown":
				continue // property bags and texts hold no references
			case "artifactLocation", "analysisTarget":
				if al, ok := child.(map[string]any); ok {
					a := artifactRef{index: intOr(al["index"], -1)}
					a.uri, _ = al["uri"].(string)
					a.uriBaseID, _ = al["uriBaseId"].(string)
					if a.index >= 0 || (github && a.uri != "") {
						a.ptr = ptr + "/" + k
						r.artifacts = append(r.artifacts, a)
					}
				}
			case "threadFlows":
				if tfs, ok := child.([]any); ok {
					for i, tf := range tfs {
						tfm, _ := tf.(map[string]any)
						locs, _ := tfm["locations"].([]any)
						for j, loc := range locs {
							if lm, ok := loc.(map[string]any); ok {
								if idx := intOr(lm["index"], -1); idx >= 0 {
									r.tfls = append(r.tfls, indexRef{ptr: fmt.Sprintf("%s/threadFlows/%d/locations/%d/index", ptr, i, j), index: idx})
								}
							}
						}
					}
				}
			}
			walkRefs(child, ptr+"/"+escape(k), r, github)
		}
	case []any:
		for i, child := range v {
			walkRefs(child, ptr+"/"+strconv.Itoa(i), r, github)
		}
	}
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
	ptr      string
	tool     string
	category string

	driver     componentInfo
	extensions []componentInfo
	hasExts    bool

	artifacts    []string // artifacts[i].location.uri
	hasArtifacts bool
	tfls         int
	hasTFLs      bool

	bases map[string][2]string // originalUriBaseIds: id -> {uri, uriBaseId}
}

type componentInfo struct {
	name, guid string
	rules      []ruleInfo
	hasRules   bool
}

type ruleInfo struct {
	id   string
	tags int
}

func skeletonRuns(skeleton any) []runInfo {
	root, _ := skeleton.(map[string]any)
	runs, _ := root["runs"].([]any)
	infos := make([]runInfo, len(runs))
	for i, r := range runs {
		m, _ := r.(map[string]any)
		ri := &infos[i]
		ri.ptr = "/runs/" + strconv.Itoa(i)
		tool, _ := m["tool"].(map[string]any)
		ri.driver = component(tool["driver"])
		ri.tool = ri.driver.name
		exts, ok := tool["extensions"].([]any)
		ri.hasExts = ok
		for _, e := range exts {
			ri.extensions = append(ri.extensions, component(e))
		}
		if ad, ok := m["automationDetails"].(map[string]any); ok {
			id, _ := ad["id"].(string)
			ri.category = sarif.CategoryOf(id)
		}
		arts, ok := m["artifacts"].([]any)
		ri.hasArtifacts = ok
		for _, a := range arts {
			am, _ := a.(map[string]any)
			loc, _ := am["location"].(map[string]any)
			uri, _ := loc["uri"].(string)
			ri.artifacts = append(ri.artifacts, uri)
		}
		tfls, ok := m["threadFlowLocations"].([]any)
		ri.hasTFLs, ri.tfls = ok, len(tfls)
		if bases, ok := m["originalUriBaseIds"].(map[string]any); ok {
			ri.bases = map[string][2]string{}
			for id, b := range bases {
				bm, _ := b.(map[string]any)
				uri, _ := bm["uri"].(string)
				parent, _ := bm["uriBaseId"].(string)
				ri.bases[id] = [2]string{uri, parent}
			}
		}
	}
	return infos
}

func component(v any) componentInfo {
	m, _ := v.(map[string]any)
	var c componentInfo
	c.name, _ = m["name"].(string)
	c.guid, _ = m["guid"].(string)
	rules, ok := m["rules"].([]any)
	c.hasRules = ok
	for _, r := range rules {
		rm, _ := r.(map[string]any)
		var ri ruleInfo
		ri.id, _ = rm["id"].(string)
		props, _ := rm["properties"].(map[string]any)
		tags, _ := props["tags"].([]any)
		ri.tags = len(tags)
		c.rules = append(c.rules, ri)
	}
	return c
}

// aggregate counts findings of one kind in one run, so that a tool bug
// repeated on every result gives one line, not thousands.
type aggregate struct {
	first string
	n     int
}

func (a *aggregate) add(ptr string) {
	if a.n == 0 {
		a.first = ptr
	}
	a.n++
}

// checkReferences checks every collected reference against its run.
func (st *state) checkReferences(runs []runInfo) {
	noArtifacts := map[int]*aggregate{}
	noRules := map[int]*aggregate{}
	noTFLs := map[int]*aggregate{}
	for _, r := range st.refs {
		if r.run >= len(runs) {
			continue
		}
		run := &runs[r.run]
		comp := &run.driver
		compPtr := run.ptr + "/tool/driver"
		if c := r.component; c != nil {
			comp = nil
			switch {
			case c.index >= 0 && c.index < len(run.extensions):
				comp, compPtr = &run.extensions[c.index], run.ptr+"/tool/extensions/"+strconv.Itoa(c.index)
			case c.index >= 0:
				st.add(c.ptr+"/index", "ref/tool-component-index-out-of-range", Error,
					"toolComponent index %d is out of range: the run has %d tool extensions", c.index, len(run.extensions))
			default:
				for i := range run.extensions {
					e := &run.extensions[i]
					if (c.guid != "" && strings.EqualFold(c.guid, e.guid)) || (c.guid == "" && c.name != "" && c.name == e.name) {
						comp, compPtr = e, run.ptr+"/tool/extensions/"+strconv.Itoa(i)
						break
					}
				}
				if comp == nil && c.guid == "" && c.name == run.driver.name {
					comp = &run.driver
				}
				if comp == nil {
					st.add(c.ptr, "ref/tool-component-not-found", Error, "toolComponent %s matches no tool component of the run", describeComponent(c))
				}
			}
		}
		if r.ruleIndex >= 0 && r.ruleRefIndex >= 0 && r.ruleIndex != r.ruleRefIndex {
			st.add(r.ptr+"/rule/index", "ref/rule-index-mismatch", Error, "rule.index %d differs from ruleIndex %d", r.ruleRefIndex, r.ruleIndex)
		}
		index, indexPtr := r.ruleIndex, r.ptr+"/ruleIndex"
		if r.ruleRefIndex >= 0 {
			index, indexPtr = r.ruleRefIndex, r.ptr+"/rule/index"
		}
		if index >= 0 && comp != nil {
			switch {
			case !comp.hasRules:
				agg(noRules, r.run).add(indexPtr)
			case index >= len(comp.rules):
				st.add(indexPtr, "ref/rule-index-out-of-range", Error, "rule index %d is out of range: %s has %d rules", index, compPtr+"/rules", len(comp.rules))
			case r.ruleID != "" && !ruleIDMatches(r.ruleID, comp.rules[index].id):
				st.add(indexPtr, "ref/rule-id-mismatch", Error, "rule index %d points at rule %q, but the result's rule id is %q", index, comp.rules[index].id, r.ruleID)
			}
		}
		for _, a := range r.artifacts {
			if a.index < 0 {
				continue
			}
			switch {
			case !run.hasArtifacts:
				agg(noArtifacts, r.run).add(a.ptr + "/index")
			case a.index >= len(run.artifacts):
				st.add(a.ptr+"/index", "ref/artifact-index-out-of-range", Error, "artifact index %d is out of range: the run has %d artifacts", a.index, len(run.artifacts))
			case a.uri != "" && run.artifacts[a.index] != "" && a.uri != run.artifacts[a.index]:
				st.add(a.ptr+"/uri", "ref/artifact-uri-mismatch", Error, "uri %q differs from the uri %q of artifact %d", a.uri, run.artifacts[a.index], a.index)
			}
		}
		for _, t := range r.tfls {
			switch {
			case !run.hasTFLs:
				agg(noTFLs, r.run).add(t.ptr)
			case t.index >= run.tfls:
				st.add(t.ptr, "ref/thread-flow-location-index-out-of-range", Error, "thread flow location index %d is out of range: the run has %d threadFlowLocations", t.index, run.tfls)
			}
		}
	}
	st.addAggregates(noRules, "ref/rule-index-without-rules", Warning, "results refer to rules by index, but the tool component has no rules array")
	st.addAggregates(noArtifacts, "ref/artifact-index-without-artifacts", Warning, "artifactLocations refer to run.artifacts by index, but the run has no artifacts array")
	st.addAggregates(noTFLs, "ref/thread-flow-location-index-without-array", Warning, "thread flow locations refer to run.threadFlowLocations by index, but the run has none")
}

func agg(m map[int]*aggregate, run int) *aggregate {
	a := m[run]
	if a == nil {
		a = &aggregate{}
		m[run] = a
	}
	return a
}

func (st *state) addAggregates(m map[int]*aggregate, id string, sev Severity, what string) {
	for _, a := range m {
		if a.n == 1 {
			st.add(a.first, id, sev, "%s", what)
			continue
		}
		st.add(a.first, id, sev, "%d %s (first here)", a.n, what)
	}
}

// ruleIDMatches tells whether a result's rule id names the rule: equal,
// or a hierarchical child of it ("CA2101/1" of "CA2101", SARIF §3.27.5).
func ruleIDMatches(resultID, ruleID string) bool {
	return resultID == ruleID || strings.HasPrefix(resultID, ruleID+"/")
}

func describeComponent(c *componentRef) string {
	switch {
	case c.guid != "":
		return "guid " + strconv.Quote(c.guid)
	case c.name != "":
		return "name " + strconv.Quote(c.name)
	}
	return "(no index, guid or name)"
}
