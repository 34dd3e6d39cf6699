package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// PullRequestsService reads a pull request's changed files and comments,
// and posts reviews and comments on it: what a code review by a tool
// needs.
//
// https://docs.github.com/rest/pulls
type PullRequestsService service

// A PullRequest is a pull request, as much of it as a review needs.
type PullRequest struct {
	Number int    `json:"number"`
	State  string `json:"state"`
	Head   struct {
		SHA string `json:"sha"`
		Ref string `json:"ref"`
	} `json:"head"`
	Base struct {
		SHA string `json:"sha"`
		Ref string `json:"ref"`
	} `json:"base"`
}

// A PullFile is a file a pull request changes.
type PullFile struct {
	Filename         string `json:"filename"`
	PreviousFilename string `json:"previous_filename,omitempty"`
	// Status is added, removed, modified, renamed, copied, changed or
	// unchanged.
	Status    string `json:"status"`
	Additions int    `json:"additions"`
	Deletions int    `json:"deletions"`
	// Patch is the file's unified diff from its first hunk; GitHub leaves
	// it out for binary files and very large diffs.
	Patch string `json:"patch,omitempty"`
}

// A ReviewComment is a comment on a line of a pull request's diff.
type ReviewComment struct {
	ID          int64  `json:"id"`
	InReplyToID int64  `json:"in_reply_to_id,omitempty"`
	Path        string `json:"path"`
	// Line is the comment's (last) line on its side, 0 when the comment
	// is outdated; OriginalLine its line when it was made.
	Line         int    `json:"line,omitempty"`
	OriginalLine int    `json:"original_line,omitempty"`
	StartLine    int    `json:"start_line,omitempty"`
	Side         string `json:"side,omitempty"`
	StartSide    string `json:"start_side,omitempty"`
	Body         string `json:"body"`
	CommitID     string `json:"commit_id,omitempty"`
	User         *User  `json:"user,omitempty"`
}

// An IssueComment is a comment on a pull request's conversation.
type IssueComment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
	User *User  `json:"user,omitempty"`
}

// A DraftReviewComment is an inline comment of a review to create: on
// Line of the new side (RIGHT), or on StartLine to Line.
type DraftReviewComment struct {
	Path      string `json:"path"`
	Body      string `json:"body"`
	Line      int    `json:"line"`
	Side      string `json:"side"`
	StartLine int    `json:"start_line,omitempty"`
	StartSide string `json:"start_side,omitempty"`
}

// A ReviewRequest is a review to create. Event COMMENT comments without
// approving or requesting changes; GitHub refuses a COMMENT review with
// neither a body nor comments.
type ReviewRequest struct {
	CommitID string               `json:"commit_id"`
	Body     string               `json:"body,omitempty"`
	Event    string               `json:"event"`
	Comments []DraftReviewComment `json:"comments,omitempty"`
}

// A Review is a created review.
type Review struct {
	ID       int64  `json:"id"`
	State    string `json:"state"`
	CommitID string `json:"commit_id"`
}

// MaxPullFiles is the most files GitHub lists of a pull request.
const MaxPullFiles = 3000

func pullPath(owner, repo string, number int) string {
	return "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + "/pulls/" + strconv.Itoa(number)
}

func issuePath(owner, repo string) string {
	return "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + "/issues/"
}

// Get returns a pull request.
//
// GET /repos/{owner}/{repo}/pulls/{pull_number}
// https://docs.github.com/rest/pulls/pulls#get-a-pull-request
func (s *PullRequestsService) Get(ctx context.Context, owner, repo string, number int) (*PullRequest, error) {
	var pr PullRequest
	if _, err := s.client.getJSON(ctx, pullPath(owner, repo, number), nil, &pr); err != nil {
		return nil, err
	}
	return &pr, nil
}

// ListFiles returns the files a pull request changes, every page (GitHub
// lists 3000 at most).
//
// GET /repos/{owner}/{repo}/pulls/{pull_number}/files
// https://docs.github.com/rest/pulls/pulls#list-pull-requests-files
func (s *PullRequestsService) ListFiles(ctx context.Context, owner, repo string, number int) ([]PullFile, error) {
	return listAll[PullFile](ctx, s.client, pullPath(owner, repo, number)+"/files", url.Values{"per_page": {"100"}}, MaxPullFiles)
}

