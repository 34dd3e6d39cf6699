package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// sastReport is a GitLab SAST report as the tests read it back.
type sastReport struct {
	Version, Schema string
	Scan            struct {
		Analyzer, Scanner struct {
			ID, Name, Version, URL string
			Vendor                 struct{ Name string }
		}
		Type, Status string
		StartTime    string `json:"start_time"`
		EndTimeField string `json:"end_time"`
	}
	Vulnerabilities []sastVuln
}

type sastVuln struct {
	ID, Category, Name, Description, Severity string
	Identifiers                               []struct{ Type, Name, Value, URL string }
	Location                                  struct {
		File      string
		StartLine int `json:"start_line"`
		End       int `json:"end_line"`
	}
}

// sastSchema is GitLab's schema of the report, as published (see
// testdata/README.md).
func sastSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	s, err := c.Compile(testdata + "gitlab-sast/sast-report-format.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fixedNow is the time the tests' reports are made at.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// writeSAST writes the report of inputs, checks it against GitLab's
// schema and the report's own rules (unique ids, a name each, the rule
// id first, one vulnerability per result counted), and reads it back.
func writeSAST(t *testing.T, schema *jsonschema.Schema, in []sarif.Input, opts *report.Options) ([]byte, sastReport, report.GitLabSASTTotals) {
	t.Helper()
	if opts == nil {
		opts = &report.Options{}
	}
	if opts.Now.IsZero() {
		opts.Now = fixedNow
	}
	var b bytes.Buffer
	tot, err := report.WriteGitLabSAST(t.Context(), &b, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatalf("%v:\n%s", err, b.String())
	}
	if err := schema.Validate(v); err != nil {
		t.Errorf("%s: not valid against GitLab's schema: %v", in[0].Name, err)
	}
	var r sastReport
	if err := json.Unmarshal(b.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Version != report.GitLabSASTVersion || r.Version[:3] != "15." || r.Schema != report.GitLabSASTSchema || r.Scan.Status != "success" || r.Scan.Type != "sast" {
		t.Errorf("%s: version %q, schema %q, scan %+v", in[0].Name, r.Version, r.Schema, r.Scan)
	}
	if len(r.Vulnerabilities) != tot.Results {
		t.Errorf("%s: %d vulnerabilities, %d results counted", in[0].Name, len(r.Vulnerabilities), tot.Results)
	}
	ids := map[string]bool{}
	for i, v := range r.Vulnerabilities {
		if ids[v.ID] {
			t.Errorf("%s: id %s twice", in[0].Name, v.ID)
		}
		ids[v.ID] = true
		if v.Name == "" || v.Category != "sast" || len(v.Identifiers) == 0 || !strings.HasSuffix(v.Identifiers[0].Type, "_rule_id") {
			t.Errorf("%s: vulnerability %d: %+v", in[0].Name, i, v)
		}
	}
	return b.Bytes(), r, tot
}

// sastLogs are every log the tests have that the report reads: the
// corpus of real logs (the developers' shared corpus, copied), the
// comparisons, the valid logs of the validator, the report's own, the
// third-party logs of testdata/gitlab-sast, and the logs of the GitLab
// ingestion check (results without a rule id or a location, a rule's
// text over GitLab's limits).
func sastLogs(t *testing.T) []string {
	t.Helper()
	names := corpus.Files(t, "real")
	for _, pattern := range []string{"diff/*.sarif", "diff/flawfinder/*.sarif", "valid/*.sarif", "runs/*.sarif", "split/*.sarif", "filter/*.sarif", "report/*.sarif", "gitlab-sast/*.sarif", "gitlab-ingest/*.sarif"} {
		m, err := filepath.Glob(testdata + pattern)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	if len(names) < 20 {
		t.Fatalf("only %d logs: %q", len(names), names)
	}
	return names
}

// Every log converts to a report valid against GitLab's schema: a
// vulnerability per current, unsuppressed result, unique ids, the same
// bytes with the results on disk as in memory.
func TestGitLabSASTEveryLog(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	names := sastLogs(t)
	t.Logf("%d logs", len(names))
	for _, name := range names {
		l, err := sarif.ReadFile(t.Context(), name, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		in := []sarif.Input{{Name: filepath.Base(name), Log: l}}
		mem, _, tot := writeSAST(t, schema, in, nil)
		if want := tot.Findings - tot.Baseline[report.BaselineAbsent] - tot.Suppressed - tot.NotProblems; tot.Results != want {
			t.Errorf("%s: %d results written of %d findings, %d absent, %d suppressed", name, tot.Results, tot.Findings, tot.Baseline[report.BaselineAbsent], tot.Suppressed)
		}
		disk, err := sarif.ReadFile(t.Context(), name, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			t.Fatal(err)
		}
		got, _, _ := writeSAST(t, schema, []sarif.Input{{Name: "elsewhere/" + filepath.Base(name), Log: disk}}, nil)
		disk.Close()
		if !bytes.Equal(mem, got) {
			t.Errorf("%s: the report differs with the results on disk, or read under another name", name)
		}
	}
}

// The third-party logs and the report's own against golden files,
// checked by hand when they were written (go test ./report -update
// rewrites them): counts, files and lines, severities, identifiers.
func TestGitLabSASTGolden(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	for _, c := range []struct{ name, file, root string }{
		{"codeql-python", "gitlab-sast/codeql-python.sarif", ""},
		{"semgrep-java", "gitlab-sast/semgrep-java.sarif", ""},
		{"trivy-alpine-310", "gitlab-sast/trivy-alpine-310.sarif", ""},
		{"gosec-gin", "corpus/real/gosec-gin-v1.10.0.sarif", ""},
		{"diff", "report/diff-base-head.sarif", ""},
		{"hostile", "report/hostile.sarif", testdata + "report"},
	} {
		l := sariftest.Read(t, testdata+c.file)
		got, _, _ := writeSAST(t, schema, []sarif.Input{{Name: c.file, Log: l}}, &report.Options{SourceRoot: c.root})
		name := filepath.Join(testdata, "gitlab-sast", "golden", c.name+".json")
		if *update {
			os.MkdirAll(filepath.Dir(name), 0o755)
			if err := os.WriteFile(name, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want := sariftest.File(t, name); !bytes.Equal(got, want) {
			t.Errorf("%s: differs from %s (go test ./report -update rewrites it; check the change by hand)", c.name, name)
		}
	}
}

// What the golden files hold, said again where a reader checks it: the
// third-party logs' counts, severities, identifiers and locations.
func TestGitLabSASTThirdParty(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	read := func(file string) sastReport {
		_, r, _ := writeSAST(t, schema, []sarif.Input{{Name: file, Log: sariftest.Read(t, testdata+file)}}, nil)
		return r
	}
	// CodeQL 2.5.4 on a Python project: six results of six rules, the
	// level from the rule's default (no security-severity in 2.5.4),
	// CWE tags as "external/cwe/cwe-022".
	r := read("gitlab-sast/codeql-python.sarif")
	if r.Scan.Scanner.Name != "CodeQL" || r.Scan.Scanner.Version != "2.5.4" || r.Scan.Scanner.Vendor.Name != "GitHub" || len(r.Vulnerabilities) != 6 {
		t.Fatalf("codeql: %+v, %d vulnerabilities", r.Scan.Scanner, len(r.Vulnerabilities))
	}
	var sevs, cwes []string
	for _, v := range r.Vulnerabilities {
		sevs = append(sevs, v.Severity)
		var ids []string
		for _, id := range v.Identifiers[1:] {
			ids = append(ids, id.Name)
		}
		cwes = append(cwes, v.Identifiers[0].Value+"="+strings.Join(ids, "+"))
	}
	t.Logf("codeql: %q %q", sevs, cwes)
	if want := "py/path-injection=CWE-22+CWE-23+CWE-36+CWE-73+CWE-99"; !slices.Contains(cwes, want) {
		t.Errorf("codeql identifiers %q, want among them %q", cwes, want)
	}
	// Trivy on an image: four results, two rules of security-severity
	// 5.3 (Medium), all at line 1 of the image's file; two pairs alike
	// but for the package their message names, told apart.
	r = read("gitlab-sast/trivy-alpine-310.sarif")
	if len(r.Vulnerabilities) != 4 || r.Scan.Scanner.ID != "trivy" || r.Scan.Scanner.URL != "https://github.com/aquasecurity/trivy" {
		t.Fatalf("trivy: %+v, %d vulnerabilities", r.Scan.Scanner, len(r.Vulnerabilities))
	}
	for _, v := range r.Vulnerabilities {
		// The rule id is a CVE id: a cve identifier too, as GitLab
		// links them.
		if v.Severity != "Medium" || v.Location.File != "testdata/fixtures/images/alpine-310.tar.gz" || v.Location.StartLine != 1 || v.Identifiers[0].Type != "trivy_rule_id" || !strings.HasPrefix(v.Identifiers[0].Value, "CVE-2019-15") ||
			len(v.Identifiers) != 2 || v.Identifiers[1].Type != "cve" || v.Identifiers[1].Value != v.Identifiers[0].Value || v.Identifiers[1].URL != "https://www.cve.org/CVERecord?id="+v.Identifiers[0].Value {
			t.Errorf("trivy: %+v", v)
		}
	}
	// Semgrep 0.17 (Java): five results, rules without ruleIndex, their
	// tags a bare "cwe" (no number: no cwe identifier), warnings and
	// errors.
	r = read("gitlab-sast/semgrep-java.sarif")
	if len(r.Vulnerabilities) != 5 || r.Scan.Scanner.Name != "semgrep" || r.Scan.Scanner.Version != "0.17.0" {
		t.Fatalf("semgrep: %+v, %d vulnerabilities", r.Scan.Scanner, len(r.Vulnerabilities))
	}
	for _, v := range r.Vulnerabilities {
		if len(v.Identifiers) != 1 || !strings.HasPrefix(v.Location.File, "src/main/java/org/owasp/benchmark/") || v.Location.StartLine < 1 || strings.Contains(v.Name, "\n") {
			t.Errorf("semgrep: %+v", v)
		}
	}
}

// sastOf writes the report of one log's text.
func sastOf(t *testing.T, schema *jsonschema.Schema, text string, opts *report.Options) (sastReport, report.GitLabSASTTotals) {
	t.Helper()
	_, r, tot := writeSAST(t, schema, []sarif.Input{{Name: "x.sarif", Log: sariftest.Parse(t, text)}}, opts)
	return r, tot
}

// Severity in the order of GitLab's SARIF ingestion: the rule's
// security-severity, the result's, the result's level, the rule's
// default level; error is High; rank is not read.
func TestGitLabSASTSeverity(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	l := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
	  {"id":"crit","properties":{"security-severity":"9.5"}},
	  {"id":"hi","properties":{"security-severity":"7.0"}},
	  {"id":"zero","properties":{"security-severity":"0"}},
	  {"id":"nan","properties":{"security-severity":"high"}},
	  {"id":"err","defaultConfiguration":{"level":"error"}},
	  {"id":"plain"}]}},"results":[
	  {"ruleId":"crit","level":"note","message":{"text":"a"},"properties":{"security-severity":"1.0"}},
	  {"ruleId":"hi","message":{"text":"b"}},
	  {"ruleId":"zero","level":"error","message":{"text":"c"}},
	  {"ruleId":"nan","level":"error","message":{"text":"d"}},
	  {"ruleId":"plain","message":{"text":"e"},"properties":{"security-severity":"4.0"}},
	  {"ruleId":"plain","message":{"text":"f"},"properties":{"security-severity":"3.9"}},
	  {"ruleId":"err","message":{"text":"g"}},
	  {"ruleId":"err","level":"note","message":{"text":"h"}},
	  {"ruleId":"plain","level":"warning","rank":100,"message":{"text":"i"}},
	  {"ruleId":"plain","message":{"text":"j"}},
	  {"ruleId":"plain","level":"none","message":{"text":"k"}},
	  {"ruleId":"err","kind":"informational","message":{"text":"l"}}]}]}`
	r, _ := sastOf(t, schema, l, nil)
	want := []string{"Critical", "High", "Info", "High", "Medium", "Low", "High", "Low", "Medium", "Medium", "Info", "Info"}
	var got []string
	for _, v := range r.Vulnerabilities {
		got = append(got, v.Severity)
	}
	if !slices.Equal(got, want) {
		t.Errorf("severities\n got %q\nwant %q", got, want)
	}
}

// Ids are UUIDs of the result, the same on every conversion and from a
// copy of the log anywhere, different for results that differ only by
// column, and unique (by order) for results alike in everything.
func TestGitLabSASTIDs(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	res := func(col int, msg string) string {
		return fmt.Sprintf(`{"ruleId":"R","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///srv/scan/src/a.go"},"region":{"startLine":3,"startColumn":%d}}}]}`, msg, col)
	}
	log := func(root string, results ...string) string {
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"originalUriBaseIds":{"SRC":{"uri":"` + root + `"}},"results":[` + strings.Join(results, ",") + `]}]}`
	}
	ids := func(r sastReport) []string {
		var out []string
		for _, v := range r.Vulnerabilities {
			if len(v.ID) != 36 || v.ID[14] != '8' || !strings.ContainsRune("89ab", rune(v.ID[19])) {
				t.Errorf("id %q is not a version 8 UUID", v.ID)
			}
			out = append(out, v.ID)
		}
		return out
	}
	a, _ := sastOf(t, schema, log("file:///srv/scan/", res(1, "m"), res(2, "m"), res(2, "m"), res(2, "n")), nil)
	first := ids(a)
	if len(first) != 4 || first[0] == first[1] || first[1] == first[2] || first[2] == first[3] {
		t.Fatalf("ids %q", first)
	}
	// Again, read from another name: the same ids.
	b, _ := sastOf(t, schema, log("file:///srv/scan/", res(1, "m"), res(2, "m"), res(2, "m"), res(2, "n")), nil)
	if !slices.Equal(ids(b), first) {
		t.Errorf("ids changed between two conversions: %q %q", ids(b), first)
	}
	// The same results made in another checkout, at another path: the
	// file relative to it, the same ids.
	moved := strings.ReplaceAll(log("file:///home/ci/build/", res(1, "m"), res(2, "m"), res(2, "m"), res(2, "n")), "/srv/scan/", "/home/ci/build/")
	c, _ := sastOf(t, schema, moved, nil)
	if !slices.Equal(ids(c), first) || c.Vulnerabilities[0].Location.File != "src/a.go" {
		t.Errorf("ids moved with the checkout: %q %q (%q)", ids(c), first, c.Vulnerabilities[0].Location.File)
	}
	// A result before the others does not change theirs, but for the
	// alike ones, told apart by their order.
	d, _ := sastOf(t, schema, log("file:///srv/scan/", res(9, "m"), res(1, "m"), res(2, "m"), res(2, "m"), res(2, "n")), nil)
	if got := ids(d)[1:]; !slices.Equal(got, first) {
		t.Errorf("ids moved with a result before them: %q %q", got, first)
	}
}

