package sarif

import (
	"net/url"
	"strconv"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// Levels of a result (SARIF §3.27.10), from the most to the least severe.
const (
	LevelError   = "error"
	LevelWarning = "warning"
	LevelNote    = "note"
	LevelNone    = "none"
)

// LevelRank orders levels: error 3, warning 2, note 1, none and anything
// unknown 0.
func LevelRank(level string) int {
	switch level {
	case LevelError:
		return 3
	case LevelWarning:
		return 2
	case LevelNote:
		return 1
	}
	return 0
}

// EffectiveLevel returns the level of result r in run, as SARIF §3.27.9
// and §3.27.10 define it: "none" when the result's kind is present and not
// "fail"; else result.level when present; else the level of a
// configuration override for the result's rule in the run's invocations;
// else the rule's defaultConfiguration.level; else "warning".
func EffectiveLevel(run *gosarif.Run, r *gosarif.Result) string {
	if r.Kind != nil && *r.Kind != "" && *r.Kind != "fail" {
		return LevelNone
	}
	if r.Level != nil && *r.Level != "" {
		return *r.Level
	}
	rule, comp := FindRule(run, r)
	if rule == nil {
		return LevelWarning
	}
	if lvl := overrideLevel(run, rule, comp); lvl != "" {
		return lvl
	}
	if rule.DefaultConfiguration != nil && rule.DefaultConfiguration.Level != "" {
		return rule.DefaultConfiguration.Level
	}
	return LevelWarning
}

// overrideLevel finds a ruleConfigurationOverrides entry for rule in the
// run's invocations (the last one wins) and returns its level, if any.
func overrideLevel(run *gosarif.Run, rule *gosarif.ReportingDescriptor, comp *gosarif.ToolComponent) string {
	level := ""
	for _, inv := range run.Invocations {
		if inv == nil {
			continue
		}
		for _, o := range inv.RuleConfigurationOverrides {
			if o == nil || o.Descriptor == nil || o.Configuration == nil || o.Configuration.Level == "" {
				continue
			}
			d := o.Descriptor
			if oc := componentOf(run, d.ToolComponent); oc != comp {
				continue
			}
			switch {
			case d.Id != nil && *d.Id == rule.ID:
			case d.Index != nil && comp != nil && int(*d.Index) < len(comp.Rules) && comp.Rules[*d.Index] == rule:
			default:
				continue
			}
			level = o.Configuration.Level
		}
	}
	return level
}

// componentOf resolves a toolComponent reference (SARIF §3.54) to the run's
// driver or one of its extensions; nil means the driver.
func componentOf(run *gosarif.Run, ref *gosarif.ToolComponentReference) *gosarif.ToolComponent {
	if ref == nil {
		return run.Tool.Driver
	}
	if ref.Index != nil {
		if int(*ref.Index) < len(run.Tool.Extensions) {
			return run.Tool.Extensions[*ref.Index]
		}
		return nil
	}
	for _, c := range append([]*gosarif.ToolComponent{run.Tool.Driver}, run.Tool.Extensions...) {
		if c == nil {
			continue
		}
		if ref.Guid != nil && c.GUID != nil && strings.EqualFold(*ref.Guid, *c.GUID) {
			return c
		}
		if ref.Guid == nil && ref.Name != nil && c.Name == *ref.Name {
			return c
		}
	}
	return nil
}

// FindRule returns the reportingDescriptor of result r's rule and the tool
// component that holds it (the driver or an extension), or nils. It follows
// result.rule.toolComponent, then result.rule.index or result.ruleIndex,
// then the rule id (result.ruleId or result.rule.id), which may be
// hierarchical ("CA2101/1" finds rule "CA2101", SARIF §3.27.5). Without an
// explicit tool component, the driver's rules are searched first, then the
// extensions'.
func FindRule(run *gosarif.Run, r *gosarif.Result) (*gosarif.ReportingDescriptor, *gosarif.ToolComponent) {
	if run == nil || r == nil {
		return nil, nil
	}
	index := -1
	id := ""
	if r.RuleIndex != nil {
		index = int(*r.RuleIndex)
	}
	if r.RuleID != nil {
		id = *r.RuleID
	}
	comps := append([]*gosarif.ToolComponent{run.Tool.Driver}, run.Tool.Extensions...)
	if ref := r.Rule; ref != nil {
		if ref.Index != nil {
			index = int(*ref.Index)
		}
		if id == "" && ref.Id != nil {
			id = *ref.Id
		}
		if ref.ToolComponent != nil {
			comps = []*gosarif.ToolComponent{componentOf(run, ref.ToolComponent)}
		}
	}
	if comps[0] != nil && index >= 0 && index < len(comps[0].Rules) && comps[0].Rules[index] != nil {
		return comps[0].Rules[index], comps[0]
	}
	if id == "" {
		return nil, nil
	}
	for _, want := range []string{id, parentRuleID(id)} {
		if want == "" {
			continue
		}
		for _, c := range comps {
			if c == nil {
				continue
			}
			for _, rule := range c.Rules {
				if rule != nil && rule.ID == want {
					return rule, c
				}
			}
		}
	}
	return nil, nil
}

func parentRuleID(id string) string {
	if i := strings.IndexByte(id, '/'); i > 0 {
		return id[:i]
	}
	return ""
}

// RuleID returns the rule id of result r: result.ruleId, else
// result.rule.id, else the id of the rule that result.ruleIndex or
// result.rule.index points at; "" when there is none.
func RuleID(run *gosarif.Run, r *gosarif.Result) string {
	if r.RuleID != nil && *r.RuleID != "" {
		return *r.RuleID
	}
	if r.Rule != nil && r.Rule.Id != nil && *r.Rule.Id != "" {
		return *r.Rule.Id
	}
	if rule, _ := FindRule(run, r); rule != nil {
		return rule.ID
	}
	return ""
}

// ToolName returns the name of the run's driver.
func ToolName(run *gosarif.Run) string {
	if run == nil || run.Tool.Driver == nil {
		return ""
	}
	return run.Tool.Driver.Name
}

// Category returns the run's category as GitHub code scanning reads it:
// runs[].automationDetails.id up to its last "/" (the rest names one run of
// that category), without the trailing slash; an id without "/" is all
// category. It is "" when the run has no automationDetails.id.
func Category(run *gosarif.Run) string {
	if run == nil || run.AutomationDetails == nil || run.AutomationDetails.ID == nil {
		return ""
	}
	return CategoryOf(*run.AutomationDetails.ID)
}

// CategoryOf returns the category part of an automationDetails.id; see
// Category.
func CategoryOf(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[:i]
	}
	return id
}

