package alertscmd

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

func alert(n int, state, rule, path string) map[string]any {
	a := map[string]any{"number": n, "state": state, "created_at": "2026-11-01T12:00:00Z",
		"html_url": "https://github.com/o/r/security/code-scanning/" + strings.Repeat("", 0) + itoa(n),
		"rule":     map[string]any{"id": rule, "severity": "error", "security_severity_level": "high"},
		"tool":     map[string]any{"name": "gosec"},
		"most_recent_instance": map[string]any{"ref": "refs/heads/main", "message": map[string]any{"text": "m"},
			"location": map[string]any{"path": path, "start_line": n}}}
	switch state {
	case "fixed":
		a["fixed_at"] = "2026-11-21T12:00:00Z"
	case "dismissed":
		a["dismissed_reason"] = "false positive"
		a["dismissed_at"] = "2026-11-02T12:00:00Z"
	}
	return a
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// setup is a fake holding o/r's alerts: 1-3 open in vendor/, 4 open in
// main.go, 5 fixed in vendor/, 6 dismissed.
func setup(t *testing.T) (*fakegithub.Server, func(args ...string) clitest.Result) {
	f := fakegithub.New(t)
	f.ReaderToken = "ghs_reader"
	for i := 1; i <= 3; i++ {
		f.Alerts = append(f.Alerts, alert(i, "open", "G104", "vendor/x/lib.go"))
	}
	f.Alerts = append(f.Alerts, alert(4, "open", "G101", "main.go"), alert(5, "fixed", "G104", "vendor/y.go"), alert(6, "dismissed", "=HYPERLINK(1)", "main.go"))
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}}
	return f, func(args ...string) clitest.Result { return clitest.Run(t, Run, env, args...) }
}

func patches(f *fakegithub.Server) int {
	n := 0
	for _, l := range f.Log() {
		if strings.HasPrefix(l, "PATCH ") {
			n++
		}
	}
	return n
}

func TestConventions(t *testing.T) {
	t.Parallel()
	clitest.CheckConventions(t, Run, "sarif-alerts")
}

