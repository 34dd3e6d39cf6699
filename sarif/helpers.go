package sarif

import (
	"math"
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

// Tool returns the name of the run's driver.
func (r *Run) Tool() string {
	if r == nil || r.Model == nil || r.Model.Tool.Driver == nil {
		return ""
	}
	return r.Model.Tool.Driver.Name
}

// Category returns the run's category as GitHub code scanning reads it:
// runs[].automationDetails.id up to its last "/" (the rest names one run of
// that category), without the trailing slash; an id without "/" is all
// category. It is "" when the run has no automationDetails.id.
func (r *Run) Category() string {
	if r == nil || r.Model == nil || r.Model.AutomationDetails == nil || r.Model.AutomationDetails.ID == nil {
		return ""
	}
	return categoryOf(*r.Model.AutomationDetails.ID)
}

// categoryOf returns the category part of an automationDetails.id; see
// Run.Category.
func categoryOf(id string) string {
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[:i]
	}
	return id
}

// Rules returns the resolver of the run's rules, as the run is now: build
// it once to resolve many results, and again after changing the run's
// tool.
func (r *Run) Rules() *Rules { return rulesOf(r.Model) }

// Artifacts returns the resolver of the run's artifact locations, as the
// run is now (see Rules).
func (r *Run) Artifacts() *Artifacts { return artifactsOf(r.Model) }

// SecuritySeverity returns the rule's properties["security-severity"] as a
// number (GitHub's 0.0 to 10.0 scale; the property is a string holding a
// number, a plain number is accepted too). ok is false when the rule has
// none or it is not a decimal number: words, NaN, infinities and
// hexadecimal floats are not, nor a number too large to hold.
func SecuritySeverity(rule *gosarif.ReportingDescriptor) (score float64, ok bool) {
	if rule == nil {
		return 0, false
	}
	return securitySeverity(rule.Properties)
}

// ResultSecuritySeverity returns the result's own
// properties["security-severity"] as a number, read as
// [SecuritySeverity] reads a rule's; ok is false when it has none.
func ResultSecuritySeverity(res *gosarif.Result) (score float64, ok bool) {
	if res == nil {
		return 0, false
	}
	return securitySeverity(res.Properties)
}

// securitySeverity reads the security-severity of a property bag (see
// [SecuritySeverity]).
func securitySeverity(props map[string]any) (float64, bool) {
	var s string
	switch v := props["security-severity"].(type) {
	case string:
		s = v
	case interface{ String() string }: // json.Number
		s = v.String()
	case float64:
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	default:
		return 0, false
	}
	s = strings.TrimSpace(s)
	if s == "" || strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, false // Inf, NaN, 0x1p3, 1_0
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// SeverityBand maps a security-severity score to GitHub's band: "critical"
// (9.0 and above), "high" (7.0 and above, below 9.0), "medium" (4.0 and
// above, below 7.0), "low" (above 0, below 4.0), or "" (0, below, or NaN).
func SeverityBand(score float64) string {
	switch {
	case score >= 9.0:
		return "critical"
	case score >= 7.0:
		return "high"
	case score >= 4.0:
		return "medium"
	case score > 0:
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
