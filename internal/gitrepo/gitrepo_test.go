package gitrepo

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/diff"
)

// testRepo is a git repository in a temporary directory.
type testRepo struct {
	t   *testing.T
	dir string
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the git reader cannot be tested here")
	}
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	r.git("config", "user.email", "t@example.com")
	r.git("config", "user.name", "t")
	r.git("config", "commit.gpgsign", "false")
	return r
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *testRepo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) commit(msg string) string {
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func TestFilesAtRevisions(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	r.write("a.go", "package a\n")
	r.write("dir/b.txt", "one\r\ntwo\r\n")
	r.write("bin.dat", "\x00\x01\xff")
	r.write("latin1.txt", "caf\xe9\n")
	first := r.commit("first")
	r.write("a.go", "package a // changed\n")
	r.commit("second")
	r.write("a.go", "package a // work tree\n")

	ctx := t.Context()
	repo, err := Open(ctx, filepath.Join(r.dir, "dir"))
	if err != nil {
		t.Fatal(err)
	}
	if sub, err := repo.Rel(filepath.Join(r.dir, "dir")); err != nil || sub != "dir" {
		t.Errorf("Rel: %q %v", sub, err)
	}
	id, err := repo.Resolve(ctx, "HEAD~1")
	if err != nil || id != first {
		t.Fatalf("Resolve(HEAD~1) = %q, %v; want %s", id, err, first)
	}
	files, err := repo.Files(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	for name, want := range map[string]string{
		"a.go": "package a\n", "dir/b.txt": "one\r\ntwo\r\n", "bin.dat": "\x00\x01\xff", "latin1.txt": "caf\xe9\n",
	} {
		got, err := fs.ReadFile(files, name)
		if err != nil || string(got) != want {
			t.Errorf("%s at the first commit: %q, %v; want %q", name, got, err, want)
		}
	}
	for _, name := range []string{"missing.go", "dir", "../a.go", "/etc/passwd"} {
		if _, err := files.ReadFile(name); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := files.ReadFile("missing.go"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist", err)
	}
	// The process keeps serving after a missing file.
	if got, err := files.ReadFile("a.go"); err != nil || string(got) != "package a\n" {
		t.Errorf("after a missing file: %q %v", got, err)
	}
	work, err := repo.Files(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fs.ReadFile(work, "a.go"); err != nil || string(got) != "package a // work tree\n" {
		t.Errorf("work tree: %q %v", got, err)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	r.write("a.go", "package a\n")
	r.commit("first")
	ctx := t.Context()
	if _, err := Open(ctx, t.TempDir()); !errors.Is(err, ErrNotRepository) {
		t.Errorf("a directory outside any repository: %v", err)
	}
	repo, err := Open(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Resolve(ctx, "no-such-branch")
	var re *RevisionError
	if !errors.As(err, &re) || re.Shallow || !strings.Contains(err.Error(), "git fetch") {
		t.Errorf("unknown revision: %v", err)
	}

	// A shallow clone lacks the parent commit, as actions/checkout's does.
	r.write("a.go", "package a // two\n")
	r.commit("second")
	parent := r.git("rev-parse", "HEAD~1")
	clone := t.TempDir()
	r.git("clone", "-q", "--depth", "1", "file://"+r.dir, clone)
	shallow, err := Open(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	_, err = shallow.Resolve(ctx, parent)
	if !errors.As(err, &re) || !re.Shallow || re.Fix != "git fetch --no-tags origin "+parent {
		t.Errorf("shallow clone: %v", err)
	}
}

// The line map agrees with the files: every line it maps holds the same
// text on both sides, in the same order, and it maps as many lines of a
// file as git counts unchanged (its lines less those git --numstat counts
// deleted). Edits, insertions, deletions, a moved block, a renamed and
// edited file, a deleted file, CRLF, a binary file and unusual names.
func TestLineMapAgainstContent(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	var long strings.Builder
	for i := range 200 {
		long.WriteString("line " + strings.Repeat("x", i%7) + " " + string(rune('a'+i%26)) + "\n")
	}
	base := map[string]string{
		"main.go":                    "package main\n\nfunc a() {}\n\nfunc b() {\n\tx := 1\n\t_ = x\n}\n\nfunc c() {}\n",
		"long.txt":                   long.String(),
		"old name.go":                "package p\n\nvar one = 1\nvar two = 2\nvar three = 3\nvar four = 4\nvar five = 5\n",
		"gone.go":                    "package gone\n",
		"crlf.txt":                   "a\r\nb\r\nc\r\n",
		"bin.dat":                    "\x00\x01\x02",
		"caf\u00e9/\u00e9t\u00e9.go": "package x\n\nvar a = 1\n",
	}
	for name, content := range base {
		r.write(name, content)
	}
	baseID := r.commit("base")
	moved := strings.Split(long.String(), "\n")
	moved = append(append(append([]string{}, moved[100:150]...), moved[:100]...), moved[150:]...) // a block moved up
	head := map[string]string{
		"main.go":                    "package main\n\nimport \"fmt\"\n\nfunc a() { fmt.Println() }\n\nfunc b() {\n\tx := 1\n\t_ = x\n}\n",
		"long.txt":                   strings.Join(moved, "\n"),
		"new name.go":                "package p\n\nvar one = 1\nvar two = 2\nvar three = 33\nvar four = 4\nvar five = 5\n",
		"crlf.txt":                   "a\r\nB\r\nc\r\n",
		"bin.dat":                    "\x00\x01\x03",
		"added.go":                   "package added\n",
		"caf\u00e9/\u00e9t\u00e9.go": "package x\n\nvar b = 2\nvar a = 1\n",
	}
	os.Remove(filepath.Join(r.dir, "old name.go"))
	os.Remove(filepath.Join(r.dir, "gone.go"))
	for name, content := range head {
		r.write(name, content)
	}
	headID := r.commit("head")

	ctx := t.Context()
	repo, err := Open(ctx, r.dir)
	if err != nil {
		t.Fatal(err)
	}
	lm, err := repo.LineMap(ctx, baseID, headID)
	if err != nil {
		t.Fatal(err)
	}
	deleted := map[string]int{}
	for _, l := range strings.Split(r.git("-c", "core.quotePath=false", "diff", "--numstat", "--histogram", "-M", baseID, headID), "\n") {
		f := strings.SplitN(l, "\t", 3)
		if len(f) == 3 && f[1] != "-" {
			name := f[2]
			if i := strings.Index(name, " => "); i >= 0 {
				name = name[:i]
			}
			n := 0
			for _, c := range f[1] {
				n = n*10 + int(c-'0')
			}
			deleted[name] = n
		}
	}
	for name, content := range base {
		lines := strings.Split(strings.TrimSuffix(content, "\n"), "\n")
		mapped, last := 0, 0
		for i := range lines {
			hp, hl, ok := lm.Map(name, i+1)
			if !ok {
				continue
			}
			mapped++
			hlines := strings.Split(strings.TrimSuffix(head[hp], "\n"), "\n")
			if hl < 1 || hl > len(hlines) || hlines[hl-1] != lines[i] {
				t.Errorf("%s:%d (%q) maps to %s:%d, which holds something else", name, i+1, lines[i], hp, hl)
				continue
			}
			if hl <= last {
				t.Errorf("%s:%d maps to %d, not after %d", name, i+1, hl, last)
			}
			last = hl
		}
		want := len(lines) - deleted[name]
		switch name {
		case "gone.go", "bin.dat":
			want = 0 // deleted; binary
		}
		if mapped != want {
			t.Errorf("%s: %d lines mapped, want %d", name, mapped, want)
		}
	}
	// The same diff with context lines reads as the same map.
	withContext, err := diff.ReadLineMap(strings.NewReader(r.git("-c", "core.quotePath=true", "diff", "--histogram", "-M", "-U5",
		"--src-prefix=a/", "--dst-prefix=b/", baseID, headID)))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range base {
		for i := range strings.Count(content, "\n") + 1 {
			a1, a2, a3 := lm.Map(name, i+1)
			b1, b2, b3 := withContext.Map(name, i+1)
			if a1 != b1 || a2 != b2 || a3 != b3 {
				t.Errorf("%s:%d: -U0 maps to %s:%d %v, -U5 to %s:%d %v", name, i+1, a1, a2, a3, b1, b2, b3)
			}
		}
	}
	if hp, hl, ok := lm.Map("old name.go", 7); !ok || hp != "new name.go" || hl != 7 {
		t.Errorf("renamed file: %s:%d %v", hp, hl, ok)
	}
	if !lm.HeadChanged("added.go", 1) || !lm.HeadChanged("main.go", 3) || lm.HeadChanged("main.go", 1) || !lm.HeadChanged("new name.go", 5) {
		t.Error("HeadChanged disagrees with the diff")
	}
}
