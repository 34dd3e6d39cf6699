package sarif_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

const helperLog = `{"version":"2.1.0","runs":[{
  "tool":{
    "driver":{"name":"d","rules":[
      {"id":"E","defaultConfiguration":{"level":"error"},"properties":{"security-severity":"9.1","precision":"high","tags":["security","external/cwe/cwe-89"]}},
      {"id":"W","properties":{"security-severity":"7.0"}},
      {"id":"N","defaultConfiguration":{"level":"note"},"properties":{"security-severity":"not a number"}},
      {"id":"O","defaultConfiguration":{"level":"note"}}
    ]},
    "extensions":[{"name":"ext","guid":"1B3E2C34-0000-4000-8000-000000000001","rules":[{"id":"X","defaultConfiguration":{"level":"error"}}]}]
  },
  "invocations":[{"executionSuccessful":true,"ruleConfigurationOverrides":[{"descriptor":{"id":"O"},"configuration":{"level":"error"}}]}],
  "originalUriBaseIds":{"REPO":{"uri":"file:///home/ci/repo/"},"SRC":{"uri":"src/","uriBaseId":"REPO"}},
  "artifacts":[{"location":{"uri":"lib/a.go","uriBaseId":"SRC"}}],
  "automationDetails":{"id":"security/go/run-17"},
  "results":[
    {"ruleId":"E","message":{"text":"0 default error"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"main.go","uriBaseId":"SRC"}}}]},
    {"ruleId":"E","level":"warning","message":{"text":"1 explicit level"},"locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}]},
    {"ruleId":"E","kind":"pass","message":{"text":"2 kind pass"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///abs/x.go","uriBaseId":"SRC"}}}]},
    {"ruleId":"W","message":{"text":"3 no default"}},
    {"ruleIndex":2,"message":{"text":"4 by index"}},
    {"ruleId":"O","message":{"text":"5 override"}},
    {"ruleId":"X","message":{"text":"6 extension by id"}},
    {"rule":{"index":0,"toolComponent":{"index":0}},"message":{"text":"7 extension by reference"}},
    {"ruleId":"E/sub","message":{"text":"8 hierarchical"}},
    {"ruleId":"nope","message":{"text":"9 unknown rule"}},
    {"ruleId":"N","kind":"fail","message":{"text":"10 kind fail"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"rel.go","uriBaseId":"UNKNOWN"}}}]}
  ]}]}`

func TestHelpers(t *testing.T) {
	t.Parallel()
	l, err := sarif.Read(context.Background(), strings.NewReader(helperLog), "helpers", nil)
	if err != nil {
		t.Fatal(err)
	}
	run := l.Runs[0]
	rv := run.Resolver()
	want := []struct {
		level, rule, uri string
		sev              float64
		hasSev           bool
	}{
		{"error", "E", "file:///home/ci/repo/src/main.go", 9.1, true},
		{"warning", "E", "file:///home/ci/repo/src/lib/a.go", 9.1, true},
		{"none", "E", "file:///abs/x.go", 9.1, true},
		{"warning", "W", "", 7.0, true},
		{"note", "N", "", 0, false},
		{"error", "O", "", 0, false},
		{"error", "X", "", 0, false},
		{"error", "X", "", 0, false},
		{"error", "E", "", 9.1, true},
		{"warning", "", "", 0, false},
		{"note", "N", "rel.go", 0, false},
	}
	for i, text := range sarif.InMemory(run) {
		r, err := text.Decode()
		if err != nil {
			t.Fatal(err)
		}
		w := want[i]
		if got := rv.Level(r); got != w.level {
			t.Errorf("result %d (%s): level %q, want %q", i, *r.Message.Text, got, w.level)
		}
		rule := rv.Rule(r)
		gotRule := ""
		if rule != nil {
			gotRule = rule.ID
		}
		if gotRule != w.rule {
			t.Errorf("result %d: rule %q, want %q", i, gotRule, w.rule)
		}
		if got := rv.PrimaryURI(r); got != w.uri {
			t.Errorf("result %d: uri %q, want %q", i, got, w.uri)
		}
		sev, ok := sarif.SecuritySeverity(rule)
		if ok != w.hasSev || sev != w.sev {
			t.Errorf("result %d: security-severity %v %v, want %v %v", i, sev, ok, w.sev, w.hasSev)
		}
	}
	r4, _ := sarif.InMemory(run)[4].Decode()
	if got := rv.RuleID(r4); got != "N" {
		t.Errorf("RuleID by index: %q", got)
	}
	e := run.Model.Tool.Driver.Rules[0]
	if sarif.Precision(e) != "high" || !slices.Equal(sarif.Tags(e), []string{"security", "external/cwe/cwe-89"}) {
		t.Errorf("precision %q tags %q", sarif.Precision(e), sarif.Tags(e))
	}
	if got := run.Category(); got != "security/go" {
		t.Errorf("category %q", got)
	}
	if got := run.Tool(); got != "d" {
		t.Errorf("tool %q", got)
	}
}

