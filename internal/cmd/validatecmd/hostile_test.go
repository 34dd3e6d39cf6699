package validatecmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// Log text never becomes structure in what CI reads: findings quote a
// log's values, member names and file name escaped, each on one line.
func TestHostileLogText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := clitest.HostileText("x")
	log := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{
		"tool": map[string]any{"driver": map[string]any{"name": h, "rules": []any{map[string]any{"id": h, "helpUri": h}}}},
		"results": []any{map[string]any{
			"ruleId": h, "ruleIndex": 3, "level": h, "kind": h, "message": map[string]any{"text": h, h: 1},
			"locations": []any{map[string]any{"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": "::\n::error::pwned", "uriBaseId": h}}}},
		}},
	}}}
	data, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, clitest.HostileName)
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, profiles := range [][]string{{"--check-github"}, {"--check-github", "--check-gitlab"}} {
		r := clitest.Run(t, Run, clitest.Env{}, append(profiles, name)...)
		if r.Code != 1 || strings.Count(r.Stdout, "\n") < 4 {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", profiles, r.Code, r.Stdout, r.Stderr)
		}
		clitest.CheckText(t, "stdout", r.Stdout, clitest.TextRules{})
		clitest.CheckText(t, "stderr", r.Stderr, clitest.TextRules{})
		for _, line := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
			if !strings.HasPrefix(line, filepath.Join(dir, `log\n::error::pwned\x1b[31m.sarif:`)) {
				t.Errorf("a finding's line does not start with the file's name, escaped: %q", line)
			}
		}
	}
	// A file that is not JSON, and one that cannot be read: the error
	// names them escaped.
	bad := filepath.Join(dir, "bad\n::error::x\x1b[31m.sarif")
	if err := os.WriteFile(bad, []byte("{\n\x1b"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, Run, clitest.Env{}, bad, bad+"\n::error::missing")
	if r.Code != 2 {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	clitest.CheckText(t, "unreadable: stderr", r.Stderr, clitest.TextRules{})
	r = clitest.Run(t, Run, clitest.Env{}, "--format", "json", name)
	clitest.CheckText(t, "json", r.Stdout, clitest.TextRules{Quoted: true})
}