// GitLab's ingestion skips a result whose suppressions are none of them
// underReview or rejected; a comparison's absent results are dropped,
// its new, unchanged and updated ones kept.
func TestGitLabSASTKept(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	l := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	  {"ruleId":"kept-none","message":{"text":"a"}},
	  {"ruleId":"skip-accepted","message":{"text":"b"},"suppressions":[{"kind":"inSource","status":"accepted"}]},
	  {"ruleId":"skip-no-status","message":{"text":"c"},"suppressions":[{"kind":"external"}]},
	  {"ruleId":"kept-review","message":{"text":"d"},"suppressions":[{"kind":"external","status":"underReview"}]},
	  {"ruleId":"kept-rejected","message":{"text":"e"},"suppressions":[{"kind":"inSource"},{"kind":"external","status":"rejected"}]},
	  {"ruleId":"kept-new","baselineState":"new","message":{"text":"f"}},
	  {"ruleId":"kept-unchanged","baselineState":"unchanged","message":{"text":"g"}},
	  {"ruleId":"kept-updated","baselineState":"updated","message":{"text":"h"}},
	  {"ruleId":"drop-absent","baselineState":"absent","message":{"text":"i"}}]}]}`
	r, tot := sastOf(t, schema, l, nil)
	var got []string
	for _, v := range r.Vulnerabilities {
		got = append(got, v.Identifiers[0].Value)
	}
	want := []string{"kept-none", "kept-review", "kept-rejected", "kept-new", "kept-unchanged", "kept-updated"}
	if !slices.Equal(got, want) || tot.Suppressed != 2 || tot.Findings-tot.Results != 3 {
		t.Errorf("kept %q (want %q), %d suppressed, %d left out", got, want, tot.Suppressed, tot.Findings-tot.Results)
	}
}

// The scan: its tools (every driver, named once), their versions and
// vendors, and the span of the invocations in UTC; the report's time
// when the logs have none. Results without a file are kept, counted.
func TestGitLabSASTScan(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	l := `{"version":"2.1.0","runs":[
	  {"tool":{"driver":{"name":"gosec","version":"2.21.4","informationUri":"https://github.com/securego/gosec"}},
	   "invocations":[{"executionSuccessful":true,"startTimeUtc":"2026-03-01T10:00:00+02:00","endTimeUtc":"2026-03-01T08:05:00Z"}],
	   "results":[{"ruleId":"G104","message":{"text":"a"}}]},
	  {"tool":{"driver":{"name":"CodeQL","organization":"GitHub","semanticVersion":"2.20.0"}},
	   "invocations":[{"executionSuccessful":true,"endTimeUtc":"2026-03-01T09:00:00Z"}],"results":[]},
	  {"tool":{"driver":{"name":"gosec","version":"2.21.4"}},"results":[]}]}`
	r, tot := sastOf(t, schema, l, nil)
	s := r.Scan
	if s.Scanner.Name != "gosec 2.21.4, CodeQL 2.20.0" || s.Scanner.ID != "gosec+codeql" || s.Scanner.Version != "2.21.4, 2.20.0" || s.Scanner.Vendor.Name != "gosec, GitHub" || s.Scanner.URL != "" || s.Analyzer != s.Scanner {
		t.Errorf("scanner %+v, analyzer %+v", s.Scanner, s.Analyzer)
	}
	if s.StartTime != "2026-03-01T08:00:00" || s.EndTimeField != "2026-03-01T09:00:00" {
		t.Errorf("times %q %q", s.StartTime, s.EndTimeField)
	}
	if tot.NoFile != 1 || len(r.Vulnerabilities) != 1 || r.Vulnerabilities[0].Location.File != "" {
		t.Errorf("no file: %d, %+v", tot.NoFile, r.Vulnerabilities)
	}
	// Tools by name and version: two versions of one tool are two, each
	// named with its version; a tool without one is "unknown".
	r, _ = sastOf(t, schema, `{"version":"2.1.0","runs":[
	  {"tool":{"driver":{"name":"CodeQL","organization":"GitHub","semanticVersion":"2.20.0"}},"results":[]},
	  {"tool":{"driver":{"name":"CodeQL","organization":"GitHub","semanticVersion":"2.19.0"}},"results":[]},
	  {"tool":{"driver":{"name":"T"}},"results":[]}]}`, nil)
	if s := r.Scan.Scanner; s.Name != "CodeQL 2.20.0, CodeQL 2.19.0, T" || s.Version != "2.20.0, 2.19.0, unknown" || s.ID != "codeql+t" || s.Vendor.Name != "GitHub, T" {
		t.Errorf("two versions of a tool: %+v", s)
	}
	r, _ = sastOf(t, schema, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":""}},"results":[]}]}`, nil)
	if r.Scan.StartTime != "2026-01-02T03:04:05" || r.Scan.EndTimeField != r.Scan.StartTime || r.Scan.Scanner.ID != "sarif" || r.Scan.Scanner.Version != "unknown" {
		t.Errorf("no invocation, no name: %+v", r.Scan)
	}
}

