package review

import (
	"context"
	"errors"
	"fmt"
)

// ErrReadOnly is what a [Forge] write returns (wrapped) when the token may read the request but not
// write to it, as in a pull request from a fork: the caller then prints the review instead of posting it.
var ErrReadOnly = errors.New("the token may not write to this request")

// A RefusedError is what [Forge.Post] returns when the forge refused some of the comments (a
// position it does not take, a body it finds invalid) but took, or may have taken, the others:
// the refused comments' results then go to the summary, and the run goes on. Comments are the
// indices, in the slice given to Post, of the comments refused; Err is why (the first refusal).
// Any other error from Post means nothing was posted.
type RefusedError struct {
	Comments []int
	Err      error
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%d inline comments refused: %v", len(e.Comments), e.Err)
}

func (e *RefusedError) Unwrap() error { return e.Err }

// A Forge is where a review is posted: a GitHub pull request or a GitLab merge request. The review
// logic of this package is the same for both; a Forge only moves data.
type Forge interface {
	// Files returns the changed files of the request, every page of them.
	Files(ctx context.Context) ([]File, error)
	// Posted returns the comments and summaries an earlier run posted (found by their hidden
	// marker, see [ParseMarker]), every page; comments without a marker are left out.
	Posted(ctx context.Context) ([]Posted, error)
	// Post posts the inline comments: one review on GitHub, one discussion each on GitLab. It is
	// never called with no comments. When the forge refuses some of them it returns a
	// [*RefusedError] naming those, and [Plan.Apply] lists their results in the summary.
	Post(ctx context.Context, comments []Comment) error
	// Summary creates the summary note whose body holds marker, or edits it in place when posted
	// holds a summary with that marker.
	Summary(ctx context.Context, marker, body string, posted []Posted) error
	// Resolve closes the thread of a comment whose result is fixed (GitLab: resolve the
	// discussion; GitHub: reply on the thread with note).
	Resolve(ctx context.Context, p Posted, note string) error
}

// A File is a changed file of a request.
type File struct {
	Path    string // the new path
	OldPath string // the old path when the file was renamed, else Path or ""
	Status  string // as the forge says it: "added", "modified", "renamed", "removed", ...
	Patch   string // the file's unified diff hunks ("@@ ... @@" onwards); "" when binary or too large
}

// A Comment is an inline comment on the new side of a request's diff.
type Comment struct {
	Path, OldPath string
	// StartLine and Line are the first and last lines of the commented region on the new side;
	// StartLine == Line for one line.
	StartLine, Line int
	// OldLine is the old side's line of StartLine when that is a context line of a hunk (GitLab
	// needs both), else 0 (an added line).
	OldLine int
	// OldEndLine is the old side's line of Line when that is a context line, else 0.
	OldEndLine int
	Body       string // Markdown, holding the marker of Key
	Key        string // the stable key of the result (a hash), inside Body's marker
}

// A Posted is a comment or a summary an earlier run posted, found by its hidden marker.
type Posted struct {
	ID       string // the comment (GitHub) or note (GitLab) id
	ThreadID string // the review comment to reply to (GitHub) or the discussion id (GitLab)
	Key      string // from the marker; "" for a summary
	Marker   string // the whole marker line
	Path     string
	Line     int
	Resolved bool // the thread is resolved, or an earlier run already noted the result fixed
	Summary  bool
	Body     string // the comment's text as the forge returned it (hostile: only for the marker)
}
