package diffcmd

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes a repository in a temporary directory with the files of
// each revision committed in turn, and returns it with the commit ids.
func gitRepo(t *testing.T, revisions ...map[string]string) (string, []string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: --git cannot be tested here")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("config", "user.email", "t@example.com")
	git("config", "user.name", "t")
	git("config", "commit.gpgsign", "false")
	var ids []string
	for i, files := range revisions {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != ".git" {
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
		for name, content := range files {
			p := filepath.Join(dir, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git("add", "-A")
		git("commit", "-q", "-m", fmt.Sprint("revision ", i))
		ids = append(ids, git("rev-parse", "HEAD"))
	}
	return dir, ids
}

// scan writes a SARIF log of a linter run with the results given as
// "rule file:line message".
func scan(t *testing.T, results ...string) string {
	t.Helper()
	var rs []string
	for _, r := range results {
		rule, rest, _ := strings.Cut(r, " ")
		loc, msg, _ := strings.Cut(rest, " ")
		file, line, _ := strings.Cut(loc, ":")
		rs = append(rs, fmt.Sprintf(`{"ruleId":%q,"level":"warning","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":%s,"startColumn":2}}}]}`, rule, msg, file, line))
	}
	p := filepath.Join(t.TempDir(), "scan.sarif")
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[` + strings.Join(rs, ",") + `]}]}`
	if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A history with what defeats the logs alone: a struct that gained a
// field (the message of a result on an unchanged line changed), a call
// removed and another with the same finding added, a renamed file, a
// block moved far.
// With --git every result gets the state the history says.
func TestGitHistory(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"main.go":  "package main\n\ntype T struct{ a, b, c int }\n\nfunc f() T {\n\treturn T{}\n}\n\nfunc g() {\n\tx()\n}\n\nfunc z() {}\n",
		"util.go":  "package main\n\nfunc u() {\n\tx()\n}\n",
		"other.go": "package main\n\nfunc o1() {}\n\nfunc o2() {}\n\nfunc o3() {}\n\nfunc k() {\n\tx()\n}\n",
	}
	head := map[string]string{
		"main.go":    "package main\n\nimport \"fmt\"\n\n// T is a thing.\ntype T struct{ a, b, c, d int }\n\nfunc f() T {\n\treturn T{}\n}\n\nfunc g() {\n\tfmt.Println()\n}\n\nfunc z() {}\n\nfunc h() {\n\ty()\n}\n",
		"helpers.go": "package main\n\nfunc u() {\n\tx()\n}\n",
		"other.go":   "package main\n\nfunc k() {\n\tx()\n}\n\nfunc o1() {}\n\nfunc o2() {}\n\nfunc o3() {}\n",
	}
	dir, ids := gitRepo(t, base, head)
	baseLog := scan(t,
		"exhaustruct main.go:6 T is missing fields a, b, c",
		"errcheck main.go:10 Error return value is not checked",
		"errcheck util.go:4 Error return value is not checked",
		"errcheck other.go:10 Error return value is not checked")
	headLog := scan(t,
		"exhaustruct main.go:9 T is missing fields a, b, c, d",
		"errcheck main.go:19 Error return value is not checked",
		"errcheck helpers.go:4 Error return value is not checked",
		"errcheck other.go:4 Error return value is not checked")
	code, out, stderr := runCLI(t, "", "--format", "json", "--git", dir, "--base-ref", ids[0], "--head-ref", ids[1], baseLog, headLog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Results []struct {
			State, Pass, URI         string
			StartLine                int
			BasePointer, HeadPointer string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Results {
		got = append(got, fmt.Sprintf("%s %s:%d %s %s->%s", r.State, r.URI, r.StartLine, r.Pass, r.BasePointer, r.HeadPointer))
	}
	want := []string{
		"updated helpers.go:4 line-map /runs/0/results/2->/runs/0/results/2",   // renamed file
		"updated main.go:9 line-map /runs/0/results/0->/runs/0/results/0",      // unchanged line, new message
		"absent main.go:10  /runs/0/results/1->",                               // the call was replaced
		"new main.go:19  ->/runs/0/results/1",                                  // an identical call added
		"updated other.go:4 shifted-line /runs/0/results/3->/runs/0/results/3", // the block moved up
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("with --git:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := "sarif-diff: --git: 4 fingerprints added to base results from " + ids[0] + ", 0 kept, 0 results without a file there (0 files not found)\n" +
		"sarif-diff: --git: 4 fingerprints added to head results from " + ids[1] + ", 0 kept, 0 results without a file there (0 files not found)\n" +
		"sarif-diff: --git: 3 files changed between " + ids[0] + " and " + ids[1] + "\n" +
		"sarif-diff: 1 new (1 warning), 1 absent, 3 updated, 0 unchanged\n"; stderr != want {
		t.Errorf("stderr:\n%s\nwant\n%s", stderr, want)
	}

	// The same revisions as two checkouts: the line diff of the two
	// directories, renames found by content, pairs the same results. Of
	// the two blocks of other.go that swapped places (as long as each
	// other), git's diff keeps o1..o3 and moves k; the patience diff keeps
	// k, so its result pairs on the line map.
	roots := [2]string{t.TempDir(), t.TempDir()}
	for i, files := range []map[string]string{base, head} {
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(roots[i], name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	code, out, stderr = runCLI(t, "", "--format", "json", "--base-source-root", roots[0], "--head-source-root", roots[1], baseLog, headLog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep.Results = nil
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, r := range rep.Results {
		got = append(got, fmt.Sprintf("%s %s:%d %s %s->%s", r.State, r.URI, r.StartLine, r.Pass, r.BasePointer, r.HeadPointer))
	}
	want[4] = "updated other.go:4 line-map /runs/0/results/3->/runs/0/results/3"
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("with both source roots:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Bad input: not a repository, an unknown revision, a missing base.
	notRepo := t.TempDir()
	const hint = "\nRun 'sarif-diff --help' for usage.\n"
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--git", notRepo, "--base-ref", "main"}, "sarif-diff: --git: " + notRepo + ": not a git repository\n"},
		{[]string{"--git", dir, "--base-ref", "no-such-rev"},
			`sarif-diff: --git: git: unknown revision "no-such-rev"; fetch it with: git fetch --no-tags origin no-such-rev (or check out with fetch-depth: 0)` + "\n"},
		{[]string{"--git", dir}, "sarif-diff: --git needs --base-ref, the revision BASE scanned" + hint},
		{[]string{"--base-ref", "main"}, "sarif-diff: --base-ref has no effect without --git" + hint},
		{[]string{"--git", dir, "--base-ref", "main", "--head-source-root", dir}, "sarif-diff: --git reads both sides' files from the repository: give it or the source roots, not both" + hint},
	} {
		code, _, stderr := runCLI(t, "", append(c.args, baseLog, headLog)...)
		if code != 2 || stderr != c.err {
			t.Errorf("%v: exit %d, %s; want 2 and %q", c.args, code, stderr, c.err)
		}
	}
}