// Hostile text: Markdown, HTML, terminal escapes and workflow commands
// in a rule's name, a rule id and a message stay text; a name and a
// description over GitLab's limits are cut, ending with the marker, and
// counted.
func TestGitLabSASTHostile(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	// 600,000 characters (under the reader's limit on a string), over
	// 1,600,000 as Markdown that shows them.
	huge := strings.Repeat("<b>*", 150000) + "[x](javascript:alert(1))"
	name := strings.Repeat("é*", 200)
	l := fmt.Sprintf(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t\u001b[31m","rules":[{"id":"R","shortDescription":{"text":%q}}]}},"results":[
	  {"ruleId":"R","message":{"text":%q}},
	  {"ruleId":"R","message":{"text":%q}},
	  {"ruleId":"::error::x\u001b]8;;https://evil\u0007","message":{"text":"# Title\n- item\n<script>alert(1)</script>\n::warning::y ##[error]z\n    code\n@user #12 https://evil.example"}}]}]}`, name, huge, "xyz"+huge)
	out, r, tot := writeSAST(t, schema, []sarif.Input{{Name: "x", Log: sariftest.Parse(t, l)}}, nil)
	if tot.Truncated != 4 {
		t.Errorf("%d truncated, want 4", tot.Truncated)
	}
	// Cut after a lone backslash (the first), inside "&gt;" (the second).
	for _, v := range r.Vulnerabilities[:2] {
		if cut := strings.TrimSuffix(v.Description, report.GitLabSASTTruncated); strings.HasSuffix(cut, `\`) || strings.LastIndexByte(cut, '&') > strings.LastIndexByte(cut, ';') {
			t.Errorf("the description is cut inside an escape: ...%q", cut[len(cut)-20:])
		}
	}
	v := r.Vulnerabilities[0]
	if n := utf8.RuneCountInString(v.Name); n != report.GitLabSASTMaxNameChars || !strings.HasSuffix(v.Name, report.GitLabSASTTruncated) {
		t.Errorf("name of %d characters: ...%q", n, v.Name[max(0, len(v.Name)-40):])
	}
	if n := utf8.RuneCountInString(v.Description); n > report.GitLabSASTMaxDescriptionChars || n < report.GitLabSASTMaxDescriptionChars-20 || !strings.HasSuffix(v.Description, report.GitLabSASTTruncated) {
		t.Errorf("description of %d characters", n)
	}
	if strings.Contains(v.Description, "<b>") || !strings.HasPrefix(v.Description, `&lt;b&gt;\*&lt;b&gt;`) {
		t.Errorf("Markdown or HTML passed through: %q", v.Description[:80])
	}
	d := r.Vulnerabilities[2].Description
	for _, bad := range []string{"\n# Title", "\n- item", "<script>", "\n    code", "@user", "#12", "https://evil"} {
		if strings.Contains(d, bad) {
			t.Errorf("description holds %q: %q", bad, d)
		}
	}
	if !strings.Contains(d, `\# Title\`+"\n"+`\- item\`) {
		t.Errorf("description lost its lines: %q", d)
	}
	if bytes.ContainsAny(out, "\x1b\x07") || bytes.Contains(out, []byte("##[")) || bytes.Contains(out, []byte(`\u001b`)) {
		t.Errorf("the report holds a terminal escape or a workflow command")
	}
	if id := r.Vulnerabilities[2].Identifiers[0]; id.Value != `::error::x\x1b]8;;https://evil\a` || id.Type != "t_31m_rule_id" {
		t.Errorf("rule id %+v", id)
	}
}

