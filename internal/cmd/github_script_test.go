package cmd_test

import (
	"errors"
	"maps"
	"os/exec"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// githubCmds are the script commands of the scripts of the GitHub verbs
// (alerts, fetch, upload):
//
//   - fakegithub starts a fake of GitHub's code scanning API on loopback
//     for the rest of the script (see [seedFake] for what it holds) and
//     points the commands at it: GITHUB_API_URL is its URL, GH_TOKEN its
//     token, GITHUB_REPOSITORY o/r.
//   - exits N PROGRAM [ARGS...] runs PROGRAM as exec does (its standard
//     output and error are then what stdout, stderr and cmp see) and
//     fails unless it exits with status N.
func githubCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	fakes := &fakes{of: map[*testscript.TestScript]*fakegithub.Server{}}
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"fakegithub": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 0 {
				ts.Fatalf("usage: fakegithub")
			}
			f := fakegithub.Start()
			ts.Defer(f.Close)
			fakes.set(ts, f)
			seedFake(f)
			ts.Setenv("GITHUB_API_URL", f.URL)
			ts.Setenv("GH_TOKEN", f.Token)
			ts.Setenv("GITHUB_REPOSITORY", "o/r")
		},
		"exits": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: exits N PROGRAM [ARGS...]")
			}
			want, err := strconv.Atoi(args[0])
			ts.Check(err)
			got := 0
			if err := ts.Exec(args[1], args[2:]...); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) {
					ts.Fatalf("%v", err)
				}
				got = ee.ExitCode()
			}
			if got != want {
				ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
			}
		},
	}
	maps.Copy(cmds, reviewCmds(fakes)) // review_script_test.go
	return cmds
}

// seedFake gives the fake the repository o/r: two analyses of gosec on
// main (1, then 2, whose log has the results of alerts 7 and 8) and one
// of eslint (3); alerts 7 (dismissed), 8 (open), 9 (fixed) and 10 (open,
// in vendor/).
func seedFake(f *fakegithub.Server) {
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	f.Analyses = []fakegithub.Analysis{
		{ID: 1, Ref: "refs/heads/main", CommitSHA: "1111111111111111111111111111111111111111", Category: "go/", CreatedAt: t0, ResultsCount: 2, Tool: fakegithub.Tool{Name: "gosec"}},
		{ID: 2, Ref: "refs/heads/main", CommitSHA: "2222222222222222222222222222222222222222", Category: "go/", CreatedAt: t0.Add(time.Hour), ResultsCount: 2, Tool: fakegithub.Tool{Name: "gosec"}},
		{ID: 3, Ref: "refs/heads/main", CommitSHA: "2222222222222222222222222222222222222222", Category: "js/", CreatedAt: t0.Add(time.Hour), ResultsCount: 0, Tool: fakegithub.Tool{Name: "eslint"}},
	}
	f.SARIF[2] = []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"automationDetails":{"id":"go/"},"results":[
	  {"ruleId":"G101","message":{"text":"Potential hardcoded credentials"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"main.go"},"region":{"startLine":12}}}],
	   "properties":{"github/alertNumber":7,"github/alertUrl":"https://api.github.com/repos/o/r/code-scanning/alerts/7"}},
	  {"ruleId":"G104","message":{"text":"Errors unhandled"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"main.go"},"region":{"startLine":30}}}],
	   "properties":{"github/alertNumber":8,"github/alertUrl":"https://api.github.com/repos/o/r/code-scanning/alerts/8"}}]}]}`)
	f.SARIF[3] = []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"eslint"}},"automationDetails":{"id":"js/"},"results":[]}]}`)
	alert := func(n int, state, rule, path string, line int) map[string]any {
		return map[string]any{"number": n, "state": state, "created_at": "2026-11-01T10:00:00Z",
			"html_url": "https://github.com/o/r/security/code-scanning/" + strconv.Itoa(n),
			"rule":     map[string]any{"id": rule, "severity": "warning", "security_severity_level": "medium"},
			"tool":     map[string]any{"name": "gosec"},
			"most_recent_instance": map[string]any{"ref": "refs/heads/main", "category": "go/", "message": map[string]any{"text": "m"},
				"location": map[string]any{"path": path, "start_line": line}}}
	}
	dismissed := alert(7, "dismissed", "G101", "main.go", 12)
	dismissed["dismissed_reason"], dismissed["dismissed_comment"] = "false positive", "a test key"
	dismissed["dismissed_at"], dismissed["dismissed_by"] = "2026-11-20T08:00:00Z", map[string]any{"login": "reviewer"}
	fixed := alert(9, "fixed", "G104", "util.go", 3)
	fixed["fixed_at"] = "2026-11-15T10:00:00Z"
	f.Alerts = []map[string]any{dismissed, alert(8, "open", "G104", "main.go", 30), fixed, alert(10, "open", "G104", "vendor/x/x.go", 5)}
}