// Bad input is refused before anything is sent.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	for _, c := range []struct {
		args []string
		err  string
	}{
		{nil, "no VERB given"},
		{[]string{"close"}, `unknown verb "close"`},
		{[]string{"dismiss", "1"}, `the reason must be "false positive", "won't fix" or "used in tests", not ""`},
		{[]string{"dismiss", "--reason", "wontfix", "1"}, `not "wontfix"`},
		{[]string{"dismiss", "--reason", "won't fix", "--comment", strings.Repeat("x", 281), "1"}, "the comment has 281 characters, at most 280"},
		{[]string{"dismiss", "--reason", "won't fix"}, "dismiss needs alert numbers, or filters"},
		{[]string{"dismiss", "--reason", "won't fix", "--rule", "G104", "1"}, "numbers or filters, not both"},
		{[]string{"dismiss", "--org", "acme", "--reason", "won't fix", "1"}, "--org does not apply to dismiss"},
		{[]string{"reopen", "--reason", "won't fix", "1"}, "--reason does not apply to reopen"},
		{[]string{"list", "3"}, "list takes no alert numbers"},
		{[]string{"list", "--format", "xml"}, `list --format must be table, json or csv, not "xml"`},
		{[]string{"report", "--format", "csv"}, `report --format must be markdown, html or json`},
		{[]string{"list", "--org", "acme", "--repo", "o/r"}, "give one or --repo"},
		{[]string{"list", "--org", "acme", "--enterprise", "e"}, "give --org or --enterprise, not both"},
		{[]string{"reopen", "x1"}, `"x1" is not an alert number`},
		{[]string{"list", "--path", "[x"}, "--path"},
		{[]string{"reopen", "--yes", "4"}, "--yes applies to the alerts filters select, not to alert numbers"},
		{[]string{"reopen", "--ref", "refs/heads/dev", "4"}, "--ref applies to the alerts filters select"},
		{[]string{"reopen", "--rule", "G104", "--yes", "--dry-run"}, "not both"},
	} {
		r := run(c.args...)
		if r.Code != 2 || !strings.Contains(r.Stderr, c.err) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, r.Code, r.Stderr, c.err)
		}
	}
	if n := len(f.Log()); n != 0 {
		t.Errorf("usage errors sent %d requests: %v", n, f.Log())
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	_, run := setup(t)
	r := run("list", "--state", "open", "--path", "vendor/**")
	if r.Code != 0 || strings.Count(r.Stdout, "o/r") != 3 || !strings.Contains(r.Stdout, "vendor/x/lib.go:2") || !strings.Contains(r.Stderr, "3 alerts") {
		t.Errorf("table: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	r = run("list", "--format", "json", "--rule", "G101")
	var a struct {
		Number int
		Rule   struct{ ID string }
	}
	if r.Code != 0 || strings.Count(r.Stdout, "\n") != 1 || json.Unmarshal([]byte(r.Stdout), &a) != nil || a.Number != 4 {
		t.Errorf("json: exit %d\n%s", r.Code, r.Stdout)
	}
	r = run("list", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.Stdout)).ReadAll()
	if err != nil || len(rows) != 7 || rows[0][0] != "repository" || rows[6][5] != "'=HYPERLINK(1)" || rows[6][12] != "false positive" {
		t.Errorf("csv: %v\n%s", err, r.Stdout)
	}
}

// Dismissing by number: fixed alerts untouched, the second run changes
// nothing, an unknown alert fails alone.
func TestDismissNumbers(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	r := run("dismiss", "--reason", "used in tests", "--comment", "fixture code", "1", "4", "5", "99")
	if r.Code != 1 || !strings.Contains(r.Stderr, "2 dismissed, 1 skipped (1 fixed), 1 failed") || !strings.Contains(r.Stderr, "alert 99:") {
		t.Errorf("exit %d: %s", r.Code, r.Stderr)
	}
	if patches(f) != 2 {
		t.Errorf("%d PATCHes, want 2", patches(f))
	}
	r = run("dismiss", "--reason", "used in tests", "1", "4")
	if r.Code != 0 || !strings.Contains(r.Stderr, "0 dismissed, 2 skipped (2 already dismissed), 0 failed") || patches(f) != 2 {
		t.Errorf("second run: exit %d: %s (%d PATCHes)", r.Code, r.Stderr, patches(f))
	}
	r = run("reopen", "4", "6")
	if r.Code != 0 || !strings.Contains(r.Stderr, "2 reopened, 0 skipped, 0 failed") {
		t.Errorf("reopen: exit %d: %s", r.Code, r.Stderr)
	}
	if r := run("list", "--state", "dismissed", "--format", "csv"); strings.Count(r.Stdout, "\n") != 2 {
		t.Errorf("after reopening, dismissed:\n%s", r.Stdout)
	}
}

// Dismissing by filter: listed and refused without --yes, nothing sent
// with --dry-run, done with --yes; open alerts only.
func TestDismissFilter(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	r := run("dismiss", "--reason", "won't fix", "--path", "vendor/**")
	if r.Code != 2 || strings.Count(r.Stdout, "vendor/x/lib.go") != 3 || !strings.Contains(r.Stderr, "3 open alerts match: add --yes") {
		t.Errorf("without --yes: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	r = run("dismiss", "--reason", "won't fix", "--path", "vendor/**", "--dry-run")
	if r.Code != 0 || strings.Count(r.Stdout, "would dismiss") != 3 || patches(f) != 0 {
		t.Errorf("--dry-run: exit %d, %d PATCHes\n%s%s", r.Code, patches(f), r.Stdout, r.Stderr)
	}
	r = run("dismiss", "--reason", "won't fix", "--path", "vendor/**", "--yes")
	if r.Code != 0 || !strings.Contains(r.Stderr, "3 dismissed") || patches(f) != 3 {
		t.Errorf("--yes: exit %d: %s", r.Code, r.Stderr)
	}
	if r := run("dismiss", "--reason", "won't fix", "--path", "vendor/**", "--yes"); r.Code != 0 || !strings.Contains(r.Stderr, "0 dismissed") || patches(f) != 3 {
		t.Errorf("again: exit %d: %s", r.Code, r.Stderr)
	}
}

// A server error on a change is GitHub failing, not refusing: exit 3,
// and the change is not retried (a PATCH that reached GitHub may be done).
func TestDismissServerError(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	f.Fault("/repos/o/r/code-scanning/alerts/4", "500")
	r := run("dismiss", "--reason", "won't fix", "--rule", "G101", "--yes")
	if r.Code != 3 || !strings.Contains(r.Stderr, "0 dismissed, 0 skipped, 1 failed") || patches(f) != 1 {
		t.Errorf("exit %d, %d PATCHes: %s", r.Code, patches(f), r.Stderr)
	}
}

// A user who may read but not write: every change fails (403), said per
// alert, exit 1.
func TestDismissForbidden(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.ReaderToken = "ghs_reader"
	f.Alerts = []map[string]any{alert(1, "open", "G104", "a.go"), alert(2, "open", "G104", "b.go")}
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": "ghs_reader", "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}}
	r := clitest.Run(t, Run, env, "dismiss", "--reason", "false positive", "1", "2")
	if r.Code != 1 || strings.Count(r.Stderr, "403") != 2 || !strings.Contains(r.Stderr, "0 dismissed, 0 skipped, 2 failed") {
		t.Errorf("exit %d: %s", r.Code, r.Stderr)
	}
}

// The report of an organization.
func TestReport(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	f.Orgs = map[string][]string{"acme": {"o/r"}}
	r := run("report", "--org", "acme")
	for _, want := range []string{
		"6 alerts: 4 open, 1 fixed, 1 dismissed (as of 2026-12-01).",
		"| high | 4 |",
		"## Age of open alerts (median 30 days, 90th percentile 30 days)",
		"| 30-90 days | 4 |",
		"| in the last 30 days | 1 |",
		"| mean time to fix | 20.0 days |",
		"| false positive | 1 |",
		"| G104 | 3 |",
	} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, r.Stdout)
		}
	}
	if r := run("report", "--format", "json"); r.Code != 0 || !strings.Contains(r.Stdout, `"mean_days_to_fix": 20`) {
		t.Errorf("json: %s", r.Stdout)
	}
}

