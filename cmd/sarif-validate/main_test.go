package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

func runCLI(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := clitest.Run(t, run, clitest.Env{}, args...)
	return r.Code, r.Stdout, r.Stderr
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"../../testdata/valid/example-gosec.sarif", "../../testdata/valid/example-gosec.sarif.gz"}, 0, "", "2 file(s) checked, 0 invalid"},
		{[]string{"../../testdata/invalid/bad-level.sarif"}, 1,
			`../../testdata/invalid/bad-level.sarif:/runs/0/results/1/level: schema/enum: "fatal" is not allowed`, "1 invalid: 1 error(s)"},
		{[]string{"--github", "../../testdata/invalid/github-limits.sarif"}, 1, "github/duplicate-category", ""},
		{[]string{"../../testdata/invalid/github-limits.sarif"}, 0, "", "0 invalid"},
		{[]string{"../../testdata/valid/runs-null.sarif"}, 0, "", "1 file(s) checked, 0 invalid: 0 error(s), 0 warning(s)"},
		{[]string{"../../testdata/invalid/region-without-start.sarif"}, 1,
			"region-without-start.sarif:/runs/0/results/0/locations/0/physicalLocation/region: schema/anyOf: must satisfy one of: missing properties: 'startLine'", ""},
		{[]string{"../../schema/testdata/kics-windows-paths.sarif"}, 0,
			`kics-windows-paths.sarif:/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: warning: schema/format: "terraform\\modules\\s3\\main.tf" is not a valid "uri-reference" (RFC 3986)`,
			"0 invalid: 0 error(s), 2 warning(s)"},
		{[]string{"--strict", "../../schema/testdata/kics-windows-paths.sarif"}, 1,
			`kics-windows-paths.sarif:/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: schema/format: "terraform\\modules\\s3\\main.tf"`,
			"1 invalid: 2 error(s), 0 warning(s)"},
		{[]string{"--github", "../../schema/testdata/kics-windows-paths.sarif"}, 0, "GitHub's upload action accepts it with a warning", "2 warning(s)"},
		{[]string{"--help"}, 0, "--strict", ""},
		{[]string{"../../testdata/invalid/invalid-utf8-driver-name.sarif"}, 1,
			"invalid-utf8-driver-name.sarif: json/invalid-utf8: the log is not valid UTF-8, as JSON text must be (RFC 8259 §8.1): 2 invalid byte sequence(s), the first at line 5, column 40 (byte offset 81)", ""},
		{[]string{"../../testdata/invalid/truncated.sarif"}, 2, "", "truncated.sarif:5:39: invalid JSON"},
		{[]string{"../../testdata/invalid/bad-level.sarif", "../../testdata/invalid/not-json.sarif"}, 2, "schema/enum", "not-json.sarif:1:2"},
		{[]string{"missing.sarif"}, 2, "", "missing.sarif: open"},
		{[]string{}, 2, "", "no FILE given"},
		{[]string{"--format", "xml", "x"}, 2, "", "--format must be text or json"},
		{[]string{"--no-such-flag"}, 2, "", "unknown flag"},
		{[]string{"--help"}, 0, "Exit status:", ""},
		{[]string{"--version"}, 0, "sarif-validate ", ""},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stdout, c.inStdout) || !strings.Contains(stderr, c.inStderr) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d with %q / %q", c.args, code, stdout, stderr, c.code, c.inStdout, c.inStderr)
		}
	}
}

func TestJSONFormat(t *testing.T) {
	code, stdout, _ := runCLI(t, "--format", "json", "../../testdata/invalid/bad-level.sarif", "../../testdata/invalid/empty.sarif", "../../testdata/valid/minimal.sarif")
	if code != 2 {
		t.Errorf("exit %d", code)
	}
	var got struct {
		Valid bool
		Files []struct {
			File     string
			Valid    bool
			Error    string
			Findings []struct{ Pointer, ID, Severity, Keyword, Message string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if got.Valid || len(got.Files) != 3 {
		t.Fatalf("got %+v", got)
	}
	f := got.Files[0]
	if f.Valid || len(f.Findings) != 1 || f.Findings[0].Pointer != "/runs/0/results/1/level" || f.Findings[0].Keyword != "enum" || f.Findings[0].Severity != "error" {
		t.Errorf("bad-level: %+v", f)
	}
	if got.Files[1].Valid || !strings.Contains(got.Files[1].Error, "empty input") {
		t.Errorf("empty: %+v", got.Files[1])
	}
	if !got.Files[2].Valid || got.Files[2].Findings == nil {
		t.Errorf("minimal: %+v", got.Files[2])
	}
}
