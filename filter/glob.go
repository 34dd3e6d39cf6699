package filter

import (
	"fmt"
	"strings"
)

// A Glob is a pattern of filter-sarif's glob syntax, matched against a
// path or a rule id one component at a time: the name is split on "/"
// and "\", the pattern on "/" (a trailing "/" of either is ignored).
// Within a component "*" matches any run of characters, "?" one
// character, and "\" makes the next character literal (a "\" ending a
// component matches nothing); a component "**" matches zero or more whole
// components. "**" anywhere else (in "a**", "**.go", "/etc**") is an
// error, which [CompileGlob] reports at once where filter-sarif reports
// it only when it first matches the glob.
//
// Matching follows filter-sarif's recursive definition exactly, in
// particular its surprise: an empty name component (from "a//b", or the
// leading "/" of an absolute path) is matched within a component only by
// "*" (and by an empty pattern component), not by "?" nor "x*". It does so
// in time proportional to the product of the lengths of pattern and name
// at worst, where the recursion takes exponential time ("*a*a*a*a*b"
// against a long name, many "**").
type Glob struct {
	text  string
	comps []globComp
}

// A globComp is one component of a glob: "**", or a pattern within one
// name component.
type globComp struct {
	any     bool   // "**"
	literal bool   // no special character: matched by equality
	text    string // the component as written
	runes   []rune
}

// A GlobError reports a glob in which "**" is not a whole component.
type GlobError struct {
	Glob string
}

func (e *GlobError) Error() string {
	return fmt.Sprintf("** in %q not alone between path separators", e.Glob)
}

// CompileGlob compiles a glob (see [Glob]). Its only error is a
// *[GlobError].
func CompileGlob(pattern string) (*Glob, error) {
	if !validStars(pattern) {
		return nil, &GlobError{Glob: pattern}
	}
	p := strings.TrimRight(pattern, "/")
	for strings.Contains(p, "**/**") {
		p = strings.ReplaceAll(p, "**/**", "**")
	}
	g := &Glob{text: pattern}
	for _, c := range strings.Split(p, "/") {
		gc := globComp{text: c, any: c == "**", literal: !strings.ContainsAny(c, `*?\`)}
		if !gc.any && !gc.literal {
			gc.runes = []rune(c)
		}
		g.comps = append(g.comps, gc)
	}
	return g, nil
}

// validStars tells whether every "**" of the glob stands where
// filter-sarif allows it. Its three tests, on the glob as written: no
// character other than "/" or "\" before a "**"; no "**" at the start
// followed by anything but "/"; no "**" after anything but "\" and
// followed by anything but "/".
func validStars(p string) bool {
	for i := 0; i+1 < len(p); i++ {
		if p[i] != '*' || p[i+1] != '*' {
			continue
		}
		if i > 0 && p[i-1] != '/' && p[i-1] != '\\' {
			return false
		}
		if i+2 < len(p) && p[i+2] != '/' && (i == 0 || p[i-1] != '\\') {
			return false
		}
	}
	return true
}

// String returns the glob as it was written.
func (g *Glob) String() string { return g.text }

// Match tells whether the glob matches name.
func (g *Glob) Match(name string) bool {
	name = strings.TrimRight(name, "/")
	return g.matchComponents(splitName(name))
}

// splitName splits a name on "/" and "\", keeping empty components.
func splitName(name string) []string {
	var out []string
	start := 0
	for i := 0; i < len(name); i++ {
		if name[i] == '/' || name[i] == '\\' {
			out = append(out, name[start:i])
			start = i + 1
		}
	}
	return append(out, name[start:])
}

// matchComponents is filter-sarif's _match_components, computed from the
// end: ok[b] tells whether the glob's components from a match the name's
// from b, for the current a.
func (g *Glob) matchComponents(names []string) bool {
	A, B := len(g.comps), len(names)
	// Fast paths: the common globs "**" and a literal path.
	if A == 1 && g.comps[0].any {
		return true
	}
	next := make([]bool, B+1) // row a+1
	cur := make([]bool, B+1)  // row a
	// Row A: only the empty rest of the name matches the empty rest of
	// the glob.
	next[B] = true
	var rows componentMatcher
	for a := A - 1; a >= 0; a-- {
		c := &g.comps[a]
		// The name exhausted: only a single "**" left matches.
		cur[B] = a == A-1 && c.any
		for b := B - 1; b >= 0; b-- {
			if c.any {
				cur[b] = cur[b+1] || next[b]
			} else {
				cur[b] = next[b+1] && rows.match(c, names[b])
			}
		}
		cur, next = next, cur
	}
	return next[0]
}

// componentMatcher matches a glob component against a name component,
// reusing its buffers.
type componentMatcher struct {
	name      []rune
	next, cur []bool
}

// match is filter-sarif's _match_component, computed from the end of
// both: row j holds, for every i, whether the pattern from i matches the
// name from j.
func (m *componentMatcher) match(c *globComp, name string) bool {
	if c.literal {
		return c.text == name
	}
	if c.text == "*" {
		return true
	}
	m.name = append(m.name[:0], []rune(name)...)
	p, n := c.runes, m.name
	P, N := len(p), len(n)
	m.next = grow(m.next, P+2)
	m.cur = grow(m.cur, P+2)
	next, cur := m.next, m.cur // rows j+1 and j
	// Row N: the name exhausted; only an empty pattern or "*" matches.
	for i := 0; i <= P+1; i++ {
		next[i] = i == P || (i == P-1 && p[i] == '*')
	}
	for j := N - 1; j >= 0; j-- {
		cur[P] = false
		cur[P+1] = false
		for i := P - 1; i >= 0; i-- {
			switch p[i] {
			case '*':
				cur[i] = next[i] || cur[i+1]
			case '?':
				cur[i] = next[i+1]
			case '\\':
				cur[i] = i+1 < P && p[i+1] == n[j] && next[i+2]
			default:
				cur[i] = p[i] == n[j] && next[i+1]
			}
		}
		cur, next = next, cur
	}
	return next[0]
}

func grow(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	return b[:n]
}
