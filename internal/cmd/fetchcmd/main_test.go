package fetchcmd

import (
	"context"
	"fmt"
	"github.com/sarifkit/sarifkit/internal/sariftest"
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

// usageError is what a usage error prints on standard error.
func usageError(msg string) string {
	return "sarif-fetch: " + msg + "\nRun 'sarif-fetch --help' for usage.\n"
}

// check fails the test unless a run exited with wantCode and printed
// exactly wantOut and wantErr.
func check(t *testing.T, what string, code int, stdout, stderr string, wantCode int, wantOut, wantErr string) {
	t.Helper()
	if code != wantCode || stdout != wantOut || stderr != wantErr {
		t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", what, code, wantCode, stdout, wantOut, stderr, wantErr)
	}
}

func TestFetchLatestAndOne(t *testing.T) {
	t.Parallel()
	_, run := setup(t)
	out := filepath.Join(t.TempDir(), "main.sarif")
	code, stdout, stderr := run("--ref", "refs/heads/main", "-o", out)
	check(t, "--ref", code, stdout, stderr, 0, "", "sarif-fetch: 2 analyses of refs/heads/main combined\n")
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil || len(l.Runs) != 2 {
		t.Fatalf("%v", err)
	}
	code, stdout, stderr = run("--analysis-id", "1")
	check(t, "--analysis-id", code, stdout, stderr, 0,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[{"ruleId":"R","message":{"text":"m"},"properties":{"github/alertNumber":1}}],"automationDetails":{"id":"gosec/"}}]}`, "")
}

func TestFetchList(t *testing.T) {
	t.Parallel()
	_, run := setup(t)
	code, stdout, stderr := run("--ref", "refs/heads/main", "--list")
	check(t, "table", code, stdout, stderr, 0, `ID  REF              COMMIT        TOOL    CATEGORY  CREATED           RESULTS
1   refs/heads/main  cccccccccccc  gosec   gosec/    2026-02-01 00:00  1
2   refs/heads/main  cccccccccccc  gosec   gosec/    2026-02-01 00:00  1
3   refs/heads/main  cccccccccccc  eslint  eslint/   2026-02-01 00:00  1
`, "")
	code, stdout, stderr = run("--ref", "refs/heads/main", "--list", "--format", "json", "--category", "eslint/")
	check(t, "json", code, stdout, stderr, 0, `[
  {
    "id": 3,
    "ref": "refs/heads/main",
    "commit_sha": "cccccccccccccccccccccccccccccccccccccccc",
    "analysis_key": "",
    "environment": "",
    "category": "eslint/",
    "error": "",
    "created_at": "2026-02-01T00:00:02Z",
    "results_count": 1,
    "rules_count": 0,
    "url": "",
    "sarif_id": "",
    "tool": {
      "name": "eslint",
      "guid": null,
      "version": null
    },
    "deletable": false,
    "warning": ""
  }
]
`, "")
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
		{[]string{"--analysis-id", "7"}, 3, "sarif-fetch: GET " + f.URL + "/repos/o/r/code-scanning/analyses/7: 404 Not Found: Not Found (https://docs.github.com/rest/code-scanning); " +
			"the repository or analysis does not exist, or the token cannot see it: on a private repository it needs the security_events scope (read for downloads, write for uploads)\n"},
		{[]string{}, 2, usageError("give exactly one of --ref, --pr and --analysis-id")},
		{[]string{"--ref", "x", "--pr", "3"}, 2, usageError("give exactly one of --ref, --pr and --analysis-id")},
		{[]string{"--ref", "x", "--repo", "nope"}, 2, usageError(`--repo: repository "nope" is not OWNER/NAME or a repository URL`)},
		{[]string{"--ref", "x", "--format", "json"}, 2, usageError("--format applies to --list only")},
		{[]string{"--analysis-id", "1", "--tool", "gosec"}, 2, usageError("--tool applies to --ref and --pr, not --analysis-id")},
		{[]string{"--ref", "x", "--list", "-o", "x.sarif"}, 2, usageError("--output does not apply to --list, which prints a table or JSON")},
		{[]string{"--ref", "refs/heads/none"}, 1, "sarif-fetch: no analysis of o/r for ref refs/heads/none matches\n"},
		{[]string{"--ref", "x", "--list", "--format", "xml"}, 2, usageError(`--format must be table or json, not "xml"`)},
	}
	for _, c := range cases {
		code, stdout, stderr := run(c.args...)
		check(t, strings.Join(c.args, " "), code, stdout, stderr, c.code, "", c.err)
	}
	// No token at all: a clear usage error, nothing sent.
	r := clitest.Run(t, runMain, clitest.Env{}, "--ref", "x", "--repo", "o/r")
	check(t, "no token", r.Code, r.Stdout, r.Stderr, 2, "",
		usageError("no GitHub token: set GH_TOKEN (or GITHUB_TOKEN) to a token with the security_events scope, or log in with `gh auth login`"))
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
	apiHost := strings.TrimPrefix(api, "http://")
	const list = `ID  REF              COMMIT        TOOL    CATEGORY  CREATED           RESULTS
