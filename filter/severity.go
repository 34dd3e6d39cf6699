package filter

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// Severity is filter-sarif's severity option: the levels ("error",
// "warning", "note", "none") and security-severity bands ("critical",
// "high", "medium", "low") whose results are kept. A result is kept when
// its level is in the set, or the band of its rule's security-severity
// is.
//
// Both are read as filter-sarif reads them, which is not quite how SARIF
// or GitHub read them: the level is the result's own level (in any case),
// else the defaultConfiguration.level of the last rule (driver's, then
// extensions') with the result's ruleId as id, else "warning", whatever
// the result's kind; the band is that of the last such rule's
// security-severity (a number, or a string as Python's float reads it),
// with low meaning above 0. The empty Severity keeps every result.
type Severity struct {
	set map[string]bool
}

// SeverityValues returns the values a [Severity] list may hold, sorted
// (a new slice at each call).
func SeverityValues() []string { return slices.Clone(severityValues) }

// severityValues are the values a Severity list may hold, sorted for
// ParseSeverity's binary search.
var severityValues = []string{"critical", "error", "high", "low", "medium", "none", "note", "warning"}

// A SeverityError reports a value of a severity list that is none of
// [SeverityValues]' values.
type SeverityError struct {
	Value string
}

func (e *SeverityError) Error() string {
	return fmt.Sprintf("unknown severity %q (valid: %s)", e.Value, strings.Join(severityValues, ", "))
}

// ParseSeverity reads a comma-separated severity list as filter-sarif
// does: values are trimmed and compared in lower case, empty ones are
// skipped (a list of none keeps every result). Its error is a
// *[SeverityError].
func ParseSeverity(list string) (Severity, error) {
	var s Severity
	for _, tok := range strings.Split(list, ",") {
		v := strings.ToLower(strings.TrimFunc(tok, unicode.IsSpace))
		if v == "" {
			continue
		}
		if _, ok := slices.BinarySearch(severityValues, v); !ok {
			return Severity{}, &SeverityError{Value: v}
		}
		if s.set == nil {
			s.set = map[string]bool{}
		}
		s.set[v] = true
	}
	return s, nil
}

// Empty tells whether the severity keeps every result.
func (s Severity) Empty() bool { return len(s.set) == 0 }

// String returns the values, sorted and comma-separated.
func (s Severity) String() string {
	var v []string
	for k := range s.set {
		v = append(v, k)
	}
	slices.Sort(v)
	return strings.Join(v, ",")
}

// severityRules are filter-sarif's lookups of a run's rules by id: the
// band of their security-severity ("" for none) and their default level.
type severityRules struct {
	band, level map[string]string
}

func newSeverityRules(run *gosarif.Run) *severityRules {
	sr := &severityRules{band: map[string]string{}, level: map[string]string{}}
	if run == nil || run.Tool.Driver == nil {
		return sr
	}
	add := func(rules []*gosarif.ReportingDescriptor) {
		for _, r := range rules {
			if r == nil || r.ID == "" {
				continue
			}
			band := ""
			if r.Properties != nil {
				// filter-sarif's compute_security_severity_category
				// has GitHub's bands, sarif.SeverityBand's (low
				// above 0; NaN none): only the reading of the number
				// is Python's.
				if f, ok := pyFloat(r.Properties["security-severity"]); ok {
					band = sarif.SeverityBand(f)
				}
			}
			sr.band[r.ID] = band // the last rule of the id wins, band or none
			if r.DefaultConfiguration != nil && r.DefaultConfiguration.Level != "" {
				sr.level[r.ID] = strings.ToLower(r.DefaultConfiguration.Level)
			}
		}
	}
	add(run.Tool.Driver.Rules)
	for _, ext := range run.Tool.Extensions {
		if ext != nil {
			add(ext.Rules)
		}
	}
	return sr
}

// keeps is filter-sarif's result_matches_severity.
func (s Severity) keeps(res *gosarif.Result, rules *severityRules) bool {
	id := ""
	if res.RuleID != nil {
		id = *res.RuleID
	}
	level := ""
	if res.Level != nil {
		level = *res.Level
	}
	if level == "" {
		level = rules.level[id]
	}
	if level == "" {
		level = "warning"
	}
	if s.set[strings.ToLower(level)] {
		return true
	}
	band := rules.band[id]
	return band != "" && s.set[band]
}

// pyFloat reads v as Python's float() does: a number, a boolean (1 or 0),
// or a string of a decimal number (surrounding white space, "_" between
// digits, digits of any script, "inf", "infinity" and "nan" in any case
// allowed).
func pyFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		return f, err == nil || isRange(err)
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case string:
		return pyParseFloat(v)
	}
	return 0, false
}

func isRange(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}

// pyParseFloat parses s with Python's float syntax.
func pyParseFloat(s string) (float64, bool) {
	s = strings.Map(asciiDigit, strings.TrimFunc(s, unicode.IsSpace))
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0, false
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if strings.HasPrefix(s, "-") {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	// digits ("_" only between two digits), an optional fraction, at
	// least one digit in all, an optional exponent.
	var clean []byte
	digits, i := 0, 0
	readDigits := func() int {
		n := 0
		for i < len(body) {
			c := body[i]
			if c >= '0' && c <= '9' {
				clean = append(clean, c)
				n++
				i++
				continue
			}
			if c == '_' && n > 0 && i+1 < len(body) && body[i+1] >= '0' && body[i+1] <= '9' {
				i++
				continue
			}
			break
		}
		return n
	}
	digits += readDigits()
	if i < len(body) && body[i] == '.' {
		clean = append(clean, '.')
		i++
		digits += readDigits()
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		clean = append(clean, 'e')
		i++
		if i < len(body) && (body[i] == '+' || body[i] == '-') {
			clean = append(clean, body[i])
			i++
		}
		if readDigits() == 0 {
			return 0, false
		}
	}
	if i != len(body) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(clean), 64)
	if err != nil && !isRange(err) {
		return 0, false
	}
	if strings.HasPrefix(s, "-") {
		f = -f
	}
	return f, true
}

// asciiDigit maps a decimal digit of any script to its ASCII digit, as
// Python's float() reads them: its value is its place in its run of
// decimal digits (each script's digits are one run of ten, from zero,
// some runs adjacent), modulo ten.
func asciiDigit(r rune) rune {
	if r < 0x80 || !unicode.IsDigit(r) {
		return r
	}
	start := r
	for start > 0 && r-start < 100 && unicode.IsDigit(start-1) {
		start--
	}
	return '0' + (r-start)%10
}
