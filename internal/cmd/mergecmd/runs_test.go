package mergecmd

import (
	"os"
	"path/filepath"
	"testing"
)

// Two scans by two versions of one tool are two runs to GitHub: merged
// and checked, they stay two runs with all their results, and GitHub
// would accept the output. (Before: another version folded the second
// run into the first, its result lost as a duplicate; another
// semanticVersion was an error, exit 2.)
func TestMergeVersions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, member string) string {
		p := filepath.Join(dir, name)
		log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec",` + member + `}},"results":[` +
			`{"ruleId":"G104","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":3}}}]}]}]}`
		if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, member := range []string{"version", "semanticVersion"} {
		a, b := write(member+"-a.sarif", `"`+member+`":"1.0.0"`), write(member+"-b.sarif", `"`+member+`":"1.1.0"`)
		code, _, stderr := runCLI(t, "--check-github", "--category", "gosec", "-o", filepath.Join(dir, member+".sarif"), a, b)
		if code != 0 || stderr != "sarif-merge: 2 inputs, 2 runs in, 2 out, 2 results in, 2 out, 0 identical results folded\n" {
			t.Errorf("%s: exit %d: %s", member, code, stderr)
		}
	}
}
