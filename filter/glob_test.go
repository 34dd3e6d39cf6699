package filter

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// The examples of filter-sarif's README and its globber's definition,
// with filter-sarif's answers (checked by running its Python).
func TestGlobMatch(t *testing.T) {
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"**/*.java", "src/main/App.java", true},
		{"**/*.java", "App.java", true},
		{"**/*Test*.java", "src/test/AppTest.java", true},
		{"**/*Test*.java", "src/main/App.java", false},
		{"myproject/**/*", "myproject/a/b.c", true},
		{"myproject/**/*", "myproject/b.c", true},
		{"myproject/**/*", "other/b.c", false},
		{"**/*", "a", true},
		{"**", "", true},
		{"*", "", true},
		{"?", "", false},
		{"*", "js/xss", false}, // one component
		{"js/*", "js/xss", true},
		{"js/*", `js\xss`, true}, // names split on "\" too
		{`js\*`, "js*", true},    // a literal star
		{`js\*`, "jsx", false},
		{`a\`, "a", false}, // a lone trailing backslash matches nothing
		{"a/", "a", true},  // trailing slashes ignored
		{"a", "a//", true},
		{"a/**/**/b", "a/b", true},
		{"a//b", "a//b", true},
		{"a/*/b", "a//b", true}, // an empty component is matched by "*"
		{"a/x*/b", "a//b", false},
		{"/etc/*", "/etc/passwd", true},
		{`\\**`, "x", false}, // an escaped backslash never matches a component
		{"", "", true},
		{"", "a", false},
		{"é?", "éé", true}, // characters, not bytes
	}
	for _, tt := range tests {
		g, err := CompileGlob(tt.glob)
		if err != nil {
			t.Errorf("CompileGlob(%q): %v", tt.glob, err)
			continue
		}
		if got := g.Match(tt.name); got != tt.want {
			t.Errorf("%q matching %q: %v, want %v", tt.glob, tt.name, got, tt.want)
		}
	}
}

func TestGlobErrors(t *testing.T) {
	for _, g := range []string{"**.txt", "/etc**", "a**", "**a", "a/**b", "***", "x/***"} {
		_, err := CompileGlob(g)
		var ge *GlobError
		if !errors.As(err, &ge) || ge.Glob != g {
			t.Errorf("CompileGlob(%q): %v, want a GlobError", g, err)
		}
	}
	for _, g := range []string{"**", "**/", "/**", "a/**/b", `\**`, `a\**`, `\\**/x`} {
		if _, err := CompileGlob(g); err != nil {
			t.Errorf("CompileGlob(%q): %v", g, err)
		}
	}
}

// Hostile globs match in polynomial time, where filter-sarif's recursion
// takes exponential time; the answers are the recursion's.
func TestGlobPathological(t *testing.T) {
	long := strings.Repeat("a", 5000)
	g, err := CompileGlob("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")
	if err != nil {
		t.Fatal(err)
	}
	if g.Match(long) {
		t.Error("a name without b matched")
	}
	if !g.Match(long + "b") {
		t.Error("a name ending in b did not match")
	}
	deep := strings.Repeat("x/", 3000) + "y"
	g, err = CompileGlob(strings.Repeat("**/x/", 60) + "z")
	if err != nil {
		t.Fatal(err)
	}
	if g.Match(deep) {
		t.Error("a path not ending in z matched")
	}
	if !g.Match(strings.Repeat("x/", 3000) + "z") {
		t.Error("a path ending in z did not match")
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct {
		line          string
		include       bool
		file, rule    string
		separatorsErr bool
	}{
		{line: "-**/*Test*.java:**", file: "**/*Test*.java", rule: "**"},
		{line: "-**/*Test*.java", file: "**/*Test*.java", rule: "**"},
		{line: "+**/*.java:java/sql-injection", include: true, file: "**/*.java", rule: "java/sql-injection"},
		{line: "**/*.java:java/sql-injection", include: true, file: "**/*.java", rule: "java/sql-injection"},
		{line: `\-this/is/an/inclusion/file/pattern\:with-a-semicolon:and/a/rule/pattern/with/a/\\/backslash`,
			include: true, file: "-this/is/an/inclusion/file/pattern:with-a-semicolon", rule: `and/a/rule/pattern/with/a/\/backslash`},
		{line: "a:", include: true, file: "a", rule: "**"},
		{line: ":r", include: true, file: "", rule: "r"},
		{line: "-", file: "", rule: "**"},
		{line: "--x", file: "-x", rule: "**"},
		{line: ` a # b `, include: true, file: ` a # b `, rule: "**"}, // no trimming, no comment
		{line: `a\*b`, include: true, file: `a\*b`, rule: "**"},       // other escapes stay for the glob
		{line: `a\`, include: true, file: `a\`, rule: "**"},
		{line: "a:b:c", separatorsErr: true},
		{line: `a\:b:c`, include: true, file: "a:b", rule: "c"},
	}
	for _, tt := range tests {
		inc, file, rule, err := splitPattern(tt.line)
		if tt.separatorsErr {
			if _, perr := ParsePattern(tt.line); !errors.Is(perr, ErrSeparators) {
				t.Errorf("%q: %v, want two separators", tt.line, perr)
			}
			continue
		}
		if err != nil || inc != tt.include || file != tt.file || rule != tt.rule {
			t.Errorf("%q: %v %q %q %v, want %v %q %q", tt.line, inc, file, rule, err, tt.include, tt.file, tt.rule)
		}
	}
	var pe *PatternError
	if _, err := ParsePattern("src/**.go"); !errors.As(err, &pe) {
		t.Errorf("a bad file glob: %v", err)
	}
	if _, err := ParsePattern("src/**:js**"); !errors.As(err, &pe) {
		t.Errorf("a bad rule glob: %v", err)
	}
}

// The README's examples, as a list: later lines override earlier ones.
func TestKeep(t *testing.T) {
	ps, err := ParsePatterns(SplitLines("+**/*.java\r\n-**/*Test*.java\n\n+**/*Test*.java:java/sql-injection"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 {
		t.Fatalf("%d patterns, want 3 (the empty line skipped)", len(ps))
	}
	tests := []struct {
		path, rule string
		want       bool
	}{
		{"src/App.java", "java/xss", true},
		{"src/AppTest.java", "java/xss", false},
		{"src/AppTest.java", "java/sql-injection", true},
		{"README.md", "any", true}, // no pattern matches: kept
	}
	for _, tt := range tests {
		if got := Keep(ps, tt.path, tt.rule); got != tt.want {
			t.Errorf("Keep(%q, %q) = %v, want %v", tt.path, tt.rule, got, tt.want)
		}
	}
	deny, _ := ParsePatterns([]string{"-**/*", "myproject/**/*"})
	if Keep(deny, "other/x.go", "r") || !Keep(deny, "myproject/x.go", "r") {
		t.Error("the README's deny-all example")
	}
}

var inf = math.Inf(1)

func TestPyFloat(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1_0", 10, true}, {"_1", 0, false}, {"1__0", 0, false}, {"1_", 0, false}, {"1._5", 0, false},
		{"1_.5", 0, false}, {".5", 0.5, true}, {"5.", 5, true}, {".", 0, false}, {"1e5", 1e5, true},
		{"1e_5", 0, false}, {"1e1_0", 1e10, true}, {" 9 ", 9, true}, {"\t9\n", 9, true}, {"+9", 9, true},
		{"-9", -9, true}, {"+-9", 0, false}, {"9e", 0, false}, {"0x10", 0, false}, {"1_0.0_1", 10.01, true},
		{"1e999", inf, true}, {"\u0669", 9, true}, {"\U0001D7D7.5", 9.5, true}, // Arabic-Indic nine; mathematical bold nine
	}
	for _, tt := range tests {
		got, ok := pyParseFloat(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("pyParseFloat(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, s := range []string{"inf", "-Infinity", "nan", "NaN"} {
		if _, ok := pyParseFloat(s); !ok {
			t.Errorf("pyParseFloat(%q) failed", s)
		}
	}
}
