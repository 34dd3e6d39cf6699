package diff

import (
	"fmt"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
)

// FailOn says which results can fail the gate.
type FailOn string

const (
	// FailOnNone: the gate never fails.
	FailOnNone FailOn = ""
	// FailOnNew: new results fail the gate.
	FailOnNew FailOn = "new"
	// FailOnUpdated: new and updated results fail the gate (an updated
	// result moved or changed its message; it may hide a new problem).
	FailOnUpdated FailOn = "updated"
	// FailOnAny: every result of head fails the gate, whatever its state
	// (new, updated or unchanged): "no results allowed".
	FailOnAny FailOn = "any"
)

// ParseFailOn parses "new", "updated", "any" or "" (none). Its error is
// a *[GateError].
func ParseFailOn(s string) (FailOn, error) {
	switch f := FailOn(s); f {
	case FailOnNone, FailOnNew, FailOnUpdated, FailOnAny:
		return f, nil
	}
	return "", &GateError{Setting: "FailOn", Value: s, Want: "new, updated or any"}
}

// A Level is the least level of the results a [Gate] counts:
// sarif.LevelError, sarif.LevelWarning or sarif.LevelNote; "" counts
// every level.
type Level string

// A SecurityBand is one of GitHub's security-severity bands, named by the
// lowest score in it: a rule's security-severity of 9.0 or more is
// critical, 7.0 high, 4.0 medium, 0.1 low.
type SecurityBand string

// GitHub's security-severity bands.
const (
	SecurityCritical SecurityBand = "critical"
	SecurityHigh     SecurityBand = "high"
	SecurityMedium   SecurityBand = "medium"
	SecurityLow      SecurityBand = "low"
)

// securityBands are GitHub's security-severity bands and their lowest
// scores.
var securityBands = map[SecurityBand]float64{SecurityCritical: 9.0, SecurityHigh: 7.0, SecurityMedium: 4.0, SecurityLow: 0.1}

// A GateError reports a setting of a [Gate] out of its range.
type GateError struct {
	// Setting names the field of Gate: "FailOn", "MinLevel" or
	// "MinSecuritySeverity".
	Setting string
	// Value is the setting's value; Want says the values allowed
	// ("new, updated or any").
	Value, Want string
}

func (e *GateError) Error() string {
	return fmt.Sprintf("Gate.%s must be %s, not %q", e.Setting, e.Want, e.Value)
}

// Gate decides which results of a comparison fail a build. The zero value
// never fails. A suppressed head result ([Item.Suppressed]) never counts,
// in any FailOn mode, whether the suppression is its own or inherited
// from the base result it matched.
type Gate struct {
	FailOn FailOn
	// MinLevel, when set, counts only results whose effective level is
	// at least that.
	MinLevel Level
	// MinSecuritySeverity, when set, counts only results whose rule has
	// a security-severity in that band or above; results without one do
	// not count.
	MinSecuritySeverity SecurityBand
	// ChangedFiles, when not nil, counts only results in these files
	// (repository-relative paths, e.g. from git diff --name-only). A
	// result's URI matches a path when it equals it or ends with "/" and
	// the path.
	ChangedFiles []string
}

// Validate checks the gate's settings; its error is a *[GateError].
func (g *Gate) Validate() error {
	if _, err := ParseFailOn(string(g.FailOn)); err != nil {
		return err
	}
	switch g.MinLevel {
	case "", sarif.LevelError, sarif.LevelWarning, sarif.LevelNote:
	default:
		return &GateError{Setting: "MinLevel", Value: string(g.MinLevel), Want: "error, warning or note"}
	}
	if _, ok := securityBands[g.MinSecuritySeverity]; g.MinSecuritySeverity != "" && !ok {
		return &GateError{Setting: "MinSecuritySeverity", Value: string(g.MinSecuritySeverity), Want: "critical, high, medium or low"}
	}
	return nil
}

// Counts tells whether a match counts against the gate.
func (g *Gate) Counts(m *Match) bool { return g.counts(m, g.fileSet()) }

func (g *Gate) fileSet() map[string]bool {
	if g.ChangedFiles == nil {
		return nil
	}
	set := map[string]bool{}
	for _, f := range g.ChangedFiles {
		if f = sarif.NormalizeURI(strings.TrimSpace(f)); f != "" {
			set[f] = true
		}
	}
	return set
}

func (g *Gate) counts(m *Match, files map[string]bool) bool {
	switch g.FailOn {
	case FailOnNew:
		if m.State != StateNew {
			return false
		}
	case FailOnUpdated:
		if m.State != StateNew && m.State != StateUpdated {
			return false
		}
	case FailOnAny:
	default:
		return false
	}
	it := m.Head
	if it == nil { // absent or not compared: only base has it
		return false
	}
	if it.Suppressed {
		return false
	}
	if g.MinLevel != "" && sarif.LevelRank(it.Level()) < sarif.LevelRank(string(g.MinLevel)) {
		return false
	}
	if g.MinSecuritySeverity != "" {
		if !it.HasSecuritySeverity || it.SecuritySeverity < securityBands[g.MinSecuritySeverity] {
			return false
		}
	}
	if files != nil && !inFiles(it.URI, files) {
		return false
	}
	return true
}

// A Verdict is a gate's judgement of a comparison: the head results that
// fail it. The reports that mark or list what fails the gate take one;
// without a gate they have none (nil), and an empty Failures means the
// gate passed.
type Verdict struct {
	Gate     Gate
	Failures []*Match // in the order of [Diff.Matches]
}

// Failed tells whether some result fails the gate.
func (v *Verdict) Failed() bool { return len(v.Failures) > 0 }

// Judge returns the gate's verdict on d.
func (g *Gate) Judge(d *Diff) *Verdict {
	return &Verdict{Gate: *g, Failures: g.Failures(d)}
}

// Failures returns the matches that fail the gate, in the order of d.
func (g *Gate) Failures(d *Diff) []*Match {
	var out []*Match
	files := g.fileSet()
	for i := range d.Matches {
		if g.counts(&d.Matches[i], files) {
			out = append(out, &d.Matches[i])
		}
	}
	return out
}

// inFiles tells whether uri is one of files or ends with "/" and one of
// them.
func inFiles(uri string, files map[string]bool) bool {
	for {
		if files[uri] {
			return true
		}
		i := strings.IndexByte(uri, '/')
		if i < 0 {
			return false
		}
		uri = uri[i+1:]
	}
}
