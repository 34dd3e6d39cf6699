package alertscmd

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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
		{nil, "no VERB given: list, dismiss, reopen or report"},
		{[]string{"close"}, `unknown verb "close": list, dismiss, reopen or report`},
		{[]string{"dismiss", "1"}, `invalid alert update: the reason must be "false positive", "won't fix" or "used in tests", not ""`},
		{[]string{"dismiss", "--reason", "wontfix", "1"}, `invalid alert update: the reason must be "false positive", "won't fix" or "used in tests", not "wontfix"`},
		{[]string{"dismiss", "--reason", "won't fix", "--comment", strings.Repeat("x", 281), "1"}, "invalid alert update: the comment has 281 characters, at most 280 are allowed"},
		{[]string{"dismiss", "--reason", "won't fix"}, "dismiss needs alert numbers, or filters (--rule, --path, --tool, --severity) that select them"},
		{[]string{"dismiss", "--reason", "won't fix", "--rule", "G104", "1"}, "give alert numbers or filters, not both"},
		{[]string{"dismiss", "--org", "acme", "--reason", "won't fix", "1"}, "--org does not apply to dismiss"},
		{[]string{"reopen", "--reason", "won't fix", "1"}, "--reason does not apply to reopen"},
		{[]string{"list", "3"}, "list takes no alert numbers"},
		{[]string{"list", "--format", "xml"}, `list --format must be table, json or csv, not "xml"`},
		{[]string{"report", "--format", "csv"}, `report --format must be markdown, html or json, not "csv"`},
		{[]string{"list", "--org", "acme", "--repo", "o/r"}, "--org and --enterprise list default branches: give one or --repo (and --ref), not both"},
		{[]string{"list", "--org", "acme", "--enterprise", "e"}, "give --org or --enterprise, not both"},
		{[]string{"reopen", "x1"}, `"x1" is not an alert number`},
		{[]string{"list", "--path", "[x"}, `--path "[x": syntax error in pattern`},
		{[]string{"reopen", "--yes", "4"}, "--yes applies to the alerts filters select, not to alert numbers"},
		{[]string{"reopen", "--ref", "refs/heads/dev", "4"}, "--ref applies to the alerts filters select, not to alert numbers"},
		{[]string{"reopen", "--rule", "G104", "--yes", "--dry-run"}, "give --yes to make the changes or --dry-run to see them, not both"},
	} {
		r := run(c.args...)
		want := "sarif-alerts: " + c.err + "\nRun 'sarif-alerts --help' for usage.\n"
		if r.Code != 2 || r.Stdout != "" || r.Stderr != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, r.Code, r.Stdout, r.Stderr, want)
		}
	}
	if n := len(f.Log()); n != 0 {
		t.Errorf("usage errors sent %d requests: %v", n, f.Log())
	}
}

