package reviewcmd

import (
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// A review GitHub refuses (here: of a commit not in the pull request):
// its results go to the summary, which is written, with a warning; exit 0.
func TestRefusedReview(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.Pulls = []*fakegithub.Pull{{Number: 1, HeadSHA: strings.Repeat("1", 40), Files: []fakegithub.PullFile{
		{Filename: "a.go", Status: "added", Patch: "@@ -0,0 +1,2 @@\n+x := 1\n+bad()\n"}}}}
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GITHUB_API_URL": f.URL, "GITHUB_REPOSITORY": "o/r", "GITHUB_WORKSPACE": t.TempDir()}}
	r := clitest.Run(t, Run, env, "--pr", "1", "--commit", strings.Repeat("2", 40), writeLog(t, "lint", res("R", "a.go", 2)))
	want := "sarif-review: warning: pull request 1 of o/r refused 1 inline comment(s), listed in the summary instead: POST "
	if r.Code != 0 || !strings.HasPrefix(r.Stderr, want) || !strings.Contains(r.Stderr, "commit_id is not part of the pull request") {
		t.Fatalf("exit %d, stderr:\n%s", r.Code, r.Stderr)
	}
	pr := f.Pulls[0]
	if len(pr.Reviews) != 0 || len(pr.IssueComments) != 1 ||
		!strings.Contains(pr.IssueComments[0]["body"].(string), "| Warning | `R` | `a.go:2` | R found | refused by the forge |") {
		t.Errorf("reviews %v, comments %v", pr.Reviews, pr.IssueComments)
	}
}
