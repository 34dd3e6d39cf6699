package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// gosecRun returns the single run of a corpus gosec log as JSON, with the
// driver members and automationDetails.id given ("" leaves the id out).
func gosecRun(t testing.TB, name, id string, driver map[string]any) map[string]any {
	t.Helper()
	run := jsonLog(t, corpus.Dir(t)+"/real/"+name)["runs"].([]any)[0].(map[string]any)
	d := run["tool"].(map[string]any)["driver"].(map[string]any)
	for k, v := range driver {
		d[k] = v
	}
	if id != "" {
		run["automationDetails"] = map[string]any{"id": id}
	}
	return run
}

func logOfRuns(t testing.TB, runs ...map[string]any) *sarif.Log {
	t.Helper()
	rs := make([]any, len(runs))
	for i, r := range runs {
		rs[i] = r
	}
	return logFrom(t, map[string]any{"version": "2.1.0", "runs": rs})
}

// A new version of the tool, or a new run id of its category, between
// base and head is still the same analysis: its runs are compared, as
// GitHub tracks alerts across analyses by tool and category, whatever the
// tool's version. (The upload action takes them for distinct runs; that
// is a matter of one upload, not of two commits.) Without this every
// result would be new or absent; the counts are those of the plain
// comparison of the gosec pair (the SARIF Multitool's), with no warning.
func TestRunsPairAcrossVersions(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name                 string
		baseID, headID       string
		baseDrv, headDrv     map[string]any
		baseCat, headCat     string
		baseRunID, headRunID string
	}{
		{name: "version", baseDrv: map[string]any{"version": "2.20.0"}, headDrv: map[string]any{"version": "2.21.4"}},
		{name: "semanticVersion", baseDrv: map[string]any{"semanticVersion": "2.20.0"}, headDrv: map[string]any{"semanticVersion": "2.21.4"}},
		{name: "guid", baseDrv: map[string]any{"guid": "00000000-0000-4000-8000-000000000001"}, headDrv: map[string]any{"guid": "00000000-0000-4000-8000-000000000002"}},
		{name: "run id", baseID: "gosec/2024-01-01", headID: "gosec/2024-01-02", baseCat: "gosec", headCat: "gosec"},
		{name: "all of them", baseID: "gosec/2024-01-01", headID: "gosec/2024-01-02", baseCat: "gosec", headCat: "gosec",
			baseDrv: map[string]any{"version": "2.20.0", "semanticVersion": "2.20.0", "fullName": "gosec 2.20"},
			headDrv: map[string]any{"version": "2.21.4", "semanticVersion": "2.21.4", "fullName": "gosec 2.21"}},
	} {
		base := logOfRuns(t, gosecRun(t, "gosec-gin-v1.9.0.sarif", c.baseID, c.baseDrv))
		head := logOfRuns(t, gosecRun(t, "gosec-gin-v1.10.0.sarif", c.headID, c.headDrv))
		if base.Runs[0].Key() == head.Runs[0].Key() {
			t.Fatalf("%s: one key", c.name)
		}
		d := compare(t, base, head)
		if got := counts(d); got != [4]int{4, 2, 8, 7} {
			t.Errorf("%s: new/absent/updated/unchanged %v, want [4 2 8 7]", c.name, got)
		}
		want := []RunPair{{Tool: "gosec", BaseCategory: c.baseCat, HeadCategory: c.headCat, InBase: true, InHead: true, BaseResults: 17, HeadResults: 19}}
		if !slices.Equal(d.Runs, want) || len(d.Notes()) != 0 {
			t.Errorf("%s: runs %+v, notes %q", c.name, d.Runs, d.Notes())
		}
	}
}

