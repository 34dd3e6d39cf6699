// Package gitrepo reads a git repository the way a comparison of two of
// its revisions needs: the files of a revision (one git cat-file --batch
// process serves them all), the files each revision tracks, and the line
// diff between two revisions as git shows it to reviewers (git diff
// --histogram -M), as git's text. It runs the git command found on PATH.
//
// The package is the bottom of the house: it imports nothing of
// sarifkit's outside internal/. What the files and the diff mean is for
// the packages above it: package linemap reads the diff into a line map,
// and package diff (diff.OpenRevisions) gives each log's results line
// hashes from their revision's files.
package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/parallel"
)

// A Repo is a git repository with a work tree.
type Repo struct {
	// Root is the top of the work tree, an absolute path.
	Root string
}

// ErrNotRepository is the error of Open for a directory outside any git
// work tree.
var ErrNotRepository = errors.New("not a git repository")

// A RevisionError reports a revision the repository does not have. Shallow
// is true when the repository is a shallow clone, the usual reason in CI
// (actions/checkout fetches one commit by default); Fix is the command
// that fetches the revision.
type RevisionError struct {
	Rev     string
	Shallow bool
	Fix     string
	Err     error
}

func (e *RevisionError) Error() string {
	msg := fmt.Sprintf("git: unknown revision %q", e.Rev)
	if e.Shallow {
		msg += " (the repository is a shallow clone)"
	}
	if e.Fix != "" {
		msg += "; fetch it with: " + e.Fix
	}
	return msg
}

func (e *RevisionError) Unwrap() error { return e.Err }

// Open returns the repository whose work tree holds dir.
func Open(ctx context.Context, dir string) (*Repo, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	out, err := git(ctx, dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("git is needed to read revisions: %w", err)
		}
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
	}
	return &Repo{Root: strings.TrimSpace(string(out))}, nil
}

// Rel returns the slash-separated path of dir (in the work tree) relative
// to the root, "." for the root itself.
func (r *Repo) Rel(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root := r.Root
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not in the work tree %s", dir, r.Root)
	}
	return filepath.ToSlash(rel), nil
}

