package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

func readLog(t testing.TB, name string) *sarif.Log { return sariftest.Read(t, name) }

func parse(t testing.TB, s string) *sarif.Log { return sariftest.Parse(t, s) }

// compare is Compare, failing the test on error.
func compare(t testing.TB, base, head *sarif.Log) *Diff {
	t.Helper()
	d, err := Compare(t.Context(), base, head, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// annotate is Annotate, failing the test on error.
func annotate(t testing.TB, d *Diff, head *sarif.Log) {
	t.Helper()
	if err := Annotate(t.Context(), d, head); err != nil {
		t.Fatal(err)
	}
}

// explain writes every match of d, one a line: state, pass, both
// locations, rule, message and suppression.
func explain(w io.Writer, d *Diff) {
	for _, m := range SortByLocation(d.MatchesIn()) {
		it := m.Item()
		base := ""
		if m.Base != nil {
			base = m.Base.Location()
		}
		fmt.Fprintf(w, "%s %s %s -> %s %s %q suppressed=%v inherited=%v\n", m.State, m.Pass, base, it.Location(), it.RuleID, it.Message, it.Suppressed, it.Inherited)
	}
}

// noteText is d's notes as lines.
func noteText(d *Diff) string { return strings.Join(noteStrings(d.Notes()), "\n") }

func counts(d *Diff) [4]int {
	return [4]int{d.Count(StateNew), d.Count(StateAbsent), d.Count(StateUpdated), d.Count(StateUnchanged)}
}

// ginPairs are the corpus' scans of gin v1.9.0 and v1.10.0, the truth
// about them (testdata/README.md), and where in the gin trees of
// testdata/diff their relative URIs start.
var ginPairs = []struct{ base, head, truth, root string }{
	{"gosec-gin-v1.9.0.sarif", "gosec-gin-v1.10.0.sarif", "truth-gosec-gin.json", "gin"},
	{"golangci-lint-gin-v1.9.0.sarif", "golangci-lint-gin-v1.10.0.sarif", "truth-golangci-lint-gin.json", "."},
}

// checkTruth fails the test unless d's new and absent results have
// precision and recall at least min against the truth file.
func checkTruth(t *testing.T, truthFile string, d *Diff, min float64) {
	t.Helper()
	var truth struct{ New, Absent []int }
	if err := json.Unmarshal(sariftest.File(t, "../testdata/diff/"+truthFile), &truth); err != nil {
		t.Fatal(err)
	}
	var gotNew, gotAbsent []int
	for _, m := range d.Matches {
		switch m.State {
		case StateNew:
			gotNew = append(gotNew, m.Head.Index)
		case StateAbsent:
			gotAbsent = append(gotAbsent, m.Base.Index)
		}
	}
	for _, side := range []struct {
		name      string
		got, want []int
	}{{"new", gotNew, truth.New}, {"absent", gotAbsent, truth.Absent}} {
		p, r := precisionRecall(side.got, side.want)
		t.Logf("%s, %s: precision %.4f recall %.4f", truthFile, side.name, p, r)
		if p < min || r < min {
			t.Errorf("%s, %s: precision %.3f recall %.3f, want both at least %.2f", truthFile, side.name, p, r, min)
		}
	}
}

// With both checkouts (the gin files the scans name, at each release, in
// testdata/diff), line hashes from each side's files and the line diff
// of the two trees: every new and absent result is right (at least 0.98
// asked).
func TestCorpusPairsWithSources(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t)
	for _, c := range ginPairs {
		base, head := readLog(t, dir+"/real/"+c.base), readLog(t, dir+"/real/"+c.head)
		var trees [2]fs.FS
		for i, side := range []struct {
			log  *sarif.Log
			tree string
		}{{base, "gin-v1.9.0"}, {head, "gin-v1.10.0"}} {
			var err error
			if trees[i], err = fs.Sub(os.DirFS("../testdata/diff/"+side.tree), c.root); err != nil {
				t.Fatal(err)
			}
			st, err := sarif.AddLineHashesFrom(t.Context(), side.log, trees[i], "")
			if err != nil || st.Skipped > 0 {
				t.Fatalf("%s: %+v, %v", side.tree, st, err)
			}
		}
		d, err := Compare(t.Context(), base, head, &Options{BaseFiles: trees[0], HeadFiles: trees[1]})
		if err != nil {
			t.Fatal(err)
		}
		checkTruth(t, c.truth, d, 1)
	}
}

// The real pairs of the corpus. On gosec (which writes snippets) the
// counts equal the SARIF Multitool's match-results-forward (4 new, 2
// absent, 8 updated, 7 unchanged). On golangci-lint the Multitool reports
// 181 new, 116 absent, 697 updated, 599 unchanged; the truth from gin's
// own line diff (testdata/README.md) is 116 new and 51 absent, which the
// precision and recall below are measured against.
func TestCorpusPairs(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t)
	cases := []struct {
		base, head string
		want       [4]int // new, absent, updated, unchanged
	}{
		{"gosec-gin-v1.9.0.sarif", "gosec-gin-v1.10.0.sarif", [4]int{4, 2, 8, 7}},
		{"golangci-lint-gin-v1.9.0.sarif", "golangci-lint-gin-v1.10.0.sarif", [4]int{117, 52, 816, 544}},
	}
	for _, c := range cases {
		base, head := readLog(t, dir+"/real/"+c.base), readLog(t, dir+"/real/"+c.head)
		d := compare(t, base, head)
		if got := counts(d); got != c.want {
			t.Errorf("%s: got new/absent/updated/unchanged %v, want %v", c.head, got, c.want)
		}
		// Every result of both logs appears exactly once.
		if len(d.Matches) != head.Runs[0].Len()+d.Count(StateAbsent) ||
			d.Count(StateAbsent)+d.Count(StateUpdated)+d.Count(StateUnchanged) != base.Runs[0].Len() {
			t.Errorf("%s: results lost or counted twice", c.head)
		}
	}
	// Against the truth, on the logs alone (no sources): both at least 0.92
	// (before the alignment of shifted lines and the similar-message
	// pass: 0.78 and 0.81 on the new side, 0.84 and 0.90 on the absent).
	for _, c := range ginPairs {
		base, head := readLog(t, dir+"/real/"+c.base), readLog(t, dir+"/real/"+c.head)
		checkTruth(t, c.truth, compare(t, base, head), 0.92)
	}
	// gosec: the four new results are the unsafe calls of the new
	// bytesconv_1.20.go, whose code was rewritten, not moved.
	d := compare(t, readLog(t, dir+"/real/gosec-gin-v1.9.0.sarif"), readLog(t, dir+"/real/gosec-gin-v1.10.0.sarif"))
	for _, m := range d.Matches {
		if m.State == StateNew && (m.Head.RuleID != "G103" || m.Head.URI != "internal/bytesconv/bytesconv_1.20.go") {
			t.Errorf("unexpected new result %s %s: %s", m.Head.Location(), m.Head.RuleID, m.Head.Message)
		}
	}
}

