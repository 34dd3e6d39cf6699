package diffcmd

import (
	"bytes"
	"errors"
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

// Exit codes and exact output: the report on standard output, the gate's
// verdict and errors on standard error. (The README's examples and every
// format are the scripts diff*.txtar of internal/cmd.)
func TestExitCodesAndErrors(t *testing.T) {
	t.Parallel()
	base, head := td+"diff/base.sarif", td+"diff/head.sarif"
	const report = "2 new (1 error, 1 warning), 1 absent, 1 updated, 1 unchanged\n" +
		"cmd/server/main.go:52:3: warning G104: Errors unhandled.\n" +
		"internal/config/config.go:12:2: error G101: Potential hardcoded credentials\n"
	const hint = "\nRun 'sarif-diff --help' for usage.\n"
	cases := []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{base, head}, 0, report, ""},
		{[]string{"--fail-on", "new", base, head}, 1, report, "sarif-diff: gate failed: 2 result(s) new\n"},
		{[]string{"--fail-on", "new", "--min-level", "error", base, head}, 1, report, "sarif-diff: gate failed: 1 result(s) new, at level error or above\n"},
		{[]string{"--fail-on", "new", "--min-security-severity", "critical", base, head}, 0, report,
			"sarif-diff: gate passed: no result new, with security severity critical or above\n"},
		{[]string{"--fail-on", "new", "--min-security-severity", "high", base, head}, 1, report,
			"sarif-diff: gate failed: 1 result(s) new, with security severity high or above\n"},
		{[]string{"--fail-on", "updated", "--min-level", "error", base, head}, 1, report,
			"sarif-diff: gate failed: 2 result(s) new or updated, at level error or above\n"},
		{[]string{"--fail-on", "new", base, base}, 0, "0 new, 0 absent, 0 updated, 3 unchanged\n", "sarif-diff: gate passed: no result new\n"},
		{[]string{base}, 2, "", "sarif-diff: want two arguments, BASE and HEAD, got 1" + hint},
		{[]string{"-", "-"}, 2, "", "sarif-diff: BASE and HEAD cannot both be standard input" + hint},
		{[]string{"--fail-on", "everything", base, head}, 2, "", `sarif-diff: fail-on must be new, updated or any, not "everything"` + hint},
		{[]string{"--fail-on", "new", "--min-level", "fatal", base, head}, 2, "", `sarif-diff: min-level must be error, warning or note, not "fatal"` + hint},
		{[]string{"--min-level", "error", base, head}, 2, "", "sarif-diff: --min-level has no effect without --fail-on" + hint},
		{[]string{"--format", "html", base, head}, 2, "", `sarif-diff: --format must be text, json, sarif, markdown or github, not "html"` + hint},
		{[]string{td + "invalid/not-json.sarif", head}, 2, "",
			"sarif-diff: " + td + "invalid/not-json.sarif:1:2: invalid JSON: invalid character 'h' in literal true (expecting 'r')\n"},
		{[]string{base, td + "invalid/wrong-version.sarif"}, 2, "",
			"sarif-diff: " + td + "invalid/wrong-version.sarif:/version: SARIF 2.0.0 is not supported; only SARIF 2.1.0 is (convert older logs first, e.g. with the SARIF Multitool's transform command)\n"},
		{[]string{base, td + "invalid/empty.sarif"}, 2, "", "sarif-diff: " + td + "invalid/empty.sarif:1:1: invalid JSON: empty input: a SARIF log is a JSON object\n"},
		{[]string{base, "missing.sarif"}, 2, "", "sarif-diff: missing.sarif: open: " + errNotExist(t) + "\n"},
		{[]string{"--fail-on", "new", "--only-changed-files", "missing.txt", base, head}, 2, "",
			"sarif-diff: --only-changed-files: open missing.txt: " + errNotExist(t) + hint},
		{[]string{"--only-changed-files", "missing.txt", base, head}, 2, "", "sarif-diff: --only-changed-files has no effect without --fail-on" + hint},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, "", c.args...)
		if code != c.code || stdout != c.stdout || stderr != c.stderr {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q\nwant exit %d\nstdout %q\nstderr %q", c.args, code, stdout, stderr, c.code, c.stdout, c.stderr)
		}
	}
	// Help is the usage text and the flags, on standard output; the
	// version names the program.
	if code, stdout, stderr := runCLI(t, "", "--help"); code != 0 || !strings.HasPrefix(stdout, usage) || !strings.Contains(stdout, "\n      --git DIR\n") || stderr != "" {
		t.Errorf("--help: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, _ := runCLI(t, "", "--version"); code != 0 || !strings.HasPrefix(stdout, "sarif-diff ") || strings.Count(stdout, "\n") != 1 {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
}

// errNotExist is what the system says of a file that does not exist.
func errNotExist(t *testing.T) string {
	_, err := os.Open(filepath.Join(t.TempDir(), "missing"))
	return errors.Unwrap(err).Error()
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
	if code != 1 || stderr != "sarif-diff: gate failed: 1 result(s) new, in the 1 changed files\n" || !strings.HasPrefix(stdout, "2 new (1 error, 1 warning), 1 absent, 1 updated, 1 unchanged\n") {
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
		if stderr != "sarif-diff: 2 new (1 error, 1 warning), 1 absent, 1 updated, 1 unchanged\n" {
			t.Errorf("%s: stderr %q, want the summary alone", f, stderr)
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
		{[]string{"--format", "json", "-o", filepath.Join(dir, "r.json.gz")}, "-o " + filepath.Join(dir, "r.json.gz") + ": only --format sarif is written gzip-compressed"},
		{[]string{"--source-root", filepath.Join(dir, "missing")}, "--source-root: " + filepath.Join(dir, "missing") + " does not exist"},
	} {
		r := clitest.Run(t, Run, clitest.Env{}, append(c.args, base, head)...)
		if r.Code != 2 || r.Stdout != "" || r.Stderr != "sarif-diff: "+c.err+"\nRun 'sarif-diff --help' for usage.\n" {
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
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "{\n  \"summary\": {") || r.Stderr != "sarif-diff: 2 new (1 error, 1 warning), 1 absent, 1 updated, 1 unchanged\n" {
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
