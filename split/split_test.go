package split_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/internal/longtest"
	"github.com/sarifkit/sarifkit/split"
)

func TestPartID(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		id    string
		hasID bool
		want  string
	}{
		{"cat/", true, "cat/part-3/"},
		{"cat/run1", true, "cat/part-3/run1"},
		{"a/b/run1", true, "a/b/part-3/run1"},
		{"cat", true, "cat/part-3/"},
		{"", true, "/part-3/"},
		{"/", true, "/part-3/"},
		{"", false, "part-3/"},
	} {
		if got := split.PartID(c.id, c.hasID, 3); got != c.want {
			t.Errorf("PartID(%q, %v, 3) = %q, want %q", c.id, c.hasID, got, c.want)
		}
	}
}

func TestRunThatFitsIsKept(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 300, Seed: 3})
	files, st := runSplit(t, nil, in)
	if len(files) != 1 || st.Runs[0].Parts != 1 || len(st.Runs[0].Reasons) != 0 {
		t.Fatalf("%d files, stats %+v", len(files), st.Runs)
	}
	if files[0].name != "gen-scanner-gen" {
		t.Errorf("name %q", files[0].name)
	}
	// Written as it was read, members in the writer's order.
	var c jsonscan.Canonicalizer
	want, err := c.Append(nil, readFile(t, in))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Append(nil, files[0].text)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("the log changed")
	}
}

func TestSplitByResults(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 3000, Rules: 60, Seed: 5})
	opts := &split.Options{}
	split.SetLimits(opts, 20, 500, 25000, 10_000_000)
	files, st := runSplit(t, opts, in)
	sameResults(t, [][]byte{readFile(t, in)}, files)
	r := st.Runs[0]
	if r.Parts < 8 || r.Reasons[0] != split.ReasonResults {
		t.Fatalf("stats %+v", r)
	}
	ruleCat := map[string]string{}
	cats := map[string]bool{}
	runs := 0
	for _, f := range files {
		for _, run := range parse(t, f.text).Runs {
			runs++
			id := *run.AutomationDetails.ID
			if !strings.HasPrefix(id, "gen/part-") || !strings.HasSuffix(id, "/") {
				t.Errorf("id %q", id)
			}
			if cats[id] {
				t.Errorf("two runs of id %q", id)
			}
			cats[id] = true
			if len(run.Results) > 500 || len(run.Results) == 0 {
				t.Errorf("%s: %d results", id, len(run.Results))
			}
			for _, res := range run.Results {
				var v struct{ RuleID string }
				json.Unmarshal(res, &v)
				if c, ok := ruleCat[v.RuleID]; ok && c != id {
					t.Errorf("rule %s in %s and %s", v.RuleID, c, id)
				}
				ruleCat[v.RuleID] = id
			}
		}
	}
	if runs != r.Parts {
		t.Errorf("%d runs written, %d parts", runs, r.Parts)
	}
}

func TestRunsPerFile(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 5, Runs: 25, Seed: 7})
	files, st := runSplit(t, nil, in)
	if len(files) != 2 || st.Files[0].Runs != 20 || st.Files[1].Runs != 5 {
		t.Fatalf("files %+v", st.Files)
	}
	if files[0].name != "gen-scanner-gen-and-19-more" || files[1].name != "gen-scanner-gen-20-and-4-more" {
		t.Errorf("names %q %q", files[0].name, files[1].name)
	}
	sameResults(t, [][]byte{readFile(t, in)}, files)
}

func TestSizeLimit(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 2000, Rules: 80, Seed: 9})
	opts := &split.Options{}
	const limit = 40_000
	split.SetLimits(opts, 20, 25000, 25000, limit)
	files, st := runSplit(t, opts, in)
	sameResults(t, [][]byte{readFile(t, in)}, files)
	if len(files) < 2 || st.Runs[0].Reasons[0] != split.ReasonSize || st.Runs[0].Pruned.Rules == 0 {
		t.Fatalf("%d files, %+v", len(files), st.Runs[0])
	}
	for i, f := range files {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(f.text)
		zw.Close()
		if b.Len() > limit || int64(b.Len()) != st.Files[i].GzipSize {
			t.Errorf("%s: %d bytes gzipped, stats say %d", f.name, b.Len(), st.Files[i].GzipSize)
		}
	}
}

