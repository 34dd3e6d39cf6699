package alertstate

import (
	"context"
	"github.com/sarifkit/sarifkit/internal/gen"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// Suppressions become dismissals: the open alert of a place wins over an
// old fixed one, and "test" counts as a word only.
func TestDismissalsPreferOpen(t *testing.T) {
	t.Parallel()
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[
	  {"ruleId":"G101","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":3}}}],
	   "suppressions":[{"kind":"inSource","justification":"the latest attestation says it is fine"}]}]}]}`)
	mk := func(n int, state string) *fetch.Alert {
		a := &fetch.Alert{Number: n, State: state, Rule: fetch.AlertRule{ID: "G101"}}
		a.MostRecentInstance.Location = fetch.AlertLocation{Path: "a.go", StartLine: 3}
		return a
	}
	for _, order := range [][]*fetch.Alert{{mk(9, "open"), mk(2, "fixed")}, {mk(2, "fixed"), mk(9, "open")}} {
		ds, unmatched := Dismissals(l, order, "")
		if len(ds) != 1 || len(unmatched) != 0 || ds[0].Alert.Number != 9 || ds[0].Update.Reason != fetch.ReasonWontFix {
			t.Errorf("got %+v, %v", ds, unmatched)
		}
	}
	if r := reasonOf("only in test code"); r != fetch.ReasonUsedInTests {
		t.Errorf("test code: %s", r)
	}
}

// logText is a log of four results: alerts 1, 2 and 3 (2 already with
// its dismissal as a suppression), and one without an alert.
const logText = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[
  {"ruleId":"G101","message":{"text":"m"},"properties":{"github/alertNumber":1}},
  {"ruleId":"G101","message":{"text":"m"},"properties":{"github/alertNumber":2},
   "suppressions":[{"kind":"external","status":"accepted","justification":"dismissed on GitHub as won't fix by rev on 2026-11-30"}]},
  {"ruleId":"G101","message":{"text":"m"},"properties":{"github/alertNumber":3}},
  {"ruleId":"G101","message":{"text":"m"}}]}]}`

func dismissed(n int, reason, comment string) *fetch.Alert {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	return &fetch.Alert{Number: n, State: "dismissed", DismissedReason: &reason, DismissedComment: &comment,
		DismissedBy: &fetch.User{Login: "rev"}, DismissedAt: &at}
}

// Suppress gives the results of dismissed alerts a suppression, once,
// whether the log holds its results in memory or on disk; the log on
// disk is edited as it is written, not loaded.
func TestSuppress(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "in.sarif")
	if err := os.WriteFile(name, []byte(logText), 0o644); err != nil {
		t.Fatal(err)
	}
	alerts := []*fetch.Alert{dismissed(1, "false positive", "not reachable"), dismissed(2, "won't fix", ""),
		{Number: 3, State: "open"}}
	want := []string{
		`[{"justification":"dismissed on GitHub as false positive by rev on 2026-11-30: not reachable","kind":"external","status":"accepted"}]`,
		`[{"kind":"external","status":"accepted","justification":"dismissed on GitHub as won't fix by rev on 2026-11-30"}]`,
		"", "",
	}
	for _, onDisk := range []bool{false, true} {
		l, err := sarif.ReadFile(t.Context(), name, &sarif.ReadOptions{ResultsOnDisk: onDisk})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		n, err := Suppress(t.Context(), l, alerts)
		if err != nil || n != 1 {
			t.Errorf("on disk %v: %d suppressed, %v; want 1", onDisk, n, err)
		}
		out := sariftest.Parse(t, string(sariftest.Write(t, l)))
		for i, w := range want {
			r, err := out.Runs[0].Result(i)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(r.Member("suppressions")); got != w {
				t.Errorf("on disk %v: result %d: suppressions %s, want %s", onDisk, i, got, w)
			}
		}
	}
}

// A result whose suppressions are not an array is an error that names it.
func TestSuppressBadSuppressions(t *testing.T) {
	t.Parallel()
	l := sariftest.Parse(t, strings.Replace(logText, `"properties":{"github/alertNumber":3}}`, `"properties":{"github/alertNumber":3},"suppressions":{}}`, 1))
	_, err := Suppress(context.Background(), l, []*fetch.Alert{dismissed(3, "won't fix", "")})
	if err == nil || !strings.HasPrefix(err.Error(), "/runs/0/results/2/suppressions: ") {
		t.Errorf("got %v", err)
	}
}

// Suppress leaves results on disk where they are: the heap does not grow
// by the results' size (Log.Load would bring them all into memory).
func TestSuppressKeepsResultsOnDisk(t *testing.T) {
	name := filepath.Join(t.TempDir(), "big.sarif")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Write(f, gen.Config{Results: 20000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	l, err := sarif.ReadFile(t.Context(), name, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	if _, err := Suppress(t.Context(), l, []*fetch.Alert{dismissed(1, "false positive", "")}); err != nil {
		t.Fatal(err)
	}
	grown := int64(heap()) - int64(before)
	if grown > info.Size()/4 {
		t.Errorf("the heap grew by %d bytes for a log of %d: the results were loaded", grown, info.Size())
	}
	runtime.KeepAlive(l)
}
