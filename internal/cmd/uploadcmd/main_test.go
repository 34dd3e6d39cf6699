package uploadcmd

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

const td = "../../../testdata/"

func TestUploadCLI(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL, "GITHUB_SERVER_URL": "https://github.com"}}
	run := func(args ...string) (int, string, string) {
		r := clitest.Run(t, Run, env, args...)
		return r.Code, r.Stdout, r.Stderr
	}
	sha := strings.Repeat("d", 40)
	code, stdout, stderr := run("--ref", "refs/heads/main", "--commit", sha, "--wait", "--poll-interval", "10ms", td+"valid/example-gosec.sarif")
	if code != 0 || !strings.Contains(stdout, "uploaded: sarif-1\nstatus: "+f.URL+"/repos/o/r/code-scanning/sarifs/sarif-1\n") ||
		!strings.Contains(stdout, "processing: complete\nanalyses: ") || !strings.Contains(stdout, "code scanning: https://github.com/o/r/security/code-scanning") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if len(f.Upload("sarif-1")) == 0 {
		t.Fatal("nothing uploaded")
	}
	f.Final, f.Errors = "failed", []string{"expected artifact location"}
	code, _, stderr = run("--ref", "refs/heads/main", "--commit", sha, "--wait", "--poll-interval", "10ms", td+"valid/example-gosec.sarif")
	if code != 1 || !strings.Contains(stderr, "GitHub: expected artifact location") {
		t.Errorf("failed processing: exit %d: %s", code, stderr)
	}
	// Refused before sending, as validate and merge refuse it: exit 1.
	before := len(f.Log())
	code, _, stderr = run("--ref", "refs/heads/main", "--commit", sha, td+"invalid/github-limits.sarif")
	if code != 1 || !strings.Contains(stderr, "github/duplicate-category") || !strings.Contains(stderr, "not uploaded") || len(f.Log()) != before {
		t.Errorf("refusal: exit %d: %s", code, stderr)
	}
	f.Fault("/repos/o/r/code-scanning/sarifs", "500")
	if code, _, stderr := run("--ref", "refs/heads/main", "--commit", sha, td+"valid/example-gosec.sarif"); code != 3 || !strings.Contains(stderr, "500") {
		t.Errorf("server error: exit %d: %s", code, stderr)
	}
}

// Standard input is read once (it used to be read twice, the second time
// empty); gzip on standard input is recognised.
func TestUploadStdin(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	for _, file := range []string{"valid/example-gosec.sarif", "valid/example-gosec.sarif.gz"} {
		data, err := os.ReadFile(td + file)
		if err != nil {
			t.Fatal(err)
		}
		env := clitest.Env{Stdin: string(data), Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL,
			"GITHUB_REF": "refs/pull/7/merge", "GITHUB_SHA": strings.Repeat("a", 40)}}
		r := clitest.Run(t, Run, env, "-")
		if r.Code != 0 || !strings.Contains(r.Stdout, "uploaded: ") {
			t.Errorf("%s on stdin: exit %d: %s %s", file, r.Code, r.Stdout, r.Stderr)
		}
	}
}

