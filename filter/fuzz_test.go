package filter

import (
	"regexp"
	"strings"
	"testing"
)

// refMatch is filter-sarif's globber.match transcribed as it is written,
// recursion and all (exponential: for short inputs only), to check the
// Glob's dynamic programming against.
func refMatch(pattern, name string) (match, invalid bool) {
	if regexp.MustCompile(`[^/\\]\*\*`).MatchString(pattern) || regexp.MustCompile(`^\*\*[^/]`).MatchString(pattern) ||
		regexp.MustCompile(`[^\\]\*\*[^/]`).MatchString(pattern) {
		return false, true
	}
	pattern = strings.TrimRight(pattern, "/")
	name = strings.TrimRight(name, "/")
	for strings.Contains(pattern, "**/**") {
		pattern = strings.ReplaceAll(pattern, "**/**", "**")
	}
	return refComponents(strings.Split(pattern, "/"), regexp.MustCompile(`[\\/]`).Split(name, -1)), false
}

func refComponents(p, n []string) bool {
	switch {
	case len(p) == 0 && len(n) == 0:
		return true
	case len(p) == 0:
		return false
	case len(n) == 0:
		return len(p) == 1 && p[0] == "**"
	case p[0] == "**":
		return refComponents(p, n[1:]) || refComponents(p[1:], n)
	}
	return refComponent([]rune(p[0]), []rune(n[0])) && refComponents(p[1:], n[1:])
}

func refComponent(p, n []rune) bool {
	switch {
	case len(p) == 0 && len(n) == 0:
		return true
	case len(p) == 0:
		return false
	case len(n) == 0:
		return string(p) == "*"
	case p[0] == '*':
		return refComponent(p, n[1:]) || refComponent(p[1:], n)
	case p[0] == '?':
		return refComponent(p[1:], n[1:])
	case p[0] == '\\':
		return len(p) >= 2 && p[1] == n[0] && refComponent(p[2:], n[1:])
	case p[0] != n[0]:
		return false
	}
	return refComponent(p[1:], n[1:])
}

// FuzzGlob checks Glob against the transcribed recursion.
func FuzzGlob(f *testing.F) {
	for _, s := range [][2]string{{"**/*.java", "src/App.java"}, {`a\*`, "a*"}, {"a/*/b", "a//b"}, {"*a*b", "aab"},
		{"**", ""}, {`\\**/x`, `\/x`}, {"?é", "xé"}, {"/**/", "/a/b/"}, {"a**", "a"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if len(pattern) > 12 || len(name) > 16 || !utf8Valid(pattern, name) {
			return // the reference is exponential; Go strings of bytes are not Python's
		}
		want, invalid := refMatch(pattern, name)
		g, err := CompileGlob(pattern)
		if (err != nil) != invalid {
			t.Fatalf("CompileGlob(%q): %v, reference invalid %v", pattern, err, invalid)
		}
		if err == nil && g.Match(name) != want {
			t.Fatalf("%q matching %q: %v, reference %v", pattern, name, !want, want)
		}
	})
}

func utf8Valid(s ...string) bool {
	for _, x := range s {
		if strings.ToValidUTF8(x, "\uFFFD") != x {
			return false
		}
	}
	return true
}
