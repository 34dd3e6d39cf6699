package diffcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// Log text never becomes structure in what CI reads: file names, rule
// ids, messages, tool names and categories that hold line breaks,
// workflow commands, escape sequences and Markdown are shown as text in
// every format, on standard output and standard error, and in the step
// summary.
func TestHostileLogText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base := clitest.HostileLog(t, dir, "base.sarif", clitest.HostileText("base tool"))
	head := clitest.HostileLog(t, dir, clitest.HostileName, clitest.HostileText("head tool"))
	summary := filepath.Join(dir, "summary.md")
	// The same tool on both sides: results are matched, and --explain
	// shows both locations.
	same := clitest.HostileLog(t, dir, "same.sarif", clitest.HostileText("head tool"))
	r := runCLIResult(t, "--explain", same, head)
	if r.Code != 0 || !strings.Contains(r.Stdout, " -> ") {
		t.Fatalf("--explain: exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	clitest.CheckText(t, "--explain of matched results", r.Stdout, clitest.TextRules{})
	clitest.CheckText(t, "--explain of matched results: stderr", r.Stderr, clitest.TextRules{})
	for _, c := range []struct {
		format string
		args   []string
	}{
		{"text", nil},
		{"text", []string{"--explain"}},
		{"json", nil},
		{"sarif", nil},
		{"markdown", nil},
		{"github", []string{"--fail-on", "new"}},
		{"text", []string{"--markdown-summary", summary}},
	} {
		args := append([]string{"--format", c.format}, c.args...)
		r := runCLIResult(t, append(args, base, head)...)
		label := strings.Join(args, " ")
		if r.Code > 1 || !strings.Contains(r.Stderr, "warning: ") {
			t.Fatalf("%s: exit %d, stderr %q", label, r.Code, r.Stderr)
		}
		clitest.CheckText(t, label+": stderr", r.Stderr, clitest.TextRules{})
		switch c.format {
		case "markdown":
			clitest.CheckMarkdown(t, label, r.Stdout, "### SARIF comparison")
		case "github":
			clitest.CheckText(t, label, r.Stdout, clitest.TextRules{Commands: true})
			if n := strings.Count(r.Stdout, "\n::"); n+1 != strings.Count(r.Stdout, "\n") {
				t.Errorf("%s: every line must be one annotation:\n%s", label, r.Stdout)
			}
		case "json":
			// Data, with what a CI log acts on written as JSON escapes.
			clitest.CheckText(t, label, r.Stdout, clitest.TextRules{Quoted: true})
			if strings.Contains(r.Stdout, "##[") || strings.ContainsRune(r.Stdout, '\u202e') {
				t.Errorf("%s: ##[ or a bidi control left raw in a string", label)
			}
		case "sarif":
			clitest.CheckText(t, label, r.Stdout, clitest.TextRules{Quoted: true})
		default:
			clitest.CheckText(t, label, r.Stdout, clitest.TextRules{})
		}
	}
	data, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	clitest.CheckMarkdown(t, "--markdown-summary", string(data), "### SARIF comparison")
}

func runCLIResult(t testing.TB, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, Run, clitest.Env{}, args...)
}