// A rule's short description or name of white space or invisible
// characters only is no name: the next one is taken, else the rule id.
func TestGitLabSASTBlankName(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	l := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[
	  {"id":"W","name":" \n "},
	  {"id":"Z","shortDescription":{"text":"\u200b\u2060\ufeff"},"name":"Real  name\n"},
	  {"id":"S","shortDescription":{"text":" \t"},"name":"\u200b"}]}},"results":[
	  {"ruleId":"W","message":{"text":"y"}},{"ruleId":"Z","message":{"text":"y"}},{"ruleId":"S","message":{"text":"y"}}]}]}`
	r, _ := sastOf(t, schema, l, nil)
	var got []string
	for _, v := range r.Vulnerabilities {
		got = append(got, v.Name)
	}
	if want := []string{"W", "Real name", "S"}; !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
}

// Files not relative to the checkout (absolute paths of the machine the
// tool ran on, paths out of it, URIs of another scheme) are counted,
// the first named; under the checkout given, they are relative.
func TestGitLabSASTOutside(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	res := func(uri string) string {
		return fmt.Sprintf(`{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":1}}}]}`, uri)
	}
	l := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[` +
		strings.Join([]string{res("file:///srv/scan/lib/a.js"), res("src/b.js"), res("../up/c.js"), res("https://example.com/d.js"), res("file:///srv/scan/e.js")}, ",") + `]}]}`
	r, tot := sastOf(t, schema, l, nil)
	if tot.Outside != 4 || tot.FirstOutside != "/srv/scan/lib/a.js" || r.Vulnerabilities[1].Location.File != "src/b.js" {
		t.Errorf("%d outside, first %q; %+v", tot.Outside, tot.FirstOutside, r.Vulnerabilities)
	}
	r, tot = sastOf(t, schema, l, &report.Options{SourceRoot: "file:///srv/scan/"})
	if tot.Outside != 2 || tot.FirstOutside != "../up/c.js" || r.Vulnerabilities[0].Location.File != "lib/a.js" {
		t.Errorf("with the root: %d outside, first %q; %+v", tot.Outside, tot.FirstOutside, r.Vulnerabilities)
	}
}

// Invocation times GitLab's schema cannot hold (a year out of 0001 to
// 9999 in UTC) or that are not RFC 3339 are left out, and counted: the
// scan's times are those of the others, else the report's.
func TestGitLabSASTBadTimes(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	inv := func(start, end string) string {
		return fmt.Sprintf(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"executionSuccessful":true,"startTimeUtc":%q,"endTimeUtc":%q}],"results":[]}]}`, start, end)
	}
	for _, c := range []struct {
		log, start, end string
		bad             int
	}{
		{inv("2026-03-02T09:15:00Z", "9999-12-31T23:59:59-05:00"), "2026-03-02T09:15:00", "2026-03-02T09:15:00", 1},
		{inv("0000-01-01T00:00:00+00:30", "2026-03-02T09:15:00Z"), "2026-03-02T09:15:00", "2026-03-02T09:15:00", 1},
		{inv("2026-03-02T09:15:00", "2026-03-02T10:15:00+01:00"), "2026-03-02T09:15:00", "2026-03-02T09:15:00", 1},
		{inv("yesterday", "9999-12-31T23:00:00-01:00"), "2026-01-02T03:04:05", "2026-01-02T03:04:05", 2},
	} {
		r, tot := sastOf(t, schema, c.log, nil)
		if r.Scan.StartTime != c.start || r.Scan.EndTimeField != c.end || tot.BadTimes != c.bad {
			t.Errorf("%s: times %q %q, %d bad; want %q %q, %d", c.log, r.Scan.StartTime, r.Scan.EndTimeField, tot.BadTimes, c.start, c.end, c.bad)
		}
	}
}

