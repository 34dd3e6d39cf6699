package diffcmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

func runCLI(t testing.TB, stdin string, args ...string) (int, string, string) {
	t.Helper()
	r := clitest.Run(t, Run, clitest.Env{Stdin: stdin}, args...)
	return r.Code, r.Stdout, r.Stderr
}

const td = "../../../testdata/"

func TestExitCodesAndErrors(t *testing.T) {
	t.Parallel()
	base, head := td+"diff/base.sarif", td+"diff/head.sarif"
	cases := []struct {
		args            []string
		code            int
		inStdout, inErr string
	}{
		{[]string{base, head}, 0, "2 new (1 error, 1 warning), 1 absent, 1 updated, 1 unchanged", ""},
		{[]string{"--fail-on", "new", base, head}, 1, "", "gate failed: 2 result(s) new"},
		{[]string{"--fail-on", "new", "--min-level", "error", base, head}, 1, "", "gate failed: 1 result(s) new, at level error or above"},
		{[]string{"--fail-on", "new", "--min-security-severity", "critical", base, head}, 0, "", "gate passed"},
		{[]string{"--fail-on", "new", "--min-security-severity", "high", base, head}, 1, "", "gate failed: 1 result(s)"},
		{[]string{"--fail-on", "updated", "--min-level", "error", base, head}, 1, "", "gate failed: 2 result(s) new or updated"},
		{[]string{"--fail-on", "new", base, base}, 0, "0 new, 0 absent", "gate passed"},
		{[]string{base}, 2, "", "want two arguments"},
		{[]string{"-", "-"}, 2, "", "cannot both be standard input"},
		{[]string{"--fail-on", "everything", base, head}, 2, "", "fail-on must be new, updated or any"},
		{[]string{"--fail-on", "new", "--min-level", "fatal", base, head}, 2, "", "min-level must be"},
		{[]string{"--min-level", "error", base, head}, 2, "", "--min-level has no effect without --fail-on"},
		{[]string{"--format", "html", base, head}, 2, "", "--format must be"},
		{[]string{td + "invalid/not-json.sarif", head}, 2, "", "not-json.sarif:1:2: invalid JSON"},
		{[]string{base, td + "invalid/wrong-version.sarif"}, 2, "", "SARIF 2.0.0 is not supported"},
		{[]string{base, td + "invalid/empty.sarif"}, 2, "", "empty.sarif:1:1: invalid JSON: empty input"},
		{[]string{base, "missing.sarif"}, 2, "", "missing.sarif: open"},
		{[]string{"--only-changed-files", "missing.txt", base, head}, 2, "", "--only-changed-files"},
		{[]string{"--help"}, 0, "Exit status:", ""},
		{[]string{"--version"}, 0, "sarif-diff ", ""},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(stdout, c.inStdout) || !strings.Contains(stderr, c.inErr) {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q\nwant exit %d with %q / %q", c.args, code, stdout, stderr, c.code, c.inStdout, c.inErr)
		}
	}
}

func TestStdinAndChangedFiles(t *testing.T) {
	t.Parallel()
	head, err := os.ReadFile(td + "diff/head.sarif")
	if err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(t.TempDir(), "changed.txt")
	os.WriteFile(list, []byte("cmd/server/main.go\n\n"), 0o644)
	code, stdout, stderr := runCLI(t, string(head), "--fail-on", "new", "--only-changed-files", list, td+"diff/base.sarif", "-")
	if code != 1 || !strings.Contains(stderr, "gate failed: 1 result(s) new, in the 1 changed files") || !strings.Contains(stdout, "2 new") {
		t.Errorf("exit %d, %q, %q", code, stdout, stderr)
	}
}

func TestOutputFileFormats(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"text", "json", "sarif", "markdown", "github"} {
		out := filepath.Join(dir, "report."+f)
		code, _, stderr := runCLI(t, "", "--format", f, "-o", out, td+"diff/base.sarif", td+"diff/head.sarif")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil || len(data) == 0 {
			t.Fatalf("%s: %v", f, err)
		}
		if !strings.Contains(stderr, "2 new") {
			t.Errorf("%s: no summary on stderr: %q", f, stderr)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "report.sarif")); !bytes.Contains(data, []byte(`"baselineState":"absent"`)) {
		t.Error("sarif report lacks the absent result")
	}
	// A failed run leaves no partial output behind.
	target := filepath.Join(dir, "kept.txt")
	os.WriteFile(target, []byte("before"), 0o644)
	if code, _, _ := runCLI(t, "", "-o", target, td+"diff/base.sarif", td+"invalid/truncated.sarif"); code != 2 {
		t.Errorf("exit %d", code)
	}
	if data, _ := os.ReadFile(target); string(data) != "before" {
		t.Errorf("output file changed on error: %q", data)
	}
}

// Flags that cannot apply are errors; the SARIF report is gzip by name.
func TestFlagsThatCannotApply(t *testing.T) {
	t.Parallel()
	base, head := td+"diff/base.sarif", td+"diff/head.sarif"
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--explain", "--format", "json"}, "--explain applies to --format text only"},
		{[]string{"--indent"}, "--indent applies to --format sarif only"},
		{[]string{"--gzip", "--format", "markdown"}, "--gzip applies to --format sarif only"},
		{[]string{"--max-rows", "3"}, "--max-rows applies to --format markdown and --markdown-summary only"},
		{[]string{"--min-security-severity", "high"}, "--min-security-severity has no effect without --fail-on"},
		{[]string{"--only-changed-files", "x.txt"}, "--only-changed-files has no effect without --fail-on"},
		{[]string{"--format", "json", "-o", filepath.Join(dir, "r.json.gz")}, "only --format sarif is written gzip-compressed"},
		{[]string{"--source-root", filepath.Join(dir, "missing")}, "--source-root: " + filepath.Join(dir, "missing") + " does not exist"},
	} {
		r := clitest.Run(t, Run, clitest.Env{}, append(c.args, base, head)...)
		if r.Code != 2 || r.Stdout != "" || !strings.Contains(r.Stderr, c.err) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, r.Code, r.Stdout, r.Stderr, c.err)
		}
	}
	gz := filepath.Join(dir, "report.sarif.gz")
	if r := clitest.Run(t, Run, clitest.Env{}, "--format", "sarif", "-o", gz, base, head); r.Code != 0 {
		t.Fatal(r.Stderr)
	}
	if data, _ := os.ReadFile(gz); len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Error("-o FILE.sarif.gz did not write gzip")
	}
	if r := clitest.Run(t, Run, clitest.Env{Terminal: true}, "--format", "sarif", "--gzip", base, head); r.Code != 2 || !strings.Contains(r.Stderr, "refusing to write gzip-compressed data to a terminal") {
		t.Errorf("gzip to a terminal: %d %s", r.Code, r.Stderr)
	}
	// Data on standard output, the summary and warnings on standard error.
	r := clitest.Run(t, Run, clitest.Env{}, "--format", "json", base, head)
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "{") || !strings.Contains(r.Stderr, "sarif-diff: 2 new") {
		t.Errorf("json: %d %.40q %q", r.Code, r.Stdout, r.Stderr)
	}
}

// The output is checked before any input is read.
func TestOutputCheckedFirst(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "missing", "out.txt")
	clitest.CheckOutputFirst(t, Run, clitest.Env{Stdin: "not JSON"}, "-o", out, "-", filepath.Join(dir, "absent.sarif"))
}