// ListReviewComments returns the comments on a pull request's diff, every
// page.
//
// GET /repos/{owner}/{repo}/pulls/{pull_number}/comments
// https://docs.github.com/rest/pulls/comments#list-review-comments-on-a-pull-request
func (s *PullRequestsService) ListReviewComments(ctx context.Context, owner, repo string, number int) ([]ReviewComment, error) {
	return listAll[ReviewComment](ctx, s.client, pullPath(owner, repo, number)+"/comments", url.Values{"per_page": {"100"}}, 0)
}

// CreateReview creates a review, its comments with it. It is not retried
// on server errors (a POST that reached GitHub may have been applied),
// only on rate limits.
//
// POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews
// https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request
func (s *PullRequestsService) CreateReview(ctx context.Context, owner, repo string, number int, r *ReviewRequest) (*Review, error) {
	var out Review
	if err := s.client.send(ctx, http.MethodPost, pullPath(owner, repo, number)+"/reviews", r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReplyToReviewComment replies on the thread of a review comment (a
// top-level one: replies to replies are not allowed).
//
// POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies
// https://docs.github.com/rest/pulls/comments#create-a-reply-for-a-review-comment
func (s *PullRequestsService) ReplyToReviewComment(ctx context.Context, owner, repo string, number int, commentID int64, body string) (*ReviewComment, error) {
	var out ReviewComment
	path := pullPath(owner, repo, number) + "/comments/" + strconv.FormatInt(commentID, 10) + "/replies"
	if err := s.client.send(ctx, http.MethodPost, path, map[string]string{"body": body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListIssueComments returns the comments of a pull request's
// conversation, every page.
//
// GET /repos/{owner}/{repo}/issues/{issue_number}/comments
// https://docs.github.com/rest/issues/comments#list-issue-comments
func (s *PullRequestsService) ListIssueComments(ctx context.Context, owner, repo string, number int) ([]IssueComment, error) {
	return listAll[IssueComment](ctx, s.client, issuePath(owner, repo)+strconv.Itoa(number)+"/comments", url.Values{"per_page": {"100"}}, 0)
}

// CreateIssueComment adds a comment to a pull request's conversation.
//
// POST /repos/{owner}/{repo}/issues/{issue_number}/comments
// https://docs.github.com/rest/issues/comments#create-an-issue-comment
func (s *PullRequestsService) CreateIssueComment(ctx context.Context, owner, repo string, number int, body string) (*IssueComment, error) {
	var out IssueComment
	if err := s.client.send(ctx, http.MethodPost, issuePath(owner, repo)+strconv.Itoa(number)+"/comments", map[string]string{"body": body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// EditIssueComment replaces the body of a conversation comment.
//
// PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}
// https://docs.github.com/rest/issues/comments#update-an-issue-comment
func (s *PullRequestsService) EditIssueComment(ctx context.Context, owner, repo string, id int64, body string) (*IssueComment, error) {
	var out IssueComment
	if err := s.client.send(ctx, http.MethodPatch, issuePath(owner, repo)+"comments/"+strconv.FormatInt(id, 10), map[string]string{"body": body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Self returns the user the token acts for. A GitHub Actions token is no
// user: GitHub answers 403.
//
// GET /user
// https://docs.github.com/rest/users/users#get-the-authenticated-user
func (s *PullRequestsService) Self(ctx context.Context) (*User, error) {
	var u User
	if _, err := s.client.getJSON(ctx, "user", nil, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// send sends a JSON body with a method that changes something (not
// retried on server errors) and decodes the JSON answer into out.
func (c *Client) send(ctx context.Context, method, path string, in, out any) error {
	data, err := json.Marshal(in)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, request{method: method, path: path, body: data})
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.body, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not the JSON expected: %w", method, sanitize(c.secrets.redact(path)), c.clean(err))
	}
	return nil
}
