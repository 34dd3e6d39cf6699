package validatecmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

func runCLI(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := clitest.Run(t, Run, clitest.Env{}, args...)
	return r.Code, r.Stdout, r.Stderr
}

// TestExitCodes runs the command on the bundled logs: exit code, standard
// output and standard error, whole.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"../../../testdata/valid/example-gosec.sarif", "../../../testdata/valid/example-gosec.sarif.gz"}, 0,
			"",
			"2 file(s) checked, 0 invalid: 0 error(s), 0 warning(s)\n"},
		{[]string{"../../../testdata/invalid/bad-level.sarif"}, 1,
			"../../../testdata/invalid/bad-level.sarif:3:50: /runs/0/results/1/level: schema/enum: \"fatal\" is not allowed: value must be one of \"none\", \"note\", \"warning\", \"error\"\n",
			"1 file(s) checked, 1 invalid: 1 error(s), 0 warning(s)\n"},
		{[]string{"--check-github", "../../../testdata/invalid/github-limits.sarif"}, 1,
			"../../../testdata/invalid/github-limits.sarif:5:15: /runs/0/results/0: github/missing-rule-id: the result has no ruleId (nor a rule reference that resolves to one); GitHub needs it to track the alert\n" +
				"../../../testdata/invalid/github-limits.sarif:6:118: /runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: warning: github/absolute-uri: artifact URIs are absolute file URIs; GitHub maps them into the repository only under the upload's checkout_uri (give it to check them)\n" +
				"../../../testdata/invalid/github-limits.sarif:2:75: /runs/0/tool/driver/rules/0/properties/tags: github/too-many-tags: rule \"A\" has 21 tags; GitHub rejects more than 20\n" +
				"../../../testdata/invalid/github-limits.sarif:8:3: /runs/1: github/duplicate-category: runs 0 and 1 are one run to GitHub (tool \"dup\", automationDetails.id \"ci/\"): GitHub rejects an upload with two runs of one tool (name, fullName, version, semanticVersion, guid) and automationDetails.id; merge them into one run or give them distinct automationDetails.id\n",
			"1 file(s) checked, 1 invalid: 3 error(s), 1 warning(s)\n"},
		{[]string{"../../../testdata/invalid/github-limits.sarif"}, 0,
			"",
			"1 file(s) checked, 0 invalid: 0 error(s), 0 warning(s)\n"},
		// Both profiles: GitHub's findings as above, GitLab's beside them
		// (1 of 3 results without a rule id: a warning; 21 tags).
		{[]string{"--check-github", "--check-gitlab", "../../../testdata/invalid/github-limits.sarif"}, 1,
			"../../../testdata/invalid/github-limits.sarif: warning: gitlab/results-dropped: 1 of 3 result(s) (33.3%) would be dropped by GitLab's SARIF ingestion: no ruleId (1) (first at /runs/0/results/0); half or fewer: GitLab ingests the rest with a warning\n" +
				"../../../testdata/invalid/github-limits.sarif:5:15: /runs/0/results/0: github/missing-rule-id: the result has no ruleId (nor a rule reference that resolves to one); GitHub needs it to track the alert\n" +
				"../../../testdata/invalid/github-limits.sarif:5:15: /runs/0/results/0: warning: gitlab/result-dropped-no-rule-id: GitLab drops 1 result: no ruleId (nor rule.id; GitLab does not look a rule up by index)\n" +
				"../../../testdata/invalid/github-limits.sarif:6:118: /runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: warning: github/absolute-uri: artifact URIs are absolute file URIs; GitHub maps them into the repository only under the upload's checkout_uri (give it to check them)\n" +
				"../../../testdata/invalid/github-limits.sarif:2:75: /runs/0/tool/driver/rules/0/properties/tags: github/too-many-tags: rule \"A\" has 21 tags; GitHub rejects more than 20\n" +
				"../../../testdata/invalid/github-limits.sarif:2:75: /runs/0/tool/driver/rules/0/properties/tags: warning: gitlab/tags-truncated: rule \"A\" has 21 tags; GitLab keeps only the first 10\n" +
				"../../../testdata/invalid/github-limits.sarif:8:3: /runs/1: github/duplicate-category: runs 0 and 1 are one run to GitHub (tool \"dup\", automationDetails.id \"ci/\"): GitHub rejects an upload with two runs of one tool (name, fullName, version, semanticVersion, guid) and automationDetails.id; merge them into one run or give them distinct automationDetails.id\n",
			"1 file(s) checked, 1 invalid: 3 error(s), 4 warning(s)\n"},
		// GitLab's alone: warnings, exit 0.
		{[]string{"--check-gitlab", "../../../testdata/gitlab-ingest/half.sarif"}, 0,
			"../../../testdata/gitlab-ingest/half.sarif: warning: gitlab/results-dropped: 2 of 4 result(s) (50%) would be dropped by GitLab's SARIF ingestion: no ruleId (1), no physicalLocation (1) (first at /runs/0/results/2, /runs/0/results/3); half or fewer: GitLab ingests the rest with a warning\n" +
				"../../../testdata/gitlab-ingest/half.sarif:10:9: /runs/0/results/2: warning: gitlab/result-dropped-no-rule-id: GitLab drops 1 result: no ruleId (nor rule.id; GitLab does not look a rule up by index)\n" +
				"../../../testdata/gitlab-ingest/half.sarif:11:9: /runs/0/results/3: warning: gitlab/result-dropped-no-location: GitLab drops 1 result: no physicalLocation in the first location (locations[0]; GitLab reads no other)\n",
			"1 file(s) checked, 0 invalid: 0 error(s), 3 warning(s)\n"},
		{[]string{"../../../testdata/valid/runs-null.sarif"}, 0,
			"",
			"1 file(s) checked, 0 invalid: 0 error(s), 0 warning(s)\n"},
		{[]string{"../../../testdata/invalid/region-without-start.sarif"}, 1,
			"../../../testdata/invalid/region-without-start.sarif:12:98: /runs/0/invocations/0/toolExecutionNotifications/0/locations/0/physicalLocation/region: schema/anyOf: must satisfy one of: missing properties: 'startLine'; or missing properties: 'charOffset'; or missing properties: 'byteOffset'\n" +
				"../../../testdata/invalid/region-without-start.sarif:21:94: /runs/0/results/0/locations/0/physicalLocation/region: schema/anyOf: must satisfy one of: missing properties: 'startLine'; or missing properties: 'charOffset'; or missing properties: 'byteOffset'\n" +
				"../../../testdata/invalid/region-without-start.sarif:27:82: /runs/0/results/1/attachments/0/regions/0: schema/anyOf: must satisfy one of: missing properties: 'startLine'; or missing properties: 'charOffset'; or missing properties: 'byteOffset'\n" +
				"../../../testdata/invalid/region-without-start.sarif:28:115: /runs/0/results/1/fixes/0/artifactChanges/0/replacements/0/deletedRegion: schema/anyOf: must satisfy one of: missing properties: 'startLine'; or missing properties: 'charOffset'; or missing properties: 'byteOffset'\n" +
				"../../../testdata/invalid/region-without-start.sarif:26:154: /runs/0/results/1/relatedLocations/0/annotations/1: schema/anyOf: must satisfy one of: missing properties: 'startLine'; or missing properties: 'charOffset'; or missing properties: 'byteOffset'\n",
			"1 file(s) checked, 1 invalid: 5 error(s), 0 warning(s)\n"},
		{[]string{"../../../schema/testdata/kics-windows-paths.sarif"}, 0,
			"../../../schema/testdata/kics-windows-paths.sarif:34:45: /runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: warning: schema/format: \"terraform\\\\modules\\\\s3\\\\main.tf\" is not a valid \"uri-reference\" (RFC 3986)\n" +
				"../../../schema/testdata/kics-windows-paths.sarif:48:45: /runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: warning: schema/format: \"terraform\\\\envs\\\\prod\\\\buckets.tf\" is not a valid \"uri-reference\" (RFC 3986)\n",
			"1 file(s) checked, 0 invalid: 0 error(s), 2 warning(s)\n"},
		{[]string{"--strict", "../../../schema/testdata/kics-windows-paths.sarif"}, 1,
			"../../../schema/testdata/kics-windows-paths.sarif:34:45: /runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: schema/format: \"terraform\\\\modules\\\\s3\\\\main.tf\" is not a valid \"uri-reference\" (RFC 3986)\n" +
				"../../../schema/testdata/kics-windows-paths.sarif:48:45: /runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: schema/format: \"terraform\\\\envs\\\\prod\\\\buckets.tf\" is not a valid \"uri-reference\" (RFC 3986)\n",
			"1 file(s) checked, 1 invalid: 2 error(s), 0 warning(s)\n"},
		{[]string{"--check-github", "../../../schema/testdata/kics-windows-paths.sarif"}, 0,
			"../../../schema/testdata/kics-windows-paths.sarif:34:45: /runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: warning: schema/format: \"terraform\\\\modules\\\\s3\\\\main.tf\" is not a valid \"uri-reference\" (RFC 3986); GitHub's upload action accepts it with a warning\n" +
				"../../../schema/testdata/kics-windows-paths.sarif:48:45: /runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: warning: schema/format: \"terraform\\\\envs\\\\prod\\\\buckets.tf\" is not a valid \"uri-reference\" (RFC 3986); GitHub's upload action accepts it with a warning\n",
			"1 file(s) checked, 0 invalid: 0 error(s), 2 warning(s)\n"},
		{[]string{"../../../testdata/invalid/invalid-utf8-driver-name.sarif"}, 1,
			"../../../testdata/invalid/invalid-utf8-driver-name.sarif:5:40: json/invalid-utf8: the log is not valid UTF-8, as JSON text must be (RFC 8259 §8.1): 2 invalid byte sequence(s), the first at line 5, column 40 (byte offset 81); readers replace them with U+FFFD\n",
			"1 file(s) checked, 1 invalid: 1 error(s), 0 warning(s)\n"},
		{[]string{"../../../testdata/invalid/truncated.sarif"}, 2,
			"",
			"../../../testdata/invalid/truncated.sarif:5:39: invalid JSON: unexpected end of input (truncated file?)\n" +
				"1 file(s) checked, 1 invalid: 0 error(s), 0 warning(s)\n"},
		{[]string{"../../../testdata/invalid/bad-level.sarif", "../../../testdata/invalid/not-json.sarif"}, 2,
			"../../../testdata/invalid/bad-level.sarif:3:50: /runs/0/results/1/level: schema/enum: \"fatal\" is not allowed: value must be one of \"none\", \"note\", \"warning\", \"error\"\n",
			"../../../testdata/invalid/not-json.sarif:1:2: invalid JSON: invalid character 'h' in literal true (expecting 'r')\n" +
				"2 file(s) checked, 2 invalid: 1 error(s), 0 warning(s)\n"},
		{[]string{"missing.sarif"}, 2,
			"",
			"missing.sarif: open: no such file or directory\n" +
				"1 file(s) checked, 1 invalid: 0 error(s), 0 warning(s)\n"},
		{[]string{}, 2,
			"",
			"sarif-validate: no FILE given (use - for standard input)\n" +
				"Run 'sarif-validate --help' for usage.\n"},
		{[]string{"--format", "xml", "x"}, 2,
			"",
			"sarif-validate: --format must be text or json, not \"xml\"\n" +
				"Run 'sarif-validate --help' for usage.\n"},
		{[]string{"--no-such-flag"}, 2,
			"",
			"sarif-validate: unknown flag: --no-such-flag\n" +
				"Run 'sarif-validate --help' for usage.\n"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != c.code || stdout != c.stdout || stderr != c.stderr {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, %q, %q", c.args, code, stdout, stderr, c.code, c.stdout, c.stderr)
		}
	}
	// The help (whole in the script validate-cases) and the version (which
	// depends on the build).
	for _, c := range []struct{ flag, inStdout string }{{"--help", "--strict"}, {"--help", "Exit status:"}, {"--version", "sarif-validate "}} {
		if code, stdout, stderr := runCLI(t, c.flag); code != 0 || !strings.Contains(stdout, c.inStdout) || stderr != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 0 with %q", c.flag, code, stdout, stderr, c.inStdout)
		}
	}
}

