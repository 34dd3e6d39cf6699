//go:build unix

package diffcmd

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// Both source roots are boundaries: line hashes and the line map come
// from files inside them only; /dev/zero, a FIFO and a file over the
// cap do not stop the comparison; each root's refusals are said once.
func TestSourceRootsConfined(t *testing.T) {
	t.Parallel()
	base, head := clitest.HostileCheckout(t), clitest.HostileCheckout(t)
	paths := append(base.Inside, base.Refused()...)
	out := filepath.Join(t.TempDir(), "out.sarif")
	r := clitest.RunWithin(t, 30*time.Second, Run, clitest.Env{}, "--format", "sarif", "-o", out,
		"--base-source-root", base.Dir, "--head-source-root", head.Dir, clitest.Log(t, paths...), clitest.Log(t, paths...))
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	for _, flag := range []string{"--base-source-root", "--head-source-root"} {
		if !strings.Contains(r.Stderr, "sarif-diff: warning: "+flag+": "+base.Summary()+"\n") {
			t.Errorf("stderr does not say %s: %s:\n%s", flag, base.Summary(), r.Stderr)
		}
	}
	if n := strings.Count(r.Stderr, "refused"); n != 2 {
		t.Errorf("refusals said %d times, want once per root:\n%s", n, r.Stderr)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := sarif.LineHashes([]byte("package a\n"))[0]
	for i, res := range sariftest.Results(t, l.Runs[0]) {
		got := res.PartialFingerprints["primaryLocationLineHash"]
		switch inside := i < len(base.Inside); {
		case inside && got != want:
			t.Errorf("%s: hash %v, want %v", paths[i], got, want)
		case !inside && got != nil:
			t.Errorf("%s: hash %v of a file refused", paths[i], got)
		}
	}
}

// With --git the work tree is a boundary too (a committed link out of it,
// a FIFO in it), while the base revision's files are blobs, read as
// before.
func TestGitWorkTreeConfined(t *testing.T) {
	t.Parallel()
	dir, ids := gitRepo(t, map[string]string{"a.go": "package a\n"})
	outside := filepath.Join(t.TempDir(), "secret.go")
	if err := os.WriteFile(outside, []byte("SECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.go")); err != nil {
		t.Fatal(err)
	}
	git := exec.Command("git", "-C", dir, "add", "link.go")
	git.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := git.CombinedOutput(); err != nil {
		t.Fatalf("git add: %v\n%s", err, out)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.go"), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{"a.go", "link.go", "fifo.go"}
	out := filepath.Join(t.TempDir(), "out.sarif")
	r := clitest.RunWithin(t, 30*time.Second, Run, clitest.Env{}, "--format", "sarif", "-o", out,
		"--git", dir, "--base-ref", ids[0], clitest.Log(t, paths...), clitest.Log(t, paths...))
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	if strings.Count(r.Stderr, "refused") != 1 || !strings.Contains(r.Stderr, "--git: the work tree: 2 files refused: outside the checkout (1), not a regular file (1)\n") {
		t.Errorf("stderr does not say once what the work tree refused:\n%s", r.Stderr)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i, res := range sariftest.Results(t, l.Runs[0]) {
		got := res.PartialFingerprints["primaryLocationLineHash"]
		if (i == 0) != (got != nil) {
			t.Errorf("%s in the work tree: hash %v", paths[i], got)
		}
	}
}
