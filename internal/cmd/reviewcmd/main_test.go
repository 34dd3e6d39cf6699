package reviewcmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

func TestConventions(t *testing.T) {
	t.Parallel()
	clitest.CheckConventions(t, Run, Name)
}

// Flags that cannot apply, or values out of range, are usage errors
// before anything is read or sent.
func TestUsage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "no LOG given"},
		{[]string{"a.sarif", "b.sarif"}, "one LOG at a time"},
		{[]string{"--states", "fixed", "a.sarif"}, `--states: "fixed": new, updated or any`},
		{[]string{"--filter-mode", "file", "a.sarif"}, `--filter-mode "file": added or diff_context`},
		{[]string{"--max-comments", "-1", "a.sarif"}, "--max-comments -1: must be 0 or more"},
		{[]string{"--pr", "0", "a.sarif"}, "--pr 0: not a pull request number"},
		{[]string{"--commit", "main", "a.sarif"}, `--commit "main": not a commit's full SHA`},
		{[]string{"--gitlab", "--commit", strings.Repeat("a", 40), "a.sarif"}, "--commit names a GitHub pull request's commit"},
		{[]string{"--gitlab", "-R", "o/r", "a.sarif"}, "with --gitlab, CI_API_V4_URL and CI_PROJECT_ID say which project"},
	} {
		r := clitest.Run(t, Run, clitest.Env{}, c.args...)
		if r.Code != cli.ExitUsage || !strings.Contains(r.Stderr, c.want) || r.Stdout != "" {
			t.Errorf("%q: exit %d, stderr %q", c.args, r.Code, r.Stderr)
		}
	}
}

// In GitHub Actions the pull request comes from the event; another event
// is a usage error, and so is an event file that is no JSON.
func TestEventPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := strings.Repeat("ab", 20)
	for path, want := range map[string]string{
		write("pr.json", `{"action":"opened","number":9,"pull_request":{"number":9,"head":{"sha":"`+head+`"}}}`): "",
		write("push.json", `{"ref":"refs/heads/main"}`):                                                          "the event of GITHUB_EVENT_PATH is not a pull request's",
		write("bad.json", `{"pull_request":`):                                                                    "unexpected EOF",
	} {
		var got int
		var commit string
		var err error
		run := func(ctx context.Context, ios *cli.IO, args []string) int {
			return NewCmd(ios, Name, func(_ context.Context, o *Options) int { got, commit, err = o.target(); return 0 }).Exec(ctx, args)
		}
		clitest.Run(t, run, clitest.Env{Vars: map[string]string{"GITHUB_EVENT_PATH": path}}, "a.sarif")
		if want == "" && (err != nil || got != 9 || commit != head) || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: %d %q, %v", filepath.Base(path), got, commit, err)
		}
	}
	// --commit wins over the event's; --pr of another pull request than
	// the event's takes nothing of it.
	other := strings.Repeat("cd", 20)
	for _, c := range []struct {
		args       []string
		pr         int
		wantCommit string
	}{
		{[]string{"--commit", other}, 9, other},
		{[]string{"--pr", "9"}, 9, head},
		{[]string{"--pr", "8"}, 8, ""},
		{[]string{"--pr", "8", "--commit", other}, 8, other},
	} {
		var got int
		var commit string
		var err error
		run := func(ctx context.Context, ios *cli.IO, args []string) int {
			return NewCmd(ios, Name, func(_ context.Context, o *Options) int { got, commit, err = o.target(); return 0 }).Exec(ctx, args)
		}
		clitest.Run(t, run, clitest.Env{Vars: map[string]string{"GITHUB_EVENT_PATH": filepath.Join(dir, "pr.json")}}, append(c.args, "a.sarif")...)
		if err != nil || got != c.pr || commit != c.wantCommit {
			t.Errorf("%q: %d %q %v, want %d %q", c.args, got, commit, err, c.pr, c.wantCommit)
		}
	}
}

// A hostile log (messages, rule ids, paths, tool name that try to be
// workflow commands, terminal escapes, Markdown, mentions) reviewed with a
// read-only token: what is printed is text a CI log and a terminal take
// as text, and nothing was written.
func TestHostileReadOnly(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.ReaderToken = "ghs_reader"
	f.Pulls = []*fakegithub.Pull{{Number: 3, HeadSHA: strings.Repeat("1", 40), Files: []fakegithub.PullFile{
		{Filename: clitest.HostileURIs[3], Status: "added", Patch: "@@ -0,0 +1,5 @@\n+a\n+b\n+c\n+d\n+e\n"}}}}
	log := clitest.HostileLog(t, t.TempDir(), "hostile.sarif", clitest.HostileText("tool"))
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": "ghs_reader", "GITHUB_API_URL": f.URL, "GITHUB_REPOSITORY": "o/r"}}
	r := clitest.Run(t, Run, env, "--pr", "3", log)
	if r.Code != 0 || !strings.Contains(r.Stderr, "warning: the token may not comment on pull request 3 of o/r") ||
		!strings.Contains(r.Stdout, "would be inline") || strings.Contains(r.Stdout+r.Stderr, "ghs_reader") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	clitest.CheckText(t, "stdout", r.Stdout, clitest.TextRules{})
	clitest.CheckText(t, "stderr", r.Stderr, clitest.TextRules{})
	for _, l := range f.Log() {
		if !strings.HasPrefix(l, "GET ") && !strings.HasPrefix(l, "POST /repos/o/r/pulls/3/reviews") {
			t.Errorf("a write after the first refused: %s", l)
		}
	}
}
