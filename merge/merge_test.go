package merge

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

func read(t testing.TB, name string) *sarif.Log { return sariftest.Read(t, name) }

func parse(t testing.TB, s string) *sarif.Log { return sariftest.Parse(t, s) }

func write(t testing.TB, l *sarif.Log) []byte { return sariftest.Write(t, l) }

func generic(t testing.TB, data []byte) any { return sariftest.JSON(t, data) }

// Merging a single file gives it back, as JSON, for every corpus file and
// the fixtures that stretch the model (unknown members, nulls, exact
// numbers).
func TestSingleFileIsIdentity(t *testing.T) {
	t.Parallel()
	files := append(corpus.Files(t, "real"), "../testdata/valid/tricky-roundtrip.sarif", "../testdata/invalid/nulls-and-unknowns.sarif")
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, st, err := Merge(t.Context(), []sarif.Input{{Name: f, Log: read(t, f)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := sariftest.Difference(generic(t, in), generic(t, write(t, out))); d != "" {
			t.Errorf("%s: merging the file alone changed it: %s", filepath.Base(f), d)
		}
		if st.ResultsIn != st.ResultsOut || st.Duplicates != 0 {
			t.Errorf("%s: %+v", f, st)
		}
	}
}

// resultSet returns every result of a log as canonical JSON with its rule
// id and artifact URI resolved, so that logs can be compared by content
// whatever their indices.
func resultSet(t testing.TB, l *sarif.Log) []string {
	var out []string
	for _, run := range l.Runs {
		rv := run.Resolver()
		for _, r := range sariftest.Results(t, run) {
			rr := *r
			rr.RuleIndex, rr.Rule = nil, nil
			id := rv.RuleID(r)
			rr.RuleID = &id
			b, err := run.Encode(&rr)
			if err != nil {
				t.Fatal(err)
			}
			// Artifact indices differ after a merge; the URIs must not.
			s := string(b) + " @" + run.Tool() + " " + rv.PrimaryURI(r)
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// The whole corpus merged: valid, and every input result is in the output
// exactly once (with --keep-duplicates), or once per distinct content.
func TestMergeCorpus(t *testing.T) {
	t.Parallel()
	files := corpus.Files(t, "real")
	for _, keep := range []bool{true, false} {
		var inputs []sarif.Input
		var want []string
		for _, f := range files {
			want = append(want, resultSet(t, read(t, f))...)
			inputs = append(inputs, sarif.Input{Name: f, Log: read(t, f)})
		}
		slices.Sort(want)
		out, st, err := Merge(t.Context(), inputs, &Options{KeepDuplicates: keep})
		if err != nil {
			t.Fatal(err)
		}
		data := write(t, out)
		v, _ := schema.New(&schema.Options{GitHub: true})
		findings, err := v.ValidateBytes(context.Background(), data, "merged")
		if err != nil || schema.HasErrors(findings) {
			t.Fatalf("merged corpus invalid: %v %v", err, findings)
		}
		got := resultSet(t, out)
		if st.RunsOut != 3 {
			t.Errorf("runs out %d, want 3 (golangci-lint, gosec, ESLint)", st.RunsOut)
		}
		if keep {
			if !slices.Equal(got, want) || st.ResultsOut != st.ResultsIn || st.Duplicates != 0 {
				t.Errorf("keep-duplicates: %d results in, %d out, contents equal %v", len(want), len(got), slices.Equal(got, want))
			}
			continue
		}
		if !slices.Equal(got, slices.Compact(slices.Clone(want))) {
			t.Errorf("folding: the output is not the input's distinct results")
		}
		if st.ResultsOut+st.Duplicates != st.ResultsIn || st.ResultsOut != len(got) {
			t.Errorf("stats %+v", st)
		}
	}
}

// Two runs of one tool with different rule orders and artifacts arrays,
// results pointing by index: after the merge every result still points at
// the same rule id and artifact URI.
func TestIndexRemapping(t *testing.T) {
	t.Parallel()
	a := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"A"},{"id":"B"}]}},
	  "artifacts":[{"location":{"uri":"x.go"}},{"location":{"uri":"y.go"}}],
	  "threadFlowLocations":[{"location":{"message":{"text":"a0"}}}],
	  "logicalLocations":[{"name":"fa"}],
	  "results":[
	    {"ruleId":"A","ruleIndex":0,"message":{"text":"a1"},"locations":[{"physicalLocation":{"artifactLocation":{"index":1}},"logicalLocations":[{"index":0}]}]},
	    {"ruleId":"B","ruleIndex":1,"message":{"text":"a2"},"locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}],
	     "codeFlows":[{"threadFlows":[{"locations":[{"index":0}]}]}]}]}]}`)
	b := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"C"},{"id":"B"},{"id":"A"}]},
	  "extensions":[{"name":"ext","rules":[{"id":"E1"},{"id":"E2"}]}]},
	  "artifacts":[{"location":{"uri":"z.go"}},{"location":{"uri":"x.go"}}],
	  "threadFlowLocations":[{"location":{"message":{"text":"b0"}}},{"location":{"message":{"text":"b1"}}}],
	  "logicalLocations":[{"name":"fb0"},{"name":"fb1"}],
	  "results":[
	    {"ruleId":"C","ruleIndex":0,"message":{"text":"b1"},"locations":[{"physicalLocation":{"artifactLocation":{"index":0}},"logicalLocations":[{"index":1}]}]},
	    {"ruleId":"A","ruleIndex":2,"message":{"text":"b2"},"locations":[{"physicalLocation":{"artifactLocation":{"index":1}}}],
	     "codeFlows":[{"threadFlows":[{"locations":[{"index":1}]}]}]},
	    {"rule":{"id":"E2","index":1,"toolComponent":{"index":0}},"message":{"text":"b3"},"locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}]}]}]}`)
	out, st, err := Merge(t.Context(), []sarif.Input{{Name: "a", Log: a}, {Name: "b", Log: b}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := schema.New(nil)
	if f, err := v.ValidateLog(context.Background(), out, "m"); err != nil || len(f) != 0 {
		t.Errorf("merged log: %v %v", err, f)
	}
	if len(out.Runs) != 1 || st.ResultsOut != 5 {
		t.Fatalf("%+v", st)
	}
	rv := out.Runs[0].Resolver()
	run := out.Runs[0].Model
	type want struct{ rule, uri, logical, tfl string }
	wants := map[string]want{
		"a1": {"A", "y.go", "fa", ""},
		"a2": {"B", "x.go", "", "a0"},
		"b1": {"C", "z.go", "fb1", ""},
		"b2": {"A", "x.go", "", "b1"},
		"b3": {"E2", "z.go", "", ""},
	}
	for _, r := range sariftest.Results(t, out.Runs[0]) {
		w := wants[*r.Message.Text]
		rule := rv.Rule(r)
		if rule == nil || rule.ID != w.rule {
			t.Errorf("%s: rule %v, want %s", *r.Message.Text, rule, w.rule)
		}
		if r.RuleIndex != nil && run.Tool.Driver.Rules[*r.RuleIndex].ID != w.rule {
			t.Errorf("%s: ruleIndex points at %s", *r.Message.Text, run.Tool.Driver.Rules[*r.RuleIndex].ID)
		}
		al := r.Locations[0].PhysicalLocation.ArtifactLocation
		if got := *run.Artifacts[*al.Index].Location.URI; got != w.uri {
			t.Errorf("%s: artifact %s, want %s", *r.Message.Text, got, w.uri)
		}
		if w.logical != "" {
			if got := *run.LogicalLocations[*r.Locations[0].LogicalLocations[0].Index].Name; got != w.logical {
				t.Errorf("%s: logical location %s, want %s", *r.Message.Text, got, w.logical)
			}
		}
		if w.tfl != "" {
			idx := *r.CodeFlows[0].ThreadFlows[0].Locations[0].Index
			if got := *run.ThreadFlowLocations[idx].Location.Message.Text; got != w.tfl {
				t.Errorf("%s: thread flow location %s, want %s", *r.Message.Text, got, w.tfl)
			}
		}
	}
	if ids := func() (s []string) {
		for _, r := range run.Tool.Driver.Rules {
			s = append(s, r.ID)
		}
		return
	}(); !slices.Equal(ids, []string{"A", "B", "C"}) {
		t.Errorf("rules %v", ids)
	}
	if n := len(run.Artifacts); n != 3 {
		t.Errorf("%d artifacts, want 3 (x.go folded)", n)
	}
}

func TestCategoriesAndConflicts(t *testing.T) {
	t.Parallel()
	mk := func(tool, id, base string) *sarif.Log {
		ad := ""
		if id != "" {
			ad = `,"automationDetails":{"id":"` + id + `"}`
		}
		ob := ""
		if base != "" {
			ob = `,"originalUriBaseIds":{"SRC":{"uri":"` + base + `"}}`
		}
		return parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"`+tool+`","semanticVersion":"1.0.0"}}`+ad+ob+`,"results":[{"ruleId":"R","message":{"text":"`+tool+id+`"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go","uriBaseId":"SRC"}}}]}]}]}`)
	}
	// Distinct categories stay distinct.
	out, st, err := Merge(t.Context(), []sarif.Input{{Name: "1", Log: mk("t", "a/", "")}, {Name: "2", Log: mk("t", "b/", "")}}, nil)
	if err != nil || st.RunsOut != 2 || st.ResultsOut != 2 {
		t.Fatalf("%v %+v", err, st)
	}
	// Category fills in the missing ones; a run of another category is
	// an error, unless the category is to replace it.
	out, st, err = Merge(t.Context(), []sarif.Input{{Name: "1", Log: mk("t", "a/", "")}, {Name: "3", Log: mk("t", "", "")}}, &Options{Category: "a"})
	if err != nil || st.RunsOut != 1 || st.ResultsOut != 2 || out.Runs[0].Category() != "a" {
		t.Fatalf("%v %+v", err, st)
	}
	_, _, err = Merge(t.Context(), []sarif.Input{{Name: "1", Log: mk("t", "a/", "")}, {Name: "2", Log: mk("t", "b/", "")}}, &Options{Category: "a"})
	var cerr *CategoryError
	if !errors.As(err, &cerr) || err.Error() != `2: the run of t has category "b" already, not "a"` {
		t.Errorf("want a CategoryError, got %v", err)
	}
	out, st, err = Merge(t.Context(), []sarif.Input{{Name: "1", Log: mk("t", "a/", "")}, {Name: "2", Log: mk("t", "b/", "")}, {Name: "3", Log: mk("t", "", "")}}, &Options{Category: "c", ReplaceCategory: true})
	if err != nil || st.RunsOut != 1 || st.ResultsOut != 3 || out.Runs[0].Category() != "c" {
		t.Fatalf("replace: %v %+v", err, st)
	}
	out, st, _ = Merge(t.Context(), []sarif.Input{{Name: "1", Log: mk("t", "", "")}, {Name: "2", Log: mk("u", "", "")}}, &Options{CategoryFromTool: true})
	if st.RunsOut != 2 || *out.Runs[1].Model.AutomationDetails.ID != "u/" {
		t.Errorf("category from tool: %+v", st)
	}
	// Conflicting base ids: an error naming both inputs, or a rename.
	_, _, err = Merge(t.Context(), []sarif.Input{{Name: "one.sarif", Log: mk("t", "", "file:///x/")}, {Name: "two.sarif", Log: mk("t", "", "file:///y/")}}, nil)
	var ce *ConflictError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "one.sarif and two.sarif") {
		t.Errorf("want a ConflictError naming both files, got %v", err)
	}
	out, st, err = Merge(t.Context(), []sarif.Input{{Name: "one.sarif", Log: mk("t", "", "file:///x/")}, {Name: "two.sarif", Log: mk("t", "", "file:///y/")}}, &Options{RenameURIBases: true})
	if err != nil || len(st.Warnings) != 1 {
		t.Fatalf("%v %+v", err, st)
	}
	rv := out.Runs[0].Resolver()
	rs := sariftest.Results(t, out.Runs[0])
	if a, b := rv.PrimaryURI(rs[0]), rv.PrimaryURI(rs[1]); a != "file:///x/a.go" || b != "file:///y/a.go" {
		t.Errorf("after the rename: %s, %s", a, b)
	}
	// Same tool and category, other version: two runs to GitHub, kept
	// apart (see TestRunIdentity).
	other := mk("t", "", "")
	*other.Runs[0].Model.Tool.Driver.SemanticVersion = "2.0.0"
	if _, st, err = Merge(t.Context(), []sarif.Input{{Name: "old", Log: mk("t", "", "")}, {Name: "new", Log: other}}, nil); err != nil || st.RunsOut != 2 {
		t.Errorf("other semantic version: %v %+v", err, st)
	}
	// Same rule id, different content: the first kept, with a warning.
	r1 := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R","shortDescription":{"text":"one"}}]}},"results":[]}]}`)
	r2 := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R","shortDescription":{"text":"two"}}]}},"results":[]}]}`)
	out, st, _ = Merge(t.Context(), []sarif.Input{{Name: "r1.sarif", Log: r1}, {Name: "r2.sarif", Log: r2}}, nil)
	if len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "r1.sarif and r2.sarif") || *out.Runs[0].Model.Tool.Driver.Rules[0].ShortDescription.Text != "one" {
		t.Errorf("rule conflict: %+v", st)
	}
}

