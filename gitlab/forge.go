package gitlab

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/review"
)

// Forge is a merge request as package review posts to it: it implements
// [review.Forge]. Each inline comment becomes a discussion on the version
// of the diff of the analysed commit (see [MergeRequestsService.Forge]), anchored on the
// comment's first line (both its old and new lines for a context line,
// the new line alone for an added one; a line_range of two line codes for
// several lines); a summary is a note, edited in place by later runs; a
// fixed result's discussion is resolved.
//
// Only the notes of the token's own user count as posted: a note of
// anyone else holding a marker (the request's author may write one) is
// ignored, so that it can neither hide a result nor be edited. A CI job
// token has no user of its own (it acts for whoever started the
// pipeline), so a Forge with one trusts no note: [Forge.Posted] fails.
// (GitLab refuses job tokens on the merge request endpoints anyway.)
type Forge struct {
	client  *Client
	project string
	iid     int
	version *Version // the version posted on
	newest  bool     // version is the newest
	// maxDiscussions is the bound of Posted, maxDiscussions when 0.
	maxDiscussions int

	mu    sync.Mutex
	self  *User
	diffs map[string]*Diff // by new path
}

// Forge returns the [review.Forge] of merge request iid of project (its
// numeric id or its path, "group/project"), posting on the version whose
// head is commit, the analysed one (a push may have come since); on the
// newest version when commit is "" or no version has it. It reads the
// merge request's versions: a merge request that does not exist is an
// error here.
func (s *MergeRequestsService) Forge(ctx context.Context, project string, iid int, commit string) (*Forge, error) {
	v, newest, err := s.AtCommit(ctx, project, iid, commit)
	if err != nil {
		return nil, err
	}
	if !newest {
		s.client.logf("commenting on the merge request's version of commit %s, not the newest", sanitize(v.HeadCommitSHA))
	} else if commit != "" && !strings.EqualFold(commit, v.HeadCommitSHA) {
		s.client.logf("no version of the merge request has commit %s: commenting on the newest, %s", sanitize(commit), sanitize(v.HeadCommitSHA))
	}
	return &Forge{client: s.client, project: project, iid: iid, version: v, newest: newest}, nil
}

var _ review.Forge = (*Forge)(nil)

// Files returns the changed files of the merge request's version (see
// [MergeRequestsService.Forge]). A file whose diff GitLab leaves out (too large, collapsed,
// binary) has no patch.
func (f *Forge) Files(ctx context.Context) ([]review.File, error) {
	v := f.version
	var diffs []*Diff
	var err error
	if f.newest {
		diffs, err = f.client.MergeRequests.Diffs(ctx, f.project, f.iid)
	} else {
		var full *Version
		if full, err = f.client.MergeRequests.Version(ctx, f.project, f.iid, v.ID); err == nil {
			diffs = full.Diffs
		}
	}
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.diffs = map[string]*Diff{}
	files := make([]review.File, 0, len(diffs))
	for _, d := range diffs {
		if d == nil {
			continue
		}
		f.diffs[d.NewPath] = d
		file := review.File{Path: d.NewPath, OldPath: d.OldPath, Status: "modified", Patch: d.Diff}
		switch {
		case d.NewFile:
			file.Status = "added"
		case d.DeletedFile:
			file.Status = "removed"
		case d.RenamedFile:
			file.Status = "renamed"
		}
		if d.TooLarge || d.Collapsed {
			file.Patch = ""
		}
		files = append(files, file)
	}
	return files, nil
}

