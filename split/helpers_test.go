package split_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/split"
)

// genFile writes a generated log to a file of the test.
func genFile(t testing.TB, c gen.Config) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "in.sarif")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Write(f, c); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

// readInputs reads the files with their results on disk; the logs close
// with the test.
func readInputs(t testing.TB, names ...string) []sarif.Input {
	t.Helper()
	var ins []sarif.Input
	for _, n := range names {
		l, err := sarif.ReadFile(context.Background(), n, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		ins = append(ins, sarif.Input{Name: n, Log: l})
	}
	return ins
}

// written is a file a split wrote.
type written struct {
	name string
	text []byte
}

// runSplit splits the files and returns what it wrote.
func runSplit(t testing.TB, opts *split.Options, names ...string) ([]written, *split.Stats) {
	t.Helper()
	var out []written
	o := split.Options{}
	if opts != nil {
		o = *opts
	}
	o.Write = func(ctx context.Context, f *split.File) error {
		var b bytes.Buffer
		if err := f.Log.Write(&b, nil); err != nil {
			return err
		}
		out = append(out, written{f.Name, b.Bytes()})
		return nil
	}
	st, err := split.Split(context.Background(), readInputs(t, names...), &o)
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

// logJSON is what the tests read of a log.
type logJSON struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name  string            `json:"name"`
				Rules []json.RawMessage `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails *struct {
			ID *string `json:"id"`
		} `json:"automationDetails"`
		Results []json.RawMessage `json:"results"`
	} `json:"runs"`
}

func parse(t testing.TB, text []byte) logJSON {
	t.Helper()
	var l logJSON
	if err := json.Unmarshal(text, &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// canonical returns the canonical text of each result of the logs
// without its ruleIndex (pruning renumbers it: checkRuleIndex checks
// it), sorted.
func canonical(t testing.TB, texts ...[]byte) []string {
	t.Helper()
	var c jsonscan.Canonicalizer
	var out []string
	for _, text := range texts {
		for _, r := range parse(t, text).Runs {
			checkRuleIndex(t, r.Tool.Driver.Rules, r.Results)
			for _, res := range r.Results {
				b, err := c.AppendOmitting(nil, res, "ruleIndex")
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, string(b))
			}
		}
	}
	sort.Strings(out)
	return out
}

// sameResults fails unless the results of got are those of want, each
// as many times.
func sameResults(t testing.TB, want [][]byte, got []written) {
	t.Helper()
	var texts [][]byte
	for _, w := range got {
		texts = append(texts, w.text)
	}
	a, b := canonical(t, want...), canonical(t, texts...)
	if len(a) != len(b) {
		t.Fatalf("%d results in, %d out", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("results differ: in %.200s, out %.200s", a[i], b[i])
		}
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, name string, text []byte) {
	t.Helper()
	if err := os.WriteFile(name, text, 0o666); err != nil {
		t.Fatal(err)
	}
}

// checkRuleIndex fails when a result's ruleIndex names a rule of another
// id than its ruleId.
func checkRuleIndex(t testing.TB, rules, results []json.RawMessage) {
	t.Helper()
	ids := make([]string, len(rules))
	for i, r := range rules {
		var v struct{ ID string }
		json.Unmarshal(r, &v)
		ids[i] = v.ID
	}
	for _, res := range results {
		var v struct {
			RuleID    string
			RuleIndex *int
		}
		json.Unmarshal(res, &v)
		if v.RuleIndex != nil && (*v.RuleIndex >= len(ids) || ids[*v.RuleIndex] != v.RuleID) {
			t.Fatalf("ruleIndex %d does not name rule %s", *v.RuleIndex, v.RuleID)
		}
	}
}