// The pairs do not depend on the order of results in the inputs.
func TestOrderIndependence(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t)
	base := readLog(t, dir+"/real/golangci-lint-gin-v1.9.0.sarif")
	head := readLog(t, dir+"/real/golangci-lint-gin-v1.10.0.sarif")
	pairs := func(d *Diff) []string {
		var out []string
		for _, m := range d.Matches {
			s := string(m.State)
			if m.Base != nil {
				s += " " + m.Base.Location() + " " + m.Base.Message
			}
			if m.Head != nil {
				s += " -> " + m.Head.Location() + " " + m.Head.Message
			}
			out = append(out, s)
		}
		slices.Sort(out)
		return out
	}
	want := pairs(compare(t, base, head))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		for _, l := range []*sarif.Log{base, head} {
			rs := sariftest.Texts(t, l.Runs[0])
			rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
			if err := l.Runs[0].EditResults(t.Context(), func(i int, _ sarif.Result) (sarif.Result, error) { return rs[i], nil }); err != nil {
				t.Fatal(err)
			}
		}
		if got := pairs(compare(t, base, head)); !slices.Equal(got, want) {
			t.Fatal("shuffling the inputs changed the pairs")
		}
	}
}

const twoRuns = `{"version":"2.1.0","runs":[
 {"tool":{"driver":{"name":"a","rules":[{"id":"R","defaultConfiguration":{"level":"error"},"properties":{"security-severity":"9.5"}},{"id":"S","properties":{"security-severity":"5.0"}}]}},
  "results":[%s]},
 {"tool":{"driver":{"name":"a"}},"automationDetails":{"id":"other/"},"results":[%s]}]}`