// Posted returns the discussions and notes of the token's user that hold
// a marker: a thread's first note (an inline comment, its discussion
// resolved or not) or a summary note. It reads every page of discussions
// but keeps only those: no body, nobody else's note. A merge request with
// more than 20,000 discussions is an error.
func (f *Forge) Posted(ctx context.Context) ([]review.Posted, error) {
	self, err := f.user(ctx)
	if err != nil {
		return nil, err
	}
	var out []review.Posted
	err = f.client.MergeRequests.EachDiscussion(ctx, f.project, f.iid, cmp.Or(f.maxDiscussions, maxDiscussions), func(d *Discussion) error {
		if len(d.Notes) == 0 || d.Notes[0] == nil {
			return nil
		}
		n := d.Notes[0]
		if n.System || n.Author == nil || !sameUser(n.Author, self) {
			return nil
		}
		m, ok := review.ParseMarker(n.Body)
		if !ok {
			return nil
		}
		p := review.Posted{ID: strconv.FormatInt(n.ID, 10), ThreadID: d.ID, Marker: m.String()}
		switch m.Kind {
		case review.KindComment:
			if n.Position == nil {
				return nil
			}
			p.Key, p.Path, p.Line, p.Resolved = m.Key, n.Position.NewPath, n.Position.NewLine, d.Resolved()
		case review.KindSummary:
			p.Summary = true
		default:
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxDiscussions bounds the discussions [Forge.Posted] reads: 200 pages.
// Past it, Posted fails rather than miss its own comments and post them
// again.
const maxDiscussions = 20_000

// sameUser tells whether a note's author is the token's user: by id when
// both have one, else by username.
func sameUser(a, b *User) bool {
	if a.ID != 0 && b.ID != 0 {
		return a.ID == b.ID
	}
	return a.Username != "" && a.Username == b.Username
}

// errJobToken is the error of [Forge.Posted] with a CI job token.
var errJobToken = errors.New("a CI job token acts for whoever started the pipeline: no note can be told to be this tool's own; use an access token")

// user returns the token's user, asked once. A CI job token has none of
// its own: it acts for whoever started the pipeline (the merge request's
// author, as likely as not), whose notes are no proof of anything.
func (f *Forge) user(ctx context.Context) (*User, error) {
	if f.client.opts.JobToken != "" {
		return nil, errJobToken
	}
	f.mu.Lock()
	self := f.self
	f.mu.Unlock()
	if self != nil {
		return self, nil
	}
	self, err := f.client.Users.Current(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.self = self
	f.mu.Unlock()
	return self, nil
}

// Post starts one discussion per comment, on the version of
// [MergeRequestsService.Forge]. A comment GitLab refuses (400: its line is no longer in the diff, a push
// came in between) does not stop the others: Post then returns a
// [*review.RefusedError] naming the refused comments. A 403 stops at
// once, with an error wrapping [review.ErrReadOnly].
func (f *Forge) Post(ctx context.Context, comments []review.Comment) error {
	v := f.version
	var refused review.RefusedError
	for i, c := range comments {
		pos, err := f.position(ctx, v, c)
		var notChanged *notChangedError
		if errors.As(err, &notChanged) {
			refused.Comments = append(refused.Comments, i)
			refused.Err = cmp.Or(refused.Err, fmt.Errorf("a comment on %s:%d: %w", sanitize(c.Path), c.StartLine, err))
			continue
		}
		if err == nil {
			_, err = f.client.MergeRequests.CreateDiscussion(ctx, f.project, f.iid, &NewDiscussion{Body: c.Body, Position: pos})
		}
		if err == nil {
			continue
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
			refused.Comments = append(refused.Comments, i)
			refused.Err = cmp.Or(refused.Err, fmt.Errorf("a comment on %s:%d: %w", sanitize(c.Path), c.StartLine, err))
			continue
		}
		return writeError(err)
	}
	if len(refused.Comments) > 0 {
		return &refused
	}
	return nil
}

// A notChangedError says a comment's file is not a changed file of the
// merge request.
type notChangedError struct {
	path string
	iid  int
}

func (e *notChangedError) Error() string {
	return fmt.Sprintf("%s is not a changed file of merge request %d", sanitize(e.path), e.iid)
}

// position is where comment c goes on version v: its first line, and its
// range when it has several.
func (f *Forge) position(ctx context.Context, v *Version, c review.Comment) (*Position, error) {
	oldPath := c.OldPath
	if oldPath == "" {
		oldPath = c.Path
	}
	p := &Position{PositionType: "text", BaseSHA: v.BaseCommitSHA, StartSHA: v.StartCommitSHA, HeadSHA: v.HeadCommitSHA,
		OldPath: oldPath, NewPath: c.Path, NewLine: c.StartLine, OldLine: c.OldLine}
	if c.Line <= c.StartLine {
		return p, nil
	}
	d, err := f.diff(ctx, c.Path)
	if err != nil {
		return nil, err
	}
	end := func(newLine, oldLine int) LinePosition {
		lp := LinePosition{Type: "old"}
		if oldLine == 0 {
			lp.Type = "new"
			oldLine = nextOld(d.Diff, newLine)
		}
		lp.LineCode = LineCode(c.Path, oldLine, newLine)
		return lp
	}
	p.LineRange = &LineRange{Start: end(c.StartLine, c.OldLine), End: end(c.Line, c.OldEndLine)}
	return p, nil
}

// diff returns the diff of a file, from [Forge.Files] or asked now.
func (f *Forge) diff(ctx context.Context, path string) (*Diff, error) {
	f.mu.Lock()
	loaded := f.diffs != nil
	f.mu.Unlock()
	if !loaded {
		if _, err := f.Files(ctx); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if d := f.diffs[path]; d != nil {
		return d, nil
	}
	return nil, &notChangedError{path, f.iid}
}

// nextOld is the old side's line number at added line newLine of a
// file's diff, as GitLab counts it in a line code: the number of the old
// file's next line in the hunk (or the last one's plus one). A hunk
// without old lines is a new file's (GitLab's diffs carry context
// lines): 0. It is 0 too when the diff has no such added line, or does
// not parse.
func nextOld(diff string, newLine int) int {
	lines, err := linemap.ReadPatch(diff)
	if err != nil {
		return 0
	}
	for i, l := range lines {
		if l.Kind != '+' || l.New != newLine {
			continue
		}
		for _, n := range lines[i+1:] { // the next old line of the hunk
			if n.Hunk != l.Hunk {
				break
			}
			if n.Old != 0 {
				return n.Old
			}
		}
		for j := i - 1; j >= 0 && lines[j].Hunk == l.Hunk; j-- { // else the last one's next
			if lines[j].Old != 0 {
				return lines[j].Old + 1
			}
		}
		return 0
	}
	return 0
}

// Summary creates the summary note whose body holds marker, or edits the
// one posted holds.
func (f *Forge) Summary(ctx context.Context, marker, body string, posted []review.Posted) error {
	for _, p := range posted {
		if !p.Summary || p.Marker != marker {
			continue
		}
		id, err := strconv.ParseInt(p.ID, 10, 64)
		if err != nil {
			return fmt.Errorf("summary note id %q: %w", sanitize(p.ID), err)
		}
		_, err = f.client.MergeRequests.UpdateNote(ctx, f.project, f.iid, id, body)
		return writeError(err)
	}
	_, err := f.client.MergeRequests.CreateNote(ctx, f.project, f.iid, body)
	return writeError(err)
}

// Resolve adds note to the discussion of a fixed result's comment (when
// not ""), then resolves the discussion.
func (f *Forge) Resolve(ctx context.Context, p review.Posted, note string) error {
	if note != "" {
		if _, err := f.client.MergeRequests.AddNote(ctx, f.project, f.iid, p.ThreadID, note); err != nil {
			return writeError(err)
		}
	}
	_, err := f.client.MergeRequests.ResolveDiscussion(ctx, f.project, f.iid, p.ThreadID, true)
	return writeError(err)
}

// writeError returns the error of a write, wrapping [review.ErrReadOnly]
// when GitLab answered 403.
func writeError(err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden {
		return fmt.Errorf("%w: %w", review.ErrReadOnly, err)
	}
	return err
}

// Head returns the head commit of the merge request's version the
// discussions are posted on (see [MergeRequestsService.Forge]).
func (f *Forge) Head() string { return f.version.HeadCommitSHA }
