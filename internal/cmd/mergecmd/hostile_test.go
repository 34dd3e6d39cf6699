package mergecmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// Log text never becomes structure in what CI reads: what sarif-merge
// says of hostile logs and file names (its warnings, GitHub's findings,
// unreadable inputs, one a line) is escaped.
func TestHostileLogText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := clitest.HostileLog(t, dir, clitest.HostileName, clitest.HostileText("tool"))
	b := clitest.HostileLog(t, dir, "b\n::warning::x.sarif", clitest.HostileText("tool"))
	r := clitest.Run(t, Run, clitest.Env{}, "--check-github", "-o", filepath.Join(dir, "out.sarif"), a, b)
	if r.Code > 1 || r.Stderr == "" {
		t.Fatalf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	clitest.CheckText(t, "stderr", r.Stderr, clitest.TextRules{})

	bad := filepath.Join(dir, "bad\n::error::x\x1b[31m.sarif")
	for _, name := range []string{bad, bad + "2"} {
		if err := os.WriteFile(name, []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r = clitest.Run(t, Run, clitest.Env{}, a, bad, bad+"2")
	if r.Code != 2 || strings.Count(r.Stderr, "\n") != 2 || strings.Count(r.Stderr, "sarif-merge: ") != 2 {
		t.Errorf("two unreadable inputs: exit %d, want an error a line:\n%s", r.Code, r.Stderr)
	}
	clitest.CheckText(t, "unreadable: stderr", r.Stderr, clitest.TextRules{})
}