// Resolve returns the commit id that rev names.
func (r *Repo) Resolve(ctx context.Context, rev string) (string, error) {
	out, err := git(ctx, r.Root, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err == nil {
		return strings.TrimSpace(string(out)), nil
	}
	e := &RevisionError{Rev: rev, Err: err}
	if s, serr := git(ctx, r.Root, nil, "rev-parse", "--is-shallow-repository"); serr == nil && strings.TrimSpace(string(s)) == "true" {
		e.Shallow = true
	}
	if looksLikeSHA(rev) {
		e.Fix = "git fetch --no-tags origin " + rev
	} else {
		e.Fix = "git fetch --no-tags origin " + rev + " (or check out with fetch-depth: 0)"
	}
	return "", e
}

func looksLikeSHA(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// ErrNoMergeBase is the error of [Repo.MergeBase] for two revisions
// without a common ancestor.
var ErrNoMergeBase = errors.New("no common ancestor")

// MergeBase returns the commit id of the best common ancestor of
// revisions a and b, where b forked from a: the base of the diff a pull
// request shows (git diff a...b), which leaves out what a did since. b ""
// is HEAD (the work tree's commit). An unknown revision is a
// *[RevisionError]; revisions without a common ancestor,
// [ErrNoMergeBase].
func (r *Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	if b == "" {
		b = "HEAD"
	}
	ids := [2]string{}
	for i, rev := range []string{a, b} {
		id, err := r.Resolve(ctx, rev)
		if err != nil {
			return "", err
		}
		ids[i] = id
	}
	out, err := git(ctx, r.Root, nil, "merge-base", ids[0], ids[1])
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 {
			return "", fmt.Errorf("%s and %s: %w", a, b, ErrNoMergeBase)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// Diff returns the line diff from revision base to revision head, or to
// the work tree when head is "", as git shows it to reviewers: the output
// of git diff --histogram -M (whole files' renames included) with no
// context lines, a/ and b/ prefixes, and unusual paths quoted
// (core.quotePath). Package linemap reads it into a line map.
func (r *Repo) Diff(ctx context.Context, base, head string) ([]byte, error) {
	args := []string{"-c", "core.quotePath=true", "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
		"--histogram", "-M", "--unified=0", base}
	if head != "" {
		args = append(args, head)
	}
	args = append(args, "--")
	return git(ctx, r.Root, nil, args...)
}

// Tracked lists the files of revision rev, or of the index when rev is ""
// (the work tree's tracked files): slash-separated paths relative to the
// root.
func (r *Repo) Tracked(ctx context.Context, rev string) ([]string, error) {
	args := []string{"ls-files", "-z"}
	if rev != "" {
		args = []string{"ls-tree", "-r", "-z", "--name-only", rev}
	}
	out, err := git(ctx, r.Root, nil, args...)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00"), nil
}

// Files returns the files of revision rev as an fs.FS (paths relative to
// the repository root); rev "" is the work tree, read as an untrusted
// checkout (see package checkout and [Files.Refused]). Close releases the
// git processes or the directory that serve them.
func (r *Repo) Files(ctx context.Context, rev string) (*Files, error) {
	if rev == "" {
		dir, err := checkout.Open(r.Root)
		if err != nil {
			return nil, err
		}
		return &Files{dir: dir}, nil
	}
	f := &Files{rev: rev, batches: make([]*batch, parallel.Workers())}
	f.listTree = sync.OnceValues(func() (map[string]string, error) { return r.blobs(ctx, rev) })
	for i := range f.batches {
		f.batches[i] = &batch{start: func() (*batch, error) { return r.catFile(ctx) }}
	}
	return f, nil
}

// Files are the files of one revision. They are safe for concurrent use:
// one git cat-file --batch process per core serves them, each started at
// its first read, by the blob IDs of the revision's tree (listed once, at
// the first read).
type Files struct {
	dir      *checkout.FS // the work tree, when rev is ""
	rev      string
	listTree func() (map[string]string, error) // path → blob ID
	batches  []*batch
	next     atomic.Uint32
}

// blobs lists the files of revision rev with their blob IDs.
func (r *Repo) blobs(ctx context.Context, rev string) (map[string]string, error) {
	out, err := git(ctx, r.Root, nil, "ls-tree", "-r", "-z", "--full-tree", rev)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for entry := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		// "<mode> SP <type> SP <object> TAB <file>"
		meta, name, ok := strings.Cut(entry, "\t")
		f := strings.Fields(meta)
		if ok && len(f) == 3 && f[1] == "blob" {
			m[name] = f[2]
		}
	}
	return m, nil
}

// batch is one git cat-file --batch process.
type batch struct {
	mu     sync.Mutex
	start  func() (*batch, error) // starts the process, until it has
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
	err    error // once the process failed, every read fails
}

// catFile starts a git cat-file process.
func (r *Repo) catFile(ctx context.Context) (*batch, error) {
	cmd := exec.CommandContext(ctx, "git", "-C", r.Root, "cat-file", "--batch")
	cmd.Env = gitEnv()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	return &batch{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10), stderr: &stderr}, nil
}

// Open opens the named file (an fs.FS path).
func (f *Files) Open(name string) (fs.File, error) {
	if f.dir != nil {
		return f.dir.Open(name)
	}
	data, err := f.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return &memFile{name: path.Base(name), r: bytes.NewReader(data), size: int64(len(data))}, nil
}

// Has tells whether the revision has a file at name (an fs.FS path),
// without reading it: a regular file of the work tree, or a blob of the
// revision's tree.
func (f *Files) Has(name string) bool {
	if f.dir != nil {
		info, err := f.dir.Stat(name)
		return err == nil && info.Mode().IsRegular()
	}
	if !fs.ValidPath(name) {
		return false
	}
	oids, err := f.listTree()
	_, ok := oids[name]
	return err == nil && ok
}

// ReadFile returns the content of the named file at the revision.
func (f *Files) ReadFile(name string) ([]byte, error) {
	if f.dir != nil {
		return f.dir.ReadFile(name)
	}
	if !fs.ValidPath(name) || strings.ContainsAny(name, "\n") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	oids, err := f.listTree()
	if err != nil {
		return nil, err
	}
	oid, ok := oids[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	b := f.batches[int(f.next.Add(1))%len(f.batches)]
	return b.read(oid, name)
}

// read returns the content of blob oid, the file name.
func (b *batch) read(oid, name string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return nil, b.err
	}
	if b.start != nil {
		p, err := b.start()
		b.start = nil
		if err != nil {
			b.err = err
			return nil, err
		}
		b.cmd, b.in, b.out, b.stderr = p.cmd, p.in, p.out, p.stderr
	}
	if _, err := fmt.Fprintf(b.in, "%s\n", oid); err != nil {
		return nil, b.fail(err)
	}
	header, err := b.out.ReadString('\n')
	if err != nil {
		return nil, b.fail(err)
	}
	fields := strings.Fields(header)
	switch {
	case len(fields) == 2 && fields[1] == "missing", len(fields) >= 2 && fields[len(fields)-1] == "ambiguous":
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case len(fields) != 3:
		return nil, b.fail(fmt.Errorf("unexpected reply %q", header))
	}
	size, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil {
		return nil, b.fail(fmt.Errorf("unexpected reply %q", header))
	}
	if size > checkout.DefaultMaxFileSize { // refused as a file of the work tree is, before its bytes are held
		if _, err := io.CopyN(io.Discard, b.out, size+1); err != nil {
			return nil, b.fail(err)
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: checkout.ErrTooLarge}
	}
	data := make([]byte, size+1) // the content and a newline
	if _, err := io.ReadFull(b.out, data); err != nil {
		return nil, b.fail(err)
	}
	if fields[1] != "blob" { // a directory (tree) or a submodule
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("a %s, not a file", fields[1])}
	}
	return data[:size], nil
}

func (b *batch) fail(err error) error {
	b.err = fmt.Errorf("git cat-file: %w %s", err, strings.TrimSpace(b.stderr.String()))
	return b.err
}

// Refused counts the files of the work tree that were refused: symbolic
// links out of it, files that are not regular, files over the cap. A
// revision's files are blobs, and none is refused.
func (f *Files) Refused() checkout.Refusals {
	if f.dir != nil {
		return f.dir.Refused()
	}
	return checkout.Refusals{}
}

// Close stops the git processes.
func (f *Files) Close() error {
	if f.dir != nil {
		return f.dir.Close()
	}
	var errs []error
	for _, b := range f.batches {
		b.mu.Lock()
		if b.cmd != nil {
			b.in.Close()
			errs = append(errs, b.cmd.Wait())
			b.cmd = nil
		}
		b.mu.Unlock()
	}
	return errors.Join(errs...)
}

// memFile is a file read whole.
type memFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (m *memFile) Stat() (fs.FileInfo, error) { return memInfo{m.name, m.size}, nil }
func (m *memFile) Read(p []byte) (int, error) { return m.r.Read(p) }
func (m *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// git runs git in dir and returns its standard output.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Env = gitEnv()
	cmd.Stdin = stdin
	var stdout, stderr capped
	stdout.max, stdout.fail, stderr.max = maxGitOutput, true, 64<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if stdout.over {
		return nil, fmt.Errorf("git %s: more than %d MiB of output", args[0], maxGitOutput>>20)
	}
	out := stdout.Bytes()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %w: %s", args[0], err, msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}

// maxGitOutput is the most bytes of a git command's output read (the
// diff of two revisions, a tree's listing): past it the command fails
// rather than hold what a change could make as large as it likes.
const maxGitOutput = 512 << 20

// capped is a buffer of at most max bytes. A write past it sets over and
// fails when fail is set (git then stops on a closed pipe); otherwise
// what is past the cap is dropped (a message's tail).
type capped struct {
	bytes.Buffer
	max        int
	fail, over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if c.Len()+len(p) <= c.max {
		return c.Buffer.Write(p)
	}
	c.over = true
	c.Buffer.Write(p[:c.max-c.Len()])
	if c.fail {
		return 0, errors.New("output over the cap")
	}
	return len(p), nil
}

// gitEnv is the environment of the git processes: the user's, with
// nothing that would change what git prints.
func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C", "GIT_PAGER=cat", "GIT_EXTERNAL_DIFF=")
}
