package mergecmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/sariftest"

	"github.com/sarifkit/sarifkit/sarif"
)

func runCLI(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	r := clitest.Run(t, Run, clitest.Env{}, args...)
	return r.Code, r.Stdout, r.Stderr
}

const td = "../../../testdata/"

func TestMergeCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "out.sarif.gz")
	// example-gosec's gosec gives a semanticVersion, head's none: two runs
	// to GitHub, kept apart with their results (before: combined, the two
	// results they share folded).
	code, _, stderr := runCLI(t, "--gzip", "--category-from-tool", "--check-github", "-o", out,
		td+"valid/example-gosec.sarif", td+"diff/head.sarif", td+"valid/minimal.sarif")
	if code != 0 || stderr != "sarif-merge: 3 inputs, 3 runs in, 3 out, 6 results in, 6 out, 0 identical results folded\n" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil {
		t.Fatalf("gzip output: %v", err)
	}
	if got := l.Runs[0].Category(); got != "gosec" {
		t.Errorf("category %q", got)
	}

	// Directories with --recursive: *.sarif files at any depth, nothing else.
	tree := filepath.Join(dir, "tree")
	for name, from := range map[string]string{"a/base.sarif": "diff/base.sarif", "a/b/head.sarif": "diff/head.sarif", "a/notes.txt": "diff/head.sarif"} {
		data, err := os.ReadFile(td + from)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(tree, name)), 0o755)
		if err := os.WriteFile(filepath.Join(tree, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr = runCLI(t, "-r", "--keep-duplicates", "-o", filepath.Join(dir, "d.sarif"), tree)
	if code != 0 || stderr != "sarif-merge: 2 inputs, 2 runs in, 1 out, 7 results in, 7 out, 0 identical results folded\n" {
		t.Errorf("recursive: exit %d: %s", code, stderr)
	}
	if code, _, stderr = runCLI(t, "-o", filepath.Join(dir, "x.sarif"), tree); code != 2 ||
		stderr != "sarif-merge: "+tree+" is a directory; use --recursive to search it\nRun 'sarif-merge --help' for usage.\n" {
		t.Errorf("directory without -r: exit %d %s", code, stderr)
	}

	// GitHub would reject it: exit 1, with the reasons; the merged log is
	// still written, for the user to inspect, and the summary says so (a
	// failed check is not a failed Run, which leaves the file as it was).
	rejected := filepath.Join(dir, "g.sarif")
	code, _, stderr = runCLI(t, "--check-github", "-o", rejected, td+"invalid/github-limits.sarif")
	want := rejected + ":/runs/0/results/0: github/missing-rule-id: the result has no ruleId (nor a rule reference that resolves to one); GitHub needs it to track the alert\n" +
		rejected + ":/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: warning: github/absolute-uri: artifact URIs are absolute file URIs; GitHub maps them into the repository only under the upload's checkout_uri (give it to check them)\n" +
		rejected + ":/runs/0/tool/driver/rules/0/properties/tags: github/too-many-tags: rule \"A\" has 21 tags; GitHub rejects more than 20\n" +
		"sarif-merge: 1 inputs, 2 runs in, 1 out, 3 results in, 3 out, 0 identical results folded\n" +
		"sarif-merge: GitHub would reject the output, written to " + rejected + " for inspection (see above)\n"
	if code != 1 || stderr != want {
		t.Errorf("check-github: exit %d: %s", code, stderr)
	}
	if l, err := sarif.ReadFile(t.Context(), rejected, nil); err != nil || len(l.Runs) == 0 {
		t.Errorf("the merged log GitHub would reject: %v", err)
	}

	// Bad input: exit 2 and no output file.
	bad := filepath.Join(dir, "bad.sarif")
	if code, _, stderr = runCLI(t, "-o", bad, td+"valid/minimal.sarif", td+"invalid/truncated.sarif"); code != 2 ||
		stderr != "sarif-merge: "+td+"invalid/truncated.sarif:5:39: invalid JSON: unexpected end of input (truncated file?)\n" {
		t.Errorf("truncated input: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("an output file was written for a failed merge")
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"-o", "x"}, "no INPUT given"},
		{[]string{"--fingerprint", "-o", "x", "y"}, "--fingerprint has no effect without --source-root"},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
	} {
		if code, stdout, stderr := runCLI(t, c.args...); code != 2 || stdout != "" || stderr != "sarif-merge: "+c.err+"\nRun 'sarif-merge --help' for usage.\n" {
			t.Errorf("%v: exit %d, stderr %q; want 2, %q", c.args, code, stderr, c.err)
		}
	}
	if code, stdout, _ := runCLI(t, "--version"); code != 0 || !strings.HasPrefix(stdout, "sarif-merge ") {
		t.Errorf("--version: %d %q", code, stdout)
	}
}

func TestFingerprintFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "internal", "config"), 0o755)
	os.WriteFile(filepath.Join(dir, "internal", "config", "config.go"), []byte("package config\n\n\n\n\n\n\n\n\n\n\n\tconst apiToken = \"hunter2\"\n"), 0o644)
	out := filepath.Join(dir, "out.sarif")
	code, _, stderr := runCLI(t, "--fingerprint", "--source-root", dir, "-o", out, td+"valid/example-gosec.sarif")
	if code != 0 || stderr != "sarif-merge: 1 inputs, 1 runs in, 1 out, 2 results in, 2 out, 0 identical results folded; 0 URIs rebased; 1 fingerprints added, 1 files not found\n" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, _ := sarif.ReadFile(context.Background(), out, nil)
	got := sariftest.Results(t, l.Runs[0])[0].PartialFingerprints["primaryLocationLineHash"]
	want := sarif.LineHashes([]byte("package config\n\n\n\n\n\n\n\n\n\n\n\tconst apiToken = \"hunter2\"\n"))[11]
	if got != want {
		t.Errorf("hash %v, want %v", got, want)
	}
}

// A result whose file is outside the checkout gets no hash (GitHub's
// upload action would read the file there), and the summary says so.
func TestFingerprintOutsideCheckout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	co := filepath.Join(dir, "co")
	os.MkdirAll(co, 0o755)
	os.WriteFile(filepath.Join(dir, "outside.go"), []byte("package outside\n"), 0o644)
	in := filepath.Join(dir, "in.sarif")
	os.WriteFile(in, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	 {"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"../outside.go"},"region":{"startLine":1}}}]}]}]}`), 0o644)
	out := filepath.Join(dir, "out.sarif")
	code, _, stderr := runCLI(t, "--fingerprint", "--source-root", co, "-o", out, in)
	if code != 0 || stderr != "sarif-merge: 1 inputs, 1 runs in, 1 out, 1 results in, 1 out, 0 identical results folded; 0 URIs rebased; 0 fingerprints added, 0 files not found, 1 results whose file is outside the checkout (not read)\n" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l, _ := sarif.ReadFile(context.Background(), out, nil)
	if pf := sariftest.Results(t, l.Runs[0])[0].PartialFingerprints; pf != nil {
		t.Errorf("fingerprints %v for a file outside the checkout", pf)
	}
}

// Output conventions: standard output by default, gzip by the file's
// name, never gzip to a terminal, clear errors for impossible targets.
func TestMergeOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := td + "valid/example-gosec.sarif"
	r := clitest.Run(t, Run, clitest.Env{}, in)
	summary := "sarif-merge: 1 inputs, 1 runs in, 1 out, 2 results in, 2 out, 0 identical results folded\n"
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, `{"$schema"`) || r.Stderr != summary {
		t.Errorf("to standard output: exit %d, stdout %.40q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	gz := filepath.Join(dir, "out.sarif.gz")
	if r := clitest.Run(t, Run, clitest.Env{}, "-o", gz, in); r.Code != 0 {
		t.Fatalf("-o %s: %s", gz, r.Stderr)
	}
	if data, _ := os.ReadFile(gz); len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Error("-o FILE.gz did not write gzip")
	}
	r = clitest.Run(t, Run, clitest.Env{}, "--gzip", "-o", filepath.Join(dir, "plain.sarif"), in)
	if r.Code != 0 || r.Stderr != "sarif-merge: warning: --gzip writes gzip-compressed data to "+filepath.Join(dir, "plain.sarif")+", whose name does not end in .gz\n"+summary {
		t.Errorf("--gzip to a .sarif name: %d %s", r.Code, r.Stderr)
	}
	r = clitest.Run(t, Run, clitest.Env{Terminal: true}, "--gzip", in)
	if r.Code != 2 || r.Stdout != "" || r.Stderr != "sarif-merge: refusing to write gzip-compressed data to a terminal: give -o FILE.gz, or redirect standard output\n" {
		t.Errorf("gzip to a terminal: %d %q %s", r.Code, r.Stdout, r.Stderr)
	}
	if r := clitest.Run(t, Run, clitest.Env{}, "--gzip", in); r.Code != 0 || !strings.HasPrefix(r.Stdout, "\x1f\x8b") {
		t.Errorf("gzip to a pipe: %d %s", r.Code, r.Stderr)
	}
	for target, want := range map[string]string{
		dir:                                      "writing " + dir + ": it is a directory",
		filepath.Join(dir, "nodir", "out.sarif"): "writing " + filepath.Join(dir, "nodir", "out.sarif") + ": directory " + filepath.Join(dir, "nodir") + " does not exist",
	} {
		r := clitest.Run(t, Run, clitest.Env{}, "-o", target, in)
		if r.Code != 2 || r.Stderr != "sarif-merge: "+want+"\n" {
			t.Errorf("-o %s: %d %s", target, r.Code, r.Stderr)
		}
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--source-root", filepath.Join(dir, "missing"), in}, "--source-root: " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"--fingerprint", "--source-root", "file:///nowhere/here", in}, "--source-root: --fingerprint needs the checkout's files, and file:///nowhere/here is no local directory"},
		{[]string{"--uri-base-id", "SRC", in}, "--uri-base-id has no effect without --source-root"},
		{[]string{"--force", in}, "--force has no effect without --category"},
	} {
		r := clitest.Run(t, Run, clitest.Env{}, c.args...)
		if r.Code != 2 || r.Stdout != "" || r.Stderr != "sarif-merge: "+c.err+"\nRun 'sarif-merge --help' for usage.\n" {
			t.Errorf("%v: %d %s", c.args, r.Code, r.Stderr)
		}
	}
	// --category on a run that has another one, unless --force.
	cat := filepath.Join(dir, "cat.sarif")
	os.WriteFile(cat, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"automationDetails":{"id":"mine/"},"results":[]}]}`), 0o644)
	if r := clitest.Run(t, Run, clitest.Env{}, "--category", "other", cat); r.Code != 2 || r.Stderr != `sarif-merge: --category: `+cat+`: the run of t has category "mine" already, not "other" (give --force to replace it)`+"\n" {
		t.Errorf("--category on a categorised run: %d %s", r.Code, r.Stderr)
	}
	if r := clitest.Run(t, Run, clitest.Env{}, "--category", "other", "--force", cat); r.Code != 0 || !strings.Contains(r.Stdout, `"automationDetails":{"id":"other/"}`) ||
		r.Stderr != "sarif-merge: 1 inputs, 1 runs in, 1 out, 0 results in, 0 out, 0 identical results folded\n" {
		t.Errorf("--category --force: %d %s", r.Code, r.Stderr)
	}
}

// Bytes that are not UTF-8 are replaced to go on, and the user is told
// how many and where the first was (before: replaced without a word).
func TestMergeSaysInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"invalid/invalid-utf8-message.sarif", "invalid/invalid-utf8-message.sarif.gz"} {
		r := clitest.Run(t, Run, clitest.Env{}, td+f)
		want := "sarif-merge: warning: " + td + f + ":7:62: not valid UTF-8: replaced 2 byte(s) with U+FFFD, the first here\n" +
			"sarif-merge: 1 inputs, 1 runs in, 1 out, 2 results in, 2 out, 0 identical results folded\n"
		if r.Code != 0 || r.Stderr != want || !strings.Contains(r.Stdout, "\ufffd") {
			t.Errorf("%s: exit %d, stderr %q", f, r.Code, r.Stderr)
		}
	}
}

// The output is checked before any input is read: a missing directory
// is reported at once, not after the whole merge.
func TestOutputCheckedFirst(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "missing", "out.sarif")
	clitest.CheckOutputFirst(t, Run, clitest.Env{Stdin: "not JSON"}, "-o", out, "-")
}