// SecuritySeverity returns the rule's properties["security-severity"] as a
// number (GitHub's 0.0 to 10.0 scale; the property is a string holding a
// number, a plain number is accepted too). ok is false when the rule has
// none or it is not a number.
func SecuritySeverity(rule *gosarif.ReportingDescriptor) (score float64, ok bool) {
	if rule == nil {
		return 0, false
	}
	var s string
	switch v := rule.Properties["security-severity"].(type) {
	case string:
		s = v
	case interface{ String() string }: // json.Number
		s = v.String()
	case float64:
		return v, true
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// SeverityBand maps a security-severity score to GitHub's band: "critical"
// (9.0 and above), "high" (7.0 to 8.9), "medium" (4.0 to 6.9), "low" (0.1
// to 3.9), or "" (below 0.1).
func SeverityBand(score float64) string {
	switch {
	case score >= 9.0:
		return "critical"
	case score >= 7.0:
		return "high"
	case score >= 4.0:
		return "medium"
	case score >= 0.1:
		return "low"
	}
	return ""
}

// Precision returns the rule's properties["precision"] ("very-high",
// "high", "medium", "low"), or "".
func Precision(rule *gosarif.ReportingDescriptor) string {
	if rule == nil {
		return ""
	}
	s, _ := rule.Properties["precision"].(string)
	return s
}

// Tags returns the strings in the rule's properties["tags"].
func Tags(rule *gosarif.ReportingDescriptor) []string {
	if rule == nil {
		return nil
	}
	list, _ := rule.Properties["tags"].([]any)
	var tags []string
	for _, t := range list {
		if s, ok := t.(string); ok {
			tags = append(tags, s)
		}
	}
	return tags
}

// PrimaryLocation returns the physical location of the result's first
// location, or nil.
func PrimaryLocation(r *gosarif.Result) *gosarif.PhysicalLocation {
	if r == nil || len(r.Locations) == 0 || r.Locations[0] == nil {
		return nil
	}
	return r.Locations[0].PhysicalLocation
}

// PrimaryURI returns the URI of the result's primary location, resolved
// against its uriBaseId through run.originalUriBaseIds (SARIF §3.4.4,
// §3.14.14). An artifactLocation that has only an index takes the location
// of run.artifacts[index]. When a base id cannot be resolved the URI is
// returned as it stands (relative). It returns "" when the result has no
// primary location URI.
func PrimaryURI(run *gosarif.Run, r *gosarif.Result) string {
	pl := PrimaryLocation(r)
	if pl == nil || pl.ArtifactLocation == nil {
		return ""
	}
	return ArtifactURI(run, pl.ArtifactLocation)
}

// ArtifactURI resolves an artifactLocation of run as PrimaryURI does.
func ArtifactURI(run *gosarif.Run, al *gosarif.ArtifactLocation) string {
	uri, base := "", ""
	if al.URI != nil {
		uri = *al.URI
	}
	if al.URIBaseId != nil {
		base = *al.URIBaseId
	}
	if uri == "" && al.Index != nil && run != nil && int(*al.Index) < len(run.Artifacts) {
		if a := run.Artifacts[*al.Index]; a != nil && a.Location != nil {
			if a.Location.URI != nil {
				uri = *a.Location.URI
			}
			if a.Location.URIBaseId != nil {
				base = *a.Location.URIBaseId
			}
		}
	}
	if uri == "" {
		return ""
	}
	return ResolveURI(uri, base, func(id string) (string, string, bool) {
		if run == nil {
			return "", "", false
		}
		b := run.OriginalUriBaseIDs[id]
		if b == nil || b.URI == nil {
			return "", "", false
		}
		parent := ""
		if b.URIBaseId != nil {
			parent = *b.URIBaseId
		}
		return *b.URI, parent, true
	})
}

// ResolveURI resolves uri, relative to the base named baseID, through the
// lookup of originalUriBaseIds entries (which may themselves be relative to
// another base). An absolute uri, an empty baseID or an unknown base leaves
// uri as it is. Cycles among base ids stop the resolution.
func ResolveURI(uri, baseID string, lookup func(id string) (uri, parentID string, ok bool)) string {
	seen := map[string]bool{}
	for baseID != "" && !seen[baseID] {
		if u, err := url.Parse(uri); err == nil && u.IsAbs() {
			return uri
		}
		seen[baseID] = true
		base, parent, ok := lookup(baseID)
		if !ok {
			return uri
		}
		uri = joinURI(base, uri)
		baseID = parent
	}
	return uri
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
