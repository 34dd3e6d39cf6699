package validatecmd

import (
	"os"
	"path/filepath"
	"testing"
)

// Two runs of one tool in two versions, or of one category with two run
// ids, are two runs to GitHub's upload action: --check-github accepts
// them. Two runs with one tool and one automationDetails.id are refused.
// (Before: all three logs were refused as having a duplicate category.)
func TestCheckGitHubRunIdentity(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct {
		name, a, b string // the runs' driver members and automationDetails
		code       int
	}{
		{"versions", `"version":"1.0.0"}}`, `"version":"1.1.0"}}`, 0},
		{"run-ids", `"version":"1.0.0"}},"automationDetails":{"id":"cat/2024-01-01"}`, `"version":"1.0.0"}},"automationDetails":{"id":"cat/2024-01-02"}`, 0},
		{"one-id", `"version":"1.0.0"}},"automationDetails":{"id":"cat/"}`, `"version":"1.0.0"}},"automationDetails":{"id":"cat/"}`, 1},
	} {
		p := filepath.Join(dir, c.name+".sarif")
		log := `{"version":"2.1.0","runs":[{"results":[],"tool":{"driver":{"name":"gosec",` + c.a + `},{"results":[],"tool":{"driver":{"name":"gosec",` + c.b + `}]}`
		if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
			t.Fatal(err)
		}
		want, summary := "", "1 file(s) checked, 0 invalid: 0 error(s), 0 warning(s)\n"
		if c.code == 1 {
			want = p + `:1:130: /runs/1: github/duplicate-category: runs 0 and 1 are one run to GitHub (tool "gosec" version "1.0.0", automationDetails.id "cat/"): ` +
				"GitHub rejects an upload with two runs of one tool (name, fullName, version, semanticVersion, guid) and automationDetails.id; merge them into one run or give them distinct automationDetails.id\n"
			summary = "1 file(s) checked, 1 invalid: 1 error(s), 0 warning(s)\n"
		}
		code, stdout, stderr := runCLI(t, "--check-github", p)
		if code != c.code || stdout != want || stderr != summary {
			t.Errorf("%s: exit %d, want %d:\n%s%s", c.name, code, c.code, stdout, stderr)
		}
	}
}