// check fails the test unless the run exited with code and printed
// exactly stdout and stderr.
func check(t *testing.T, what string, r clitest.Result, code int, stdout, stderr string) {
	t.Helper()
	if r.Code != code || r.Stdout != stdout || r.Stderr != stderr {
		t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", what, r.Code, code, r.Stdout, stdout, r.Stderr, stderr)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	_, run := setup(t)
	check(t, "table", run("list", "--state", "open", "--path", "vendor/**"), 0, `repository  #  state  severity  rule  tool   location
o/r         1  open   high      G104  gosec  vendor/x/lib.go:1
o/r         2  open   high      G104  gosec  vendor/x/lib.go:2
o/r         3  open   high      G104  gosec  vendor/x/lib.go:3
`, "sarif-alerts: 3 alerts\n")
	check(t, "json", run("list", "--format", "json", "--rule", "G101"), 0,
		`{"number":4,"created_at":"2026-11-01T12:00:00Z","url":"","html_url":"https://github.com/o/r/security/code-scanning/4","state":"open",`+
			`"rule":{"id":"G101","severity":"error","security_severity_level":"high"},"tool":{"name":"gosec","guid":null,"version":null},`+
			`"most_recent_instance":{"ref":"refs/heads/main","message":{"text":"m"},"location":{"path":"main.go","start_line":4}}}`+"\n",
		"sarif-alerts: 1 alerts\n")
	// CSV: CRLF line ends, the formula of alert 6's rule defused.
	check(t, "csv", run("list", "--format", "csv"), 0, strings.ReplaceAll(`repository,number,state,severity,security_severity,rule,tool,path,line,created_at,fixed_at,dismissed_at,dismissed_reason,dismissed_comment,url
o/r,1,open,error,high,G104,gosec,vendor/x/lib.go,1,2026-11-01T12:00:00Z,,,,,https://github.com/o/r/security/code-scanning/1
o/r,2,open,error,high,G104,gosec,vendor/x/lib.go,2,2026-11-01T12:00:00Z,,,,,https://github.com/o/r/security/code-scanning/2
o/r,3,open,error,high,G104,gosec,vendor/x/lib.go,3,2026-11-01T12:00:00Z,,,,,https://github.com/o/r/security/code-scanning/3
o/r,4,open,error,high,G101,gosec,main.go,4,2026-11-01T12:00:00Z,,,,,https://github.com/o/r/security/code-scanning/4
o/r,5,fixed,error,high,G104,gosec,vendor/y.go,5,2026-11-01T12:00:00Z,2026-11-21T12:00:00Z,,,,https://github.com/o/r/security/code-scanning/5
o/r,6,dismissed,error,high,'=HYPERLINK(1),gosec,main.go,6,2026-11-01T12:00:00Z,,2026-11-02T12:00:00Z,false positive,,https://github.com/o/r/security/code-scanning/6
`, "\n", "\r\n"), "sarif-alerts: 6 alerts\n")
}

// Dismissing by number: fixed alerts untouched, the second run changes
// nothing, an unknown alert fails alone.
func TestDismissNumbers(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	check(t, "dismiss", run("dismiss", "--reason", "used in tests", "--comment", "fixture code", "1", "4", "5", "99"), 1, "",
		"sarif-alerts: warning: alert 99: GET "+f.URL+"/repos/o/r/code-scanning/alerts/99: 404 Not Found: Not Found (https://docs.github.com/rest/code-scanning); "+
			"the repository or analysis does not exist, or the token cannot see it: on a private repository it needs the security_events scope (read for downloads, write for uploads)\n"+
			"sarif-alerts: 2 dismissed, 1 skipped (1 fixed), 1 failed\n")
	if patches(f) != 2 {
		t.Errorf("%d PATCHes, want 2", patches(f))
	}
	check(t, "second run", run("dismiss", "--reason", "used in tests", "1", "4"), 0, "", "sarif-alerts: 0 dismissed, 2 skipped (2 already dismissed), 0 failed\n")
	if patches(f) != 2 {
		t.Errorf("second run: %d PATCHes, want 2", patches(f))
	}
	check(t, "reopen", run("reopen", "4", "6"), 0, "", "sarif-alerts: 2 reopened, 0 skipped, 0 failed\n")
	check(t, "after reopening, dismissed", run("list", "--state", "dismissed", "--format", "csv"), 0,
		"repository,number,state,severity,security_severity,rule,tool,path,line,created_at,fixed_at,dismissed_at,dismissed_reason,dismissed_comment,url\r\n"+
			"o/r,1,dismissed,error,high,G104,gosec,vendor/x/lib.go,1,2026-11-01T12:00:00Z,,2026-11-30T12:00:00Z,used in tests,fixture code,https://github.com/o/r/security/code-scanning/1\r\n",
		"sarif-alerts: 1 alerts\n")
}

// Dismissing by filter: listed and refused without --yes, nothing sent
// with --dry-run, done with --yes; open alerts only.
func TestDismissFilter(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	check(t, "without --yes", run("dismiss", "--reason", "won't fix", "--path", "vendor/**"), 2,
		"#1 G104 vendor/x/lib.go:1\n#2 G104 vendor/x/lib.go:2\n#3 G104 vendor/x/lib.go:3\n",
		"sarif-alerts: 3 open alerts match: add --yes to dismiss them, or --dry-run to see what would change\nRun 'sarif-alerts --help' for usage.\n")
	check(t, "--dry-run", run("dismiss", "--reason", "won't fix", "--path", "vendor/**", "--dry-run"), 0,
		"would dismiss #1 G104 vendor/x/lib.go:1\nwould dismiss #2 G104 vendor/x/lib.go:2\nwould dismiss #3 G104 vendor/x/lib.go:3\n",
		"sarif-alerts: dry run: 3 alerts would be dismissed, 0 skipped; nothing sent\n")
	if patches(f) != 0 {
		t.Errorf("--dry-run: %d PATCHes", patches(f))
	}
	check(t, "--yes", run("dismiss", "--reason", "won't fix", "--path", "vendor/**", "--yes"), 0, "", "sarif-alerts: 3 dismissed, 0 skipped, 0 failed\n")
	check(t, "again", run("dismiss", "--reason", "won't fix", "--path", "vendor/**", "--yes"), 0, "", "sarif-alerts: 0 dismissed, 0 skipped, 0 failed\n")
	if patches(f) != 3 {
		t.Errorf("%d PATCHes, want 3", patches(f))
	}
}

// A server error on a change is GitHub failing, not refusing: exit 3,
// and the change is not retried (a PATCH that reached GitHub may be done).
func TestDismissServerError(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	f.Fault("/repos/o/r/code-scanning/alerts/4", "500")
	check(t, "dismiss", run("dismiss", "--reason", "won't fix", "--rule", "G101", "--yes"), 3, "",
		"sarif-alerts: warning: alert 4: PATCH "+f.URL+"/repos/o/r/code-scanning/alerts/4: 500 Internal Server Error: Server Error (https://docs.github.com/rest/code-scanning)\n"+
			"sarif-alerts: 0 dismissed, 0 skipped, 1 failed\n")
	if patches(f) != 1 {
		t.Errorf("%d PATCHes, want 1", patches(f))
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
	lines := strings.Split(r.Stderr, "\n")
	slices.Sort(lines[:2]) // the changes go at once: their failures in any order
	got := strings.Join(lines, "\n")
	forbidden := func(n string) string {
		return "sarif-alerts: warning: alert " + n + ": PATCH " + f.URL + "/repos/o/r/code-scanning/alerts/" + n +
			": 403 Forbidden: Resource not accessible by integration (https://docs.github.com/rest/code-scanning); the token lacks the security_events scope, or code scanning is not enabled for the repository\n"
	}
	if want := forbidden("1") + forbidden("2") + "sarif-alerts: 0 dismissed, 0 skipped, 2 failed\n"; r.Code != 1 || r.Stdout != "" || got != want {
		t.Errorf("exit %d: %s\nwant:\n%s", r.Code, got, want)
	}
}

// The report of an organization, and of a repository as JSON: the
// numbers of setup's alerts, as of clitest.Now (their formats have golden
// files in report/alertreport).
func TestReport(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	f.Orgs = map[string][]string{"acme": {"o/r"}}
	const summary = "sarif-alerts: 6 alerts: 4 open, 1 fixed, 1 dismissed\n"
	check(t, "report --org", run("report", "--org", "acme"), 0, string(file(t, "testdata/report-org.md")), summary)
	check(t, "report --format json", run("report", "--format", "json"), 0, string(file(t, "testdata/report.json")), summary)
}

func file(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
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
	check(t, "without --yes", run("dismiss", "--from-sarif", file), 2, "",
		"sarif-alerts: --from-sarif dismisses every alert the log suppresses: add --yes, or --dry-run to see which\nRun 'sarif-alerts --help' for usage.\n")
	if patches(f) != 0 {
		t.Errorf("without --yes: %d PATCHes", patches(f))
	}
	const matched = "sarif-alerts: /runs/0/results/1: the justification is cut to 280 characters for alert 4's comment\n" +
		"sarif-alerts: warning: /runs/0/results/2: suppressed, but no alert of its rule and location: not dismissed\n" +
		"sarif-alerts: 2 suppressed results matched to alerts, 1 unmatched\n"
	check(t, "--yes", run("dismiss", "--from-sarif", file, "--yes"), 0, "", matched+"sarif-alerts: 2 dismissed, 0 skipped, 0 failed\n")
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
	check(t, "second run", run("dismiss", "--from-sarif", file, "--yes"), 0, "", matched+"sarif-alerts: 0 dismissed, 2 skipped (2 already dismissed), 0 failed\n")
	check(t, "with a filter", run("dismiss", "--from-sarif", file, "--yes", "--rule", "G104"), 2, "",
		"sarif-alerts: --from-sarif takes the alerts and comments from the log: give no numbers, filters or --comment\nRun 'sarif-alerts --help' for usage.\n")
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
	for tool, want := range map[string]string{"silent": "timed out: not answered within 100ms", "huge": "answer too large: more than 1024 bytes, the limit for JSON answers"} {
		requests.Store(0)
		start := time.Now()
		r := clitest.Run(t, Run, env, "list", "--tool", tool)
		want = "sarif-alerts: GET " + srv.URL + "/repos/o/r/code-scanning/alerts: " + want + "\n"
		if r.Code != 3 || r.Stdout != "" || r.Stderr != want || requests.Load() != 1 || time.Since(start) > 5*time.Second {
			t.Errorf("%s: exit %d after %s, %d requests: %q; want %q", tool, r.Code, time.Since(start), requests.Load(), r.Stderr, want)
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
		filepath.Join(dir, "missing.sarif"): ": open: no such file or directory",
		pkg:                                 `: not a SARIF log: a JSON object without "runs"`,
	} {
		check(t, file, clitest.Run(t, Run, clitest.Env{}, "dismiss", "--from-sarif", file, "--yes"), 2, "", "sarif-alerts: "+file+want+"\n")
	}
}
