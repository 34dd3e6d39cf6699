package fetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
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

// maxCommentPages bounds the pages of comments [ReviewForge.Posted]
// reads of each list: 100 comments a page.
const maxCommentPages = 300

// Posted implements [review.Forge]: the review comments and replies, and
// the conversation comments, with a marker, of the token's identity. It
// reads every page (300 at most of each list, else an error), keeping of
// each comment only what a marker of ours says: others' comments, and
// every body, are dropped page by page.
func (f *ReviewForge) Posted(ctx context.Context) ([]review.Posted, error) {
	q := url.Values{"per_page": {"100"}}
	var out []review.Posted
	fixed := map[int64]bool{}
	for batch, err := range pages[ReviewComment](ctx, f.s.client, pullPath(f.owner, f.repo, f.number)+"/comments", q, maxCommentPages) {
		if err != nil {
			return nil, err
		}
		for _, c := range batch {
			if !f.trusted(c.User) {
				continue
			}
			m, ok := review.ParseMarker(c.Body)
			switch {
			case !ok:
			case m.Kind == review.KindFixed && c.InReplyToID != 0:
				fixed[c.InReplyToID] = true
			case m.Kind == review.KindComment && c.InReplyToID == 0:
				id := strconv.FormatInt(c.ID, 10)
				out = append(out, review.Posted{ID: id, ThreadID: id, Key: m.Key, Marker: m.String(), Path: c.Path,
					Line: cmp.Or(c.Line, c.OriginalLine)})
			}
		}
	}
	for i := range out {
		id, _ := strconv.ParseInt(out[i].ID, 10, 64)
		out[i].Resolved = fixed[id]
	}
	for batch, err := range pages[IssueComment](ctx, f.s.client, issuePath(f.owner, f.repo)+strconv.Itoa(f.number)+"/comments", q, maxCommentPages) {
		if err != nil {
			return nil, err
		}
		for _, c := range batch {
			if m, ok := review.ParseMarker(c.Body); ok && m.Kind == review.KindSummary && f.trusted(c.User) {
				out = append(out, review.Posted{ID: strconv.FormatInt(c.ID, 10), Marker: m.String(), Summary: true})
			}
		}
	}
	return out, nil
}

// Post implements [review.Forge]: one review of the commit ([ReviewForge.Head]),
// event COMMENT, with every comment. GitHub refuses a review whole (422:
// a line not on the diff, a commit not of the pull request): then every
// comment is refused, a [review.RefusedError].
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
	var ae *APIError
	if errors.As(err, &ae) && ae.StatusCode == 422 {
		// GitHub takes a review whole or not at all: every comment is
		// refused, their results go to the summary.
		all := make([]int, len(comments))
		for i := range all {
			all[i] = i
		}
		return &review.RefusedError{Comments: all, Err: err}
	}
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
