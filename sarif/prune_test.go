package sarif_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// Prune keeps what the results, the invocations and kept rules'
// relationships use, and renumbers every reference: want.sarif was
// written by hand from in.sarif (see the comments of TestPrune).
func TestPrune(t *testing.T) {
	// in.sarif: rules R1 (a result's), R2 (R1's relationship, by index),
	// R3 (a notification's associatedRule) stay, R0 and R4 go; X1 of the
	// extension (a result's, by index) stays; taxa T1 (a result's) and T2
	// (R1's relationship, by id) stay, T0 (only R4's, which goes) goes;
	// artifacts 0 (parent of 2), 2 (a result's), 3 (a notification's) and
	// 5 (the kept thread-flow location's) stay, 1, 4 and 6 (the dropped
	// thread-flow location's) go; thread-flow location 1 stays, 0 goes.
	// Property bags are not references.
	want := sariftest.JSON(t, sariftest.File(t, "testdata/prune/want.sarif"))
	for _, onDisk := range []bool{false, true} {
		l, err := sarif.ReadFile(context.Background(), "testdata/prune/in.sarif", &sarif.ReadOptions{ResultsOnDisk: onDisk})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		st, err := l.Runs[0].Prune(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := (sarif.Pruned{Rules: 3, Taxa: 1, Artifacts: 3, ThreadFlowLocations: 1}); st != want {
			t.Errorf("onDisk=%v: pruned %+v, want %+v", onDisk, st, want)
		}
		if d := sariftest.Difference(want, sariftest.JSON(t, sariftest.Write(t, l))); d != "" {
			t.Errorf("onDisk=%v: %s", onDisk, d)
		}
	}
}

// A run whose results use everything is left as it is, byte for byte.
func TestPruneNothing(t *testing.T) {
	for _, name := range []string{"testdata/prune/want.sarif", "../testdata/diff/base.sarif"} {
		in := sariftest.File(t, name)
		l := sariftest.Parse(t, string(in))
		before := sariftest.Write(t, l)
		for _, run := range l.Runs {
			st, err := run.Prune(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.Total() != 0 && name != "../testdata/diff/base.sarif" {
				t.Errorf("%s: pruned %+v, want nothing", name, st)
			}
		}
		if name == "testdata/prune/want.sarif" && string(sariftest.Write(t, l)) != string(before) {
			t.Errorf("%s changed", name)
		}
	}
}

// Where a reference cannot be resolved, nothing of its kind is dropped:
// a relationship to a component that is no taxonomy may point at rules,
// a taxon named by guid alone may be any.
func TestPruneUnresolved(t *testing.T) {
	cases := []struct {
		name, log string
		want      sarif.Pruned
	}{
		{"relationship to an unknown component", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
			{"id":"A","relationships":[{"target":{"index":1,"toolComponent":{"name":"other"}}}]},{"id":"B"},{"id":"C"}]}},
			"taxonomies":[{"name":"CWE","taxa":[{"id":"T0"}]}],
			"results":[{"ruleId":"A","ruleIndex":0,"message":{"text":"m"}}]}]}`, sarif.Pruned{}},
		{"relationship within the component to an unknown id", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
			{"id":"A","relationships":[{"target":{"id":"Z"}}]},{"id":"B"}]}},
			"results":[{"ruleId":"A","message":{"text":"m"}}]}]}`, sarif.Pruned{}},
		{"taxon by guid", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"A"},{"id":"B"}]}},
			"taxonomies":[{"name":"CWE","taxa":[{"id":"T0","guid":"11111111-1111-1111-1111-111111111111"},{"id":"T1"}]}],
			"results":[{"ruleId":"A","message":{"text":"m"},"taxa":[{"guid":"11111111-1111-1111-1111-111111111111","toolComponent":{"name":"CWE"}}]}]}]}`,
			sarif.Pruned{Rules: 1}},
		{"a cycle of parent artifacts", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
			"artifacts":[{"location":{"uri":"a"},"parentIndex":1},{"location":{"uri":"b"},"parentIndex":0},{"location":{"uri":"c"}}],
			"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}]}]}]}`,
			sarif.Pruned{Artifacts: 1}},
	}
	for _, c := range cases {
		l := sariftest.Parse(t, c.log)
		st, err := l.Runs[0].Prune(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st != c.want {
			t.Errorf("%s: pruned %+v, want %+v", c.name, st, c.want)
		}
	}
}

// Pruning the corpus after dropping every other result leaves logs the
// validator would accept: every index in range (checked by resolving
// each result's rule and artifacts through the pruned run).
func TestPruneCorpus(t *testing.T) {
	names, _ := filepath.Glob("../testdata/corpus/real/*.sarif")
	more, _ := filepath.Glob("../testdata/diff/*.sarif")
	names = append(names, more...)
	if len(names) < 5 {
		t.Fatal("no corpus")
	}
	pruned := 0
	for _, name := range names {
		if _, err := os.Stat(name); err != nil {
			t.Fatal(err)
		}
		l := sariftest.Read(t, name)
		for _, run := range l.Runs {
			before := map[int]string{} // kept result -> its rule id and URI
			keep := make([]bool, run.Len())
			rv := run.Resolver()
			res := sariftest.Results(t, run)
			for i := range keep {
				keep[i] = i%2 == 0
				if keep[i] {
					before[len(before)] = rv.RuleID(res[i]) + " " + rv.PrimaryURI(res[i])
				}
			}
			if err := run.TakeResults(context.Background(), run, keep); err != nil {
				t.Fatal(err)
			}
			st, err := run.Prune(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			pruned += st.Total()
			rv = run.Resolver()
			for i, r := range sariftest.Results(t, run) {
				if got := rv.RuleID(r) + " " + rv.PrimaryURI(r); got != before[i] {
					t.Errorf("%s: result %d names %q after pruning, %q before", name, i, got, before[i])
				}
			}
		}
	}
	if pruned == 0 {
		t.Error("nothing pruned: the test renumbers nothing")
	}
	t.Logf("%d entries pruned", pruned)
}

// A result that refers to nothing but its rule is renumbered without
// being parsed whole: its ruleIndex alone changes.
func TestPruneRuleIndexOnly(t *testing.T) {
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"A"},{"id":"B"},{"id":"C"}]}},
		"results":[{"ruleId":"C","ruleIndex":2,"message":{"text":"c"}},{"ruleId":"A","message":{"text":"a"}}]}]}`)
	st, err := l.Runs[0].Prune(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st != (sarif.Pruned{Rules: 1}) {
		t.Errorf("pruned %+v, want one rule", st)
	}
	want := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"A"},{"id":"C"}]}},` +
		`"results":[{"ruleId":"C","ruleIndex":1,"message":{"text":"c"}},{"ruleId":"A","message":{"text":"a"}}]}]}`
	if got := string(sariftest.Write(t, l)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPrunedAdd(t *testing.T) {
	p := sarif.Pruned{Rules: 1, Taxa: 2, Artifacts: 3, ThreadFlowLocations: 4}
	p.Add(sarif.Pruned{Rules: 10, Taxa: 20, Artifacts: 30, ThreadFlowLocations: 40})
	if want := (sarif.Pruned{Rules: 11, Taxa: 22, Artifacts: 33, ThreadFlowLocations: 44}); p != want || p.Total() != 110 {
		t.Errorf("%+v, total %d", p, p.Total())
	}
}
