package uploadcmd

import (
	"fmt"
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

// usageError is what a usage error prints on standard error.
func usageError(msg string) string {
	return "sarif-upload: " + msg + "\nRun 'sarif-upload --help' for usage.\n"
}

// check fails the test unless the run exited with code and printed
// exactly stdout and stderr.
func check(t *testing.T, what string, r clitest.Result, code int, stdout, stderr string) {
	t.Helper()
	if r.Code != code || r.Stdout != stdout || r.Stderr != stderr {
		t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", what, r.Code, code, r.Stdout, stdout, r.Stderr, stderr)
	}
}

// limitsFindings is what sarif-upload says of testdata/invalid/github-limits.sarif.
const limitsFindings = td + `invalid/github-limits.sarif:5:15: /runs/0/results/0: github/missing-rule-id: the result has no ruleId (nor a rule reference that resolves to one); GitHub needs it to track the alert
` + td + `invalid/github-limits.sarif:6:118: /runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: warning: github/absolute-uri: artifact URIs are absolute file URIs; GitHub maps them into the repository only under the upload's checkout_uri (give it to check them)
` + td + `invalid/github-limits.sarif:2:75: /runs/0/tool/driver/rules/0/properties/tags: github/too-many-tags: rule "A" has 21 tags; GitHub rejects more than 20
` + td + `invalid/github-limits.sarif:8:3: /runs/1: github/duplicate-category: runs 0 and 1 are one run to GitHub (tool "dup", automationDetails.id "ci/"): GitHub rejects an upload with two runs of one tool (name, fullName, version, semanticVersion, guid) and automationDetails.id; merge them into one run or give them distinct automationDetails.id
sarif-upload: not uploaded: GitHub would reject ` + td + `invalid/github-limits.sarif (findings above)
`

func TestUploadCLI(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL, "GITHUB_SERVER_URL": "https://github.com"}}
	run := func(args ...string) clitest.Result { return clitest.Run(t, Run, env, args...) }
	sha := strings.Repeat("d", 40)
	check(t, "--wait", run("--ref", "refs/heads/main", "--commit", sha, "--wait", "--poll-interval", "10ms", td+"valid/example-gosec.sarif"), 0,
		"uploaded: sarif-1\nstatus: "+f.URL+"/repos/o/r/code-scanning/sarifs/sarif-1\nprocessing: complete\nanalyses: "+f.URL+"/repos/o/r/code-scanning/analyses\n"+
			"code scanning: https://github.com/o/r/security/code-scanning\n", "")
	if len(f.Upload("sarif-1")) == 0 {
		t.Fatal("nothing uploaded")
	}
	f.Final, f.Errors = "failed", []string{"expected artifact location"}
	check(t, "failed processing", run("--ref", "refs/heads/main", "--commit", sha, "--wait", "--poll-interval", "10ms", td+"valid/example-gosec.sarif"), 1,
		"uploaded: sarif-2\nstatus: "+f.URL+"/repos/o/r/code-scanning/sarifs/sarif-2\nprocessing: failed\n", "sarif-upload: GitHub: expected artifact location\n")
	// Refused before sending, as validate and merge refuse it: exit 1.
	before := len(f.Log())
	check(t, "refusal", run("--ref", "refs/heads/main", "--commit", sha, td+"invalid/github-limits.sarif"), 1, "", limitsFindings)
	if len(f.Log()) != before {
		t.Errorf("refusal: %d requests sent", len(f.Log())-before)
	}
	f.Fault("/repos/o/r/code-scanning/sarifs", "500")
	check(t, "server error", run("--ref", "refs/heads/main", "--commit", sha, td+"valid/example-gosec.sarif"), 3, "",
		"sarif-upload: POST "+f.URL+"/repos/o/r/code-scanning/sarifs: 500 Internal Server Error: Server Error (https://docs.github.com/rest/code-scanning)\n")
}

