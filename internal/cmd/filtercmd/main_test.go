package filtercmd

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

const td = "../../../testdata/"

func TestConventions(t *testing.T) {
	t.Parallel()
	clitest.CheckConventions(t, Run, Name)
}

func TestReadLimits(t *testing.T) {
	t.Parallel()
	clitest.CheckReadLimits(t, Run, "LOG")
}

// A -p value with line breaks is one pattern a line, split at "\n" and
// "\r\n" as filter-sarif's action splits its multi-line input; empty
// lines are skipped.
func TestMultiLinePattern(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"-test/**\n-src/**\n", "-test/**\r\n\r\n-src/**"} {
		r := clitest.Run(t, Run, clitest.Env{}, "-p", v, td+"filter/selectors.sarif")
		want := "sarif-filter: 10 results: 3 kept, 7 dropped (patterns 7)\n"
		if r.Code != 0 || r.Stderr != want {
			t.Errorf("%q: exit %d: %s", v, r.Code, r.Stderr)
		}
	}
	// A lone "\r" is no line break: it stays in the glob, which then
	// matches no file.
	r := clitest.Run(t, Run, clitest.Env{}, "-p", "-test/*\r-src/*", td+"filter/selectors.sarif")
	if r.Code != 0 || !strings.HasSuffix(r.Stderr, " 0 dropped\n") {
		t.Errorf("exit %d: %s", r.Code, r.Stderr)
	}
}

// What the log says never reaches standard error as structure: hostile
// names and URIs only appear escaped in the summary, which quotes none.
func TestHostileLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	log := clitest.HostileLog(t, dir, "hostile.sarif", clitest.HostileText("tool"))
	out := filepath.Join(dir, "out.sarif")
	r := clitest.Run(t, Run, clitest.Env{}, "--resolve-uris", "-p", "-**/x/**", "--min-level", "note", "-o", out, log)
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	clitest.CheckText(t, "stderr", r.Stderr, clitest.TextRules{})
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}

// A patterns file or a diff is read up to a cap, then refused.
func TestCapReader(t *testing.T) {
	data, err := io.ReadAll(&capReader{r: strings.NewReader(strings.Repeat("x", 3<<20)), max: 2 << 20})
	if err == nil || err.Error() != "over 2 MiB" || len(data) < 2<<20 {
		t.Errorf("%d bytes, %v", len(data), err)
	}
	data, err = io.ReadAll(&capReader{r: strings.NewReader(strings.Repeat("x", 2<<20)), max: 2 << 20})
	if err != nil || len(data) != 2<<20 {
		t.Errorf("exactly the cap: %d bytes, %v", len(data), err)
	}
}

// The output is checked before any input is read.
func TestOutputCheckedFirst(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "missing", "out.sarif")
	clitest.CheckOutputFirst(t, Run, clitest.Env{Stdin: "not JSON"}, "-o", out, "-")
}

// A log with a duplicate member name is refused, naming the file and the
// pointer.
func TestDuplicateNameRefused(t *testing.T) {
	t.Parallel()
	name := clitest.DuplicateNameLog(t, t.TempDir())
	clitest.CheckDuplicateNameRefused(t, clitest.Run(t, Run, clitest.Env{}, name), name)
}

// Results whose members the selectors read have the wrong type: they are
// read as absent, once said per kind of problem.
func TestWrongTypesSaid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := clitest.WrongTypesLog(t, dir)
	r := clitest.Run(t, Run, clitest.Env{}, "--min-level", "note", "-p", "-nothing/**", "-o", filepath.Join(dir, "out.sarif"), name)
	clitest.CheckWarnedOnce(t, r,
		name+": /runs/0/results/1/level: not a string but an object (and 41 more results); read as absent: the rule's level, else warning",
		"sarif-filter: 44 results: 44 kept, 0 dropped")
}

// A --state value is ours to read: a line break is no separator, so
// "new\nfixed" is one value, and not a state.
func TestStateLineBreak(t *testing.T) {
	t.Parallel()
	r := clitest.Run(t, Run, clitest.Env{}, "--state", "new\nfixed", td+"filter/selectors.sarif")
	want := `sarif-filter: --state must be new, unchanged, updated or absent, not "new\nfixed"` + "\n"
	if r.Code != 2 || r.Stderr != want {
		t.Errorf("exit %d: %q", r.Code, r.Stderr)
	}
}