1   refs/heads/main  cccccccccccc  gosec   gosec/    2026-02-01 00:00  1
2   refs/heads/main  cccccccccccc  gosec   gosec/    2026-02-01 00:00  1
3   refs/heads/main  cccccccccccc  eslint  eslint/   2026-02-01 00:00  1
`
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
		{"origin remote on github.com, API elsewhere", map[string]string{"GH_TOKEN": f.Token}, map[string]string{"git remote get-url origin": "git@github.com:o/r.git\n"}, []string{"--api-url", api}, 2,
			`no repository: the origin remote "git@github.com:o/r.git" is on github.com, not on the GitHub host in use (` + apiHost + `); give --repo OWNER/NAME (or set GH_REPO), and GH_HOST or --api-url for another host`},
		{"origin remote on another host", map[string]string{"GH_TOKEN": f.Token}, map[string]string{"git remote get-url origin": "https://gitlab.com/o/r.git\n"}, []string{"--api-url", api}, 2,
			`no repository: the origin remote "https://gitlab.com/o/r.git" is on gitlab.com, not on the GitHub host in use (` + apiHost + `); give --repo OWNER/NAME (or set GH_REPO), and GH_HOST or --api-url for another host`},
		{"origin remote a local path", map[string]string{"GH_TOKEN": f.Token}, map[string]string{"git remote get-url origin": "/srv/o/r\n"}, []string{"--api-url", api}, 2,
			`no repository: the origin remote "/srv/o/r" is not the URL of a GitHub repository; give --repo OWNER/NAME (or set GH_REPO)`},
		{"origin remote in Actions", map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_API_URL": api, "GITHUB_SERVER_URL": "https://github.com"}, map[string]string{"git remote get-url origin": "https://github.com/o/r\n"}, nil, 0, ""},
		{"origin remote in Actions, another host", map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_API_URL": api, "GITHUB_SERVER_URL": "https://github.com"}, map[string]string{"git remote get-url origin": "https://gitlab.com/o/r\n"}, nil, 2,
			`no repository: the origin remote "https://gitlab.com/o/r" is on gitlab.com, not on the GitHub host in use (github.com, ` + apiHost + `); give --repo OWNER/NAME (or set GH_REPO), and GH_HOST or --api-url for another host`},
		{"GITHUB_API_URL in Actions", map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": api}, nil, nil, 0, ""},
		{"no repository anywhere", map[string]string{"GH_TOKEN": f.Token}, nil, nil, 2, "no repository: give --repo OWNER/NAME (or set GH_REPO); the current directory is not a git checkout with an origin remote"},
		{"bad -R", map[string]string{"GH_TOKEN": f.Token}, nil, []string{"-R", "just-a-name"}, 2, `--repo: repository "just-a-name" is not OWNER/NAME or a repository URL`},
		{"a wrong token", map[string]string{"GH_TOKEN": "wrong", "GH_REPO": "o/r"}, nil, []string{"--api-url", api}, 3,
			"sarif-fetch: GET " + api + "/repos/o/r/code-scanning/analyses: 401 Unauthorized: Bad credentials (https://docs.github.com/rest/code-scanning); the token is missing, expired or invalid\n"},
	}
	for _, c := range cases {
		r := gh(c.vars, c.programs, c.args...)
		stdout, stderr := list, ""
		if c.code != 0 {
			stdout, stderr = "", c.err
			if c.code == 2 {
				stderr = usageError(c.err)
			}
		}
		check(t, c.name, r.Code, r.Stdout, r.Stderr, c.code, stdout, stderr)
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
	code, stdout, stderr := run("--ref", "refs/heads/main", "--runs-of", head, "-o", out)
	check(t, "--runs-of", code, stdout, stderr, 0, "", "sarif-fetch: 1 analyses of refs/heads/main combined\n")
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil || len(l.Runs) != 1 || l.Runs[0].Tool() != "gosec" {
		t.Fatalf("%v: want gosec's run alone", err)
	}
	code, stdout, stderr = run("--analysis-id", "1", "--runs-of", head)
	check(t, "with --analysis-id", code, stdout, stderr, 2, "", usageError("--runs-of applies to --ref and --pr, not --analysis-id"))
	missing := filepath.Join(dir, "missing.sarif")
	code, stdout, stderr = run("--ref", "refs/heads/main", "--runs-of", missing)
	check(t, "missing file", code, stdout, stderr, 2, "", usageError("--runs-of: "+missing+": open: no such file or directory"))
}

// A download shows a progress line on a terminal, nothing otherwise.
func TestFetchProgress(t *testing.T) {
	t.Parallel()
	f, _ := setup(t)
	vars := map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}
	out := filepath.Join(t.TempDir(), "x.sarif")
	r := clitest.Run(t, runMain, clitest.Env{Vars: vars, Terminal: true}, "--ref", "main", "-o", out)
	check(t, "terminal", r.Code, r.Stdout, r.Stderr, 0, "",
		"\rsarif-fetch: downloading from o/r...\x1b[Ksarif-fetch: 2 analyses of refs/heads/main combined\n\r\x1b[K")
	r = clitest.Run(t, runMain, clitest.Env{Vars: vars}, "--ref", "main", "-o", out)
	check(t, "no terminal", r.Code, r.Stdout, r.Stderr, 0, "", "sarif-fetch: 2 analyses of refs/heads/main combined\n")
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
	code, stdout, stderr := run("--ref", "refs/heads/main", "--alert-states", "-o", out)
	check(t, "--alert-states", code, stdout, stderr, 0, "", "sarif-fetch: 2 analyses of refs/heads/main combined\n"+
		"sarif-fetch: 1 results suppressed, as their alerts are dismissed on GitHub (1 dismissed alerts)\n")
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, run := range l.Runs {
		for _, r := range sariftest.Texts(t, run) {
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
	code, stdout, stderr = run("--ref", "main", "--list", "--alert-states")
	check(t, "--list", code, stdout, stderr, 2, "", usageError("--alert-states does not apply to --list"))
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
		{[]string{"--delete", "--analysis-id", "2"}, "--delete needs --yes to delete, or --dry-run to see what would be deleted"},
		{[]string{"--delete", "--yes"}, "--delete needs --analysis-id ID"},
		{[]string{"--delete", "--analysis-id", "2", "--yes", "--ref", "main"}, "--ref does not apply to --delete"},
		{[]string{"--analysis-id", "2", "--yes"}, "--yes applies to --delete only"},
	} {
		code, stdout, stderr := run(c.args...)
		check(t, strings.Join(c.args, " "), code, stdout, stderr, 2, "", usageError(c.err))
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
	const older = `analysis 1 (gosec, category "gosec/", refs/heads/main, 2026-02-01 00:00)`
	const newer = `analysis 2 (gosec, category "gosec/", refs/heads/main, 2026-02-01 00:00)`
	code, stdout, stderr := run("--delete", "--analysis-id", "2", "--dry-run")
	check(t, "--dry-run", code, stdout, stderr, 0, "", "sarif-fetch: would delete "+newer+"\n")
	if deletes() != 0 {
		t.Errorf("--dry-run: %d DELETEs", deletes())
	}
	code, stdout, stderr = run("--delete", "--analysis-id", "1", "--yes")
	check(t, "an older analysis", code, stdout, stderr, 1, "", "sarif-fetch: "+older+": DELETE "+f.URL+
		"/repos/o/r/code-scanning/analyses/1: 400 Bad Request: Analysis specified is not deletable. (https://docs.github.com/rest/code-scanning)\n")
	if deletes() != 1 {
		t.Errorf("an older analysis: %d DELETEs", deletes())
	}
	code, stdout, stderr = run("--delete", "--analysis-id", "2", "--yes")
	check(t, "newest", code, stdout, stderr, 0, "", "sarif-fetch: deleted "+newer+"\n"+
		"sarif-fetch: the next analysis of the set is 1 (sarif-fetch --delete --analysis-id 1 --yes)\n")
	code, stdout, stderr = run("--delete", "--analysis-id", "1", "--yes")
	check(t, "last, unconfirmed", code, stdout, stderr, 1, "",
		"sarif-fetch: "+older+" is the last of its tool, category and ref: deleting it removes their alerts; add --confirm-last to delete it\n")
	code, stdout, stderr = run("--delete", "--analysis-id", "1", "--yes", "--confirm-last")
	check(t, "last, confirmed", code, stdout, stderr, 0, "", "sarif-fetch: deleted "+older+"\n")
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
		{"huge", "answer too large: more than 1024 bytes, the limit for JSON answers", 1},
		{"echo", "401 Unauthorized: bad credentials: Bearer ***\\x1b[2J\\n::error::x; the token is missing, expired or invalid", 1},
	}
	for _, c := range cases {
		requests.Store(0)
		start := time.Now()
		r := clitest.Run(t, runMain, env, "--api-url", api, "--list", "--ref", c.ref)
		// The password of the API URL is not shown; the trickle times out
		// while the answer is read (or, on a slow machine, before).
		prefix := "sarif-fetch: GET " + srv.URL + "/repos/o/r/code-scanning/analyses: "
		want := prefix + c.err + "\n"
		if c.ref == "trickle" && r.Stderr != want {
			want = prefix + "reading the answer: " + c.err + "\n"
		}
		if r.Code != 3 || r.Stdout != "" || r.Stderr != want || requests.Load() != c.requests || time.Since(start) > 5*time.Second {
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
