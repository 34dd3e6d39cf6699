package uploadcmd

import (
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// sarif-upload reads its log within the same caps as every command that
// reads logs: a gzip bomb of one huge string stops at --max-value-size,
// exit 2, before anything is sent.
func TestReadLimits(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	bomb := clitest.GzipBomb(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"`, 'a', 8, `"}}]}]}`)
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL,
		"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": strings.Repeat("a", 40)}}
	r := clitest.Run(t, Run, env, "--max-value-size", "1048576", bomb)
	if r.Code != 2 || !strings.Contains(r.Stderr, bomb+": ") || !strings.Contains(r.Stderr, "exceeds the limit of 1048576 bytes (1 MiB) on one value (--max-value-size sets the limit)") || strings.Contains(r.Stdout, "uploaded") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}