// Two runs of one tool and category that are distinct runs to GitHub in
// the same log (two legs of a build matrix told apart by their run ids,
// or two versions of the tool side by side) are each compared with their
// own counterpart, not all with all: a result that the linux leg lost and
// the windows leg found is absent from one and new in the other. (Before:
// the four runs were compared as one, and the result was unchanged.)
func TestRunsOfOneCategoryPairByKey(t *testing.T) {
	t.Parallel()
	result := func(uri string) []any {
		return []any{map[string]any{"ruleId": "G104", "message": map[string]any{"text": "Errors unhandled"},
			"locations": []any{map[string]any{"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": uri}, "region": map[string]any{"startLine": 3.0}}}}}}
	}
	leg := func(id string, results []any) map[string]any {
		return map[string]any{"tool": map[string]any{"driver": map[string]any{"name": "gosec"}}, "automationDetails": map[string]any{"id": id}, "results": results}
	}
	base := logOfRuns(t, leg("gosec/linux", result("a.go")), leg("gosec/windows", []any{}))
	head := logOfRuns(t, leg("gosec/linux", []any{}), leg("gosec/windows", result("a.go")))
	d := compare(t, base, head)
	if got := counts(d); got != [4]int{1, 1, 0, 0} {
		t.Errorf("new/absent/updated/unchanged %v, want [1 1 0 0]", got)
	}
	want := []RunPair{
		{Tool: "gosec", BaseCategory: "gosec", HeadCategory: "gosec", InBase: true, InHead: true, BaseResults: 1, HeadResults: 0},
		{Tool: "gosec", BaseCategory: "gosec", HeadCategory: "gosec", InBase: true, InHead: true, BaseResults: 0, HeadResults: 1},
	}
	if !slices.Equal(d.Runs, want) || len(d.Notes()) != 0 {
		t.Errorf("runs %+v\nwant %+v\nnotes %q", d.Runs, want, d.Notes())
	}
	// The report puts the absent result into the linux leg of head.
	annotate(t, d, head)
	if n := head.Runs[0].Len(); n != 1 || len(head.Runs) != 2 {
		t.Errorf("report: linux leg has %d results, %d runs", head.Runs[0].Len(), len(head.Runs))
	}

	// A version left over on one side: base ran gosec 2.20.0 and 2.21.4
	// side by side, head 2.21.4 alone. 2.21.4 is compared with 2.21.4;
	// 2.20.0 did not run on head, its results are not compared, and the
	// note says which run that is. (Before: the three runs were compared
	// as one, 2.20.0's results absent.)
	v := func(version string) map[string]any { return map[string]any{"version": version} }
	base = logOfRuns(t, gosecRun(t, "gosec-gin-v1.9.0.sarif", "", v("2.20.0")), gosecRun(t, "gosec-gin-v1.9.0.sarif", "", v("2.21.4")))
	head = logOfRuns(t, gosecRun(t, "gosec-gin-v1.10.0.sarif", "", v("2.21.4")))
	d = compare(t, base, head)
	if got, nc := counts(d), d.Count(StateNotCompared); got != [4]int{4, 2, 8, 7} || nc != 17 {
		t.Errorf("new/absent/updated/unchanged %v, %d not compared; want [4 2 8 7], 17", got, nc)
	}
	notes := d.Notes()
	if len(notes) != 1 || notes[0].String() != `base has a run of "gosec" version "2.20.0" without category; head's runs of that tool and category were compared with base's runs of the same version and id: its 17 result(s) were not compared` ||
		notes[0].Kind != NoteBaseRunOnly || !notes[0].Split || notes[0].BaseRun.Version() != "2.20.0" || notes[0].Count != 17 {
		t.Errorf("notes %q", notes)
	}
	annotate(t, d, head)
	if len(head.Runs) != 2 || head.Runs[1].Key().Version() != "2.20.0" || head.Runs[1].Len() != 17 {
		t.Errorf("report: %d runs", len(head.Runs))
	}
}

// The three steps together: base ran gosec 2.20.0 and 2.21.4 in category
// "a", head 2.21.4 in "a" and 2.22.0 in "b". 2.21.4 is compared with
// 2.21.4; what is left of the tool, 2.20.0 in "a" and 2.22.0 in "b", is
// compared as one configuration recategorised, with a note naming both.
func TestRunsLeftOverRecategorised(t *testing.T) {
	t.Parallel()
	v := func(version string) map[string]any { return map[string]any{"version": version} }
	base := logOfRuns(t, gosecRun(t, "gosec-gin-v1.9.0.sarif", "a/", v("2.20.0")), gosecRun(t, "gosec-gin-v1.9.0.sarif", "a/", v("2.21.4")))
	head := logOfRuns(t, gosecRun(t, "gosec-gin-v1.10.0.sarif", "a/", v("2.21.4")), gosecRun(t, "gosec-gin-v1.10.0.sarif", "b/", v("2.22.0")))
	d := compare(t, base, head)
	if got := counts(d); got != [4]int{8, 4, 16, 14} {
		t.Errorf("new/absent/updated/unchanged %v, want twice [4 2 8 7]", got)
	}
	want := []RunPair{
		{Tool: "gosec", BaseCategory: "a", HeadCategory: "a", InBase: true, InHead: true, BaseResults: 17, HeadResults: 19},
		{Tool: "gosec", BaseCategory: "a", HeadCategory: "b", InBase: true, InHead: true, BaseResults: 17, HeadResults: 19},
	}
	if !slices.Equal(d.Runs, want) {
		t.Errorf("runs %+v\nwant %+v", d.Runs, want)
	}
	notes := d.Notes()
	if len(notes) != 1 || !strings.Contains(notes[0].String(), `compared a run of "gosec" version "2.20.0" with automationDetails.id "a/" of base with a run of "gosec" version "2.22.0" with automationDetails.id "b/" of head`) {
		t.Errorf("notes %q", notes)
	}
}