// TestReplan splits with estimates far below the sizes: files measured
// over the limit make the split planned again, files of several runs
// repacked and a run alone in a file divided further, until every file
// fits, every result still in one.
func TestReplan(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 400, Runs: 6, Rules: 20, Seed: 17})
	opts := &split.Options{}
	const limit = 25_000
	split.SetLimits(opts, 20, 25000, 25000, limit)
	split.Underestimate(opts, 0.4)
	files, st := runSplit(t, opts, in)
	if st.Replans < 2 {
		t.Errorf("%d replans", st.Replans)
	}
	sameResults(t, [][]byte{readFile(t, in)}, files)
	checkFiles(t, files, 20, 25000, 25000, limit)
	divided := 0
	for _, r := range st.Runs {
		if r.Parts > 1 {
			divided++
		}
	}
	if divided == 0 {
		t.Errorf("no run divided: %+v", st.Runs)
	}
}

func TestResultTooLarge(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 20, Locations: 400, Seed: 9})
	opts := &split.Options{}
	split.SetLimits(opts, 20, 25000, 25000, 2000)
	_, err := split.Split(context.Background(), readInputs(t, in), opts)
	var re *split.ResultError
	if !errors.As(err, &re) || re.Tool != "gen-scanner" || re.Category != "gen" || !strings.HasPrefix(re.Rule, "GEN0") ||
		!strings.Contains(err.Error(), "bytes gzip-compressed alone in its run, over GitHub's 2000 for a whole upload") {
		t.Fatalf("err %v", err)
	}
}

func TestRunTooLarge(t *testing.T) {
	t.Parallel()
	// Runs whose invocations alone are over the limit.
	in := genFile(t, gen.Config{Results: 2, Seed: 9})
	text := bytes.Replace(readFile(t, in), []byte(`"results":[`), []byte(`"invocations":[{"executionSuccessful":true,"toolExecutionNotifications":[`+
		strings.Repeat(`{"message":{"text":"a long notification, repeated"},"level":"note"},`, 2000)+`{"message":{"text":"end"}}]}],"results":[`), 1)
	writeFile(t, in, text)
	opts := &split.Options{}
	split.SetLimits(opts, 20, 25000, 25000, 600)
	_, err := split.Split(context.Background(), readInputs(t, in), opts)
	var re *split.ResultError
	if !errors.As(err, &re) || re.Index != -1 || !strings.Contains(err.Error(), "the run of tool \"gen-scanner\", category \"gen\": without its results, rules") {
		t.Fatalf("err %v", err)
	}
}

func TestConflict(t *testing.T) {
	t.Parallel()
	a := genFile(t, gen.Config{Results: 5, Seed: 1})
	text := bytes.Replace(readFile(t, a), []byte(`"semanticVersion":"1.4.2"`), []byte(`"semanticVersion":"1.5.0"`), 1)
	b := genFile(t, gen.Config{Results: 0})
	writeFile(t, b, text)
	_, err := split.Split(context.Background(), readInputs(t, a, b), nil)
	var ce *split.ConflictError
	if !errors.As(err, &ce) || ce.First.Version() != "1.4.2" || ce.Second.Version() != "1.5.0" {
		t.Fatalf("err %v", err)
	}
}

// TestStableAcrossScans splits a scan and the next, in which 5% of the
// results are fixed, 2% new and some moved: every result of both is in
// the same category in both. The long version (see package longtest)
// splits 60,000 results at GitHub's limit of 25,000 a run.
func TestStableAcrossScans(t *testing.T) {
	t.Parallel()
	c := gen.Config{Results: longtest.Size(4000, 60000), Rules: 100, Seed: 11}
	base := genFile(t, c)
	c.Edited = true
	head := genFile(t, c)
	opts := &split.Options{}
	split.SetLimits(opts, 20, longtest.Size(600, 25000), 25000, 10_000_000)
	bf, bst := runSplit(t, opts, base)
	hf, hst := runSplit(t, opts, head)
	if bst.Runs[0].Parts != hst.Runs[0].Parts || bst.Runs[0].Parts < 4 {
		t.Fatalf("parts %d and %d", bst.Runs[0].Parts, hst.Runs[0].Parts)
	}
	cats := func(files []written) map[string]string {
		m := map[string]string{}
		for _, f := range files {
			for _, run := range parse(t, f.text).Runs {
				for _, res := range run.Results {
					var v struct {
						PartialFingerprints map[string]string
					}
					json.Unmarshal(res, &v)
					m[v.PartialFingerprints["primaryLocationLineHash"]] = *run.AutomationDetails.ID
				}
			}
		}
		return m
	}
	b, h := cats(bf), cats(hf)
	common := 0
	for fp, cat := range b {
		if hc, ok := h[fp]; ok {
			common++
			if hc != cat {
				t.Errorf("result %s moved from %s to %s", fp, cat, hc)
			}
		}
	}
	if common < c.Results*9/10 {
		t.Errorf("only %d results in common", common)
	}
}

