package diff

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// withCategory returns the log's JSON with automationDetails.id set on
// every run.
func withCategory(t testing.TB, name, id string) map[string]any {
	t.Helper()
	v := jsonLog(t, name)
	for _, r := range v["runs"].([]any) {
		r.(map[string]any)["automationDetails"] = map[string]any{"id": id}
	}
	return v
}

// Base and head that differ only in their category are the same
// configuration: compared as such, with a note. (Before: 19 new and 17
// absent, every result of both.)
func TestRecategorizedRunsArePaired(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t)
	base := readLog(t, dir+"/real/gosec-gin-v1.9.0.sarif")
	head := logFrom(t, withCategory(t, dir+"/real/gosec-gin-v1.10.0.sarif", "gosec/"))
	d := compare(t, base, head)
	if got := counts(d); got != [4]int{4, 2, 8, 7} {
		t.Errorf("new/absent/updated/unchanged %v, want the uncategorised comparison's [4 2 8 7]", got)
	}
	want := []RunPair{{Tool: "gosec", BaseCategory: "", HeadCategory: "gosec", InBase: true, InHead: true, BaseResults: 17, HeadResults: 19}}
	if !slices.Equal(d.Runs, want) {
		t.Errorf("runs %+v\nwant %+v", d.Runs, want)
	}
	if notes := d.Notes(); len(notes) != 1 || !strings.Contains(notes[0].String(), `compared a run of "gosec" without category of base with a run of "gosec" with category "gosec" of head`) {
		t.Errorf("notes %q", notes)
	}
}

// A tool that ran on base but not on head is not compared: its results
// are not absent (GitHub keeps the alerts of a configuration that did not
// run), and the report says so. (Before: 1477 golangci-lint results
// absent.) A tool only head has gives new results, with a note.
func TestUnpairedRuns(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t)
	gosec9 := jsonLog(t, dir+"/real/gosec-gin-v1.9.0.sarif")
	lint10 := jsonLog(t, dir+"/real/golangci-lint-gin-v1.10.0.sarif")
	both := clone(t, gosec9)
	both["runs"] = append(both["runs"].([]any), lint10["runs"].([]any)...)
	base := logFrom(t, both)
	head := readLog(t, dir+"/real/gosec-gin-v1.10.0.sarif")

	d := compare(t, base, head)
	if got := counts(d); got != [4]int{4, 2, 8, 7} {
		t.Errorf("new/absent/updated/unchanged %v, want [4 2 8 7]", got)
	}
	if n := d.Count(StateNotCompared); n != 1477 {
		t.Errorf("%d not compared, want 1477", n)
	}
	s := Summarize(d)
	if want := "4 new (4 warning), 2 absent, 8 updated, 7 unchanged, 1477 not compared"; s.String() != want {
		t.Errorf("summary %q, want %q", s, want)
	}
	notes := d.Notes()
	if len(notes) != 1 || notes[0].String() != `base has a run of "golangci-lint" without category, head has no run of that tool and category: its 1477 result(s) were not compared` ||
		notes[0].Kind != NoteBaseRunOnly || notes[0].Count != 1477 || notes[0].Run.Tool != "golangci-lint" || notes[0].Split {
		t.Errorf("notes %+v", notes)
	}
	for _, g := range []Gate{{FailOn: FailOnAny}, {FailOn: FailOnUpdated}} {
		for _, m := range g.Failures(d) {
			if m.Head == nil {
				t.Fatalf("%+v: a base result fails the gate", g)
			}
		}
	}

	// The JSON report says it (package report's tests check the others).
	var js bytes.Buffer
	if err := WriteJSON(&js, d, nil); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Summary Summary
		Runs    []RunPair
		Notes   []string
		Results []jsonResult
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range out.Results {
		if r.State == StateNotCompared {
			n++
		}
	}
	if out.Summary.NotCompared != 1477 || n != 1477 || len(out.Runs) != 2 || len(out.Notes) != 1 {
		t.Errorf("json: summary %+v, %d not-compared results, runs %+v, notes %q", out.Summary, n, out.Runs, out.Notes)
	}
	// The SARIF report carries the base run that was not compared, its
	// results without a baselineState, so that it is still there for the
	// next comparison.
	if err := Annotate(t.Context(), d, head); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := head.Write(&buf, nil); err != nil {
		t.Fatal(err)
	}
	report := parse(t, buf.String())
	if len(report.Runs) != 2 || report.Runs[1].Tool() != "golangci-lint" || report.Runs[1].Len() != 1477 {
		t.Fatalf("report runs: %d", len(report.Runs))
	}
	for _, r := range sariftest.Results(t, report.Runs[1]) {
		if r.BaselineState != nil {
			t.Fatalf("a result not compared has baselineState %q", *r.BaselineState)
		}
	}
	if got := counts(compare(t, report, readLog(t, dir+"/real/gosec-gin-v1.10.0.sarif"))); got != [4]int{0, 0, 0, 19} {
		t.Errorf("the report as the next base: %v, want [0 0 0 19]", got)
	}
}

