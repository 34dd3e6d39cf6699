package fetchcmd

import (
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// The analyses' tool names and categories come from the logs uploaded:
// --list shows them escaped, a line per analysis.
func TestListHostileText(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	h := clitest.HostileText("x")
	f.Analyses = append(f.Analyses, fakegithub.Analysis{ID: 1, Ref: "refs/heads/main", CommitSHA: strings.Repeat("c", 40),
		Tool: fakegithub.Tool{Name: "::error::" + h}, Category: h, CreatedAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), ResultsCount: 1})
	env := clitest.Env{Vars: map[string]string{"GITHUB_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL}}
	r := clitest.Run(t, Run, env, "--ref", "refs/heads/main", "--list")
	if r.Code != 0 || strings.Count(r.Stdout, "\n") != 2 {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	clitest.CheckText(t, "--list", r.Stdout, clitest.TextRules{})
	clitest.CheckText(t, "--list: stderr", r.Stderr, clitest.TextRules{})
}
