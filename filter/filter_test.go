package filter

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

const selectors = "../testdata/filter/selectors.sarif"

// kept returns the kept results of the log, each as the first word of
// its message, followed by "+N" when it kept N locations of several.
func kept(t *testing.T, l *sarif.Log) []string {
	var out []string
	for _, run := range l.Runs {
		for _, r := range sariftest.Results(t, run) {
			s, _, _ := strings.Cut(*r.Message.Text, " ")
			out = append(out, s)
		}
	}
	return out
}

func mustPatterns(t *testing.T, lines ...string) []Pattern {
	t.Helper()
	ps, err := ParsePatterns(lines)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func mustGlob(t *testing.T, s string) *Glob {
	t.Helper()
	g, err := CompileGlob(s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func mustSeverity(t *testing.T, s string) Severity {
	t.Helper()
	v, err := ParseSeverity(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const changedDiff = `diff --git a/src/app.js b/src/app.js
--- a/src/app.js
+++ b/src/app.js
@@ -2,4 +2,6 @@
 two
+three
 four
 five
 six
+seven
diff --git a/src/weak.js b/src/weak.js
new file mode 100644
--- /dev/null
+++ b/src/weak.js
@@ -0,0 +1 @@
+x
`

// Each selector alone, and the patterns, on one log: the results kept
// and why the others were dropped (worked out by hand from the log; the
// severity lists' answers are filter-sarif's too).
func TestFilterSelectors(t *testing.T) {
	lines, err := linemap.ReadGitDiff(strings.NewReader(changedDiff))
	if err != nil {
		t.Fatal(err)
	}
	const root = "file:///srv/scan/app/"
	all := []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "o0"}
	tests := []struct {
		name    string
		opts    Options
		want    []string
		dropped map[Reason]int
	}{
		{"nothing", Options{}, all, map[Reason]int{}},
		{"patterns as written", Options{Patterns: mustPatterns(t, "-test/**")},
			[]string{"r0", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "o0"}, map[Reason]int{ReasonPatterns: 1}},
		{"patterns resolved", Options{Patterns: mustPatterns(t, "-test/**", "-src/lib one.js", "-src/weak.js"), ResolveURIs: true, SourceRoot: root},
			[]string{"r0", "r2", "r3", "r7", "r8", "o0"}, map[Reason]int{ReasonPatterns: 4}},
		{"percent-encoding is not decoded as written", Options{Patterns: mustPatterns(t, "-src/lib one.js", "-src/win.js")},
			[]string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r8", "o0"}, map[Reason]int{ReasonPatterns: 1}},
		{"a rule pattern on the resolved rule id", Options{Patterns: mustPatterns(t, "-**:js/sqli")},
			[]string{"r0", "r1", "r2", "r4", "r5", "r6", "r7", "r8", "o0"}, map[Reason]int{ReasonPatterns: 1}}, // r4's location has no uri
		{"rule glob", Options{Rule: mustGlob(t, "js/*")},
			[]string{"r0", "r1", "r2", "r3", "r4", "r6", "r7", "r8"}, map[Reason]int{ReasonRule: 2}},
		{"min level", Options{MinLevel: "warning"},
			[]string{"r0", "r2", "r3", "r4", "r6", "o0"}, map[Reason]int{ReasonLevel: 4}},
		{"min security severity", Options{MinSecuritySeverity: "high"},
			[]string{"r0", "r2", "r3", "r4", "r7"}, map[Reason]int{ReasonSecuritySeverity: 5}},
		{"state", Options{States: []string{"new", "unchanged"}},
			[]string{"r7", "r8"}, map[Reason]int{ReasonState: 8}},
		{"suppressed excluded", Options{Suppressed: SuppressedExclude},
			[]string{"r0", "r1", "r2", "r3", "r4", "r5", "r7", "r8", "o0"}, map[Reason]int{ReasonSuppressed: 1}},
		{"suppressed only", Options{Suppressed: SuppressedOnly},
			[]string{"r6"}, map[Reason]int{ReasonSuppressed: 9}},
		{"tool", Options{Tools: []string{"Scanner"}},
			all[:9], map[Reason]int{ReasonTool: 1}},
		{"category", Options{Categories: []string{""}},
			[]string{"o0"}, map[Reason]int{ReasonCategory: 9}},
		{"changed lines", Options{ChangedLines: lines, SourceRoot: root},
			[]string{"r0", "r3", "r5"}, map[Reason]int{ReasonChangedLines: 7}},
		{"changed lines, absolute URIs outside", Options{ChangedLines: lines},
			[]string{"r0", "r3"}, map[Reason]int{ReasonChangedLines: 8}},
		{"severity error", Options{Severity: mustSeverity(t, "error")},
			[]string{"r0", "r2", "o0"}, map[Reason]int{ReasonSeverity: 7}},
		{"severity high", Options{Severity: mustSeverity(t, " HIGH ,")},
			[]string{"r4"}, map[Reason]int{ReasonSeverity: 9}},
		{"severity medium,warning", Options{Severity: mustSeverity(t, "medium,warning")},
			[]string{"r3", "r4", "r5", "r6"}, map[Reason]int{ReasonSeverity: 6}},
		{"an empty severity list keeps all", Options{Severity: mustSeverity(t, ",")}, all, map[Reason]int{}},
		{"all must hold, the first failing counts", Options{MinLevel: "warning", Patterns: mustPatterns(t, "-src/**"), Tools: []string{"Scanner"}},
			[]string{"r0", "r2", "r4"}, map[Reason]int{ReasonTool: 1, ReasonLevel: 4, ReasonPatterns: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := sariftest.Read(t, selectors)
			st, err := Filter(t.Context(), l, &tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := kept(t, l); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("kept %v, want %v", got, tt.want)
			}
			for r, n := range st.Dropped {
				if n == 0 {
					delete(st.Dropped, r)
				}
			}
			if !reflect.DeepEqual(st.Dropped, tt.dropped) {
				t.Errorf("dropped %v, want %v", st.Dropped, tt.dropped)
			}
			if st.Results != 10 || st.Kept != len(tt.want) {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// A kept result loses the locations the patterns exclude, and nothing
// else changes: its other locations are written as they were.
func TestFilterLocations(t *testing.T) {
	l := sariftest.Read(t, selectors)
	before := sariftest.Results(t, l.Runs[0])[0]
	st, err := Filter(t.Context(), l, &Options{Patterns: mustPatterns(t, "-test/**")})
	if err != nil {
		t.Fatal(err)
	}
	if st.Edited != 1 || st.LocationsDropped != 1 {
		t.Errorf("stats %+v", st)
	}
	if got, want := st.String(), "10 results: 9 kept (1 with fewer locations, 1 locations dropped), 1 dropped (patterns 1)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	out := sariftest.Parse(t, string(sariftest.Write(t, l)))
	after := sariftest.Results(t, out.Runs[0])[0]
	if len(after.Locations) != 1 || !reflect.DeepEqual(after.Locations[0], before.Locations[0]) {
		t.Errorf("locations after: %+v", after.Locations)
	}
	after.Locations, before.Locations = nil, nil
	if !reflect.DeepEqual(after, before) {
		t.Error("the result changed beyond its locations")
	}
}

// With the all-pass pattern "**", every log of the corpus is written as
// the same JSON value as it was read.
func TestFilterLossless(t *testing.T) {
	// Every log of testdata that reads as one: the corpus of real tools'
	// output, the fixtures of every package, filter-sarif's test logs.
	var files []string
	err := filepath.WalkDir("../testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "invalid" {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".sarif") || strings.HasSuffix(p, ".sarif.gz")) {
			if l, err := sarif.ReadFile(t.Context(), p, nil); err == nil {
				l.Close()
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d logs", len(files))
	if len(files) < 25 {
		t.Fatalf("only %d logs found", len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, "../testdata/"), func(t *testing.T) {
			// The input file's own JSON value, numbers as their text: what
			// the filter keeps is every value as read. (A lone surrogate
			// escape, "\ud800", is the one value not kept: sarif writes
			// U+FFFD; Go's decoder reads it as U+FFFD here too, and
			// TestLoneSurrogate shows it. Member order and escapes are
			// not values: sarif writes its own.)
			want := sariftest.JSON(t, inputFile(t, f))
			for _, resolve := range []bool{false, true} {
				l, err := sarif.ReadFile(t.Context(), f, &sarif.ReadOptions{ResultsOnDisk: true})
				if err != nil {
					t.Fatal(err)
				}
				defer l.Close()
				st, err := Filter(t.Context(), l, &Options{Patterns: mustPatterns(t, "**", "+**:**"), ResolveURIs: resolve})
				if err != nil {
					t.Fatal(err)
				}
				if st.Kept != st.Results {
					t.Errorf("kept %d of %d", st.Kept, st.Results)
				}
				if d := sariftest.Difference(want, sariftest.JSON(t, sariftest.Write(t, l))); d != "" {
					t.Errorf("changed: %s", d)
				}
			}
		})
	}
}

// Results on disk: locations dropped by a pending edit, results dropped,
// the log written from the input file.
func TestFilterOnDisk(t *testing.T) {
	inMemory := sariftest.Read(t, selectors)
	opts := &Options{Patterns: mustPatterns(t, "-test/**"), MinLevel: "note"}
	if _, err := Filter(t.Context(), inMemory, opts); err != nil {
		t.Fatal(err)
	}
	onDisk, err := sarif.ReadFile(t.Context(), selectors, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer onDisk.Close()
	if _, err := Filter(t.Context(), onDisk, opts); err != nil {
		t.Fatal(err)
	}
	if d := sariftest.Difference(sariftest.JSON(t, sariftest.Write(t, inMemory)), sariftest.JSON(t, sariftest.Write(t, onDisk))); d != "" {
		t.Error(d)
	}
}

func TestFilterOptionErrors(t *testing.T) {
	for _, o := range []Options{{MinLevel: "none"}, {MinSecuritySeverity: "severe"}, {States: []string{"fixed"}}, {Suppressed: 7},
		{SourceRoot: "/srv/scan/app/"}, {SourceRoot: "https://example.com/app/"}} {
		var oe *OptionsError
		if _, err := Filter(t.Context(), sariftest.Read(t, selectors), &o); !errors.As(err, &oe) {
			t.Errorf("%+v: %v, want an *OptionsError", o, err)
		}
	}
	if _, err := ParseSeverity("error,urgent"); err == nil || !strings.Contains(err.Error(), `"urgent"`) {
		t.Errorf("ParseSeverity: %v", err)
	}
	var oe *OptionsError
	if _, err := ParseSuppressed("all"); !errors.As(err, &oe) || oe.Option != "Suppressed" || oe.Value != "all" {
		t.Errorf("ParseSuppressed(all): %v, want an *OptionsError", err)
	}
}

// Prune drops what the kept results no longer use.
func TestFilterPrune(t *testing.T) {
	l := sariftest.Read(t, selectors)
	st, err := Filter(t.Context(), l, &Options{States: []string{"new"}, Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	// r7 (js/xss, an inline uri) is left: the other rules of the driver,
	// the extension's rule and both artifacts go.
	if want := (sarif.Pruned{Rules: 3, Artifacts: 2}); st.Pruned != want {
		t.Errorf("pruned %+v, want %+v", st.Pruned, want)
	}
	if !strings.HasSuffix(st.String(), "; pruned 3 rules, 0 taxa, 2 artifacts, 0 thread flow locations") {
		t.Errorf("String() = %q", st.String())
	}
	rules := l.Runs[0].Model.Tool.Driver.Rules
	if len(rules) != 1 || rules[0].ID != "js/xss" {
		t.Errorf("rules left: %d", len(rules))
	}
}

// The lists the package steers by are its own: what SeverityValues and
// Reasons return are copies, so a caller that changes them changes
// neither parsing nor the summary.
func TestListsAreCopies(t *testing.T) {
	v := SeverityValues()
	slices.Reverse(v)
	if _, err := ParseSeverity("critical,warning"); err != nil {
		t.Errorf("after reversing SeverityValues' copy: %v", err)
	}
	r := Reasons()
	r[0], r[len(r)-1] = r[len(r)-1], r[0]
	st := Stats{Results: 2, Dropped: map[Reason]int{ReasonTool: 1, ReasonPatterns: 1}}
	if got, want := st.String(), "2 results: 0 kept, 2 dropped (tool 1, patterns 1)"; got != want {
		t.Errorf("after swapping Reasons' copy: %q, want %q", got, want)
	}
}

// inputFile returns the bytes of a log file, gunzipped when its name ends
// in .gz.
func inputFile(t *testing.T, name string) []byte {
	t.Helper()
	data := sariftest.File(t, name)
	if !strings.HasSuffix(name, ".gz") {
		return data
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A lone surrogate escape outside the results is the one JSON value
// Filter does not keep: the log is written with U+FFFD in its place
// (escapes there are the writer's: an escaped é is written as the
// character). The results' text is kept as it was read.
func TestLoneSurrogate(t *testing.T) {
	in := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t\u00e9\ud800"}},"results":[{"message":{"text":"a\ud800b\u00e9"}}]}]}`
	l, err := sarif.Read(t.Context(), strings.NewReader(in), "in.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Filter(t.Context(), l, &Options{Patterns: mustPatterns(t, "**")}); err != nil {
		t.Fatal(err)
	}
	out := string(sariftest.Write(t, l))
	for _, want := range []string{"\"name\":\"té\uFFFD\"", `"text":"a\ud800b\u00e9"`} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in %s", want, out)
		}
	}
}

// An error names where it happened by its JSON pointer, as the other
// commands' messages do, and wraps its cause.
func TestErrorPointer(t *testing.T) {
	l, err := sarif.ReadFile(t.Context(), selectors, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = Filter(ctx, l, &Options{MinLevel: "note"})
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "/runs/0: ") {
		t.Errorf("%v, want context.Canceled at /runs/0", err)
	}
}
