package uploadcmd

import (
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// A log with a duplicate member name is refused (exit 2) naming the
// pointer of the second member, and nothing is sent.
func TestUploadDuplicateNameRefused(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"A"}},"results":[]}],"runs":[]}`
	env := clitest.Env{Stdin: log, Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL,
		"GITHUB_REF": "refs/pull/7/merge", "GITHUB_SHA": strings.Repeat("a", 40)}}
	r := clitest.Run(t, Run, env, "-")
	if r.Code != 2 || !strings.Contains(r.Stderr, "<stdin>:1:") || !strings.Contains(r.Stderr, "/runs: json/duplicate-name") || strings.Contains(r.Stdout, "uploaded") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}