// Results of kind pass and notApplicable are no problem (SARIF
// §3.27.9): left out of the SAST and Code Quality reports, counted;
// fail, open, review, informational and unknown kinds are kept.
func TestGitLabSASTKind(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	l := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	  {"ruleId":"none","level":"error","message":{"text":"a"}},
	  {"ruleId":"pass","kind":"pass","level":"none","message":{"text":"b"}},
	  {"ruleId":"fail","kind":"fail","message":{"text":"c"}},
	  {"ruleId":"na","kind":"notApplicable","level":"none","message":{"text":"d"}},
	  {"ruleId":"open","kind":"open","message":{"text":"e"}},
	  {"ruleId":"review","kind":"review","message":{"text":"f"}},
	  {"ruleId":"info","kind":"informational","message":{"text":"g"}},
	  {"ruleId":"pass-suppressed","kind":"pass","level":"none","message":{"text":"h"},"suppressions":[{"kind":"external"}]},
	  {"ruleId":"pass-absent","kind":"pass","level":"none","baselineState":"absent","message":{"text":"i"}}]}]}`
	r, tot := sastOf(t, schema, l, nil)
	var got []string
	for _, v := range r.Vulnerabilities {
		got = append(got, v.Identifiers[0].Value)
	}
	want := []string{"none", "fail", "open", "review", "info"}
	if !slices.Equal(got, want) || tot.NotProblems != 2 || tot.Suppressed != 1 || tot.Results != 5 {
		t.Errorf("kept %q (want %q), %d not problems, %d suppressed, %d results", got, want, tot.NotProblems, tot.Suppressed, tot.Results)
	}
	var b bytes.Buffer
	ctot, err := report.WriteCodeClimate(t.Context(), &b, []sarif.Input{{Name: "x", Log: sariftest.Parse(t, l)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var issues []struct {
		CheckName string `json:"check_name"`
	}
	if err := json.Unmarshal(b.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, is := range issues {
		got = append(got, is.CheckName)
	}
	if !slices.Equal(got, want) || ctot.NotProblems != 2 || ctot.Results != 5 || ctot.ByLevel.String() != "1 error, 1 warning, 3 none" {
		t.Errorf("Code Quality: kept %q (want %q), %d not problems, %d results (%s)", got, want, ctot.NotProblems, ctot.Results, ctot.ByLevel)
	}
}

// An identifier's name and value are cut to 255 characters, ending with
// the marker, and counted; its type keeps its "_rule_id", its tool's
// name cut.
func TestGitLabSASTLongIdentifier(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	long := strings.Repeat("r", 300)
	l := fmt.Sprintf(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":%q}},"results":[{"ruleId":%q,"message":{"text":"m"}},{"ruleId":"short","message":{"text":"m"}}]}]}`, strings.Repeat("T", 300), long)
	r, tot := sastOf(t, schema, l, nil)
	id := r.Vulnerabilities[0].Identifiers[0]
	if n := len(id.Type); n != report.GitLabSASTMaxIdentifierChars || !strings.HasSuffix(id.Type, "tt_rule_id") {
		t.Errorf("identifier type of %d characters: %q", n, id.Type)
	}
	for _, s := range []string{id.Name, id.Value} {
		if n := utf8.RuneCountInString(s); n != report.GitLabSASTMaxIdentifierChars || !strings.HasSuffix(s, report.GitLabSASTTruncated) {
			t.Errorf("identifier text of %d characters: %q", n, s)
		}
	}
	// The first's name (its rule id) and its identifier.
	if tot.Truncated != 2 || r.Vulnerabilities[1].Identifiers[0].Value != "short" {
		t.Errorf("%d truncated; %+v", tot.Truncated, r.Vulnerabilities[1].Identifiers[0])
	}
}

// Ids and Code Quality fingerprints are unique even when a result's
// basis is another's with the suffix that tells alike ones apart.
func TestStableIDsUnique(t *testing.T) {
	t.Parallel()
	schema := sastSchema(t)
	l := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	  {"ruleId":"R","message":{"text":"m"}},{"ruleId":"R","message":{"text":"m"}},
	  {"ruleId":"R","message":{"text":"m\u00001"}},{"ruleId":"R","message":{"text":"m\u0000occurrence\u00001"}},
	  {"ruleId":"R","message":{"text":"m"}}]}]}`
	sastOf(t, schema, l, nil) // unique ids: writeSAST checks
	var b bytes.Buffer
	if _, err := report.WriteCodeClimate(t.Context(), &b, []sarif.Input{{Name: "x", Log: sariftest.Parse(t, l)}}, nil); err != nil {
		t.Fatal(err)
	}
	var issues []struct{ Fingerprint string }
	if err := json.Unmarshal(b.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if seen[is.Fingerprint] {
			t.Errorf("fingerprint %s twice", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
	if len(issues) != 5 {
		t.Errorf("%d issues", len(issues))
	}
}
