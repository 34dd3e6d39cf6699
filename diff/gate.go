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

// ParseFailOn parses "new", "updated", "any" or "" (none).
func ParseFailOn(s string) (FailOn, error) {
	switch f := FailOn(s); f {
	case FailOnNone, FailOnNew, FailOnUpdated, FailOnAny:
		return f, nil
	}
	return "", fmt.Errorf("fail-on must be new, updated or any, not %q", s)
}

// securityBands are GitHub's security-severity bands and their lowest
// scores.
var securityBands = map[string]float64{"critical": 9.0, "high": 7.0, "medium": 4.0, "low": 0.1}

// Gate decides which results of a comparison fail a build. The zero value
// never fails. A suppressed head result ([Item.Suppressed]) never counts,
// in any FailOn mode, whether the suppression is its own or inherited
// from the base result it matched.
type Gate struct {
	FailOn FailOn
	// MinLevel, when set ("error", "warning" or "note"), counts only
	// results whose effective level is at least that.
	MinLevel string
	// MinSecuritySeverity, when set ("critical", "high", "medium" or
	// "low"), counts only results whose rule has a security-severity in
	// that band or above; results without one do not count.
	MinSecuritySeverity string
	// ChangedFiles, when not nil, counts only results in these files
	// (repository-relative paths, e.g. from git diff --name-only). A
	// result's URI matches a path when it equals it or ends with "/" and
	// the path.
	ChangedFiles []string
}

// Validate checks the gate's settings.
func (g *Gate) Validate() error {
	if _, err := ParseFailOn(string(g.FailOn)); err != nil {
		return err
	}
	switch g.MinLevel {
	case "", sarif.LevelError, sarif.LevelWarning, sarif.LevelNote:
	default:
		return fmt.Errorf("min-level must be error, warning or note, not %q", g.MinLevel)
	}
	if _, ok := securityBands[g.MinSecuritySeverity]; g.MinSecuritySeverity != "" && !ok {
		return fmt.Errorf("min-security-severity must be critical, high, medium or low, not %q", g.MinSecuritySeverity)
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
	if g.MinLevel != "" && sarif.LevelRank(it.Level()) < sarif.LevelRank(g.MinLevel) {
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
