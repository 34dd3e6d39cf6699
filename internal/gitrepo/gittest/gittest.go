// Package gittest makes git repositories in temporary directories for
// tests of the code that reads them (package gitrepo, the line map of two
// revisions, the commands' --git). It runs the git command found on PATH,
// with no system configuration and a home of its own, so that the
// machine's settings do not change what git prints.
//
// The package imports nothing of sarifkit's.
package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A Repo is a git repository in a temporary directory, with a work tree
// at Dir and one branch, main.
type Repo struct {
	T   testing.TB
	Dir string
}

// New makes an empty repository; it skips the test when git is not
// installed.
func New(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the git reader cannot be tested here")
	}
	r := &Repo{T: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	r.Git("config", "user.email", "t@example.com")
	r.Git("config", "user.name", "t")
	r.Git("config", "commit.gpgsign", "false")
	return r
}

// Git runs git in the repository and returns its output, trimmed; it
// fails the test when git fails.
func (r *Repo) Git(args ...string) string {
	r.T.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.Dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.Dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.T.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write writes a file of the work tree (a slash-separated path),
// making its directories.
func (r *Repo) Write(name, content string) {
	r.T.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.T.Fatal(err)
	}
}

// Commit commits the whole work tree and returns the commit's id.
func (r *Repo) Commit(msg string) string {
	r.T.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}