// --ref and --commit come from GITHUB_REF and GITHUB_SHA, else the
// checkout; what needs no network is checked before the token is looked
// up, and nothing is sent.
func TestUploadRefCommitAndChecks(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	sha := strings.Repeat("e", 40)
	git := map[string]string{"git rev-parse HEAD": sha + "\n", "git symbolic-ref -q HEAD": "refs/heads/feature\n"}
	r := clitest.Run(t, Run, clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}, Programs: git}, td+"valid/example-gosec.sarif")
	if r.Code != 0 {
		t.Fatalf("from the checkout: exit %d: %s", r.Code, r.Stderr)
	}
	if log := f.Log(); len(log) != 1 || !strings.HasPrefix(log[0], "POST /repos/o/r/code-scanning/sarifs") {
		t.Errorf("requests %q", log)
	}
	noToken := clitest.Env{Programs: git}
	cases := []struct {
		args []string
		err  string
	}{
		{[]string{"--commit", "abc", td + "valid/example-gosec.sarif"}, `--commit "abc" is not a 40-hex commit SHA`},
		{[]string{"--ref", "main", td + "valid/example-gosec.sarif"}, `--ref "main" is not refs/heads/BRANCH`},
		{[]string{td + "missing.sarif"}, "missing.sarif: open: no such file or directory"},
		{[]string{td + "invalid/truncated.sarif"}, "truncated.sarif:5:39: invalid JSON"},
		{[]string{"--poll-interval", "1s", td + "valid/example-gosec.sarif"}, "--poll-interval has no effect without --wait"},
		{[]string{}, "want one FILE"},
		{[]string{td + "valid/example-gosec.sarif"}, "no GitHub token"},
	}
	for _, c := range cases {
		env := noToken
		if strings.Contains(c.err, "token") {
			env = clitest.Env{Programs: git, Vars: map[string]string{"GH_REPO": "o/r"}}
		}
		r := clitest.Run(t, Run, env, c.args...)
		if r.Code != 2 || !strings.Contains(r.Stderr, c.err) {
			t.Errorf("%v: exit %d: %s, want 2 and %q", c.args, r.Code, r.Stderr, c.err)
		}
	}
	if n := len(f.Log()); n != 1 {
		t.Errorf("%d requests sent, want the one upload", n)
	}
	outside := clitest.Run(t, Run, clitest.Env{Programs: git, Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}},
		"--source-root", "file:///elsewhere", td+"corpus/real/eslint-express-lib.sarif")
	// GitHub keeps URIs outside the checkout as they are and accepts the
	// upload: a warning, and the log is sent.
	if outside.Code != 0 || !strings.Contains(outside.Stderr, "warning: github/uri-outside-checkout") {
		t.Errorf("URIs outside the checkout: exit %d: %s", outside.Code, outside.Stderr)
	}
	inside := clitest.Run(t, Run, clitest.Env{Programs: git, Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}},
		"--source-root", "file:///src/express", td+"corpus/real/eslint-express-lib.sarif")
	if inside.Code != 0 {
		t.Errorf("URIs inside the checkout: exit %d: %s", inside.Code, inside.Stderr)
	}
}

// The repository comes from the checkout's origin remote only when the
// remote is on the GitHub host in use: a checkout's remote never decides
// where the token goes.
func TestUploadOriginOnAnotherHost(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	vars := map[string]string{"GH_TOKEN": f.Token, "GITHUB_REF": "refs/heads/main", "GITHUB_SHA": strings.Repeat("a", 40)}
	for _, origin := range []string{"https://gitlab.com/foo/bar.git", "git@gitlab.com:foo/bar.git", "ssh://git@gitlab.com/foo/bar",
		"/foo/bar", "../foo/bar", "/home/runner/src/foo/bar", "file:///srv/git/foo/bar.git", "https://x-access-token:ghs_leak@gitlab.com/foo/bar.git"} {
		r := clitest.Run(t, Run, clitest.Env{Vars: vars, Programs: map[string]string{"git remote get-url origin": origin + "\n"}},
			"--api-url", f.URL, td+"valid/example-gosec.sarif")
		if r.Code != 2 || !strings.Contains(r.Stderr, "--repo") || strings.Contains(r.Stderr, "ghs_leak") {
			t.Errorf("origin %s: exit %d: %s", origin, r.Code, r.Stderr)
		}
	}
	if log := f.Log(); len(log) != 0 {
		t.Fatalf("requests sent: %q", log)
	}
	// An origin on the host in use: the API's, or GH_HOST.
	host := strings.TrimPrefix(f.URL, "http://")
	for _, c := range []struct{ origin, ghHost string }{{"http://" + host + "/o/r.git", ""}, {"git@github.com:o/r.git", "github.com"}, {"https://github.com/o/r", "github.com"}} {
		v := map[string]string{"GH_HOST": c.ghHost}
		for k, x := range vars {
			v[k] = x
		}
		r := clitest.Run(t, Run, clitest.Env{Vars: v, Programs: map[string]string{"git remote get-url origin": c.origin + "\n"}},
			"--api-url", f.URL, td+"valid/example-gosec.sarif")
		if r.Code != 0 {
			t.Errorf("origin %s (GH_HOST %q): exit %d: %s", c.origin, c.ghHost, r.Code, r.Stderr)
		}
	}
}