func TestRebaseURIs(t *testing.T) {
	t.Parallel()
	l := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
	  "originalUriBaseIds":{"ROOT":{"uri":"file:///src/express/"}},
	  "artifacts":[{"location":{"uri":"file:///src/express/lib/a.js"}}],
	  "results":[
	   {"message":{"text":"abs"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///src/express/lib/router/index%20x.js"}}}]},
	   {"message":{"text":"via base"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"lib/b.js","uriBaseId":"ROOT"}}}]},
	   {"message":{"text":"outside"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///usr/lib/x.js"}}}]},
	   {"message":{"text":"relative"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"lib/c.js"}}}]}]}]}`)
	n, err := RebaseURIs(t.Context(), l, "/src/express", "")
	if err != nil || n != 3 {
		t.Fatalf("%d %v", n, err)
	}
	rv, run := l.Runs[0].Resolver(), l.Runs[0].Model
	var got []string
	for _, r := range sariftest.Results(t, l.Runs[0]) {
		got = append(got, rv.PrimaryURI(r))
	}
	if want := []string{"lib/router/index%20x.js", "lib/b.js", "file:///usr/lib/x.js", "lib/c.js"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if *run.OriginalUriBaseIDs["ROOT"].URI != "file:///src/express/" || *run.Artifacts[0].Location.URI != "lib/a.js" {
		t.Error("base ids must stay, artifacts must be rebased")
	}

	// A Windows runner's checkout, named by URI, drive letters in either
	// case; a uriBaseId for the rebased ones.
	w := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	   {"message":{"text":"upper"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///D:/a/app/app/src/x.go"}}}]},
	   {"message":{"text":"lower"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///d:/a/app/app/src/y.go"}}}]},
	   {"message":{"text":"other"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///d:/a/app/other/z.go"}}}]}]}]}`)
	if n, err := RebaseURIs(t.Context(), w, "file:///d:/a/app/app", "SRCROOT"); err != nil || n != 2 {
		t.Fatalf("windows: %d %v", n, err)
	}
	rv = w.Runs[0].Resolver()
	rs := sariftest.Results(t, w.Runs[0])
	got = nil
	for _, r := range rs {
		got = append(got, rv.PrimaryURI(r))
	}
	if want := []string{"file:///d:/a/app/app/src/x.go", "file:///d:/a/app/app/src/y.go", "file:///d:/a/app/other/z.go"}; !slices.Equal(got, want) {
		t.Errorf("windows: resolved %q, want %q", got, want)
	}
	if *rs[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "src/x.go" {
		t.Errorf("windows: not rebased")
	}
}

