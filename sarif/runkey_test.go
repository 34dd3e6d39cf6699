package sarif_test

import (
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// Which runs are one run to GitHub. The expected answers are those of
// github/codeql-action's own key (createRunKey and areAllRunsUnique in
// src/sarif/index.ts at f3f1edbed), run under node on these very runs; the
// last three cases are the action's tests of
// shouldShowCombineSarifFilesDeprecationWarning (src/upload-lib.test.ts).
// Before, sarifkit keyed a run on its tool's name and category alone: the
// run ids, "abc" against "abc/", versions, guids and full names made no
// difference.
func TestRunKey(t *testing.T) {
	t.Parallel()
	run := func(driver, ad string) string {
		s := `{"tool":{"driver":{` + driver + `}},"results":[]`
		if ad != "" {
			s += `,"automationDetails":` + ad
		}
		return s + "}"
	}
	for _, c := range []struct {
		name     string
		a, b     string
		sameRun  bool
		category bool // the same tool name and category
	}{
		{"two run ids of one category", run(`"name":"gosec"`, `{"id":"cat/2024-01-01"}`), run(`"name":"gosec"`, `{"id":"cat/2024-01-02"}`), false, true},
		{"abc and abc/", run(`"name":"gosec"`, `{"id":"abc"}`), run(`"name":"gosec"`, `{"id":"abc/"}`), false, true},
		{"one id", run(`"name":"gosec"`, `{"id":"cat/"}`), run(`"name":"gosec"`, `{"id":"cat/"}`), true, true},
		{"version", run(`"name":"gosec","version":"2.0.0"`, ``), run(`"name":"gosec","version":"2.1.0"`, ``), false, true},
		{"guid", run(`"name":"gosec","guid":"a"`, ``), run(`"name":"gosec","guid":"b"`, ``), false, true},
		{"semanticVersion", run(`"name":"gosec","semanticVersion":"1.0.0"`, ``), run(`"name":"gosec","semanticVersion":"1.1.0"`, ``), false, true},
		{"fullName", run(`"name":"gosec","fullName":"gosec A"`, ``), run(`"name":"gosec","fullName":"gosec B"`, ``), false, true},
		{"empty version and none", run(`"name":"gosec","version":""`, ``), run(`"name":"gosec"`, ``), false, true},
		{"no automationDetails and one without id", run(`"name":"gosec"`, ``), run(`"name":"gosec"`, `{}`), true, true},
		{"no automationDetails and an empty id", run(`"name":"gosec"`, ``), run(`"name":"gosec"`, `{"id":""}`), false, true},
		{"other members do not count", run(`"name":"gosec","informationUri":"https://a.example","rules":[]`, `{"id":"c/","guid":"00000000-0000-0000-0000-000000000001"}`),
			run(`"name":"gosec","informationUri":"https://b.example"`, `{"id":"c/","guid":"00000000-0000-0000-0000-000000000002"}`), true, true},
		{"case counts", run(`"name":"gosec"`, `{"id":"Cat/"}`), run(`"name":"gosec"`, `{"id":"cat/"}`), false, false},
		{"action: one tool and id", run(`"name":"def"`, `{"id":"abc"}`), run(`"name":"def"`, `{"id":"abc"}`), true, true},
		{"action: distinct categories", run(`"name":"def"`, `{"id":"abc"}`), run(`"name":"def"`, `{"id":"def"}`), false, false},
		{"action: distinct tools", run(`"name":"abc"`, `{"id":"abc"}`), run(`"name":"def"`, `{"id":"abc"}`), false, false},
	} {
		l := sariftest.Parse(t, `{"version":"2.1.0","runs":[`+c.a+","+c.b+`]}`)
		a, b := l.Runs[0], l.Runs[1]
		if got := a.Key() == b.Key(); got != c.sameRun {
			t.Errorf("%s: one run %v, want %v (%v / %v)", c.name, got, c.sameRun, a.Key(), b.Key())
		}
		if got := a.Tool() == b.Tool() && a.Category() == b.Category(); got != c.category {
			t.Errorf("%s: one tool and category %v, want %v", c.name, got, c.category)
		}
	}
}

func TestRunKeyString(t *testing.T) {
	t.Parallel()
	v, id, guid := "2.1.0", "cat/1", "g\x1b"
	k := sarif.NewRunKey(new("gosec"), nil, &v, nil, &guid, &id)
	if got, want := k.String(), `tool "gosec" version "2.1.0" guid "g\x1b", automationDetails.id "cat/1"`; got != want {
		t.Errorf("String %q, want %q", got, want)
	}
	if got := sarif.NewRunKey(new("gosec"), nil, nil, nil, nil, nil).String(); !strings.HasSuffix(got, "no automationDetails.id") {
		t.Errorf("String %q", got)
	}
	if k.Tool() != "gosec" || k.Category() != "cat" || k.Version() != "2.1.0" {
		t.Errorf("Tool %q Category %q Version %q", k.Tool(), k.Category(), k.Version())
	}
	if got, ok := k.AutomationID(); got != "cat/1" || !ok {
		t.Errorf("AutomationID %q %v", got, ok)
	}
	var nilRun *sarif.Run
	if nilRun.Key() != sarif.RunKeyOf(nil) {
		t.Error("nil runs differ")
	}
}