func result(rule, uri string, line int, msg string, extra string) string {
	return `{"ruleId":"` + rule + `","message":{"text":"` + msg + `"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"` +
		uri + `"},"region":{"startLine":` + itoa(line) + `}}}]` + extra + `}`
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func logOf(t testing.TB, run0, run1 []string) *sarif.Log {
	return parse(t, strings.Replace(strings.Replace(twoRuns, "%s", strings.Join(run0, ","), 1), "%s", strings.Join(run1, ","), 1))
}

func TestMatchingRules(t *testing.T) {
	t.Parallel()
	base := logOf(t, []string{
		result("R", "a.go", 10, "dup", ""),
		result("R", "a.go", 10, "dup", ""),
		result("R", "b.go", 5, "fixed", ""),
		result("R", "c.go", 7, "moved down", ""),
		result("R", "d.go", 1, "fp", `,"fingerprints":{"k":"v1"}`),
		result("R", "./e.go", 3, "same file", ""),
	}, []string{result("R", "a.go", 10, "dup", "")})
	head := logOf(t, []string{
		result("R", "a.go", 10, "dup", ""),
		result("R", "a.go", 10, "dup", ""),
		result("R", "a.go", 10, "dup", ""),
		result("R", "c.go", 17, "moved down", ""),
		result("R", "renamed.go", 40, "fp", `,"fingerprints":{"k":"v1"}`),
		result("R", "e.go", 3, "same file", ""),
	}, nil)
	d := compare(t, base, head)
	var got []string
	for _, m := range d.Matches {
		got = append(got, string(m.State)+" "+string(m.Pass)+" "+m.Item().Location())
	}
	want := []string{
		"unchanged location a.go:10",
		"unchanged location a.go:10",
		"new  a.go:10", // three identical copies against two: one is new
		"updated shifted-line c.go:17",
		"updated fingerprint renamed.go:40",
		"unchanged location e.go:3", // "./e.go" and "e.go" are the same file
		"absent  b.go:5",
		"absent  a.go:10", // the run of category "other" has no result in head
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestGate(t *testing.T) {
	t.Parallel()
	base := logOf(t, []string{result("R", "old.go", 1, "old", "")}, nil)
	head := logOf(t, []string{
		result("R", "old.go", 1, "old", ""),
		result("R", "src/new.go", 2, "new error", ""),
		result("S", "src/new.go", 3, "new warning", ""),
		result("S", "other.go", 4, "new note", `,"level":"note"`),
		result("R", "src/new.go", 5, "suppressed", `,"suppressions":[{"kind":"inSource","status":"accepted"}]`),
		result("R", "src/new.go", 6, "rejected suppression", `,"suppressions":[{"kind":"inSource","status":"rejected"}]`),
	}, nil)
	d := compare(t, base, head)
	cases := []struct {
		gate Gate
		want int
	}{
		{Gate{}, 0},
		{Gate{FailOn: FailOnNew}, 4},
		{Gate{FailOn: FailOnAny}, 5},
		{Gate{FailOn: FailOnNew, MinLevel: "error"}, 2},
		{Gate{FailOn: FailOnNew, MinLevel: "warning"}, 3},
		{Gate{FailOn: FailOnNew, MinSecuritySeverity: "critical"}, 2},
		{Gate{FailOn: FailOnNew, MinSecuritySeverity: "medium"}, 4},
		{Gate{FailOn: FailOnNew, ChangedFiles: []string{"ew.go"}}, 0},
		{Gate{FailOn: FailOnNew, ChangedFiles: []string{"new.go"}}, 3}, // src/new.go ends with /new.go
		{Gate{FailOn: FailOnNew, ChangedFiles: []string{"src/new.go", "./other.go"}}, 4},
		{Gate{FailOn: FailOnNew, ChangedFiles: []string{}}, 0},
	}
	for _, c := range cases {
		if err := c.gate.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := len(c.gate.Failures(d)); got != c.want {
			t.Errorf("%+v: %d failures, want %d", c.gate, got, c.want)
		}
	}
	for _, bad := range []Gate{{FailOn: "all"}, {MinLevel: "fatal"}, {MinSecuritySeverity: "severe"}} {
		if bad.Validate() == nil {
			t.Errorf("%+v: want an error", bad)
		}
	}
}

// The SARIF report is valid, has a baselineState on every result, and
// carries the absent results with their rules and URIs.
func TestAnnotateSARIF(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t)
	v, err := schema.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{
		{"gosec-gin-v1.9.0.sarif", "gosec-gin-v1.10.0.sarif"},
		{"golangci-lint-gin-v1.9.0.sarif", "golangci-lint-gin-v1.10.0.sarif"},
		{"eslint-express-lib.sarif", "gosec-gin-v1.10.0.sarif"}, // no common run: base not compared, head all new
	} {
		base, head := readLog(t, dir+"/real/"+pair[0]), readLog(t, dir+"/real/"+pair[1])
		d := compare(t, base, head)
		if err := Annotate(t.Context(), d, head); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := head.Write(&out, nil); err != nil {
			t.Fatal(err)
		}
		findings, err := v.ValidateBytes(context.Background(), out.Bytes(), "report")
		if err != nil || schema.HasErrors(findings) {
			t.Fatalf("%v: report invalid: %v %v", pair, err, findings)
		}
		again := parse(t, out.String())
		states := map[string]int{}
		for _, run := range again.Runs {
			rv := run.Resolver()
			for _, r := range sariftest.Results(t, run) {
				if r.BaselineState == nil {
					// Only results of base runs that were not compared.
					states[string(StateNotCompared)]++
					if run.Tool() != "ESLint" {
						t.Fatalf("%v: a result of %s without baselineState", pair, run.Tool())
					}
					continue
				}
				states[*r.BaselineState]++
				if *r.BaselineState == "absent" && (rv.RuleID(r) == "" || rv.PrimaryURI(r) == "") {
					t.Errorf("%v: absent result lost its rule or URI", pair)
				}
				if rule := rv.Rule(r); r.RuleIndex != nil && (rule == nil || rule.ID != rv.RuleID(r)) {
					t.Errorf("%v: ruleIndex of a copied result points at the wrong rule", pair)
				}
			}
		}
		want := map[string]int{"new": d.Count(StateNew), "absent": d.Count(StateAbsent), "updated": d.Count(StateUpdated), "unchanged": d.Count(StateUnchanged),
			string(StateNotCompared): d.Count(StateNotCompared)}
		for k, n := range want {
			if states[k] != n {
				t.Errorf("%v: %d %s in the report, want %d", pair, states[k], k, n)
			}
		}
	}
}

// The JSON report: the summary, the gate's failures, every result with
// its pass and pointers. (The reports for people are package report's.)
func TestFormats(t *testing.T) {
	t.Parallel()
	base := logOf(t, []string{result("R", "a.go", 1, "kept", ""), result("S", "b.go", 1, "gone", "")}, nil)
	head := logOf(t, []string{result("R", "a.go", 1, "kept", ""), result("R", "a.go", 9, "line1\\nline2, with: 100% <b>|</b>", "")}, nil)
	d := compare(t, base, head)

	var js bytes.Buffer
	WriteJSON(&js, d, &Verdict{Failures: []*Match{&d.Matches[1]}})
	var got struct {
		Summary      Summary
		GateFailures int
		Results      []jsonResult
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Summary.New != 1 || got.GateFailures != 1 || len(got.Results) != 3 ||
		got.Results[0].Pass != PassLocation || got.Results[0].BasePointer != "/runs/0/results/0" ||
		got.Results[1].HeadPointer != "/runs/0/results/1" || got.Results[2].State != StateAbsent {
		t.Errorf("json: %+v", got)
	}
}

func TestEmptyRuns(t *testing.T) {
	t.Parallel()
	empty := parse(t, `{"version":"2.1.0","runs":[]}`)
	noResults := parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"a"}}}]}`)
	head := logOf(t, []string{result("R", "a.go", 1, "m", "")}, nil)
	if c := counts(compare(t, empty, head)); c != [4]int{1, 0, 0, 0} {
		t.Errorf("empty base: %v", c)
	}
	if c := counts(compare(t, head, noResults)); c != [4]int{0, 1, 0, 0} {
		t.Errorf("head without results: %v", c)
	}
	if len(compare(t, empty, empty).Matches) != 0 {
		t.Error("two empty logs")
	}
	var _ = gosarif.Result{}
}

// The JSON report lists results by file and line, not in log order, and
// marks what fails the gate. (Package report's tests check the other
// reports' order.)
func TestReportOrderAndGate(t *testing.T) {
	t.Parallel()
	var rs []string
	for i := range 14 { // 14 warnings in z.go, bottom up
		rs = append(rs, result("S", "z.go", 100-i, "warning "+string(rune('a'+i)), ""))
	}
	rs = append(rs, result("R", "b.go", 7, "error in b", ""), result("R", "a.go", 9, "error in a", ""),
		result("S", "a.go", 2, "note in a", `,"level":"note"`))
	d := compare(t, logOf(t, nil, nil), logOf(t, rs, nil))
	gate := Gate{FailOn: FailOnNew, MinLevel: "warning"}
	verdict := gate.Judge(d)
	if !verdict.Failed() || len(verdict.Failures) != 16 {
		t.Fatalf("%d failures, want 16", len(verdict.Failures))
	}
	var js bytes.Buffer
	WriteJSON(&js, d, verdict)
	var got struct{ Results []jsonResult }
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	failing := 0
	for _, r := range got.Results {
		if r.FailsGate {
			failing++
			if r.Level == "note" {
				t.Error("the note is marked failsGate")
			}
		}
	}
	if failing != 16 || got.Results[0].URI != "a.go" || got.Results[0].StartLine != 2 {
		t.Errorf("json: %d failsGate, first %+v", failing, got.Results[0])
	}

}

// precisionRecall scores the indices got against the true ones.
func precisionRecall(got, want []int) (precision, recall float64) {
	truth := map[int]bool{}
	for _, i := range want {
		truth[i] = true
	}
	hits := 0
	for _, i := range got {
		if truth[i] {
			hits++
		}
	}
	precision, recall = 1, 1
	if len(got) > 0 {
		precision = float64(hits) / float64(len(got))
	}
	if len(want) > 0 {
		recall = float64(hits) / float64(len(want))
	}
	return precision, recall
}

// A head result matched to a base result that is suppressed (dismissed
// on GitHub, as sarif-fetch --alert-states writes it) inherits the
// suppression unless OwnSuppressionsOnly: it no longer counts in the
// gate, and the SARIF report carries the suppression.
func TestInheritSuppressions(t *testing.T) {
	t.Parallel()
	base := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[
	  {"ruleId":"G104","level":"error","message":{"text":"Errors unhandled."},
	   "locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":10}}}],
	   "partialFingerprints":{"primaryLocationLineHash":"aaaa:1"},
	   "suppressions":[{"kind":"external","status":"accepted","justification":"dismissed on GitHub as won't fix: vendored"}]},
	  {"ruleId":"G101","level":"error","message":{"text":"Credentials."},
	   "locations":[{"physicalLocation":{"artifactLocation":{"uri":"b.go"},"region":{"startLine":3}}}],
	   "partialFingerprints":{"primaryLocationLineHash":"bbbb:1"}}]}]}`
	head := strings.NewReplacer(`"startLine":10`, `"startLine":12`, `"startLine":3`, `"startLine":5`).Replace(base)
	head = strings.Replace(head, `,
	   "suppressions":[{"kind":"external","status":"accepted","justification":"dismissed on GitHub as won't fix: vendored"}]`, "", 1)
	gate := Gate{FailOn: FailOnUpdated}
	plain, err := Compare(t.Context(), parse(t, base), parse(t, head), &Options{OwnSuppressionsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(gate.Failures(plain)); n != 2 {
		t.Fatalf("without inheritance: %d failures, want 2", n)
	}
	headLog := parse(t, head)
	d := compare(t, parse(t, base), headLog)
	if f := gate.Failures(d); len(f) != 1 || f[0].Head.RuleID != "G101" || d.Inherited != 1 {
		t.Errorf("with inheritance: %d failures, %d inherited", len(f), d.Inherited)
	}
	if notes := noteText(d); !strings.Contains(notes, "1 head result(s) suppressed as the base result they match is") {
		t.Errorf("notes: %s", notes)
	}
	annotate(t, d, headLog)
	out := string(sariftest.Write(t, headLog))
	if !strings.Contains(out, `"suppressions":[{"justification":"dismissed on GitHub as won't fix: vendored","kind":"external","status":"accepted"}]`) {
		t.Errorf("the report lacks the inherited suppression:\n%s", out)
	}
	// The head result's own suppressions (under review) are kept before it.
	review := strings.Replace(head, `"partialFingerprints":{"primaryLocationLineHash":"aaaa:1"}`,
		`"partialFingerprints":{"primaryLocationLineHash":"aaaa:1"},"suppressions":[{"kind":"inSource","status":"underReview"}]`, 1)
	reviewLog := parse(t, review)
	d, err = Compare(t.Context(), parse(t, base), reviewLog, nil)
	if err != nil || d.Inherited != 1 {
		t.Fatalf("%v, %d inherited", err, d.Inherited)
	}
	annotate(t, d, reviewLog)
	if out := string(sariftest.Write(t, reviewLog)); !strings.Contains(out, `"suppressions":[{"kind":"inSource","status":"underReview"},{"justification":"dismissed on GitHub as won't fix: vendored","kind":"external","status":"accepted"}]`) {
		t.Errorf("the head's own suppression was lost:\n%s", out)
	}
}
