package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/report/golden from the current output")

const testdata = "../testdata/"

// The logs the formats are checked on: real tools' output, a report of
// sarif-diff (baseline states), and a hand-made hostile log.
var cases = []struct {
	name  string
	files []string
	root  string // --source-root
}{
	{"gosec-gin", []string{"corpus/real/gosec-gin-v1.10.0.sarif"}, ""},
	{"eslint-express", []string{"corpus/real/eslint-express-lib.sarif"}, "file:///src/express"},
	{"codeql", []string{"diff/codeql-action-valid-sarif.sarif"}, ""},
	{"diff", []string{"report/diff-base-head.sarif"}, ""},
	{"hostile", []string{"report/hostile.sarif"}, "report"},
}

// A reportCase is what a case renders: its logs and options.
type reportCase struct {
	in   []sarif.Input
	opts *report.Options
}

// reportOf reads the logs of a case, their results held in memory, or
// on disk (as the command reads them) with onDisk.
func reportOf(t *testing.T, name string, onDisk ...bool) reportCase {
	t.Helper()
	for _, c := range cases {
		if c.name != name {
			continue
		}
		var in []sarif.Input
		for _, f := range c.files {
			l := sariftest.Read(t, testdata+f)
			if len(onDisk) > 0 && onDisk[0] {
				var err error
				if l, err = sarif.ReadFile(t.Context(), testdata+f, &sarif.ReadOptions{ResultsOnDisk: true}); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { l.Close() })
			}
			in = append(in, sarif.Input{Name: f, Log: l})
		}
		opts := &report.Options{Title: "Report of " + c.name}
		switch {
		case strings.HasPrefix(c.root, "file:"):
			opts.SourceRoot = c.root
		case c.root != "":
			opts.SourceRoot, opts.Source = testdata+c.root, os.DirFS(testdata+c.root)
		}
		return reportCase{in, opts}
	}
	t.Fatalf("no case %s", name)
	return reportCase{}
}

