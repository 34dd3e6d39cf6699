package reportcmd

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
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
	const help = "Run 'sarif-report --help' for usage.\n"
	for _, c := range []struct {
		args   []string
		stderr string
	}{
		{[]string{}, "sarif-report: no FILE given (use - for standard input)\n" + help},
		{[]string{"--format", "pdf", gosec}, "sarif-report: --format must be summary, html, csv, junit, codeclimate or gitlab-sast, not \"pdf\"\n" + help},
		{[]string{"--format", "csv", "--top", "5", gosec}, "sarif-report: --top applies to --format summary only\n" + help},
		{[]string{"-", "-"}, "sarif-report: standard input can be read once: give - once\n" + help},
		{[]string{"--top", "0", gosec}, "sarif-report: --top must be at least 1, not 0\n" + help},
		{[]string{"--format", "csv", "--title", "x", gosec}, "sarif-report: --title does not apply to --format csv, which has no title\n" + help},
		{[]string{"--source-root", "no/such/dir", gosec}, "sarif-report: --source-root: no/such/dir does not exist\n" + help},
		{[]string{"no-such.sarif"}, "sarif-report: no-such.sarif: open: no such file or directory\n"},
		{[]string{"../../../testdata/invalid/corrupt.sarif.gz"}, "sarif-report: ../../../testdata/invalid/corrupt.sarif.gz: not a valid gzip stream: gzip: invalid header\n"},
	} {
		r := clitest.Run(t, Run, clitest.Env{}, c.args...)
		if r.Code != 2 || r.Stdout != "" || r.Stderr != c.stderr {
			t.Errorf("%v: exit %d, stdout %.100q, stderr %q; want 2 and %q", c.args, r.Code, r.Stdout, r.Stderr, c.stderr)
		}
	}
}

// The summary of gosec's log and a comparison's, checked by hand against
// the logs: gosec's 19 results (13 error, 6 warning) and the comparison's
// 4 current ones (2 error, 2 warning), its G104 twice, G101 and G204 once.
const gosecAndDiff = `SARIF report
23 results in 2 logs
  15 error, 8 warning
Against the baseline: 2 new, 1 updated, 1 unchanged, 1 absent

By tool
  tool   results  error  warning  note
  gosec       23     15        8     0

By rule
  rule  results  error  warning  note  tool
  G103        4      0        4     0  gosec
  G104        4      0        4     0  gosec
  G114        4      4        0     0  gosec
  G115        4      4        0     0  gosec
  G120        2      2        0     0  gosec
  G304        2      2        0     0  gosec
  G101        1      1        0     0  gosec
  G124        1      1        0     0  gosec
  G204        1      1        0     0  gosec

By file
  file                                  results  error  warning  note
  context.go                                  4      3        1     0
  gin.go                                      4      4        0     0
  internal/bytesconv/bytesconv_1.20.go        4      0        4     0
  tree.go                                     3      3        0     0
  binding/form.go                             2      2        0     0
  cmd/server/main.go                          2      0        2     0
  internal/config/config.go                   1      1        0     0
  internal/exec/run.go                        1      1        0     0
  recovery.go                                 1      1        0     0
  routergroup.go                              1      0        1     0
`

// ansi matches the colours of the summary.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// The summary: on standard output, coloured only on a terminal without
// NO_COLOR; several logs, and standard input, counted together.
func TestSummary(t *testing.T) {
	t.Parallel()
	plain := clitest.Run(t, Run, clitest.Env{}, gosec, diffLog)
	if plain.Code != 0 || plain.Stdout != gosecAndDiff || plain.Stderr != "" {
		t.Errorf("exit %d:\n%s%s", plain.Code, plain.Stdout, plain.Stderr)
	}
	one := plainOne(t)
	tty := clitest.Run(t, Run, clitest.Env{Terminal: true}, gosec)
	if !strings.Contains(tty.Stdout, "\x1b[31m13 error\x1b[0m") || ansi.ReplaceAllString(tty.Stdout, "") != one {
		t.Errorf("on a terminal, not the summary coloured:\n%q", tty.Stdout)
	}
	noColor := clitest.Run(t, Run, clitest.Env{Terminal: true, Vars: map[string]string{"NO_COLOR": "1"}}, gosec)
	if noColor.Stdout != one {
		t.Errorf("colour with NO_COLOR:\n%q", noColor.Stdout)
	}
	data, err := os.ReadFile(gosec)
	if err != nil {
		t.Fatal(err)
	}
	stdin := clitest.Run(t, Run, clitest.Env{Stdin: string(data)}, "-")
	if stdin.Code != 0 || stdin.Stdout != one {
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
	const counts = "sarif-report: 4 results (1 error, 2 warning, 1 note), 1 suppressed"
	for _, f := range []string{"html", "csv", "junit", "codeclimate", "gitlab-sast"} {
		name := filepath.Join(dir, "report."+f)
		r := clitest.Run(t, Run, clitest.Env{Vars: map[string]string{"SOURCE_DATE_EPOCH": "1767323045"}}, "--format", f, "-o", name, hostile)
		want := counts + "\n"
		switch f {
		case "codeclimate":
			want = counts + "; 1 absent or suppressed left out of the Code Quality report\n"
		case "gitlab-sast":
			want = counts + "; 1 absent or suppressed left out of the SAST report; 1 without a file (their location is empty); 1 with a file not under the checkout, such as ../../etc/passwd (absolute, ../ or not a file: URI: give --source-root, the checkout's path where the tool ran, e.g. file:///src/app/)\n"
		}
		if r.Code != 0 || r.Stdout != "" || r.Stderr != want {
			t.Errorf("%s: exit %d, stdout %.100q, stderr %q, want %q", f, r.Code, r.Stdout, r.Stderr, want)
		}
		// The file holds what standard output gets.
		got, err := os.ReadFile(name)
		if out := clitest.Run(t, Run, clitest.Env{Vars: map[string]string{"SOURCE_DATE_EPOCH": "1767323045"}}, "--format", f, hostile); err != nil || string(got) != out.Stdout || out.Stderr != want {
			t.Errorf("%s: the file is not the report on standard output (%v)", f, err)
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
	zr, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatalf("-o FILE.gz: %v", err)
	}
	got, err := io.ReadAll(zr)
	if want := clitest.Run(t, Run, clitest.Env{}, "--format", "csv", gosec).Stdout; err != nil || string(got) != want {
		t.Errorf("-o FILE.gz: not the report compressed (%v)", err)
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