// Suppressions in a SARIF log become dismissals: by github/alertNumber,
// else by rule and location; the reason from the justification, which
// becomes the comment (cut to 280 characters); unmatched ones are listed.
func TestDismissFromSARIF(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	long := "false positive: " + strings.Repeat("the input is a constant ", 20)
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[
	  {"ruleId":"G104","message":{"text":"m"},"properties":{"github/alertNumber":1},
	   "suppressions":[{"kind":"inSource","justification":"only used in tests"}]},
	  {"ruleId":"G101","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"main.go"},"region":{"startLine":4}}}],
	   "suppressions":[{"kind":"external","status":"accepted","justification":"` + long + `"}]},
	  {"ruleId":"G999","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.go"},"region":{"startLine":1}}}],
	   "suppressions":[{"kind":"inSource"}]},
	  {"ruleId":"G104","message":{"text":"m"},"properties":{"github/alertNumber":2}},
	  {"ruleId":"G104","message":{"text":"m"},"properties":{"github/alertNumber":3},"suppressions":[{"kind":"external","status":"rejected"}]}]}]}`
	file := t.TempDir() + "/suppressed.sarif"
	if err := os.WriteFile(file, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run("dismiss", "--from-sarif", file); r.Code != 2 || !strings.Contains(r.Stderr, "add --yes") || patches(f) != 0 {
		t.Errorf("without --yes: %d %s", r.Code, r.Stderr)
	}
	r := run("dismiss", "--from-sarif", file, "--yes")
	if r.Code != 0 || !strings.Contains(r.Stderr, "2 suppressed results matched to alerts, 1 unmatched") ||
		!strings.Contains(r.Stderr, "/runs/0/results/2: suppressed, but no alert") || !strings.Contains(r.Stderr, "cut to 280 characters for alert 4") ||
		!strings.Contains(r.Stderr, "2 dismissed, 0 skipped, 0 failed") {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	states := map[string]string{}
	for _, a := range f.Alerts {
		reason, _ := a["dismissed_reason"].(string)
		comment, _ := a["dismissed_comment"].(string)
		states[itoa(a["number"].(int))] = a["state"].(string) + "/" + reason + "/" + itoa(len([]rune(comment)))
	}
	want := map[string]string{"1": "dismissed/used in tests/18", "2": "open//0", "3": "open//0", "4": "dismissed/false positive/280", "5": "fixed//0", "6": "dismissed/false positive/0"}
	for k, v := range want {
		if states[k] != v {
			t.Errorf("alert %s: %s, want %s", k, states[k], v)
		}
	}
	if r := run("dismiss", "--from-sarif", file, "--yes"); r.Code != 0 || !strings.Contains(r.Stderr, "0 dismissed, 2 skipped (2 already dismissed)") {
		t.Errorf("second run: %s", r.Stderr)
	}
	if r := run("dismiss", "--from-sarif", file, "--yes", "--rule", "G104"); r.Code != 2 {
		t.Errorf("with a filter: %d %s", r.Code, r.Stderr)
	}
}

// A server that never answers, or whose answer is too large, ends the
// listing with exit 3 within the limits, asked once.
func TestAlertsHostileServer(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Query().Get("tool_name") == "huge" {
			io.WriteString(w, "["+strings.Repeat(" ", 64<<10)+"]")
			return
		}
		select { // no headers, ever
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) })
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": "t0ken", "GH_REPO": "o/r", "GITHUB_API_URL": srv.URL},
		NetLimits: fetch.Limits{RequestTimeout: 100 * time.Millisecond, MaxJSONBytes: 1024}}
	for tool, want := range map[string]string{"silent": "timed out: not answered within 100ms", "huge": "too large"} {
		requests.Store(0)
		start := time.Now()
		r := clitest.Run(t, Run, env, "list", "--tool", tool)
		if r.Code != 3 || !strings.Contains(r.Stderr, want) || requests.Load() != 1 || time.Since(start) > 5*time.Second {
			t.Errorf("%s: exit %d after %s, %d requests: %s", tool, r.Code, time.Since(start), requests.Load(), r.Stderr)
		}
	}
}

// The output is checked before GitHub is asked anything (here without a
// token, which would fail first otherwise).
func TestOutputCheckedFirst(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "missing", "alerts.csv")
	clitest.CheckOutputFirst(t, Run, clitest.Env{Vars: map[string]string{"GH_REPO": "o/r"}}, "list", "--format", "csv", "-o", out)
}

// The log of --from-sarif is read before the repository and the token are
// looked up: a missing file, or JSON that is no SARIF log, is said (exit
// 2) without a token and with nothing sent. (It was read after connecting:
// without a token, "no GitHub token" hid the missing file.)
func TestFromSARIFReadBeforeToken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pkg := filepath.Join(dir, "package.json")
	if err := os.WriteFile(pkg, []byte(`{"name":"app","version":"1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		filepath.Join(dir, "missing.sarif"): "missing.sarif: open: no such file or directory",
		pkg:                                 `package.json: not a SARIF log: a JSON object without "runs"`,
	} {
		r := clitest.Run(t, Run, clitest.Env{}, "dismiss", "--from-sarif", file, "--yes")
		if r.Code != 2 || !strings.Contains(r.Stderr, want) || strings.Contains(r.Stderr, "token") {
			t.Errorf("%s: exit %d: %s; want 2 and %q", file, r.Code, r.Stderr, want)
		}
	}
}