// TestPartsDouble splits a log into B parts and then, with half the
// results allowed a run, into 2B: each part divides in two, part K into
// K and K+B, so that half its rules keep their category.
func TestPartsDouble(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 3000, Rules: 100, Seed: 13})
	part := func(limit int) (map[string]int, int) {
		opts := &split.Options{}
		split.SetLimits(opts, 20, limit, 25000, 10_000_000)
		files, st := runSplit(t, opts, in)
		m := map[string]int{}
		for _, f := range files {
			for _, run := range parse(t, f.text).Runs {
				var k int
				if _, err := fmt.Sscanf(*run.AutomationDetails.ID, "gen/part-%d/", &k); err != nil {
					t.Fatal(err)
				}
				for _, res := range run.Results {
					var v struct{ RuleID string }
					json.Unmarshal(res, &v)
					m[v.RuleID] = k
				}
			}
		}
		return m, st.Runs[0].Parts
	}
	a, b := part(1000)
	c, d := part(400)
	if d <= b {
		t.Fatalf("%d parts, then %d", b, d)
	}
	stayed := 0
	for rule, k := range a {
		if c[rule]%b != k {
			t.Errorf("rule %s: part %d of %d, then %d of %d", rule, k, b, c[rule], d)
		}
		if c[rule] == k {
			stayed++
		}
	}
	if stayed == 0 || stayed == len(a) {
		t.Errorf("%d rules of %d kept their part", stayed, len(a))
	}
}

// TestDeterministic splits one log twice, on every core: the same files,
// byte for byte.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 3000, Rules: 50, Seed: 19})
	opts := &split.Options{}
	split.SetLimits(opts, 3, 700, 25000, 60_000)
	a, _ := runSplit(t, opts, in)
	b, _ := runSplit(t, opts, in)
	if len(a) != len(b) || len(a) < 2 {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].name != b[i].name || !bytes.Equal(a[i].text, b[i].text) {
			t.Errorf("file %d: %s, then %s, or their text differs", i, a[i].name, b[i].name)
		}
	}
}

// TestPartIDsAvoidRuns splits a run whose parts' ids would be those of
// runs already in the split: the parts take the next free id, the runs
// keep theirs, and no two runs of the split share a tool and category.
func TestPartIDsAvoidRuns(t *testing.T) {
	t.Parallel()
	big := genFile(t, gen.Config{Results: 3000, Rules: 60, Seed: 5})
	var small []string
	for _, id := range []string{"gen/part-0/", "gen/part-1/", "GEN/PART-2/"} {
		name := genFile(t, gen.Config{Results: 3, Seed: 7})
		writeFile(t, name, bytes.Replace(readFile(t, name), []byte(`"id":"gen/"`), []byte(`"id":"`+id+`"`), 1))
		small = append(small, name)
	}
	opts := &split.Options{}
	split.SetLimits(opts, 20, 500, 25000, 10_000_000)
	files, _ := runSplit(t, opts, append([]string{big}, small...)...)
	ids := map[string]int{}
	for _, f := range files {
		for _, run := range parse(t, f.text).Runs {
			ids[*run.AutomationDetails.ID]++
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%d runs of id %q", n, id)
		}
	}
	for _, id := range []string{"gen/part-0/", "gen/part-1/", "GEN/PART-2/", "gen/part-0-2/", "gen/part-1-2/", "gen/part-2-2/"} {
		if ids[id] != 1 {
			t.Errorf("no run of id %q in %v", id, ids)
		}
	}
}

// TestErrorNamesInput checks that a result no split makes acceptable is
// named by its input and its JSON pointer there, through the combining
// of the inputs' runs.
func TestErrorNamesInput(t *testing.T) {
	t.Parallel()
	a := genFile(t, gen.Config{Results: 5, Seed: 9})
	b := genFile(t, gen.Config{Results: 3, Locations: 3000, Seed: 9})
	opts := &split.Options{}
	split.SetLimits(opts, 20, 25000, 25000, 8000)
	_, err := split.Split(context.Background(), readInputs(t, a, b), opts)
	var re *split.ResultError
	if !errors.As(err, &re) || re.Index != 5 || re.Input != b || re.Pointer != "/runs/0/results/0" ||
		!strings.HasPrefix(err.Error(), b+": /runs/0/results/0: result (rule ") {
		t.Fatalf("err %v", err)
	}
}

