package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
	"github.com/sarifkit/sarifkit/sarif"
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
	env := map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL}
	return f, func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
		return code, out.String(), errb.String()
	}
}

func TestFetchLatestAndOne(t *testing.T) {
	_, run := setup(t)
	out := filepath.Join(t.TempDir(), "main.sarif")
	code, _, stderr := run("--ref", "refs/heads/main", "-o", out)
	if code != 0 || !strings.Contains(stderr, "2 analyses of refs/heads/main combined") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil || len(l.Report.Runs) != 2 {
		t.Fatalf("%v", err)
	}
	code, stdout, _ := run("--analysis-id", "1")
	if code != 0 || !strings.Contains(stdout, `"github/alertNumber": 1`) {
		t.Errorf("exit %d: %s", code, stdout)
	}
}

func TestFetchList(t *testing.T) {
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
	f, run := setup(t)
	f.Fault("/repos/o/r/code-scanning/analyses/7", "404")
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--analysis-id", "7"}, 1, "security_events"},
		{[]string{}, 2, "exactly one of"},
		{[]string{"--ref", "x", "--pr", "3"}, 2, "exactly one of"},
		{[]string{"--ref", "x", "--repo", "nope"}, 2, "not OWNER/NAME"},
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
	var out, errb bytes.Buffer
	noEnv := func(string) string { return "" }
	if code := runMain(context.Background(), []string{"--ref", "x", "--repo", "o/r"}, noEnv, &out, &errb); code != 2 || !strings.Contains(errb.String(), "GITHUB_TOKEN") {
		t.Errorf("no token: %d %s", code, errb.String())
	}
}

// runMain is the command's run, under a name the table above does not shadow.
var runMain = run

// --runs-of fetches only the tools and categories the head log has runs
// of, so that a comparison is not flooded with tools that head's workflow
// does not run.
func TestFetchRunsOf(t *testing.T) {
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
	if err != nil || len(l.Report.Runs) != 1 || sarif.ToolName(l.Report.Runs[0]) != "gosec" {
		t.Fatalf("%v: want gosec's run alone", err)
	}
	if code, _, stderr := run("--analysis-id", "1", "--runs-of", head); code != 2 || !strings.Contains(stderr, "--runs-of applies to --ref and --pr") {
		t.Errorf("with --analysis-id: exit %d %s", code, stderr)
	}
	if code, _, stderr := run("--ref", "refs/heads/main", "--runs-of", filepath.Join(dir, "missing.sarif")); code != 2 || !strings.Contains(stderr, "--runs-of:") {
		t.Errorf("missing file: exit %d %s", code, stderr)
	}
}
