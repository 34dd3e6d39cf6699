package diff

import (
	"bytes"
	"context"
	"io/fs"
	"path"
	"path/filepath"

	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/gitrepo"
	"github.com/sarifkit/sarifkit/sarif"
)

// A Side is one of the two logs of a comparison.
type Side int

const (
	SideBase Side = iota // the base log: the scan of the target branch
	SideHead             // the head log: the scan of the change
)

// String returns "base" or "head".
func (s Side) String() string {
	if s == SideHead {
		return "head"
	}
	return "base"
}

// Refusals count the files of a checkout that were not read, by reason:
// symbolic links out of it, files that are not regular, files over the
// size cap.
type Refusals = checkout.Refusals

// LineHashes says what [AddLineHashes] or [Revisions.AddLineHashes] did to
// one log: where it found the log was scanned, and how many results got a
// primaryLocationLineHash.
type LineHashes struct {
	// Where names the files read, for messages: the checkout's directory,
	// or the revision as it was given ("the work tree" for the work tree).
	Where string
	// Checkout says where the log's absolute URIs are relative to and how
	// many of the files its results name are at hand (see
	// [sarif.FindCheckout]). Its Root, when not "", is the log's
	// checkout root for [Options.BaseRoot] or [Options.HeadRoot] (see
	// [Options.ScannedIn]).
	Checkout sarif.Checkout
	// Stats count the results that got a hash, kept theirs or had no
	// file at hand.
	Stats sarif.FingerprintStats
	// Refused counts the files of the work tree that were not read; a
	// revision's files are blobs, and none is refused.
	Refused Refusals
}

// AddLineHashes gives the results of log that lack one a
// partialFingerprints.primaryLocationLineHash computed from their files,
// as GitHub's upload does: files are the checkout the log was made from,
// at the directory dir. It first finds where the log was scanned
// ([sarif.FindCheckout]): at dir, unless its absolute URIs name no file
// there and the log says, or the paths of its files tell, that it was
// scanned elsewhere (a CI runner's workspace). files should confine what
// it reads to the checkout (a checkout root opened by the caller, or
// [os.DirFS] for trusted code).
//
// On an error after the checkout was found, the LineHashes returned says
// where it is.
func AddLineHashes(ctx context.Context, log *sarif.Log, files fs.FS, dir string) (LineHashes, error) {
	return addLineHashes(ctx, log, files, dir, dir, func(p string) bool {
		info, err := fs.Stat(files, p)
		return err == nil && info.Mode().IsRegular()
	})
}

// addLineHashes is AddLineHashes for files at given (where, for the
// messages), has telling whether they have a path.
func addLineHashes(ctx context.Context, log *sarif.Log, files fs.FS, given, where string, has func(string) bool) (LineHashes, error) {
	lh := LineHashes{Where: where}
	c, err := sarif.FindCheckout(ctx, log, given, has)
	if err != nil {
		return lh, err
	}
	lh.Checkout = c
	root := given
	if c.Root != "" {
		root = c.Root
	}
	lh.Stats, err = sarif.AddLineHashesFrom(ctx, log, files, root)
	return lh, err
}

// ScannedIn sets [Options.BaseRoot] and [Options.HeadRoot] to where each
// log was found to have been scanned (the Checkout.Root of each side's
// [LineHashes]; "" when nothing was found): a side whose files are not
// at hand, or do not say where it was scanned, was likely scanned where
// the other was. A root neither side found is left as it is.
func (o *Options) ScannedIn(base, head string) {
	found := [2]string{base, head}
	for i, root := range []*string{&o.BaseRoot, &o.HeadRoot} {
		switch {
		case found[i] != "":
			*root = found[i]
		case found[1-i] != "":
			*root = found[1-i]
		}
	}
}

// A RevisionError reports a revision the repository does not have, and
// says how to fetch it: Shallow is true when the repository is a shallow
// clone (actions/checkout fetches one commit by default), Fix is the git
// command that fetches the revision.
type RevisionError = gitrepo.RevisionError

// ErrNotRepository is the error of [OpenRevisions] for a directory outside
// any git work tree.
var ErrNotRepository = gitrepo.ErrNotRepository

