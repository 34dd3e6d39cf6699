package splitcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

func TestConventions(t *testing.T) {
	t.Parallel()
	clitest.CheckConventions(t, Run, "sarif-split")
}

// A gzip bomb and endless standard input stop at the read caps, exit 2,
// and the directory made for the split is gone.
func TestReadLimits(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	clitest.CheckReadLimits(t, Run, "--github", "-o", dir, "LOG")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is left: %v", dir, err)
	}
}

// Log text never becomes structure in what CI reads: what sarif-split
// says of hostile logs and file names is escaped, and the files it
// writes have safe names.
func TestHostileLogText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := clitest.HostileLog(t, dir, clitest.HostileName, clitest.HostileText("tool"))
	b := clitest.HostileLog(t, dir, "b\n::warning::x.sarif", clitest.HostileText("other"))
	out := filepath.Join(dir, "out")
	r := clitest.Run(t, Run, clitest.Env{}, "--github", "-o", out, a, b)
	if r.Code > 1 || r.Stderr == "" {
		t.Fatalf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	clitest.CheckText(t, "stderr", r.Stderr, clitest.TextRules{})
	if r.Code != 0 || r.Stdout == "" {
		t.Fatalf("exit %d, stdout %q", r.Code, r.Stdout)
	}
	for _, p := range strings.Fields(r.Stdout) {
		name := filepath.Base(p)
		if filepath.Dir(p) != out || strings.HasPrefix(name, ".") || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != "" {
			t.Errorf("file %q", p)
		}
	}
	bad := filepath.Join(dir, "bad\n::error::x\x1b[31m.sarif")
	if err := os.WriteFile(bad, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = clitest.Run(t, Run, clitest.Env{}, "--github", "-o", filepath.Join(dir, "out2"), a, bad)
	if r.Code != 2 || strings.Count(r.Stderr, "\n") != 1 {
		t.Errorf("an unreadable input: exit %d, want one line:\n%s", r.Code, r.Stderr)
	}
	clitest.CheckText(t, "unreadable: stderr", r.Stderr, clitest.TextRules{})
}