// The log is read through a cap, before anything is sent: a device that
// never ends, a file larger than GitHub could take and a stream of blanks
// are refused early (exit 2, naming the file).
func TestUploadInputBounded(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	vars := map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL,
		"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": strings.Repeat("a", 40)}
	big := filepath.Join(t.TempDir(), "big.sarif")
	if err := os.WriteFile(big, []byte(`{"version":"2.1.0","runs":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, maxInput+1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	cases := []struct {
		name, stdin, file, err string
	}{
		{"a device", "", "/dev/zero", "/dev/zero: does not begin as a SARIF log"},
		{"a large file", "", big, "big.sarif: larger than 512 MiB"},
		{"blanks on standard input", strings.Repeat(" ", 1<<20), "-", "<stdin>: does not begin as a SARIF log"},
	}
	for _, c := range cases {
		if _, err := os.Stat(c.file); c.file != "-" && err != nil {
			t.Logf("%s: %v", c.name, err)
			continue
		}
		start := time.Now()
		r := clitest.Run(t, Run, clitest.Env{Stdin: c.stdin, Vars: vars}, c.file)
		if r.Code != 2 || !strings.Contains(r.Stderr, c.err) || time.Since(start) > 5*time.Second {
			t.Errorf("%s: exit %d after %s: %s", c.name, r.Code, time.Since(start), r.Stderr)
		}
	}
	if log := f.Log(); len(log) != 0 {
		t.Errorf("requests sent: %q", log)
	}
	// A log that begins well but goes on past the cap is cut short.
	endless := io.MultiReader(strings.NewReader(`{"version":"2.1.0","runs":[`), zeros{})
	if _, err := readCapped(endless, "endless.sarif", 1<<20); err == nil || !strings.Contains(err.Error(), "endless.sarif: larger than 1 MiB") {
		t.Errorf("an endless log: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// The file and GitHub's verdict on it come before the ref, the commit and
// the token are asked for: with none of them at hand (no environment, no
// checkout), a missing file, JSON that is no SARIF log (exit 2, unreadable
// input, as in every command) and a log GitHub would reject (exit 1) are
// said as such. (Before: "give --ref and --commit" hid all three, and a
// package.json was "GitHub would reject", exit 1.)
func TestUploadFileCheckedFirst(t *testing.T) {
	t.Parallel()
	pkg := filepath.Join(t.TempDir(), "package.json")
	if err := os.WriteFile(pkg, []byte(`{"name":"app","version":"1.0.0","dependencies":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file string
		code int
		want string
	}{
		{td + "missing.sarif", 2, "missing.sarif: open: no such file or directory"},
		{pkg, 2, `package.json: not a SARIF log: a JSON object without "runs"`},
		{td + "invalid/github-limits.sarif", 1, "not uploaded: GitHub would reject"},
	}
	for _, c := range cases {
		r := clitest.Run(t, Run, clitest.Env{}, c.file)
		if r.Code != c.code || !strings.Contains(r.Stderr, c.want) || strings.Contains(r.Stderr, "--ref") || strings.Contains(r.Stderr, "token") {
			t.Errorf("%s: exit %d: %s; want %d and %q", c.file, r.Code, r.Stderr, c.code, c.want)
		}
	}
	// A valid log then needs the ref and commit.
	if r := clitest.Run(t, Run, clitest.Env{}, td+"valid/example-gosec.sarif"); r.Code != 2 || !strings.Contains(r.Stderr, "give --ref and --commit") {
		t.Errorf("valid log, no ref: exit %d: %s", r.Code, r.Stderr)
	}
}