func TestSeverityBandsAndLevels(t *testing.T) {
	t.Parallel()
	bands := map[float64]string{10: "critical", 9.0: "critical", 8.9: "high", 7.0: "high", 6.9: "medium", 4.0: "medium", 3.9: "low", 0.1: "low", 0.05: "low", 1e-9: "low", 0: "", -1: ""}
	for score, want := range bands {
		if got := sarif.SeverityBand(score); got != want {
			t.Errorf("%v: %q, want %q", score, got, want)
		}
	}
	if !(sarif.LevelRank("error") > sarif.LevelRank("warning") && sarif.LevelRank("warning") > sarif.LevelRank("note") &&
		sarif.LevelRank("note") > sarif.LevelRank("none") && sarif.LevelRank("bogus") == 0) {
		t.Error("level ranks out of order")
	}
	for id, want := range map[string]string{"a/b/c": "a/b", "a/": "a", "plain": "plain", "": ""} {
		if got := sarif.CategoryOf(id); got != want {
			t.Errorf("CategoryOf(%q) = %q, want %q", id, got, want)
		}
	}
}

// Every resolver question, answered once for every package: rule id, the
// rule found (component and index), level, primary URI.
func TestResolver(t *testing.T) {
	t.Parallel()
	// The log asks every question a result can leave to its run: rules by
	// id, index, reference, tool component (by index, GUID in any case,
	// name), hierarchical ids, rules only an extension has, level
	// overrides; URIs by index, nested artifacts, chains of base ids,
	// unknown and cyclic bases.
	l, err := sarif.ReadFile(t.Context(), "../testdata/resolve/questions.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id          string
		comp, index int // -1: no rule
		level, uri  string
	}{
		{"go/sqli", 0, 0, "warning", ""},
		{"go/xss", 0, 1, "note", ""},
		{"go/xss", 0, 1, "note", ""},
		{"js/xss", 1, 1, "error", ""},
		{"js/xss", 1, 1, "error", ""},
		{"js/sqli", 1, 0, "warning", ""},
		{"", -1, -1, "warning", ""},
		{"", -1, -1, "warning", ""},
		{"", -1, -1, "warning", ""},
		{"go/sqli/variant", 0, 0, "warning", ""},
		{"EXT1", 2, 0, "warning", ""},
		{"go/xss", 0, 1, "note", ""},
		{"unknown", -1, -1, "warning", ""},
		{"js/sqli", 1, 0, "note", ""},
		{"js/sqli", 1, 0, "warning", ""},
		{"go/sqli", 0, 0, "warning", "file:///w/repo/src/pkg/x%20y.go"},
		{"go/sqli", 0, 0, "warning", "file:///w/repo/src/main.go"},
		{"go/sqli", 0, 0, "warning", "b/a/m.go"}, // resolution stops where the cycle closes
		{"go/sqli", 0, 0, "warning", "m.go"},
		{"go/sqli", 0, 0, "warning", "m.go"},
		{"go/sqli", 0, 0, "warning", "file:///abs/m.go"},
		{"go/sqli", 0, 0, "warning", "https://example.com/lib.js"},
		{"go/sqli", 0, 0, "warning", ""},
	}
	run := l.Runs[0]
	rv := run.Resolver()
	if len(sarif.InMemory(run)) != len(want) {
		t.Fatalf("%d results, %d cases", len(sarif.InMemory(run)), len(want))
	}
	for i, text := range sarif.InMemory(run) {
		r, err := text.Decode()
		if err != nil {
			t.Fatal(err)
		}
		w, what := want[i], *r.Message.Text
		if got := rv.RuleID(r); got != w.id {
			t.Errorf("%s: rule id %q, want %q", what, got, w.id)
		}
		if !reflect.DeepEqual(text.Rule(), sarif.ResultRule(r)) {
			t.Errorf("%s: the rule reference read from the text differs from the model's", what)
		}
		comp, index, ok := rv.Rules.Find(sarif.ResultRule(r))
		if !ok {
			comp, index = -1, -1
		}
		if comp != w.comp || index != w.index {
			t.Errorf("%s: rule at component %d index %d, want %d %d", what, comp, index, w.comp, w.index)
		}
		if got := rv.Level(r); got != w.level {
			t.Errorf("%s: level %q, want %q", what, got, w.level)
		}
		if got := rv.PrimaryURI(r); got != w.uri {
			t.Errorf("%s: uri %q, want %q", what, got, w.uri)
		}
	}
}