// A chain of three scans, each compared with the report of the comparison
// before it, as a pull request's scans are: B fixes a result of A, C
// brings it back. The result is absent in B's report, new in C's, and it
// is not counted absent again by a report taken as base. (Before: it was
// "unchanged" in C, and the absent results were counted absent again at
// every step.)
func TestBaseliningChain(t *testing.T) {
	t.Parallel()
	a := jsonLog(t, "../testdata/diff/base.sarif")
	b := clone(t, a)
	results := at(b, "runs", 0, "results").([]any)
	fixed := results[0].(map[string]any)
	obj(b, "runs", 0)["results"] = results[1:]
	c := clone(t, a)

	report := func(base *sarif.Log, headJSON map[string]any) (*Diff, *sarif.Log) {
		head := logFrom(t, headJSON)
		d := compare(t, base, head)
		if err := Annotate(t.Context(), d, head); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := head.Write(&buf, nil); err != nil {
			t.Fatal(err)
		}
		return d, parse(t, buf.String())
	}
	dAB, repB := report(logFrom(t, a), b)
	if got := counts(dAB); got != [4]int{0, 1, 0, len(results) - 1} {
		t.Fatalf("A->B: %v", got)
	}
	dBC, repC := report(repB, c)
	if got := counts(dBC); got != [4]int{1, 0, 0, len(results) - 1} {
		t.Errorf("B->C: %v, want the fixed result new again", got)
	}
	if dBC.StaleBase != 1 {
		t.Errorf("B->C: %d stale base results, want 1", dBC.StaleBase)
	}
	for _, m := range dBC.Matches {
		if m.State == StateNew && m.Head.Message != obj(fixed, "message")["text"] {
			t.Errorf("B->C: new result %s: %s, want the one B fixed", m.Head.Location(), m.Head.Message)
		}
	}
	// B's report compared with B again: nothing absent twice.
	if got := counts(compare(t, repB, logFrom(t, b))); got != [4]int{0, 0, 0, len(results) - 1} {
		t.Errorf("B report -> B: %v", got)
	}
	// C's report holds no stale absent result of B.
	for _, r := range sariftest.Results(t, repC.Runs[0]) {
		if *r.BaselineState == "absent" {
			t.Errorf("C's report has an absent result: %s", *r.Message.Text)
		}
	}

	// sarif-sdk's Overall_AbsentResultsInBaselineExcluded: a base result
	// already absent is left out, so its twin in head is new; and
	// Overall_AbsentResultsInNewRunKept: a head result already absent is
	// left out of the comparison and keeps its state.
	sample := jsonLog(t, "../testdata/diff/sarif-sdk-elfie-arriba.sarif")
	n := len(at(sample, "runs", 0, "results").([]any))
	staleBase := clone(t, sample)
	obj(staleBase, "runs", 0, "results", 0)["baselineState"] = "absent"
	if got := counts(compare(t, logFrom(t, staleBase), logFrom(t, sample))); got != [4]int{1, 0, 0, n - 1} {
		t.Errorf("absent in base: %v, want [1 0 0 %d]", got, n-1)
	}
	staleHead := logFrom(t, staleBase)
	d := compare(t, logFrom(t, sample), staleHead)
	if got := counts(d); got != [4]int{0, 1, 0, n - 1} || d.StaleHead != 1 {
		t.Errorf("absent in head: %v, stale %d, want [0 1 0 %d], 1", got, d.StaleHead, n-1)
	}
	if err := Annotate(t.Context(), d, staleHead); err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, r := range sariftest.Results(t, staleHead.Runs[0]) {
		states[*r.BaselineState]++
	}
	if states["absent"] != 2 || states["unchanged"] != n-1 {
		t.Errorf("report states %v, want 2 absent (the stale one kept, the base one added), %d unchanged", states, n-1)
	}
}

// An absent result whose artifact has a uriBaseId that base does not
// define keeps it when copied into the report, rather than losing it.
func TestAbsentKeepsUnresolvedBaseID(t *testing.T) {
	t.Parallel()
	base := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
	 "artifacts":[{"location":{"uri":"src/a.go","uriBaseId":"SRCROOT"}}],
	 "results":[{"ruleId":"R","message":{"text":"gone"},"locations":[{"physicalLocation":{"artifactLocation":{"index":0},"region":{"startLine":3}}}]}]}]}`)
	head := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}`)
	d := compare(t, base, head)
	if err := Annotate(t.Context(), d, head); err != nil {
		t.Fatal(err)
	}
	rs := sariftest.Results(t, head.Runs[0])
	if len(rs) != 1 {
		t.Fatalf("%d results in the report", len(rs))
	}
	al := rs[0].Locations[0].PhysicalLocation.ArtifactLocation
	if al.URI == nil || *al.URI != "src/a.go" || al.URIBaseId == nil || *al.URIBaseId != "SRCROOT" || al.Index != nil {
		var buf bytes.Buffer
		head.Write(&buf, nil)
		t.Errorf("absent result's location: %s", buf.String())
	}
}
