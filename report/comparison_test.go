package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// compareLogs is diff.Compare, failing the test on error.
func compareLogs(t testing.TB, base, head *sarif.Log) *diff.Diff {
	t.Helper()
	d, err := diff.Compare(t.Context(), base, head, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// oneRun is a log of one run of tool "a" with rules R (error, security
// severity 9.5) and S, and the results given (see result).
const oneRun = `{"version":"2.1.0","runs":[
 {"tool":{"driver":{"name":"a","rules":[{"id":"R","defaultConfiguration":{"level":"error"},"properties":{"security-severity":"9.5"}},{"id":"S","properties":{"security-severity":"5.0"}}]}},
  "results":[%s]}]}`

// result is the JSON text of a result of rule at uri:line, with extra
// members.
func result(rule, uri string, line int, msg string, extra string) string {
	l, _ := json.Marshal(line)
	return `{"ruleId":"` + rule + `","message":{"text":"` + msg + `"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"` +
		uri + `"},"region":{"startLine":` + string(l) + `}}}]` + extra + `}`
}

func logOf(t testing.TB, results ...string) *sarif.Log {
	return sariftest.Parse(t, strings.Replace(oneRun, "%s", strings.Join(results, ","), 1))
}

// checkComparisonGolden compares got with the golden file
// testdata/golden/diff/name, or with -update writes it.
func checkComparisonGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", "diff", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (go test ./report -update rewrites it, check the change by hand):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// Every report of a comparison on real comparisons: the README's example
// pair, gosec on two releases of gin (the Multitool's counts, 4 new, 2
// absent, 8 updated, 7 unchanged), and logs of two tools that share no
// run (the notes, base results not compared). The golden files were read
// line by line against the inputs when created; the JSON report of the
// same comparisons is package diff's (TestReportsGolden).
func TestComparisonGolden(t *testing.T) {
	t.Parallel()
	pairs := []struct{ name, base, head string }{
		{"example", "../testdata/diff/base.sarif", "../testdata/diff/head.sarif"},
		{"gosec-gin", "../testdata/corpus/real/gosec-gin-v1.9.0.sarif", "../testdata/corpus/real/gosec-gin-v1.10.0.sarif"},
		{"unpaired", "../testdata/corpus/real/eslint-express-lib.sarif", "../testdata/diff/head.sarif"},
	}
	for _, p := range pairs {
		d := compareLogs(t, sariftest.Read(t, p.base), sariftest.Read(t, p.head))
		gate := diff.Gate{FailOn: diff.FailOnNew, MinLevel: sarif.LevelWarning}
		var text, explain, md, gh bytes.Buffer
		if err := report.WriteComparisonText(&text, d, nil); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteComparisonText(&explain, d, &report.ComparisonTextOptions{Explain: true}); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteComparisonMarkdown(&md, d, &report.ComparisonMarkdownOptions{MaxRows: 3}); err != nil {
			t.Fatal(err)
		}
		if _, err := report.WriteComparisonAnnotations(&gh, d, gate.Judge(d)); err != nil {
			t.Fatal(err)
		}
		checkComparisonGolden(t, p.name+".txt", text.Bytes())
		checkComparisonGolden(t, p.name+".explain.txt", explain.Bytes())
		checkComparisonGolden(t, p.name+".md", md.Bytes())
		checkComparisonGolden(t, p.name+".github.txt", gh.Bytes())
	}
}

// What a log says is escaped in every report: a line break ends the text
// line, is %0A in an annotation and <br> in Markdown, where pipes are
// escaped and HTML made inert.
func TestComparisonFormats(t *testing.T) {
	t.Parallel()
	base := logOf(t, result("R", "a.go", 1, "kept", ""), result("S", "b.go", 1, "gone", ""))
	head := logOf(t, result("R", "a.go", 1, "kept", ""), result("R", "a.go", 9, "line1\\nline2, with: 100% <b>|</b>", ""))
	d := compareLogs(t, base, head)

	var text bytes.Buffer
	report.WriteComparisonText(&text, d, nil)
	if want := "1 new (1 error), 1 absent, 0 updated, 1 unchanged\na.go:9: error R: line1 ...\n"; text.String() != want {
		t.Errorf("text:\n%q\nwant\n%q", text.String(), want)
	}
	text.Reset()
	report.WriteComparisonText(&text, d, &report.ComparisonTextOptions{Explain: true})
	if want := "1 new (1 error), 1 absent, 0 updated, 1 unchanged\n" +
		"unchanged location            a.go:1 -> a.go:1: error R: kept\n" +
		"new       -                   a.go:9: error R: line1 ...\n" +
		"absent    -                   b.go:1: warning S: gone\n"; text.String() != want {
		t.Errorf("explain:\n%q\nwant\n%q", text.String(), want)
	}

	var gh bytes.Buffer
	report.WriteComparisonAnnotations(&gh, d, nil)
	if want := "::error file=a.go,line=9,title=a R::line1%0Aline2, with: 100%25 <b>|</b>\n"; gh.String() != want {
		t.Errorf("github:\n%q\nwant\n%q", gh.String(), want)
	}

	var md bytes.Buffer
	report.WriteComparisonMarkdown(&md, d, &report.ComparisonMarkdownOptions{MaxRows: 1})
	// Pipes escaped, HTML made inert, the line break kept as <br>.
	if want := "### SARIF comparison\n\n| new | absent | updated | unchanged |\n|---:|---:|---:|---:|\n| 1 | 1 | 0 | 1 |\n\n" +
		"**New results** (1 error)\n\n| level | rule | location | message |\n|---|---|---|---|\n" +
		"| error | R | `a.go:9` | line1<br>line2, with: 100% &lt;b&gt;\\|&lt;/b&gt; |\n"; md.String() != want {
		t.Errorf("markdown:\n%q\nwant\n%q", md.String(), want)
	}

	var out bytes.Buffer
	report.WriteComparisonOutputs(&out, d)
	if want := "new-count=1\nabsent-count=1\nupdated-count=0\nunchanged-count=1\n"; out.String() != want {
		t.Errorf("outputs:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestComparisonMarkdownCap(t *testing.T) {
	t.Parallel()
	var rs []string
	for i := range 60 {
		rs = append(rs, result("R", "a.go", i+1, "m", ""))
	}
	d := compareLogs(t, logOf(t), logOf(t, rs...))
	var md bytes.Buffer
	report.WriteComparisonMarkdown(&md, d, nil)
	if !strings.HasSuffix(md.String(), "|\n\nand 10 more.\n") || strings.Count(md.String(), "| error | R |") != 50 {
		t.Errorf("markdown not capped at 50:\n%s", md.String())
	}
}

// Reports list results by file and line (Markdown and annotations most
// severe first), not in log order; the annotations are the gate's
// failures, and say how many GitHub will not show; a gate that nothing
// fails annotates nothing, and no gate every new result.
func TestComparisonOrderAndGate(t *testing.T) {
	t.Parallel()
	var rs []string
	for i := range 14 { // 14 warnings in z.go, bottom up
		rs = append(rs, result("S", "z.go", 100-i, "warning "+string(rune('a'+i)), ""))
	}
	rs = append(rs, result("R", "b.go", 7, "error in b", ""), result("R", "a.go", 9, "error in a", ""),
		result("S", "a.go", 2, "note in a", `,"level":"note"`))
	d := compareLogs(t, logOf(t), logOf(t, rs...))

	var text bytes.Buffer
	report.WriteComparisonText(&text, d, nil)
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")[1:]
	if !strings.HasPrefix(lines[0], "a.go:2: note S") || !strings.HasPrefix(lines[1], "a.go:9: error R") ||
		!strings.HasPrefix(lines[2], "b.go:7:") || !strings.HasPrefix(lines[3], "z.go:87:") || !strings.HasPrefix(lines[16], "z.go:100:") {
		t.Errorf("text not by file and line:\n%s", text.String())
	}

	gate := diff.Gate{FailOn: diff.FailOnNew, MinLevel: sarif.LevelWarning}
	var gh bytes.Buffer
	hidden, err := report.WriteComparisonAnnotations(&gh, d, gate.Judge(d))
	if err != nil {
		t.Fatal(err)
	}
	ann := strings.Split(strings.TrimSpace(gh.String()), "\n")
	if len(ann) != 16 || !strings.HasPrefix(ann[0], "::error file=a.go,line=9,") || !strings.HasPrefix(ann[1], "::error file=b.go,") ||
		!strings.HasPrefix(ann[2], "::warning file=z.go,line=87,") {
		t.Errorf("annotations (%d):\n%s", len(ann), gh.String())
	}
	if strings.Contains(gh.String(), "note in a") {
		t.Error("a note that does not fail the gate is annotated")
	}
	if hidden != 4 {
		t.Errorf("%d annotations hidden, want 4 (14 warnings, 10 shown)", hidden)
	}
	gh.Reset()
	passed := diff.Gate{FailOn: diff.FailOnNew, MinSecuritySeverity: diff.SecurityCritical, ChangedFiles: []string{"c.go"}}
	if hidden, err := report.WriteComparisonAnnotations(&gh, d, passed.Judge(d)); err != nil || hidden != 0 || gh.Len() != 0 {
		t.Errorf("a gate nothing fails: %d hidden, %v, annotations:\n%s", hidden, err, gh.String())
	}
	gh.Reset()
	if hidden, err := report.WriteComparisonAnnotations(&gh, d, nil); err != nil || hidden != 4 || strings.Count(gh.String(), "\n") != 17 {
		t.Errorf("no gate: %d hidden, %v, annotations:\n%s", hidden, err, gh.String())
	}

	var md bytes.Buffer
	report.WriteComparisonMarkdown(&md, d, nil)
	if i, j := strings.Index(md.String(), "error in a"), strings.Index(md.String(), "warning a"); i < 0 || j < 0 || i > j {
		t.Errorf("markdown not most severe first:\n%s", md.String())
	}
}

// A tool that ran on base but not on head: its results are not compared,
// and every report says so, the notes first.
func TestComparisonUnpairedRuns(t *testing.T) {
	t.Parallel()
	var runs []any
	for _, name := range []string{"gosec-gin-v1.9.0.sarif", "golangci-lint-gin-v1.10.0.sarif"} {
		var l struct{ Runs []any }
		if err := json.Unmarshal(sariftest.File(t, "../testdata/corpus/real/"+name), &l); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, l.Runs...)
	}
	both, err := json.Marshal(map[string]any{"version": "2.1.0", "runs": runs})
	if err != nil {
		t.Fatal(err)
	}
	d := compareLogs(t, sariftest.Parse(t, string(both)), sariftest.Read(t, "../testdata/corpus/real/gosec-gin-v1.10.0.sarif"))
	const note = `base has a run of "golangci-lint" without category, head has no run of that tool and category: its 1477 result(s) were not compared`
	var md, gh bytes.Buffer
	if err := report.WriteComparisonMarkdown(&md, d, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| new | absent | updated | unchanged | not compared |\n|---:|---:|---:|---:|---:|\n| 4 | 2 | 8 | 7 | 1477 |\n\n> [!WARNING]\n> "+note+"\n\n") {
		t.Errorf("markdown:\n%s", md.String())
	}
	if _, err := report.WriteComparisonAnnotations(&gh, d, nil); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(gh.String(), "\n"); first != "::warning title=SARIF comparison::"+note {
		t.Errorf("github: first line %q", first)
	}
}