// TestConflictNoSlash checks that an id without "/" conflicts with the
// runs of either of its readings: "cat/" (all category) and no id (a
// run id of the empty category).
func TestConflictNoSlash(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ a, b, cat string }{
		{`"id":"cat"`, `"id":"cat/"`, "cat"},
		{`"id":"cat"`, ``, ""},
		{`"id":"cat"`, `"id":"/run2"`, ""},
	} {
		var names []string
		for _, repl := range []string{c.a, c.b} {
			name := genFile(t, gen.Config{Results: 3, Seed: 7})
			text := readFile(t, name)
			if repl == "" {
				text = bytes.Replace(text, []byte(`"automationDetails":{"id":"gen/"},`), nil, 1)
			} else {
				text = bytes.Replace(text, []byte(`"id":"gen/"`), []byte(repl), 1)
			}
			writeFile(t, name, text)
			names = append(names, name)
		}
		_, err := split.Split(context.Background(), readInputs(t, names...), nil)
		var ce *split.ConflictError
		if !errors.As(err, &ce) || ce.Category != c.cat {
			t.Errorf("%s and %s: err %v", c.a, c.b, err)
		}
	}
}

// TestPartsArtifacts splits a run with run-level artifacts: each part
// holds only the artifacts its results use (not the run's all, part after
// part), and every result's artifact index names its own file.
func TestPartsArtifacts(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"art","rules":[`)
	for i := range 40 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"R%d"}`, i)
	}
	b.WriteString(`]}},"automationDetails":{"id":"a/"},"artifacts":[`)
	for i := range 310 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"location":{"uri":"src/f%d.c"},"length":%d}`, i, i)
	}
	b.WriteString(`],"results":[`)
	for i := range 600 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"ruleId":"R%d","message":{"text":"m%d"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/f%d.c","index":%d},"region":{"startLine":1}}}]}`,
			i%40, i, i%300, i%300)
	}
	b.WriteString(`]}]}`)
	in := filepath.Join(t.TempDir(), "arts.sarif")
	writeFile(t, in, []byte(b.String()))
	opts := &split.Options{}
	split.SetLimits(opts, 20, 100, 25000, 10_000_000)
	files, st := runSplit(t, opts, in)
	if st.Runs[0].Parts < 8 {
		t.Fatalf("stats %+v", st.Runs[0])
	}
	results := 0
	for _, f := range files {
		var l struct {
			Runs []struct {
				Artifacts []struct {
					Location struct{ URI string }
				}
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI   string
								Index int
							}
						}
					}
				}
			}
		}
		if err := json.Unmarshal(f.text, &l); err != nil {
			t.Fatal(err)
		}
		for _, r := range l.Runs {
			used := map[int]bool{}
			for _, res := range r.Results {
				al := res.Locations[0].PhysicalLocation.ArtifactLocation
				if al.Index >= len(r.Artifacts) || r.Artifacts[al.Index].Location.URI != al.URI {
					t.Fatalf("index %d does not name %s", al.Index, al.URI)
				}
				used[al.Index] = true
				results++
			}
			if len(r.Artifacts) != len(used) {
				t.Errorf("a part of %d results holds %d artifacts, uses %d", len(r.Results), len(r.Artifacts), len(used))
			}
		}
	}
	if results != 600 {
		t.Errorf("%d results out", results)
	}
}

// TestRulesOverLimitUnused checks that a run over the rules limit whose
// results use fewer stays one run, pruned, with the rules as its reason.
func TestRulesOverLimitUnused(t *testing.T) {
	t.Parallel()
	in := genFile(t, gen.Config{Results: 20, Rules: 60, Seed: 4})
	opts := &split.Options{}
	split.SetLimits(opts, 20, 25000, 50, 10_000_000)
	files, st := runSplit(t, opts, in)
	r := st.Runs[0]
	if len(files) != 1 || r.Parts != 1 || len(r.Reasons) != 1 || r.Reasons[0] != split.ReasonRules || r.Pruned.Rules < 40 {
		t.Fatalf("%d files, stats %+v", len(files), r)
	}
	if n := len(parse(t, files[0].text).Runs[0].Tool.Driver.Rules); n != 60-r.Pruned.Rules {
		t.Errorf("%d rules written, %d pruned of 60", n, r.Pruned.Rules)
	}
}