// Only results equal as JSON values are duplicates: results that differ
// in anything but the order of their members, or in how they name their
// rule, are all kept, whichever input they come from. (Before: the key
// covered rule, kind, level, message, locations and fingerprints, so
// every variant below was folded into the first, a suppressed copy and
// an unsuppressed one included.)
func TestDuplicatesAreEqualJSON(t *testing.T) {
	t.Parallel()
	const core = `"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":3}}}]`
	loc := `{"physicalLocation":{"artifactLocation":{"uri":"b.go"},"region":{"startLine":9}}}`
	variants := []string{
		`"properties":{"confidence":"high"}`,
		`"properties":{"confidence":"low"}`,
		`"codeFlows":[{"threadFlows":[{"locations":[{"location":` + loc + `}]}]}]`,
		`"relatedLocations":[` + loc + `]`,
		`"stacks":[{"frames":[{"location":` + loc + `}]}]`,
		`"fixes":[{"artifactChanges":[{"artifactLocation":{"uri":"a.go"},"replacements":[{"deletedRegion":{"startLine":3}}]}]}]`,
		`"suppressions":[{"kind":"inSource"}]`,
		`"baselineState":"new"`,
		`"attachments":[{"artifactLocation":{"uri":"c.txt"}}]`,
	}
	var first, second []string
	first = append(first, `{"ruleId":"R",`+core+`}`)
	for _, v := range variants {
		first = append(first, `{"ruleId":"R",`+core+`,`+v+`}`)
	}
	// The second input repeats every one, members in another order and
	// the rule named by index too; and brings one of its own.
	second = append(second, `{`+core+`,"ruleIndex":0,"ruleId":"R"}`)
	for _, v := range variants {
		second = append(second, `{`+v+`,`+core+`,"ruleId":"R"}`)
	}
	second = append(second, `{"ruleId":"R",`+core+`,"properties":{"confidence":"medium"}}`)
	log := func(results []string) string {
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R"}]}},"results":[` + strings.Join(results, ",") + `]}]}`
	}
	a, b := parse(t, log(first)), parse(t, log(second))
	out, st, err := Merge(t.Context(), []sarif.Input{{Name: "first", Log: a}, {Name: "second", Log: b}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(variants) + 2; st.ResultsOut != want || st.Duplicates != len(variants)+1 {
		t.Fatalf("%d results out, %d folded; want %d out, %d folded", st.ResultsOut, st.Duplicates, want, len(variants)+1)
	}
	// The first input's copies are the ones kept, in its order.
	got := sariftest.Texts(t, out.Runs[0])
	for i, r := range got[:len(first)] {
		if string(r) != first[i] {
			t.Errorf("result %d: %s, want %s", i, r, first[i])
		}
	}
}

// What the model cannot hold survives in everything a combined run brings
// over: a new extension and taxonomy (before: copied by value, so their
// x- members were lost), their rules and taxa, artifacts, invocations,
// base ids and the results.
func TestCombinedRunKeepsUnknownMembers(t *testing.T) {
	t.Parallel()
	a := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","x-d":1}},"x-run":"a","results":[{"ruleId":"R","message":{"text":"a"},"x-r":1}]}]}`)
	b := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R","x-rule":2}]},
	  "extensions":[{"name":"ext","x-vendor":"v","rules":[{"id":"E","x-er":3.50}]}]},
	  "taxonomies":[{"name":"CWE","x-tax":true,"taxa":[{"id":"79","x-taxon":null}]}],
	  "artifacts":[{"location":{"uri":"a.go","x-al":1},"x-art":1}],
	  "invocations":[{"executionSuccessful":true,"x-inv":1}],
	  "originalUriBaseIds":{"SRC":{"uri":"file:///s/","x-base":1}},
	  "results":[{"rule":{"id":"E","index":0,"toolComponent":{"index":0}},"message":{"text":"b"},"x-r":2,
	    "taxa":[{"id":"79","index":0,"toolComponent":{"index":0}}]}]}]}`)
	out, _, err := Merge(t.Context(), []sarif.Input{{Name: "a", Log: a}, {Name: "b", Log: b}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := string(write(t, out))
	for _, want := range []string{`"x-d":1`, `"x-run":"a"`, `"x-rule":2`, `"x-vendor":"v"`, `"x-er":3.50`, `"x-tax":true`,
		`"x-taxon":null`, `"x-al":1`, `"x-art":1`, `"x-inv":1`, `"x-base":1`, `"x-r":1`, `"x-r":2`} {
		if !strings.Contains(got, want) {
			t.Errorf("merged log lacks %s:\n%s", want, got)
		}
	}
}

// The taxa of a thread-flow location are remapped as a result's are
// (before: only the result's were, so a step's taxon named another).
func TestCombinedRunRemapsThreadFlowTaxa(t *testing.T) {
	t.Parallel()
	a := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
	  "taxonomies":[{"name":"CWE","taxa":[{"id":"89"}]}],"results":[]}]}`)
	b := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
	  "taxonomies":[{"name":"OWASP","taxa":[{"id":"A1"}]},{"name":"CWE","taxa":[{"id":"79"}]}],
	  "results":[{"message":{"text":"b"},"taxa":[{"id":"79","index":0,"toolComponent":{"index":1}}],
	    "codeFlows":[{"threadFlows":[{"locations":[{"taxa":[{"id":"79","index":0,"toolComponent":{"index":1}}]}]}]}]}]}]}`)
	out, _, err := Merge(t.Context(), []sarif.Input{{Name: "a", Log: a}, {Name: "b", Log: b}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// CWE is the first taxonomy of the merged run, and 79 its second taxon.
	const ref = `{"id":"79","index":1,"toolComponent":{"index":0}}`
	want := `{"message":{"text":"b"},"taxa":[` + ref + `],"codeFlows":[{"threadFlows":[{"locations":[{"taxa":[` + ref + `]}]}]}]}`
	if got := sariftest.Texts(t, out.Runs[0]); len(got) != 1 || string(got[0]) != want {
		t.Errorf("results:\n%s\nwant:\n%s", got, want)
	}
}
