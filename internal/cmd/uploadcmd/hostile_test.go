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
	want := `sarif-upload: <stdin>:1:75: /runs: json/duplicate-name: duplicate member name "runs": JSON leaves the meaning of an object with two members of one name undefined (RFC 8259 §4), readers disagree on it, and sarifkit refuses it; not checked further` + "\n"
	if r.Code != 2 || r.Stdout != "" || r.Stderr != want || len(f.Log()) != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}
