package filter

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// The tables of testdata/filter/filter-sarif hold filter-sarif's own
// answers, got by running its Python (see the README there); these tests
// assert that this package gives the same on every case.

const fsTables = "../testdata/filter/filter-sarif/"

func readTable(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(sariftest.File(t, fsTables+name), v); err != nil {
		t.Fatal(err)
	}
}

func TestFilterSarifParse(t *testing.T) {
	var cases []struct {
		Line, File, Rule string
		Sign, Error      bool
	}
	readTable(t, "parse.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		// filter-sarif's parser; the globs' "**" it leaves to the matcher,
		// where ParsePattern checks them at once (TestFilterSarifGlobs).
		include, file, rule, err := splitPattern(c.Line)
		if c.Error {
			if err == nil {
				t.Errorf("%q: parsed, filter-sarif fails", c.Line)
			}
			if _, perr := ParsePattern(c.Line); perr == nil {
				t.Errorf("ParsePattern(%q): no error", c.Line)
			}
			continue
		}
		if err != nil || include != c.Sign || file != c.File || rule != c.Rule {
			t.Errorf("%q: %v %q %q %v; filter-sarif: %v %q %q", c.Line, include, file, rule, err, c.Sign, c.File, c.Rule)
		}
	}
}

func TestFilterSarifGlobs(t *testing.T) {
	var cases []struct {
		Glob, Name   string
		Match, Error bool
	}
	readTable(t, "globs.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		g, err := CompileGlob(c.Glob)
		if c.Error {
			if err == nil {
				t.Errorf("%q: compiled, filter-sarif raises", c.Glob)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.Glob, err)
			continue
		}
		if got := g.Match(c.Name); got != c.Match {
			t.Errorf("%q matching %q: %v; filter-sarif: %v", c.Glob, c.Name, got, c.Match)
		}
	}
}

type keptRun struct {
	Run     int          `json:"run"`
	Results []keptResult `json:"results"`
}

type keptResult struct {
	Index     int   `json:"index"`
	Locations []int `json:"locations"`
}

// eagerGlobCases are the cases whose patterns hold a glob filter-sarif
// would refuse had a location reached it: this package refuses it when
// it parses the pattern.
var eagerGlobCases = map[string]bool{"flawfinder-bad-file-glob-rule-misses": true}

func TestFilterSarifLogs(t *testing.T) {
	var cases []struct {
		Name, Input, Severity string
		Patterns              []string
		Want                  []keptRun
	}
	readTable(t, "logs.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			in := "../testdata/" + c.Input
			// The action joins the lines into one argument and splits it.
			ps, err := ParsePatterns(SplitLines(strings.Join(c.Patterns, "\n")))
			var ge *GlobError
			if errors.As(err, &ge) && eagerGlobCases[c.Name] {
				// A glob filter-sarif never reached, so never raised on:
				// this package refuses it at once, as documented.
				t.Skipf("a glob refused when parsed: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			sev, err := ParseSeverity(c.Severity)
			if err != nil {
				t.Fatal(err)
			}
			before := resultValues(t, sariftest.Read(t, in))
			l, err := sarif.ReadFile(t.Context(), in, &sarif.ReadOptions{ResultsOnDisk: true})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if _, err := Filter(t.Context(), l, &Options{Patterns: ps, Severity: sev}); err != nil {
				t.Fatal(err)
			}
			after := resultValues(t, sariftest.Parse(t, string(sariftest.Write(t, l))))
			got := keptOf(t, before, after)
			want := c.Want
			for i := range want {
				if want[i].Results == nil {
					want[i].Results = []keptResult{}
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("kept %v\nfilter-sarif kept %v", got, want)
			}
		})
	}
}

// resultValues returns the results of each run as generic JSON values.
func resultValues(t *testing.T, l *sarif.Log) [][]map[string]any {
	out := make([][]map[string]any, len(l.Runs))
	for i, run := range l.Runs {
		out[i] = []map[string]any{}
		for _, text := range sariftest.Texts(t, run) {
			out[i] = append(out[i], sariftest.JSON(t, text).(map[string]any))
		}
	}
	return out
}

// keptOf says which results of before, with which of their locations,
// after holds: each result of after is the next of before equal to it
// but for its locations, each of its locations the next equal one.
func keptOf(t *testing.T, before, after [][]map[string]any) []keptRun {
	var out []keptRun
	for r := range before {
		kr := keptRun{Run: r, Results: []keptResult{}}
		i := 0
		for _, res := range after[r] {
			var locs []int
			for ; i < len(before[r]); i++ {
				if equalBut(before[r][i], res, "locations") {
					if locs = subsequence(asSlice(before[r][i]["locations"]), asSlice(res["locations"])); locs != nil {
						break
					}
				}
			}
			if i == len(before[r]) {
				t.Fatalf("run %d: a result of the output is none of the input's", r)
			}
			kr.Results = append(kr.Results, keptResult{Index: i, Locations: locs})
			i++
		}
		out = append(out, kr)
	}
	return out
}

// subsequence returns the indices in old of the elements of kept, each
// the next equal one; nil when kept is no subsequence of old.
func subsequence(old, kept []any) []int {
	locs := []int{}
	k := 0
	for _, loc := range kept {
		for ; k < len(old) && !reflect.DeepEqual(old[k], loc); k++ {
		}
		if k == len(old) {
			return nil
		}
		locs = append(locs, k)
		k++
	}
	return locs
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func equalBut(a, b map[string]any, name string) bool {
	if len(a) != len(b) {
		_, inA := a[name]
		_, inB := b[name]
		if len(a)-btoi(inA) != len(b)-btoi(inB) {
			return false
		}
	}
	for k, v := range a {
		if k != name && !reflect.DeepEqual(v, b[k]) {
			return false
		}
	}
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