// Revisions are the code two logs were made from, as two revisions of
// one git repository: the base revision, and the head revision or the
// work tree. [OpenRevisions] resolves them and starts git's line diff of
// the two; [Revisions.AddLineHashes] gives each log's results line hashes
// from its own revision's files; [Revisions.LineMap] returns the line
// diff, for [Options.LineMap]. A comparison with them is what a reviewer
// sees: results on lines the diff left alone are paired with the result
// of their rule on the line they became ([PassLineMap]).
//
//	revs, err := diff.OpenRevisions(ctx, ".", "origin/main", "")
//	...
//	for side, log := range []*sarif.Log{base, head} {
//		if _, err := revs.AddLineHashes(ctx, diff.Side(side), log); err != nil { ... }
//	}
//	lines, err := revs.LineMap()
//	...
//	opts := &diff.Options{LineMap: lines, BaseRoot: revs.Dir(), HeadRoot: revs.Dir()}
//
// It runs the git command found on PATH.
type Revisions struct {
	repo  *gitrepo.Repo
	sub   string    // dir relative to the repository's root
	dir   string    // dir as the caller named it, absolute
	ids   [2]string // the commits; the head's "" for the work tree
	names [2]string // as given
	lines chan lineMapResult
}

type lineMapResult struct {
	lines *linemap.LineMap
	err   error
}

// OpenRevisions opens the git repository whose work tree holds dir (the
// directory the logs' relative URIs are relative to, the root or below
// it), resolves the revisions base and head (a commit, branch or tag;
// head "" is the work tree), and starts computing git's line diff of the
// two. An unknown revision is a *[RevisionError], which says how to fetch
// it; a directory outside any work tree, [ErrNotRepository].
func OpenRevisions(ctx context.Context, dir, base, head string) (*Revisions, error) {
	repo, err := gitrepo.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	r := &Revisions{repo: repo, names: [2]string{base, "the work tree"}, lines: make(chan lineMapResult, 1)}
	// Relative URIs are relative to dir, which may be below the root;
	// absolute ones are under dir as the caller names it (through a
	// symbolic link, say), as the scans saw it.
	if r.sub, err = repo.Rel(dir); err != nil {
		return nil, err
	}
	if r.dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	if r.ids[0], err = repo.Resolve(ctx, base); err != nil {
		return nil, err
	}
	if head != "" {
		if r.ids[1], err = repo.Resolve(ctx, head); err != nil {
			return nil, err
		}
		r.names[1] = head
	}
	go func() {
		lines, err := r.lineMap(ctx)
		r.lines <- lineMapResult{lines, err}
	}()
	return r, nil
}

// lineMap reads git's line diff of the two revisions, and the files each
// tracks, into the line map of the files under dir.
func (r *Revisions) lineMap(ctx context.Context) (*linemap.LineMap, error) {
	out, err := r.repo.Diff(ctx, r.ids[0], r.ids[1])
	if err != nil {
		return nil, err
	}
	m, err := linemap.ReadGitDiff(bytes.NewReader(out))
	if err != nil {
		return nil, err
	}
	var tracked [2][]string
	for i, id := range r.ids {
		if tracked[i], err = r.repo.Tracked(ctx, id); err != nil {
			return nil, err
		}
	}
	m.Track(tracked[0], tracked[1])
	return m.Sub(r.sub), nil
}

// Dir returns the directory the revisions were opened at, absolute: both
// logs were scanned there unless their URIs say otherwise, the roots for
// [Options.BaseRoot] and [Options.HeadRoot].
func (r *Revisions) Dir() string { return r.dir }

// Name returns the side's revision as it was given, or "the work tree".
func (r *Revisions) Name(side Side) string { return r.names[side] }

// AddLineHashes gives the results of log, the side's log, that lack one
// a primaryLocationLineHash from the files of the side's revision, as
// [AddLineHashes] does from a checkout: the files the results name are
// looked for under the directory the revisions were opened at, and the
// log's absolute URIs are found relative to where it was scanned.
func (r *Revisions) AddLineHashes(ctx context.Context, side Side, log *sarif.Log) (LineHashes, error) {
	files, err := r.repo.Files(ctx, r.ids[side])
	if err != nil {
		return LineHashes{Where: r.names[side]}, err
	}
	defer files.Close()
	var fsys fs.FS = files
	if r.sub != "." {
		if fsys, err = fs.Sub(files, r.sub); err != nil {
			return LineHashes{Where: r.names[side]}, err
		}
	}
	lh, err := addLineHashes(ctx, log, fsys, r.dir, r.names[side], func(p string) bool {
		return files.Has(path.Join(r.sub, p))
	})
	lh.Refused = files.Refused()
	return lh, err
}

// LineMap returns git's line diff of the two revisions (git diff
// --histogram -M, as reviewers see it) as the line map of the files
// under the directory the revisions were opened at, their paths relative
// to it. It waits for git, which stops when the context given to
// [OpenRevisions] is done.
func (r *Revisions) LineMap() (*linemap.LineMap, error) {
	res := <-r.lines
	r.lines <- res // for another call
	return res.lines, res.err
}
