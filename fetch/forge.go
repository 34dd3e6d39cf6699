package fetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/sarifkit/sarifkit/review"
)

// A ReviewForge is a pull request as package review posts to it: a
// [review.Forge]. Its inline comments go in one review of the head
// commit (event COMMENT), each on the new side (RIGHT); summaries are
// conversation comments, edited in place; a fixed result's thread gets a
// reply (resolving a thread needs GitHub's GraphQL API).
//
// Only comments of the token's own identity carry markers it trusts:
// the user GET /user names, or, for a token that is no user (GET /user
// answers 403), GitHub Actions' GITHUB_TOKEN, whose comments are
// github-actions[bot]'s. Anyone can write a marker into a comment of
// their own; none of theirs is read, and none is edited. (Another app's
// token is taken for GITHUB_TOKEN too: then no earlier comment is
// trusted, and each run posts a new summary: it fails closed.)
type ReviewForge struct {
	s           *PullRequestsService
	owner, repo string
	number      int
	pr          *PullRequest
	self        string // the token's identity
	commit      string // the commit reviewed, "" for the head
}

// ActionsBot is the login of the comments a GitHub Actions GITHUB_TOKEN
// writes.
const ActionsBot = "github-actions[bot]"

// Forge returns the pull request as a [review.Forge], after reading it
// (its head commit; an error when it does not exist) and the token's
// identity.
func (s *PullRequestsService) Forge(ctx context.Context, owner, repo string, number int) (*ReviewForge, error) {
	pr, err := s.Get(ctx, owner, repo, number)
	if err != nil {
		return nil, err
	}
	f := &ReviewForge{s: s, owner: owner, repo: repo, number: number, pr: pr}
	u, err := s.Self(ctx)
	var ae *APIError
	switch {
	case err == nil && u.Login != "":
		f.self = u.Login
	case err == nil:
		return nil, errors.New("GET /user: the answer names no login")
	case errors.As(err, &ae) && ae.StatusCode == 403:
		f.self = ActionsBot
	default:
		return nil, err
	}
	return f, nil
}

// Head is the commit the review is of: the pull request's head commit,
// unless [ReviewForge.SetCommit] named another.
func (f *ReviewForge) Head() string { return cmp.Or(f.commit, f.pr.Head.SHA) }

// SetCommit makes the review of commit, the one analysed (a commit of
// the pull request; GitHub places the comments on its diff), rather
// than of the pull request's head when it has moved on since.
func (f *ReviewForge) SetCommit(commit string) { f.commit = commit }

// Files implements [review.Forge].
func (f *ReviewForge) Files(ctx context.Context) ([]review.File, error) {
	pf, err := f.s.ListFiles(ctx, f.owner, f.repo, f.number)
	if err != nil {
		return nil, err
	}
	out := make([]review.File, len(pf))
	for i, p := range pf {
		out[i] = review.File{Path: p.Filename, OldPath: p.PreviousFilename, Status: p.Status, Patch: p.Patch}
	}
	return out, nil
}

// trusted tells whether a comment is the token's identity's.
func (f *ReviewForge) trusted(u *User) bool {
	return u != nil && f.self != "" && u.Login == f.self
}

// Posted implements [review.Forge]: the review comments and replies, and
// the conversation comments, with a marker, of the token's user.
func (f *ReviewForge) Posted(ctx context.Context) ([]review.Posted, error) {
	rcs, err := f.s.ListReviewComments(ctx, f.owner, f.repo, f.number)
	if err != nil {
		return nil, err
	}
	ics, err := f.s.ListIssueComments(ctx, f.owner, f.repo, f.number)
	if err != nil {
		return nil, err
	}
	var out []review.Posted
	fixed := map[int64]bool{}
	for _, c := range rcs {
		m, ok := review.ParseMarker(c.Body)
		if ok && m.Kind == review.KindFixed && c.InReplyToID != 0 && f.trusted(c.User) {
			fixed[c.InReplyToID] = true
		}
	}
	for _, c := range rcs {
		m, ok := review.ParseMarker(c.Body)
		if !ok || m.Kind != review.KindComment || c.InReplyToID != 0 || !f.trusted(c.User) {
			continue
		}
		id := strconv.FormatInt(c.ID, 10)
		out = append(out, review.Posted{ID: id, ThreadID: id, Key: m.Key, Marker: m.String(), Path: c.Path,
			Line: cmp.Or(c.Line, c.OriginalLine), Resolved: fixed[c.ID]})
	}
	for _, c := range ics {
		m, ok := review.ParseMarker(c.Body)
		if !ok || m.Kind != review.KindSummary || !f.trusted(c.User) {
			continue
		}
		out = append(out, review.Posted{ID: strconv.FormatInt(c.ID, 10), Marker: m.String(), Summary: true, Body: c.Body})
	}
	return out, nil
}

// Post implements [review.Forge]: one review of the commit ([ReviewForge.Head]),
// event COMMENT, with every comment.
func (f *ReviewForge) Post(ctx context.Context, comments []review.Comment) error {
	r := &ReviewRequest{CommitID: f.Head(), Event: "COMMENT",
		Body: fmt.Sprintf("sarifkit: %d new code scanning result(s) on the changed lines.", len(comments))}
	for _, c := range comments {
		d := DraftReviewComment{Path: c.Path, Body: c.Body, Line: c.Line, Side: "RIGHT"}
		if c.StartLine < c.Line {
			d.StartLine, d.StartSide = c.StartLine, "RIGHT"
		}
		r.Comments = append(r.Comments, d)
	}
	_, err := f.s.CreateReview(ctx, f.owner, f.repo, f.number, r)
	return writeError(err)
}

// Summary implements [review.Forge]: a conversation comment, edited in
// place when posted holds one with marker.
func (f *ReviewForge) Summary(ctx context.Context, marker, body string, posted []review.Posted) error {
	for _, p := range posted {
		if p.Summary && p.Marker == marker {
			id, err := strconv.ParseInt(p.ID, 10, 64)
			if err != nil {
				return fmt.Errorf("comment id %q: %w", p.ID, err)
			}
			_, err = f.s.EditIssueComment(ctx, f.owner, f.repo, id, body)
			return writeError(err)
		}
	}
	_, err := f.s.CreateIssueComment(ctx, f.owner, f.repo, f.number, body)
	return writeError(err)
}

// Resolve implements [review.Forge]: a reply on the comment's thread.
func (f *ReviewForge) Resolve(ctx context.Context, p review.Posted, note string) error {
	id, err := strconv.ParseInt(p.ThreadID, 10, 64)
	if err != nil {
		return fmt.Errorf("comment id %q: %w", p.ThreadID, err)
	}
	_, err = f.s.ReplyToReviewComment(ctx, f.owner, f.repo, f.number, id, note)
	return writeError(err)
}

// writeError makes a 403 on a write [review.ErrReadOnly] (a rate limit
// aside).
func writeError(err error) error {
	var rl *RateLimitError
	var ae *APIError
	if err != nil && !errors.As(err, &rl) && errors.As(err, &ae) && ae.StatusCode == 403 {
		return fmt.Errorf("%w: %w", review.ErrReadOnly, err)
	}
	return err
}