func TestJSONFormat(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCLI(t, "--format", "json", "../../../testdata/invalid/bad-level.sarif", "../../../testdata/invalid/empty.sarif", "../../../testdata/valid/minimal.sarif")
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
	if got.Files[1].Valid || got.Files[1].Error != "../../../testdata/invalid/empty.sarif:1:1: invalid JSON: empty input: a SARIF log is a JSON object" {
		t.Errorf("empty: %+v", got.Files[1])
	}
	if !got.Files[2].Valid || got.Files[2].Findings == nil {
		t.Errorf("minimal: %+v", got.Files[2])
	}
}

// What a newcomer meets first: another kind of JSON, another SARIF
// version, a plain path as the checkout, repeated findings, standard
// input.
func TestMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// JSON that is no SARIF log is unreadable input, as in every other
	// command: exit 2 (it was a finding, exit 1). An object that says it
	// is SARIF is a log, checked: what it lacks is a finding.
	pkg := write("package.json", `{"name":"app","version":"1.0.0","dependencies":{"express":"^4"}}`)
	r := clitest.Run(t, Run, clitest.Env{}, pkg)
	if r.Code != 2 || r.Stdout != "" || !strings.HasPrefix(r.Stderr, pkg+`: not a SARIF log: a JSON object without "runs"`+"\n") {
		t.Errorf("package.json: exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	array := write("array.json", `[{"runs":[]}]`)
	r = clitest.Run(t, Run, clitest.Env{}, "--format", "json", array)
	wantJSON := `{
  "valid": false,
  "files": [
    {
      "file": "` + array + `",
      "valid": false,
      "error": "` + array + `: not a SARIF log: a SARIF log is a JSON object, this is an array",
      "findings": []
    }
  ]
}
`
	if r.Code != 2 || r.Stdout != wantJSON {
		t.Errorf("an array: exit %d, stdout %q", r.Code, r.Stdout)
	}
	for claims, finding := range map[string]string{
		`{"version":"2.1.0"}`: ": schema/required: missing properties: 'runs'",
		`{"$schema":"https://json.schemastore.org/sarif-2.1.0.json"}`: `:/version: sarif/version: missing SARIF version (want "2.1.0"); not checked further`,
	} {
		p := write("claims.sarif", claims)
		if r := clitest.Run(t, Run, clitest.Env{}, p); r.Code != 1 || r.Stdout != p+finding+"\n" || r.Stderr != "1 file(s) checked, 1 invalid: 1 error(s), 0 warning(s)\n" {
			t.Errorf("%s: exit %d, stdout %q", claims, r.Code, r.Stdout)
		}
	}
	v1 := write("v1.sarif", `{"version":"1.0.0","runs":[{"tool":{"name":"old"},"results":[{"ruleId":"x","level":"critical"}]}]}`)
	r = clitest.Run(t, Run, clitest.Env{}, v1)
	if r.Code != 1 || !strings.HasPrefix(r.Stdout, v1+":1:12: /version: sarif/version: SARIF 1.0.0 is not supported") || strings.Count(r.Stdout, "\n") != 1 {
		t.Errorf("SARIF 1.0: exit %d, stdout %q", r.Code, r.Stdout)
	}

	// The ESLint corpus log has absolute file:///src/express URIs: a plain
	// path or a URI as --source-root, with or without the trailing slash,
	// finds them inside; another root finds them outside, which is a
	// warning.
	eslint := td + "corpus/real/eslint-express-lib.sarif"
	if err := os.MkdirAll(filepath.Join(dir, "src", "express"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"file:///src/express", "file:///src/express/"} {
		if r := clitest.Run(t, Run, clitest.Env{}, "--check-github", "--source-root", root, eslint); r.Code != 0 || r.Stdout != "" || r.Stderr != "1 file(s) checked, 0 invalid: 0 error(s), 0 warning(s)\n" {
			t.Errorf("--source-root %s: exit %d\n%s", root, r.Code, r.Stdout)
		}
	}
	r = clitest.Run(t, Run, clitest.Env{}, "--check-github", "--source-root", filepath.Join(dir, "src", "express"), eslint)
	// GitHub keeps such URIs as they are and accepts the upload: a
	// warning (it was an error).
	wantOutside := eslint + `:138:26: /runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: warning: github/uri-outside-checkout: 377 artifact URIs are absolute file URIs outside the checkout "file://` +
		filepath.ToSlash(filepath.Join(dir, "src", "express")) + `/"; GitHub accepts the upload and keeps them as they are, but cannot show them as repository files (first here)` + "\n"
	if r.Code != 0 || r.Stdout != wantOutside || r.Stderr != "1 file(s) checked, 0 invalid: 0 error(s), 1 warning(s)\n" {
		t.Errorf("a local checkout elsewhere: exit %d\n%s", r.Code, r.Stdout)
	}
	if r := clitest.Run(t, Run, clitest.Env{}, "--source-root", ".", eslint); r.Code != 2 || r.Stderr != "sarif-validate: --source-root has no effect without --check-github\nRun 'sarif-validate --help' for usage.\n" {
		t.Errorf("--source-root alone: %d %s", r.Code, r.Stderr)
	}
	if r := clitest.Run(t, Run, clitest.Env{}, "--check-github", "--source-root", filepath.Join(dir, "nowhere"), eslint); r.Code != 2 ||
		r.Stderr != "sarif-validate: --source-root: "+filepath.Join(dir, "nowhere")+" does not exist\nRun 'sarif-validate --help' for usage.\n" {
		t.Errorf("--source-root missing: %d %s", r.Code, r.Stderr)
	}

	// A level a tool writes on every result: one line, counted.
	var results []string
	for i := range 40 {
		results = append(results, `{"ruleId":"R","level":"critical","message":{"text":"m`+strconv.Itoa(i)+`"}}`)
	}
	many := write("many.sarif", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`+strings.Join(results, ",\n")+`]}]}`)
	r = clitest.Run(t, Run, clitest.Env{}, many)
	want := many + `:1:93: /runs/0/results/*/level: schema/enum: 40 results: "critical" is not allowed: value must be one of "none", "note", "warning", "error" (first at /runs/0/results/0/level)` + "\n"
	if r.Code != 1 || r.Stdout != want || r.Stderr != "1 file(s) checked, 1 invalid: 40 error(s), 0 warning(s)\n" {
		t.Errorf("repeated findings: exit %d\n%q\nwant\n%q", r.Code, r.Stdout, want)
	}
	r = clitest.Run(t, Run, clitest.Env{}, "--format", "json", many)
	var rep struct{ Files []fileReport }
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil || len(rep.Files[0].Findings) != 40 || rep.Files[0].Findings[39].Line != 40 {
		t.Errorf("json lists every finding with its line: %v %+v", err, rep)
	}
	two := write("two.sarif", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"R","level":"x","message":{"text":"m"}}]},
		{"tool":{"driver":{"name":"u"}},"results":[{"ruleId":"R","level":"y","message":{"text":"m"}},{"ruleId":"R","level":"z","message":{"text":"m"}}]}]}`)
	r = clitest.Run(t, Run, clitest.Env{}, "--max-findings", "2", two)
	if lines := strings.Split(strings.TrimSpace(r.Stdout), "\n"); r.Code != 1 || len(lines) != 3 || lines[2] != two+": and 1 more lines of findings (--max-findings 2)" {
		t.Errorf("--max-findings: %q", r.Stdout)
	}

	// Standard input: read once, findings without positions.
	data, _ := os.ReadFile(td + "invalid/bad-level.sarif")
	r = clitest.Run(t, Run, clitest.Env{Stdin: string(data)}, "-")
	if r.Code != 1 || !strings.HasPrefix(r.Stdout, `<stdin>:/runs/0/results/1/level: schema/enum: "fatal" is not allowed`) {
		t.Errorf("stdin: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
}

const td = "../../../testdata/"

// An interrupted validation says so, once, and exits 2 with no findings.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	var out, errb strings.Builder
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ios := &cli.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }, Now: clitest.Now}
	code := Run(ctx, ios, []string{"../../../testdata/corpus/real/gosec-gin-v1.10.0.sarif"})
	if code != 2 || out.String() != "" || errb.String() != "sarif-validate: interrupted\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, %q", code, out.String(), errb.String(), "sarif-validate: interrupted\n")
	}
}
