package gitrepo

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/gitrepo/gittest"
)

func TestFilesAtRevisions(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a.go", "package a\n")
	r.Write("dir/b.txt", "one\r\ntwo\r\n")
	r.Write("bin.dat", "\x00\x01\xff")
	r.Write("latin1.txt", "caf\xe9\n")
	first := r.Commit("first")
	r.Write("a.go", "package a // changed\n")
	r.Commit("second")
	r.Write("a.go", "package a // work tree\n")

	ctx := t.Context()
	repo, err := Open(ctx, filepath.Join(r.Dir, "dir"))
	if err != nil {
		t.Fatal(err)
	}
	if sub, err := repo.Rel(filepath.Join(r.Dir, "dir")); err != nil || sub != "dir" {
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
	r := gittest.New(t)
	r.Write("a.go", "package a\n")
	r.Commit("first")
	ctx := t.Context()
	if _, err := Open(ctx, t.TempDir()); !errors.Is(err, ErrNotRepository) {
		t.Errorf("a directory outside any repository: %v", err)
	}
	repo, err := Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Resolve(ctx, "no-such-branch")
	var re *RevisionError
	if !errors.As(err, &re) || re.Shallow || !strings.Contains(err.Error(), "git fetch") {
		t.Errorf("unknown revision: %v", err)
	}

	// A shallow clone lacks the parent commit, as actions/checkout's does.
	r.Write("a.go", "package a // two\n")
	r.Commit("second")
	parent := r.Git("rev-parse", "HEAD~1")
	clone := t.TempDir()
	r.Git("clone", "-q", "--depth", "1", "file://"+r.Dir, clone)
	shallow, err := Open(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	_, err = shallow.Resolve(ctx, parent)
	if !errors.As(err, &re) || !re.Shallow || re.Fix != "git fetch --no-tags origin "+parent {
		t.Errorf("shallow clone: %v", err)
	}
}

// A blob over the cap on a source file is refused, as a file of the work
// tree is, before its bytes are held; the files after it are read.
func TestLargeBlobRefused(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("big.txt", strings.Repeat("x\n", checkout.DefaultMaxFileSize/2+1))
	r.Write("small.go", "package small\n")
	id := r.Commit("big")
	repo, err := Open(t.Context(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := repo.Files(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	if _, err := files.ReadFile("big.txt"); !errors.Is(err, checkout.ErrTooLarge) {
		t.Errorf("a blob of %d bytes: %v, want checkout.ErrTooLarge", checkout.DefaultMaxFileSize+2, err)
	}
	if got, err := files.ReadFile("small.go"); err != nil || string(got) != "package small\n" {
		t.Errorf("after the large blob: %q %v", got, err)
	}
}

// What git prints is held up to a cap: past it the write fails (and
// over is set); a message's tail is dropped.
func TestCappedOutput(t *testing.T) {
	t.Parallel()
	out := capped{max: 4, fail: true}
	if n, err := out.Write([]byte("abc")); n != 3 || err != nil {
		t.Fatalf("under the cap: %d %v", n, err)
	}
	if _, err := out.Write([]byte("de")); err == nil || !out.over || out.String() != "abcd" {
		t.Errorf("past the cap: %v, over %v, %q", err, out.over, out.String())
	}
	msg := capped{max: 4}
	if n, err := msg.Write([]byte("abcdef")); n != 6 || err != nil || msg.String() != "abcd" {
		t.Errorf("a message past the cap: %d %v %q", n, err, msg.String())
	}
}

// The merge base of a branch and the main line it forked from is the
// commit it forked at, whatever main did since; two unrelated histories
// have none.
func TestMergeBase(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a.txt", "one\n")
	fork := r.Commit("base")
	r.Git("checkout", "-q", "-b", "topic")
	r.Write("a.txt", "one\ntopic\n")
	topic := r.Commit("topic")
	r.Git("checkout", "-q", "main")
	r.Write("b.txt", "main moved on\n")
	r.Commit("main")

	ctx := t.Context()
	repo, err := Open(ctx, r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ a, b string }{{"main", "topic"}, {"topic", "main"}, {"main", topic}, {fork, "topic"}} {
		if got, err := repo.MergeBase(ctx, tt.a, tt.b); err != nil || got != fork {
			t.Errorf("MergeBase(%s, %s) = %q, %v; want %s", tt.a, tt.b, got, err, fork)
		}
	}
	var re *RevisionError
	if _, err := repo.MergeBase(ctx, "main", "missing"); !errors.As(err, &re) || re.Rev != "missing" {
		t.Errorf("an unknown revision: %v, want a *RevisionError", err)
	}
	if _, err := repo.MergeBase(ctx, "--output=x", "main"); !errors.As(err, &re) {
		t.Errorf("a revision like an option: %v, want a *RevisionError", err)
	}
	r.Git("checkout", "-q", "--orphan", "other")
	r.Write("c.txt", "unrelated\n")
	r.Commit("unrelated")
	if _, err := repo.MergeBase(ctx, "main", "other"); !errors.Is(err, ErrNoMergeBase) {
		t.Errorf("unrelated histories: %v, want ErrNoMergeBase", err)
	}
}
