package fetchcmd

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/sarifkit/sarifkit/internal/cmd/cli"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

func setup(t *testing.T) (*fakegithub.Server, func(args ...string) (int, string, string)) {
	f := fakegithub.New(t)
	for i, tool := range []string{"gosec", "gosec", "eslint"} {
		id := int64(i + 1)
		f.Analyses = append(f.Analyses, fakegithub.Analysis{ID: id, Ref: "refs/heads/main", CommitSHA: strings.Repeat("c", 40),
			Tool: fakegithub.Tool{Name: tool}, Category: tool + "/", CreatedAt: time.Date(2026, 2, 1, 0, 0, i, 0, time.UTC), ResultsCount: 1})
		f.SARIF[id] = []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"` + tool + `"}},"automationDetails":{"id":"` + tool + `/"},
		  "results":[{"ruleId":"R","message":{"text":"m"},"properties":{"github/alertNumber":` + string(rune('0'+id)) + `}}]}]}`)
	}
	env := clitest.Env{Vars: map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL}}
	return f, func(args ...string) (int, string, string) {
		r := clitest.Run(t, Run, env, args...)
		return r.Code, r.Stdout, r.Stderr
	}
}

func TestFetchLatestAndOne(t *testing.T) {
	t.Parallel()
	_, run := setup(t)
	out := filepath.Join(t.TempDir(), "main.sarif")
	code, _, stderr := run("--ref", "refs/heads/main", "-o", out)
	if code != 0 || !strings.Contains(stderr, "2 analyses of refs/heads/main combined") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil || len(l.Runs) != 2 {
		t.Fatalf("%v", err)
	}
	code, stdout, _ := run("--analysis-id", "1")
	if code != 0 || !strings.Contains(stdout, `"github/alertNumber":1`) {
		t.Errorf("exit %d: %s", code, stdout)
	}
}

func TestFetchList(t *testing.T) {
	t.Parallel()
	_, run := setup(t)
	code, stdout, _ := run("--ref", "refs/heads/main", "--list")
	if code != 0 || !strings.Contains(stdout, "ID  REF") || strings.Count(stdout, "refs/heads/main") != 3 {
		t.Errorf("table: %d\n%s", code, stdout)
	}
	code, stdout, _ = run("--ref", "refs/heads/main", "--list", "--format", "json", "--category", "eslint/")
	var got []map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &got) != nil || len(got) != 1 {
		t.Errorf("json: %d %s", code, stdout)
	}
}

func TestFetchErrors(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	f.Fault("/repos/o/r/code-scanning/analyses/7", "404")
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--analysis-id", "7"}, 3, "security_events"},
		{[]string{}, 2, "exactly one of"},
		{[]string{"--ref", "x", "--pr", "3"}, 2, "exactly one of"},
		{[]string{"--ref", "x", "--repo", "nope"}, 2, "not OWNER/NAME"},
		{[]string{"--ref", "x", "--format", "json"}, 2, "--format applies to --list only"},
		{[]string{"--analysis-id", "1", "--tool", "gosec"}, 2, "--tool applies to --ref and --pr"},
		{[]string{"--ref", "x", "--list", "-o", "x.sarif"}, 2, "--output does not apply to --list"},
		{[]string{"--ref", "refs/heads/none"}, 1, "no analysis"},
		{[]string{"--ref", "x", "--list", "--format", "xml"}, 2, "--format"},
	}
	for _, c := range cases {
		code, _, stderr := run(c.args...)
		if code != c.code || !strings.Contains(stderr, c.err) {
			t.Errorf("%v: exit %d: %s", c.args, code, stderr)
		}
	}
	// No token at all: a clear usage error, nothing sent.
	r := clitest.Run(t, runMain, clitest.Env{}, "--ref", "x", "--repo", "o/r")
	if r.Code != 2 || !strings.Contains(r.Stderr, "GH_TOKEN") {
		t.Errorf("no token: %d %s", r.Code, r.Stderr)
	}
}

// runMain is the command's Run, under a name the tables above do not shadow.
var runMain = Run

// The repository, host and token are read as the gh CLI reads them.
func TestGitHubContext(t *testing.T) {
	t.Parallel()
	f, _ := setup(t)
	gh := func(vars map[string]string, programs map[string]string, args ...string) clitest.Result {
		return clitest.Run(t, runMain, clitest.Env{Vars: vars, Programs: programs}, append([]string{"--ref", "main", "--list"}, args...)...)
	}
	api := f.URL
	cases := []struct {
		name     string
		vars     map[string]string
		programs map[string]string
		args     []string
		code     int
		err      string
	}{
		{"GH_TOKEN before GITHUB_TOKEN", map[string]string{"GH_TOKEN": f.Token, "GITHUB_TOKEN": "wrong", "GH_REPO": "o/r"}, nil, []string{"--api-url", api}, 0, ""},
		{"GITHUB_TOKEN alone", map[string]string{"GITHUB_TOKEN": f.Token, "GH_REPO": "o/r"}, nil, []string{"--api-url", api}, 0, ""},
		{"gh auth token", map[string]string{"GH_REPO": "o/r"}, map[string]string{"gh auth token --hostname github.com": f.Token + "\n"}, []string{"--api-url", api}, 0, ""},
		{"GH_REPO before GITHUB_REPOSITORY", map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_REPOSITORY": "x/y"}, nil, []string{"--api-url", api}, 0, ""},
		{"-R as a URL", map[string]string{"GH_TOKEN": f.Token}, nil, []string{"-R", "https://github.com/o/r.git", "--api-url", api}, 0, ""},
		{"origin remote", map[string]string{"GH_TOKEN": f.Token, "GH_HOST": "github.com"}, map[string]string{"git remote get-url origin": "git@github.com:o/r.git\n"}, []string{"--api-url", api}, 0, ""},
		{"origin remote on the API host", map[string]string{"GH_TOKEN": f.Token}, map[string]string{"git remote get-url origin": api + "/o/r.git\n"}, []string{"--api-url", api}, 0, ""},
		{"origin remote on github.com, API elsewhere", map[string]string{"GH_TOKEN": f.Token}, map[string]string{"git remote get-url origin": "git@github.com:o/r.git\n"}, []string{"--api-url", api}, 2, "give --repo"},
		{"origin remote on another host", map[string]string{"GH_TOKEN": f.Token}, map[string]string{"git remote get-url origin": "https://gitlab.com/o/r.git\n"}, []string{"--api-url", api}, 2, "give --repo"},
		{"origin remote a local path", map[string]string{"GH_TOKEN": f.Token}, map[string]string{"git remote get-url origin": "/srv/o/r\n"}, []string{"--api-url", api}, 2, "give --repo"},
		{"origin remote in Actions", map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_API_URL": api, "GITHUB_SERVER_URL": "https://github.com"}, map[string]string{"git remote get-url origin": "https://github.com/o/r\n"}, nil, 0, ""},
		{"origin remote in Actions, another host", map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_API_URL": api, "GITHUB_SERVER_URL": "https://github.com"}, map[string]string{"git remote get-url origin": "https://gitlab.com/o/r\n"}, nil, 2, "give --repo"},
		{"GITHUB_API_URL in Actions", map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": api}, nil, nil, 0, ""},
		{"no repository anywhere", map[string]string{"GH_TOKEN": f.Token}, nil, nil, 2, "no repository: give --repo OWNER/NAME"},
		{"bad -R", map[string]string{"GH_TOKEN": f.Token}, nil, []string{"-R", "just-a-name"}, 2, `--repo: repository "just-a-name" is not OWNER/NAME`},
		{"a wrong token", map[string]string{"GH_TOKEN": "wrong", "GH_REPO": "o/r"}, nil, []string{"--api-url", api}, 3, "401"},
	}
	for _, c := range cases {
		r := gh(c.vars, c.programs, c.args...)
		if r.Code != c.code || !strings.Contains(r.Stderr, c.err) || (c.code == 0 && !strings.Contains(r.Stdout, "refs/heads/main")) {
			t.Errorf("%s: exit %d\nstdout %s\nstderr %s", c.name, r.Code, r.Stdout, r.Stderr)
		}
	}
}

func TestParseRepoAndHosts(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"o/r":                           " o r",
		"ghe.example.com/o/r":           "ghe.example.com o r",
		"https://github.com/o/r":        "github.com o r",
		"https://github.com/o/r.git":    "github.com o r",
		"git@github.com:o/r.git":        "github.com o r",
		"ssh://git@ghe.corp.io/o/r.git": "ghe.corp.io o r",
	}
	for in, want := range cases {
		r, err := cli.ParseRepo(in)
		if got := r.Host + " " + r.Owner + " " + r.Name; err != nil || got != want {
			t.Errorf("ParseRepo(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "o", "o/r/x/y", "https://github.com/o", "../r", "o/..", "github.com/./r"} {
		if _, err := cli.ParseRepo(bad); err == nil {
			t.Errorf("ParseRepo(%q): want an error", bad)
		}
	}
}

// --runs-of fetches only the tools and categories the head log has runs
// of, so that a comparison is not flooded with tools that head's workflow
// does not run.
func TestFetchRunsOf(t *testing.T) {
	t.Parallel()
	_, run := setup(t)
	dir := t.TempDir()
	head := filepath.Join(dir, "head.sarif")
	if err := os.WriteFile(head, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"automationDetails":{"id":"gosec/"},"results":[]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "base.sarif")
	code, _, stderr := run("--ref", "refs/heads/main", "--runs-of", head, "-o", out)
	if code != 0 || !strings.Contains(stderr, "1 analyses of refs/heads/main combined") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil || len(l.Runs) != 1 || l.Runs[0].Tool() != "gosec" {
		t.Fatalf("%v: want gosec's run alone", err)
	}
	if code, _, stderr := run("--analysis-id", "1", "--runs-of", head); code != 2 || !strings.Contains(stderr, "--runs-of applies to --ref and --pr") {
		t.Errorf("with --analysis-id: exit %d %s", code, stderr)
	}
	if code, _, stderr := run("--ref", "refs/heads/main", "--runs-of", filepath.Join(dir, "missing.sarif")); code != 2 || !strings.Contains(stderr, "--runs-of:") {
		t.Errorf("missing file: exit %d %s", code, stderr)
	}
}

// A download shows a progress line on a terminal, nothing otherwise.
func TestFetchProgress(t *testing.T) {
	t.Parallel()
	f, _ := setup(t)
	vars := map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}
	out := filepath.Join(t.TempDir(), "x.sarif")
	r := clitest.Run(t, runMain, clitest.Env{Vars: vars, Terminal: true}, "--ref", "main", "-o", out)
	if r.Code != 0 || !strings.Contains(r.Stderr, "\rsarif-fetch: downloading from o/r...") {
		t.Errorf("terminal: %d %q", r.Code, r.Stderr)
	}
	r = clitest.Run(t, runMain, clitest.Env{Vars: vars}, "--ref", "main", "-o", out)
	if r.Code != 0 || strings.Contains(r.Stderr, "downloading") {
		t.Errorf("no terminal: %d %q", r.Code, r.Stderr)
	}
}

// Dismissals travel as suppressions: alert 2 is dismissed on GitHub, so
// the result that names it gets one; the others do not.
func TestFetchAlertStates(t *testing.T) {
	t.Parallel()
	f, run := setup(t)
	main := map[string]any{"ref": "refs/heads/main"}
	f.Alerts = []map[string]any{
		{"number": 1, "state": "open", "most_recent_instance": main},
		{"number": 2, "state": "dismissed", "dismissed_reason": "won't fix", "dismissed_comment": "vendored code",
			"dismissed_by": map[string]any{"login": "alice"}, "dismissed_at": "2026-11-20T10:00:00Z", "most_recent_instance": main},
		{"number": 3, "state": "fixed", "most_recent_instance": main},
		// Dismissed, but on another branch: not this log's.
		{"number": 4, "state": "dismissed", "dismissed_reason": "won't fix", "most_recent_instance": map[string]any{"ref": "refs/heads/dev"}},
	}
	out := filepath.Join(t.TempDir(), "main.sarif")
	code, _, stderr := run("--ref", "refs/heads/main", "--alert-states", "-o", out)
	if code != 0 || !strings.Contains(stderr, "1 results suppressed, as their alerts are dismissed on GitHub (1 dismissed alerts)") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, run := range l.Runs {
		for _, r := range run.Results {
			res, _ := r.Decode()
			if sarif.AcceptedSuppression(res) != nil {
				suppressed++
				if j := *res.Suppressions[0].Justification; j != "dismissed on GitHub as won't fix by alice on 2026-11-20: vendored code" || res.Suppressions[0].Kind != "external" {
					t.Errorf("suppression: %q", j)
				}
			}
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1", suppressed)
	}
	v, err := schema.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := v.ValidateFile(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Severity == schema.SeverityError {
			t.Errorf("the log is no longer valid: %v", f)
		}
	}
	if code, _, stderr := run("--ref", "main", "--list", "--alert-states"); code != 2 || !strings.Contains(stderr, "--alert-states does not apply to --list") {
		t.Errorf("--list: %d %s", code, stderr)
	}
}

// Deleting walks back a set from its newest analysis; the last one needs
// --confirm-last; --dry-run deletes nothing.
func TestDelete(t *testing.T) {
	t.Parallel()
	f, run := setup(t) // analyses 1 and 2: gosec on main; 3: eslint
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--delete", "--analysis-id", "2"}, "--delete needs --yes to delete, or --dry-run"},
		{[]string{"--delete", "--yes"}, "--delete needs --analysis-id"},
		{[]string{"--delete", "--analysis-id", "2", "--yes", "--ref", "main"}, "--ref does not apply to --delete"},
		{[]string{"--analysis-id", "2", "--yes"}, "--yes applies to --delete only"},
	} {
		if code, _, stderr := run(c.args...); code != 2 || !strings.Contains(stderr, c.err) {
			t.Errorf("%v: %d %s", c.args, code, stderr)
		}
	}
	deletes := func() int {
		n := 0
		for _, l := range f.Log() {
			if strings.HasPrefix(l, "DELETE ") {
				n++
			}
		}
		return n
	}
	if code, _, stderr := run("--delete", "--analysis-id", "2", "--dry-run"); code != 0 || !strings.Contains(stderr, "would delete analysis 2 (gosec") || deletes() != 0 {
		t.Errorf("--dry-run: %d %s", code, stderr)
	}
	if code, _, stderr := run("--delete", "--analysis-id", "1", "--yes"); code != 1 || deletes() != 1 {
		t.Errorf("an older analysis: %d %s", code, stderr)
	}
	code, _, stderr := run("--delete", "--analysis-id", "2", "--yes")
	if code != 0 || !strings.Contains(stderr, "deleted analysis 2") || !strings.Contains(stderr, "the next analysis of the set is 1") {
		t.Errorf("newest: %d %s", code, stderr)
	}
	if code, _, stderr := run("--delete", "--analysis-id", "1", "--yes"); code != 1 || !strings.Contains(stderr, "add --confirm-last") {
		t.Errorf("last, unconfirmed: %d %s", code, stderr)
	}
	if code, _, stderr := run("--delete", "--analysis-id", "1", "--yes", "--confirm-last"); code != 0 || !strings.Contains(stderr, "deleted analysis 1") {
		t.Errorf("last, confirmed: %d %s", code, stderr)
	}
}

// A hostile or broken API host: an answer that trickles or is too large
// ends the command with exit 3 within the limits; a password in --api-url
// and the token the server echoes are never printed.
func TestFetchHostileServer(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Query().Get("ref") {
		case "refs/heads/trickle":
			io.WriteString(w, `[`)
			for {
				select {
				case <-r.Context().Done():
					return
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
					io.WriteString(w, " ")
					w.(http.Flusher).Flush()
				}
			}
		case "refs/heads/huge":
			io.WriteString(w, "["+strings.Repeat(" ", 64<<10)+"]")
		default:
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"message":"bad credentials: %s\u001b[2J\n::error::x"}`, r.Header.Get("Authorization"))
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) })
	api := strings.Replace(srv.URL, "http://", "http://user:hunter2pw@", 1)
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": "ghs_echoedToken", "GH_REPO": "o/r"},
		NetLimits: fetch.Limits{RequestTimeout: 100 * time.Millisecond, MaxJSONBytes: 1024}}
	cases := []struct {
		ref, err string
		requests int32
	}{
		{"trickle", "timed out: not answered within 100ms", 1},
		{"huge", "too large: more than 1024 bytes", 1},
		{"echo", "bad credentials: Bearer ***\\x1b[2J\\n::error::x", 1},
	}
	for _, c := range cases {
		requests.Store(0)
		start := time.Now()
		r := clitest.Run(t, runMain, env, "--api-url", api, "--list", "--ref", c.ref)
		if r.Code != 3 || !strings.Contains(r.Stderr, c.err) || requests.Load() != c.requests || time.Since(start) > 5*time.Second {
			t.Errorf("%s: exit %d after %s, %d requests: %s", c.ref, r.Code, time.Since(start), requests.Load(), r.Stderr)
		}
		if strings.Contains(r.Stderr, "hunter2pw") || strings.Contains(r.Stderr, "ghs_echoedToken") || strings.Contains(r.Stderr, "\x1b") {
			t.Errorf("%s: stderr shows a credential or an escape: %q", c.ref, r.Stderr)
		}
	}
}

// The output is checked before GitHub is asked anything (here without a
// token, which would fail first otherwise).
func TestOutputCheckedFirst(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "missing", "out.sarif")
	clitest.CheckOutputFirst(t, Run, clitest.Env{Vars: map[string]string{"GH_REPO": "o/r"}}, "--ref", "main", "-o", out)
}
