package reportcmd

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

const (
	gosec   = "../../../testdata/corpus/real/gosec-gin-v1.10.0.sarif"
	diffLog = "../../../testdata/report/diff-base-head.sarif"
	hostile = "../../../testdata/report/hostile.sarif"
)

func TestConventions(t *testing.T) {
	t.Parallel()
	clitest.CheckConventions(t, Run, "sarif-report")
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{}, "no FILE given"},
		{[]string{"--format", "pdf", gosec}, `--format must be summary, html, csv, junit or codeclimate, not "pdf"`},
		{[]string{"--format", "csv", "--top", "5", gosec}, "--top applies to --format summary only"},
		{[]string{"-", "-"}, "standard input can be read once"},
		{[]string{"--top", "0", gosec}, "--top must be at least 1"},
		{[]string{"--format", "csv", "--title", "x", gosec}, "--title does not apply to --format csv"},
		{[]string{"--source-root", "no/such/dir", gosec}, "--source-root"},
		{[]string{"no-such.sarif"}, "no-such.sarif"},
		{[]string{"../../../testdata/invalid/corrupt.sarif.gz"}, "corrupt.sarif.gz"},
	} {
		r := clitest.Run(t, Run, clitest.Env{}, c.args...)
		if r.Code != 2 || r.Stdout != "" || !strings.Contains(r.Stderr, c.err) {
			t.Errorf("%v: exit %d, stdout %.100q, stderr %q; want 2 and %q", c.args, r.Code, r.Stdout, r.Stderr, c.err)
		}
	}
}

// The summary: on standard output, coloured only on a terminal without
// NO_COLOR; several logs, and standard input, counted together.
func TestSummary(t *testing.T) {
	t.Parallel()
	plain := clitest.Run(t, Run, clitest.Env{}, gosec, diffLog)
	if plain.Code != 0 || !strings.Contains(plain.Stdout, "23 results in 2 logs\n  15 error, 8 warning\n") || strings.Contains(plain.Stdout, "\x1b[") {
		t.Errorf("exit %d:\n%s%s", plain.Code, plain.Stdout, plain.Stderr)
	}
	if !strings.Contains(plain.Stdout, "Against the baseline: 2 new, 1 updated, 1 unchanged, 1 absent") {
		t.Errorf("no baseline line:\n%s", plain.Stdout)
	}
	tty := clitest.Run(t, Run, clitest.Env{Terminal: true}, gosec)
	if !strings.Contains(tty.Stdout, "\x1b[31m13 error\x1b[0m") {
		t.Errorf("no colour on a terminal:\n%q", tty.Stdout)
	}
	noColor := clitest.Run(t, Run, clitest.Env{Terminal: true, Vars: map[string]string{"NO_COLOR": "1"}}, gosec)
	if strings.Contains(noColor.Stdout, "\x1b[") {
		t.Errorf("colour with NO_COLOR:\n%q", noColor.Stdout)
	}
	data, err := os.ReadFile(gosec)
	if err != nil {
		t.Fatal(err)
	}
	stdin := clitest.Run(t, Run, clitest.Env{Stdin: string(data)}, "-")
	if stdin.Code != 0 || stdin.Stdout != plainOne(t) {
		t.Errorf("from standard input: exit %d\n%s", stdin.Code, stdin.Stderr)
	}
}

func plainOne(t *testing.T) string {
	return clitest.Run(t, Run, clitest.Env{}, gosec).Stdout
}

// -o writes the file (gzip-compressed for .gz) and says what it counted
// on standard error; the Code Quality report says what it left out.
func TestOutputFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"html", "csv", "junit", "codeclimate"} {
		name := filepath.Join(dir, "report."+f)
		r := clitest.Run(t, Run, clitest.Env{}, "--format", f, "-o", name, hostile)
		if r.Code != 0 || r.Stdout != "" || !strings.Contains(r.Stderr, "4 results (1 error, 2 warning, 1 note), 1 suppressed") {
			t.Errorf("%s: exit %d, stdout %.100q, stderr %q", f, r.Code, r.Stdout, r.Stderr)
		}
		if st, err := os.Stat(name); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
		if f == "codeclimate" && !strings.Contains(r.Stderr, "1 absent or suppressed left out of the Code Quality report") {
			t.Errorf("codeclimate: %s", r.Stderr)
		}
	}
	gz := filepath.Join(dir, "report.csv.gz")
	if r := clitest.Run(t, Run, clitest.Env{}, "--format", "csv", "-o", gz, gosec); r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	fh, err := os.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if _, err := gzip.NewReader(fh); err != nil {
		t.Errorf("-o FILE.gz: %v", err)
	}
}

// --source-root: paths relative to it, and the page shows the code.
func TestSourceRoot(t *testing.T) {
	t.Parallel()
	r := clitest.Run(t, Run, clitest.Env{}, "--format", "html", "--source-root", "../../../testdata/report", "--title", "Hostile <b>", hostile)
	if r.Code != 0 || !strings.Contains(r.Stdout, `"src":[1,["const a = 1;","const b = eval(input);","const c = 3;","run(c);"]]`) {
		t.Errorf("exit %d, no source in the page: %s", r.Code, r.Stderr)
	}
	if !strings.Contains(r.Stdout, "<title>Hostile &lt;b&gt;</title>") {
		t.Errorf("the title is not escaped")
	}
}

// The output is checked before any input is read.
func TestOutputCheckedFirst(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "missing", "report.html")
	clitest.CheckOutputFirst(t, Run, clitest.Env{Stdin: "not JSON"}, "--format", "html", "-o", out, "-")
}
