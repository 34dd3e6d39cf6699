package reviewcmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// writeLog writes a log of one run of tool with results (JSON texts).
func writeLog(t *testing.T, tool string, results ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "l.sarif")
	text := fmt.Sprintf(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":%q}},"results":[%s]}]}`, tool, strings.Join(results, ","))
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// res is a result of rule at uri:line, without fingerprints.
func res(rule, uri string, line int) string {
	return fmt.Sprintf(`{"ruleId":%q,"level":"warning","message":{"text":"%s found"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":%d}}}]}`,
		rule, rule, uri, line)
}

// Results without fingerprints are keyed by their line's text, hashed
// from the checkout (GITHUB_WORKSPACE by default): a new result alike
// above an old one is the new one, not the old one shifted.
func TestKeysFollowLines(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	const sha = "1111111111111111111111111111111111111111"
	ws := t.TempDir()
	write := func(text string) {
		if err := os.WriteFile(filepath.Join(ws, "a.go"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f.Pulls = []*fakegithub.Pull{{Number: 1, HeadSHA: sha, Files: []fakegithub.PullFile{
		{Filename: "a.go", Status: "added", Patch: "@@ -0,0 +1,3 @@\n+x := 1\n+y := 2\n+bad()\n"}}}}
	write("x := 1\ny := 2\nbad()\n")
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GITHUB_API_URL": f.URL, "GITHUB_REPOSITORY": "o/r", "GITHUB_WORKSPACE": ws}}
	if r := clitest.Run(t, Run, env, "--pr", "1", writeLog(t, "lint", res("R", "a.go", 3))); r.Code != 0 {
		t.Fatalf("run 1: exit %d: %s", r.Code, r.Stderr)
	}
	f.Pulls[0].Files[0].Patch = "@@ -0,0 +1,4 @@\n+worse()\n+x := 1\n+y := 2\n+bad()\n"
	write("worse()\nx := 1\ny := 2\nbad()\n")
	if r := clitest.Run(t, Run, env, "--pr", "1", writeLog(t, "lint", res("R", "a.go", 1), res("R", "a.go", 4))); r.Code != 0 {
		t.Fatalf("run 2: exit %d: %s", r.Code, r.Stderr)
	}
	var lines []string
	for _, c := range f.Pulls[0].ReviewComments {
		lines = append(lines, fmt.Sprint(c["line"]))
	}
	if got := strings.Join(lines, ","); got != "3,1" {
		t.Errorf("comments on lines %s, want 3,1", got)
	}
}
