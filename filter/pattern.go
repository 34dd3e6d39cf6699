package filter

import (
	"fmt"
	"regexp"
	"strings"
)

// A Pattern is one line of filter-sarif's patterns,
// "[+|-]FILE_GLOB[:RULE_GLOB]": results whose rule matches Rule, in files
// that match File, are kept (Include) or dropped. Of a list of patterns the
// last that matches both a location's file and its result's rule decides
// whether the location is kept; a location no pattern matches is kept.
//
// The line is read as filter-sarif reads it: a leading "-" makes the
// pattern an exclusion, a leading "+" is optional; the first unescaped
// ":" separates the globs, and a second is an error; "\" escapes "+", "-",
// "\" and ":" (and stays, for the glob, before any other character, where
// it makes that character literal); nothing is trimmed and "#" starts no
// comment; an empty rule glob means "**".
type Pattern struct {
	// Include is false for an exclusion ("-").
	Include bool
	// File and Rule are the globs.
	File, Rule *Glob
	// Line is the pattern as written.
	Line string
}

// A PatternError reports a pattern line that cannot be read: two
// separators (Err is [ErrSeparators]), or a glob whose "**" is not a whole component (Err is then
// a *[GlobError]).
type PatternError struct {
	Line string
	Err  error
}

func (e *PatternError) Error() string { return fmt.Sprintf("pattern %q: %v", e.Line, e.Err) }
func (e *PatternError) Unwrap() error { return e.Err }

// ErrSeparators is the [PatternError]'s Err for a line with more than
// one unescaped ":" (filter-sarif's error too).
var ErrSeparators = fmt.Errorf("more than one unescaped %q", ':')

// ParsePattern reads one pattern line (see [Pattern]). Its errors are
// *[PatternError]s. Both globs are checked here, where filter-sarif checks
// a glob only when a location first reaches it.
func ParsePattern(line string) (Pattern, error) {
	include, file, rule, err := splitPattern(line)
	if err != nil {
		return Pattern{}, &PatternError{Line: line, Err: err}
	}
	p := Pattern{Include: include, Line: line}
	if p.File, err = CompileGlob(file); err == nil {
		p.Rule, err = CompileGlob(rule)
	}
	if err != nil {
		return Pattern{}, &PatternError{Line: line, Err: err}
	}
	return p, nil
}

// splitPattern is filter-sarif's parse_pattern: the sign and the two
// globs of a line, escapes of the line's syntax undone.
func splitPattern(line string) (include bool, file, rule string, err error) {
	include = true
	s := line
	if s != "" {
		switch s[0] {
		case '-':
			include, s = false, s[1:]
		case '+':
			s = s[1:]
		}
	}
	var f, r []byte
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ':':
			if sep {
				return false, "", "", ErrSeparators
			}
			sep = true
			continue
		case '\\':
			if i+1 < len(s) {
				switch s[i+1] {
				case '+', '-', '\\', ':':
					i++
					c = s[i]
				}
			}
		}
		if sep {
			r = append(r, c)
		} else {
			f = append(f, c)
		}
	}
	if len(r) == 0 {
		r = []byte("**")
	}
	return include, string(f), string(r), nil
}

// ParsePatterns reads pattern lines, skipping empty ones as filter-sarif
// does; the first error is returned.
func ParsePatterns(lines []string) ([]Pattern, error) {
	var out []Pattern
	for _, l := range lines {
		if l == "" {
			continue
		}
		p, err := ParsePattern(l)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

var lineBreak = regexp.MustCompile("\r?\n")

// SplitLines splits text into pattern lines at "\n" and "\r\n", as
// filter-sarif's action splits its multi-line patterns input (a lone
// "\r" stays in its line).
func SplitLines(text string) []string { return lineBreak.Split(text, -1) }

// Keep tells whether patterns keep a location in the file path of a
// result of the rule ruleID: the last pattern whose globs both match
// decides; none matching keeps it.
func Keep(patterns []Pattern, path, ruleID string) bool {
	// The names are split once for all the patterns.
	var rule, file []string
	for i := len(patterns) - 1; i >= 0; i-- {
		p := &patterns[i]
		if rule == nil {
			rule = splitName(strings.TrimRight(ruleID, "/"))
		}
		if !p.Rule.matchComponents(rule) {
			continue
		}
		if file == nil {
			file = splitName(strings.TrimRight(path, "/"))
		}
		if p.File.matchComponents(file) {
			return p.Include
		}
	}
	return true
}
