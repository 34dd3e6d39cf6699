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
	want := "sarif-upload: " + bomb + ": a single JSON value (with the white space before it) from byte offset 70 on exceeds the limit of 1048576 bytes (1 MiB) on one value (--max-value-size sets the limit)\n"
	if r.Code != 2 || r.Stdout != "" || r.Stderr != want || len(f.Log()) != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}