// Standard input is read once (it used to be read twice, the second time
// empty); gzip on standard input is recognised.
func TestUploadStdin(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	for i, file := range []string{"valid/example-gosec.sarif", "valid/example-gosec.sarif.gz"} {
		data, err := os.ReadFile(td + file)
		if err != nil {
			t.Fatal(err)
		}
		env := clitest.Env{Stdin: string(data), Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL,
			"GITHUB_REF": "refs/pull/7/merge", "GITHUB_SHA": strings.Repeat("a", 40)}}
		id := fmt.Sprintf("sarif-%d", i+1)
		check(t, file+" on stdin", clitest.Run(t, Run, env, "-"), 0, "uploaded: "+id+"\nstatus: "+f.URL+"/repos/o/r/code-scanning/sarifs/"+id+"\n"+
			"code scanning: https://"+strings.TrimPrefix(f.URL, "http://")+"/o/r/security/code-scanning\n", "")
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
		{[]string{"--commit", "abc", td + "valid/example-gosec.sarif"}, usageError(`--commit "abc" is not a 40-hex commit SHA`)},
		{[]string{"--ref", "main", td + "valid/example-gosec.sarif"}, usageError(`--ref "main" is not refs/heads/BRANCH, refs/tags/TAG or refs/pull/N/merge`)},
		{[]string{td + "missing.sarif"}, "sarif-upload: " + td + "missing.sarif: open: no such file or directory\n"},
		{[]string{td + "invalid/truncated.sarif"}, "sarif-upload: " + td + "invalid/truncated.sarif:5:39: invalid JSON: unexpected end of input (truncated file?)\n"},
		{[]string{"--poll-interval", "1s", td + "valid/example-gosec.sarif"}, usageError("--poll-interval has no effect without --wait")},
		{[]string{}, usageError("want one FILE (or - for standard input)")},
		{[]string{td + "valid/example-gosec.sarif"}, usageError("no GitHub token: set GH_TOKEN (or GITHUB_TOKEN) to a token with the security_events scope, or log in with `gh auth login`")},
	}
	for _, c := range cases {
		env := noToken
		if strings.Contains(c.err, "token") {
			env = clitest.Env{Programs: git, Vars: map[string]string{"GH_REPO": "o/r"}}
		}
		check(t, strings.Join(c.args, " "), clitest.Run(t, Run, env, c.args...), 2, "", c.err)
	}
	if n := len(f.Log()); n != 1 {
		t.Errorf("%d requests sent, want the one upload", n)
	}
	outside := clitest.Run(t, Run, clitest.Env{Programs: git, Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}},
		"--source-root", "file:///elsewhere", td+"corpus/real/eslint-express-lib.sarif")
	// GitHub keeps URIs outside the checkout as they are and accepts the
	// upload: a warning, and the log is sent.
	check(t, "URIs outside the checkout", outside, 0, "uploaded: sarif-2\nstatus: "+f.URL+"/repos/o/r/code-scanning/sarifs/sarif-2\n"+
		"code scanning: https://"+strings.TrimPrefix(f.URL, "http://")+"/o/r/security/code-scanning\n",
		td+`corpus/real/eslint-express-lib.sarif:138:26: /runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: warning: github/uri-outside-checkout: 377 artifact URIs are absolute file URIs outside the checkout "file:///elsewhere/"; GitHub accepts the upload and keeps them as they are, but cannot show them as repository files (first here)`+"\n")
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
	host := strings.TrimPrefix(f.URL, "http://")
	elsewhere := func(remote, on string) string {
		return usageError(`no repository: the origin remote "` + remote + `" is on ` + on + `, not on the GitHub host in use (` + host +
			`); give --repo OWNER/NAME (or set GH_REPO), and GH_HOST or --api-url for another host`)
	}
	notGitHub := func(remote string) string {
		return usageError(`no repository: the origin remote "` + remote + `" is not the URL of a GitHub repository; give --repo OWNER/NAME (or set GH_REPO)`)
	}
	for origin, want := range map[string]string{
		"https://gitlab.com/foo/bar.git": elsewhere("https://gitlab.com/foo/bar.git", "gitlab.com"),
		"git@gitlab.com:foo/bar.git":     elsewhere("git@gitlab.com:foo/bar.git", "gitlab.com"),
		"ssh://git@gitlab.com/foo/bar":   elsewhere("ssh://gitlab.com/foo/bar", "gitlab.com"),
		"/foo/bar":                       notGitHub("/foo/bar"),
		"../foo/bar":                     elsewhere("../foo/bar", ".."),
		"/home/runner/src/foo/bar":       notGitHub("/home/runner/src/foo/bar"),
		"file:///srv/git/foo/bar.git":    notGitHub("file:///srv/git/foo/bar.git"),
		// The remote's credentials are not shown.
		"https://x-access-token:ghs_leak@gitlab.com/foo/bar.git": elsewhere("https://gitlab.com/foo/bar.git", "gitlab.com"),
	} {
		r := clitest.Run(t, Run, clitest.Env{Vars: vars, Programs: map[string]string{"git remote get-url origin": origin + "\n"}},
			"--api-url", f.URL, td+"valid/example-gosec.sarif")
		check(t, "origin "+origin, r, 2, "", want)
	}
	if log := f.Log(); len(log) != 0 {
		t.Fatalf("requests sent: %q", log)
	}
	// An origin on the host in use: the API's, or GH_HOST.
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
		{"a device", "", "/dev/zero", "/dev/zero: does not begin as a SARIF log: no JSON object (nor gzip) in its first 64 KiB"},
		{"a large file", "", big, big + ": larger than 512 MiB: GitHub takes at most 10 MB of gzip-compressed SARIF"},
		{"blanks on standard input", strings.Repeat(" ", 1<<20), "-", "<stdin>: does not begin as a SARIF log: no JSON object (nor gzip) in its first 64 KiB"},
	}
	for _, c := range cases {
		if _, err := os.Stat(c.file); c.file != "-" && err != nil {
			t.Logf("%s: %v", c.name, err)
			continue
		}
		start := time.Now()
		r := clitest.Run(t, Run, clitest.Env{Stdin: c.stdin, Vars: vars}, c.file)
		if r.Code != 2 || r.Stdout != "" || r.Stderr != "sarif-upload: "+c.err+"\n" || time.Since(start) > 5*time.Second {
			t.Errorf("%s: exit %d after %s: %s", c.name, r.Code, time.Since(start), r.Stderr)
		}
	}
	if log := f.Log(); len(log) != 0 {
		t.Errorf("requests sent: %q", log)
	}
	// A log that begins well but goes on past the cap is cut short.
	endless := io.MultiReader(strings.NewReader(`{"version":"2.1.0","runs":[`), zeros{})
	if _, err := readCapped(endless, "endless.sarif", 1<<20); err == nil || err.Error() != "endless.sarif: larger than 1 MiB: GitHub takes at most 10 MB of gzip-compressed SARIF" {
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
		{td + "missing.sarif", 2, "sarif-upload: " + td + "missing.sarif: open: no such file or directory\n"},
		{pkg, 2, "sarif-upload: " + pkg + `: not a SARIF log: a JSON object without "runs"` + "\n"},
		{td + "invalid/github-limits.sarif", 1, limitsFindings},
	}
	for _, c := range cases {
		check(t, c.file, clitest.Run(t, Run, clitest.Env{}, c.file), c.code, "", c.want)
	}
	// A valid log then needs the ref and commit.
	check(t, "valid log, no ref", clitest.Run(t, Run, clitest.Env{}, td+"valid/example-gosec.sarif"), 2, "",
		usageError("give --ref and --commit (or set GITHUB_REF and GITHUB_SHA): the current directory is not a git checkout"))
}