// findings returns the findings of a case, in order.
func (c reportCase) findings(t *testing.T) []*report.Finding {
	t.Helper()
	var out []*report.Finding
	for f, err := range report.Findings(t.Context(), c.in, c.opts) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// totals returns the totals of a case, as the summary counts them.
func (c reportCase) totals(t *testing.T) report.Totals {
	t.Helper()
	tot, err := report.WriteSummary(t.Context(), io.Discard, c.in, &report.SummaryOptions{Options: *c.opts})
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

func render1(t *testing.T, c reportCase, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	ctx := t.Context()
	switch format {
	case "summary.txt":
		_, err = report.WriteSummary(ctx, &b, c.in, &report.SummaryOptions{Options: *c.opts})
	case "csv":
		_, err = report.WriteCSV(ctx, &b, c.in, c.opts)
	case "junit.xml":
		_, err = report.WriteJUnit(ctx, &b, c.in, c.opts)
	case "codeclimate.json":
		_, err = report.WriteCodeClimate(ctx, &b, c.in, c.opts)
	case "html":
		_, err = report.WriteHTML(ctx, &b, c.in, c.opts)
	default:
		t.Fatalf("no format %s", format)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Every format of every case against its golden file, checked by hand
// when it was written (go test ./internal/render -update rewrites them).
//
// The logs are read with their results in memory, then on disk: the
// output is the same, byte for byte.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range cases {
		formats := []string{"summary.txt", "csv", "junit.xml", "codeclimate.json"}
		if c.name == "diff" || c.name == "hostile" {
			formats = append(formats, "html")
		}
		for _, onDisk := range []bool{false, true} {
			r := reportOf(t, c.name, onDisk)
			for _, f := range formats {
				got := render1(t, r, f)
				name := filepath.Join(testdata, "report", "golden", c.name+"."+f)
				if *update && !onDisk {
					if err := os.WriteFile(name, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(name)
				if err != nil {
					t.Fatalf("%v (go test ./report -update writes it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s (results on disk: %v): output differs from %s (go test ./report -update rewrites it; check the change by hand)", c.name, onDisk, name)
				}
			}
		}
	}
}

// The counts of the real logs, checked against the logs with jq-like
// reading by hand: gosec's 19 results are 13 errors and 6 warnings; the
// diff report's 5 results are 2 new, 1 updated, 1 unchanged and 1 absent.
func TestTotals(t *testing.T) {
	t.Parallel()
	g := reportOf(t, "gosec-gin").totals(t)
	if g.Results != 19 || g.ByLevel["error"] != 13 || g.ByLevel["warning"] != 6 || g.Suppressed != 0 {
		t.Errorf("gosec: %+v", g)
	}
	d := reportOf(t, "diff").totals(t)
	if d.Results != 4 || d.Baseline["new"] != 2 || d.Baseline["updated"] != 1 || d.Baseline["unchanged"] != 1 || d.Baseline["absent"] != 1 {
		t.Errorf("diff: %+v", d)
	}
	h := reportOf(t, "hostile").totals(t)
	if h.Results != 4 || h.Suppressed != 1 || h.ByLevel["warning"] != 2 || h.ByLevel["note"] != 1 {
		t.Errorf("hostile: %+v (the rejected suppression does not suppress)", h)
	}
}

// CSV parses back, a row per result, formulas made inert.
func TestCSV(t *testing.T) {
	t.Parallel()
	for _, c := range cases {
		r := reportOf(t, c.name)
		rows, err := csv.NewReader(bytes.NewReader(render1(t, r, "csv"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(rows) != len(r.findings(t))+1 || strings.Join(rows[0], ",") != strings.Join(report.CSVHeader(), ",") {
			t.Fatalf("%s: %d rows for %d results, header %v", c.name, len(rows), len(r.findings(t)), rows[0])
		}
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%s: a cell a spreadsheet would evaluate: %q", c.name, cell)
				}
			}
		}
	}
	rows, _ := csv.NewReader(bytes.NewReader(render1(t, reportOf(t, "hostile"), "csv"))).ReadAll()
	for i, want := range []string{`'=HYPERLINK("http://evil.example","click")`, `'+cmd|' /C calc'!A0`, `'@SUM(1+1) a note`, `'-2+3 no location, default level`} {
		if got := rows[i+2][9]; got != want {
			t.Errorf("message %d: %q, want %q", i+1, got, want)
		}
	}
	if rows[1][6] != "../../etc/passwd" || rows[1][1] != `x"'<b>rule` {
		t.Errorf("first row: %q", rows[1])
	}
}

// junitCounts reads a JUnit report's totals with encoding/xml.
type junitCounts struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Tests int    `xml:"tests,attr"`
		Cases []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	t.Parallel()
	want := map[string][3]int{ // tests, failures, skipped
		"gosec-gin": {19, 19, 0},
		"diff":      {5, 4, 0}, // the absent result passes
		"hostile":   {5, 3, 2}, // a suppressed error and a note are skipped
	}
	for name, w := range want {
		var j junitCounts
		if err := xml.Unmarshal(render1(t, reportOf(t, name), "junit.xml"), &j); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := [3]int{j.Tests, j.Failures, j.Skipped}; got != w {
			t.Errorf("%s: tests, failures, skipped %v, want %v", name, got, w)
		}
		n := 0
		for _, s := range j.Suites {
			n += len(s.Cases)
		}
		if n != j.Tests {
			t.Errorf("%s: %d test cases, %d tests", name, n, j.Tests)
		}
	}
}

// An independent JUnit reader: Python's junitparser (Debian's
// python3-junitparser), as CI installs it.
func TestJUnitIndependentReader(t *testing.T) {
	t.Parallel()
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		python = "python3"
	}
	check := exec.Command(python, "-c", "import junitparser")
	if err := check.Run(); err != nil {
		t.Skip("python3 with junitparser (Debian's python3-junitparser) not found: the JUnit output cannot be read by an independent reader here")
	}
	script := `
import json, sys, junitparser
xml = junitparser.JUnitXml.fromfile(sys.argv[1])
out = {"tests": 0, "failures": 0, "skipped": 0, "passed": 0, "suites": 0}
for suite in xml:
    out["suites"] += 1
    for case in suite:
        out["tests"] += 1
        kinds = [type(r).__name__ for r in case.result]
        if "Failure" in kinds: out["failures"] += 1
        elif "Skipped" in kinds: out["skipped"] += 1
        else: out["passed"] += 1
print(json.dumps(out))
`
	for name, want := range map[string]string{
		"gosec-gin": `{"tests": 19, "failures": 19, "skipped": 0, "passed": 0, "suites": 7}`,
		"diff":      `{"tests": 5, "failures": 4, "skipped": 0, "passed": 1, "suites": 3}`,
		"hostile":   `{"tests": 5, "failures": 3, "skipped": 2, "passed": 0, "suites": 2}`,
		"codeql":    `{"tests": 3, "failures": 0, "skipped": 3, "passed": 0, "suites": 3}`, // notes by their rules' defaultConfiguration,
	} {
		file := filepath.Join(t.TempDir(), name+".xml")
		if err := os.WriteFile(file, render1(t, reportOf(t, name), "junit.xml"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(python, "-c", script, file).Output()
		if err != nil {
			t.Fatalf("%s: junitparser: %v", name, err)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%s: junitparser reads %s, want %s", name, got, want)
		}
	}
}

// Code Quality reports are valid against the schema written from GitLab's
// and Code Climate's documentation, with unique fingerprints.
func TestCodeClimate(t *testing.T) {
	t.Parallel()
	schema, err := jsonschema.Compile(testdata + "report/codeclimate.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		out := render1(t, reportOf(t, c.name), "codeclimate.json")
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		var issues []struct{ Fingerprint string }
		json.Unmarshal(out, &issues)
		seen := map[string]bool{}
		for _, is := range issues {
			if seen[is.Fingerprint] {
				t.Errorf("%s: fingerprint %s twice", c.name, is.Fingerprint)
			}
			seen[is.Fingerprint] = true
		}
	}
	// The hostile log: the suppressed result is left out, the one whose
	// suppression was rejected is kept.
	r := reportOf(t, "hostile")
	var b bytes.Buffer
	tot, err := report.WriteCodeClimate(t.Context(), &b, r.in, r.opts)
	if left := tot.Findings - tot.Results; err != nil || left != 1 || strings.Count(b.String(), `"check_name"`) != 4 {
		t.Errorf("left out %d (%v):\n%s", left, err, b.String())
	}
}

// A fingerprint does not move with its line: the same results two lines
// down (with the lines above inserted in the source) keep theirs, when
// they are fingerprinted by their line's text.
func TestCodeClimateFingerprintsStable(t *testing.T) {
	t.Parallel()
	text := string(sariftest.File(t, testdata+"report/hostile.sarif"))
	moved := strings.NewReplacer(`"startLine": 2}`, `"startLine": 4}`, `"startLine": 4}`, `"startLine": 6}`).Replace(text)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	src := sariftest.File(t, testdata+"report/src/app.js")
	os.WriteFile(filepath.Join(dir, "src", "app.js"), append([]byte("// new\n// lines\n"), src...), 0o644)
	fingerprints := func(l string, root string) []string {
		var b bytes.Buffer
		in := []sarif.Input{{Name: "x", Log: sariftest.Parse(t, l)}}
		if _, err := report.WriteCodeClimate(t.Context(), &b, in, &report.Options{SourceRoot: root, Source: os.DirFS(root)}); err != nil {
			t.Fatal(err)
		}
		var issues []struct {
			Fingerprint string
			Location    struct{ Lines struct{ Begin int } }
		}
		json.Unmarshal(b.Bytes(), &issues)
		var out []string
		for _, is := range issues {
			out = append(out, is.Fingerprint)
		}
		return out
	}
	before, after := fingerprints(text, testdata+"report"), fingerprints(moved, dir)
	if strings.Join(before, ",") != strings.Join(after, ",") {
		t.Errorf("fingerprints moved with their lines:\n%v\n%v", before, after)
	}
}

// What comes from the log is never markup in the page: the only script
// elements are the page's own, the data block holds no "<".
func TestHTMLInert(t *testing.T) {
	t.Parallel()
	page := string(render1(t, reportOf(t, "hostile"), "html"))
	if n := strings.Count(page, "<script"); n != 2 {
		t.Errorf("%d script elements, want the page's 2", n)
	}
	for _, bad := range []string{"<script>document", "<img src=x", "<b>rule", "<i>false", "javascript:alert"} {
		if i := strings.Index(page, bad); i >= 0 && !strings.Contains(page[max(0, i-40):i], "\\u003c") {
			t.Errorf("the page holds %q raw", bad)
		}
	}
	start := strings.Index(page, `id="report-data">`)
	end := strings.Index(page[start:], "</script>")
	if data := page[start+len(`id="report-data">`) : start+end]; strings.ContainsAny(data, "<>") {
		t.Errorf("the data block holds < or >")
	}
}

// A log's text cannot drive the terminal: escape sequences in a rule id
// or a title are shown escaped, as Go writes them.
func TestSummaryPrintable(t *testing.T) {
	t.Parallel()
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t\u001b[31m"}},"results":[
	  {"ruleId":"\u001b]0;pwned\u0007R2","message":{"text":"m"}}]}]}`)
	var b bytes.Buffer
	if _, err := report.WriteSummary(t.Context(), &b, []sarif.Input{{Name: "x", Log: l}}, &report.SummaryOptions{Options: report.Options{Title: "a\u009bb"}}); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.ContainsAny(out, "\x1b\x07\u009b") || !strings.Contains(out, `\x1b]0;pwned\aR2`) || !strings.Contains(out, `a\u009bb`) {
		t.Errorf("%q", out)
	}
}
