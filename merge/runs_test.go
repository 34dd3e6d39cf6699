package merge

import (
	"slices"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// Runs are combined when GitHub's upload action would take them for one
// run (one sarif.RunKey), and never otherwise. Each input has the same
// result, so that a wrong combination shows as a result folded away.
// (Before: runs were keyed on the tool's name and category; the first six
// pairs were folded into one run with one result, losing the second
// input's; the semantic versions were an error, sarif-merge's exit 2.)
func TestRunIdentity(t *testing.T) {
	t.Parallel()
	mk := func(driver, ad string) *sarif.Log {
		s := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"` + driver + `}}`
		if ad != "" {
			s += `,"automationDetails":` + ad
		}
		return parse(t, s+`,"results":[{"ruleId":"G104","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":3}}}]}]}]}`)
	}
	for _, c := range []struct {
		name       string
		a, b       *sarif.Log
		opts       *Options
		runs       int
		categories []string
	}{
		{"another version", mk(`,"version":"2.0.0"`, ``), mk(`,"version":"2.1.0"`, ``), nil, 2, nil},
		{"another guid", mk(`,"guid":"00000000-0000-4000-8000-000000000001"`, ``), mk(`,"guid":"00000000-0000-4000-8000-000000000002"`, ``), nil, 2, nil},
		{"another semantic version", mk(`,"semanticVersion":"1.0.0"`, ``), mk(`,"semanticVersion":"1.1.0"`, ``), nil, 2, nil},
		{"another full name", mk(`,"fullName":"gosec A"`, ``), mk(`,"fullName":"gosec B"`, ``), nil, 2, nil},
		{"two run ids of one category", mk(``, `{"id":"cat/2024-01-01"}`), mk(``, `{"id":"cat/2024-01-02"}`), nil, 2, []string{"cat", "cat"}},
		{"abc and abc/", mk(``, `{"id":"abc"}`), mk(``, `{"id":"abc/"}`), nil, 2, []string{"abc", "abc"}},
		// The same key: combined, one result folded, as before.
		{"one key", mk(`,"version":"2.0.0"`, `{"id":"cat/"}`), mk(`,"version":"2.0.0"`, `{"id":"cat/"}`), nil, 1, []string{"cat"}},
		{"no automationDetails and automationDetails without id", mk(``, ``), mk(``, `{"description":{"text":"d"}}`), nil, 1, []string{""}},
		// --category: the run without automationDetails gets it, the one
		// with automationDetails but no id keeps it as it is, as in the
		// upload action (before: both got "cat/" and were combined).
		{"category fills only runs without automationDetails", mk(``, ``), mk(``, `{"description":{"text":"d"}}`), &Options{Category: "cat"}, 2, []string{"cat", ""}},
		{"category from tool likewise", mk(``, ``), mk(``, `{"description":{"text":"d"}}`), &Options{CategoryFromTool: true}, 2, []string{"gosec", ""}},
		{"category that the ids have", mk(``, `{"id":"cat/1"}`), mk(``, `{"id":"cat/2"}`), &Options{Category: "cat"}, 2, []string{"cat", "cat"}},
		{"force replaces every id", mk(``, `{"id":"cat/1"}`), mk(``, `{"description":{"text":"d"}}`), &Options{Category: "new", ReplaceCategory: true}, 1, []string{"new"}},
	} {
		out, st, err := Merge(t.Context(), []sarif.Input{{Name: "a.sarif", Log: c.a}, {Name: "b.sarif", Log: c.b}}, c.opts)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		wantResults := 2
		if c.runs == 1 {
			wantResults = 1
		}
		if st.RunsOut != c.runs || st.ResultsOut != wantResults || len(out.Runs) != c.runs {
			t.Errorf("%s: %d runs, %d results out (%+v), want %d and %d", c.name, len(out.Runs), st.ResultsOut, st, c.runs, wantResults)
			continue
		}
		if c.categories != nil {
			var got []string
			for _, r := range out.Runs {
				got = append(got, r.Category())
			}
			if !slices.Equal(got, c.categories) {
				t.Errorf("%s: categories %q, want %q", c.name, got, c.categories)
			}
		}
		if c.runs == 2 && out.Runs[0].Key() == out.Runs[1].Key() {
			t.Errorf("%s: two runs with one key: GitHub would reject the output", c.name)
		}
	}
}
