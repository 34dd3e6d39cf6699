package fetch

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
	"github.com/sarifkit/sarifkit/review"
)

const head = "0123456789abcdef0123456789abcdef01234567"

// pull gives the fake pull request 5: n files, a.go's patch adding lines
// 2-3 (one hunk) and 20 (another).
func pull(f *fakegithub.Server, n int) *fakegithub.Pull {
	p := &fakegithub.Pull{Number: 5, HeadSHA: head}
	p.Files = append(p.Files, fakegithub.PullFile{Filename: "a.go", Status: "modified",
		Patch: "@@ -1,2 +1,4 @@\n one\n+two\n+three\n four\n@@ -17,1 +19,2 @@\n nineteen\n+twenty\n"})
	for i := 1; i < n; i++ {
		p.Files = append(p.Files, fakegithub.PullFile{Filename: fmt.Sprintf("f%03d.go", i), Status: "added"})
	}
	f.Pulls = append(f.Pulls, p)
	return p
}

// Files come from every page; a review is refused, as GitHub refuses it,
// on a line outside the diff, across hunks, without a body or comments,
// without commit_id; one on the diff's lines is made.
func TestPullRequests(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	pull(f, 250)
	c := client(t, f)
	ctx := t.Context()
	files, err := c.PullRequests.ListFiles(ctx, "o", "r", 5)
	if err != nil || len(files) != 250 || files[249].Filename != "f249.go" {
		t.Fatalf("ListFiles: %d files, %v", len(files), err)
	}
	pages := 0
	for _, l := range f.Log() {
		if strings.HasPrefix(l, "GET /repos/o/r/pulls/5/files") {
			pages++
		}
	}
	if pages != 3 {
		t.Errorf("%d pages read, want 3", pages)
	}
	draft := func(line, start int) DraftReviewComment {
		return DraftReviewComment{Path: "a.go", Body: "b", Line: line, Side: "RIGHT", StartLine: start, StartSide: map[bool]string{true: "RIGHT"}[start > 0]}
	}
	for _, bad := range []*ReviewRequest{
		{CommitID: head, Event: "COMMENT", Comments: []DraftReviewComment{draft(5, 0)}},                            // outside the diff
		{CommitID: head, Event: "COMMENT", Comments: []DraftReviewComment{draft(20, 3)}},                           // across hunks
		{CommitID: head, Event: "COMMENT"},                                                                         // empty
		{Event: "COMMENT", Comments: []DraftReviewComment{draft(2, 0)}},                                            // no commit
		{CommitID: head, Event: "COMMENT", Comments: []DraftReviewComment{{Path: "a.go", Line: 2, Side: "RIGHT"}}}, // no body
	} {
		_, err := c.PullRequests.CreateReview(ctx, "o", "r", 5, bad)
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != 422 {
			t.Errorf("CreateReview(%+v): %v, want a 422", bad, err)
		}
	}
	ok := &ReviewRequest{CommitID: head, Event: "COMMENT", Comments: []DraftReviewComment{draft(3, 1), draft(20, 0)}}
	if _, err := c.PullRequests.CreateReview(ctx, "o", "r", 5, ok); err != nil {
		t.Fatalf("CreateReview: %v", err)
	}
	rcs, err := c.PullRequests.ListReviewComments(ctx, "o", "r", 5)
	if err != nil || len(rcs) != 2 || rcs[0].StartLine != 1 || rcs[0].Line != 3 || rcs[1].Line != 20 {
		t.Fatalf("ListReviewComments: %+v, %v", rcs, err)
	}
	if _, err := c.PullRequests.Get(ctx, "o", "r", 6); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a pull request that does not exist: %v", err)
	}
}

// The forge trusts the markers of the token's own comments only (a bot's,
// for a token that is no user); a 403 on a write is review.ErrReadOnly.
func TestReviewForge(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	p := pull(f, 1)
	key := "0123456789abcdef-0123456789abcdef01234567"
	mallory := map[string]any{"login": "mallory", "type": "User"}
	bot := map[string]any{"login": "github-actions[bot]", "type": "Bot"}
	otherBot := map[string]any{"login": "mallorys-app[bot]", "type": "Bot"}
	p.ReviewComments = []map[string]any{
		{"id": int64(1), "path": "a.go", "line": 2, "body": "<!-- sarifkit-review: " + key + " -->", "user": mallory},
		{"id": int64(5), "path": "a.go", "line": 2, "body": "<!-- sarifkit-review: " + key + " -->", "user": otherBot},
		{"id": int64(2), "path": "a.go", "line": 3, "body": "x\n<!-- sarifkit-review: " + key + " -->\n", "user": bot},
		{"id": int64(3), "in_reply_to_id": int64(2), "path": "a.go", "line": 3, "body": "<!-- sarifkit-review-fixed: " + key + " -->", "user": mallory},
	}
	p.IssueComments = []map[string]any{
		{"id": int64(4), "body": "<!-- sarifkit-review-summary: 0123456789abcdef -->", "user": mallory},
	}
	c := client(t, f)
	ctx := t.Context()
	fg, err := c.PullRequests.Forge(ctx, "o", "r", 5)
	if err != nil {
		t.Fatal(err)
	}
	posted, err := fg.Posted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(posted) != 1 || posted[0].ID != "2" || posted[0].Key != key || posted[0].Resolved || posted[0].Line != 3 {
		t.Fatalf("Posted: %+v", posted)
	}
	// The summary is created, not mallory's edited; then edited.
	marker := "<!-- sarifkit-review-summary: 0123456789abcdef -->"
	if err := fg.Summary(ctx, marker, "one\n"+marker, posted); err != nil {
		t.Fatal(err)
	}
	posted, _ = fg.Posted(ctx)
	if err := fg.Summary(ctx, marker, "two\n"+marker, posted); err != nil {
		t.Fatal(err)
	}
	if n := len(p.IssueComments); n != 2 || p.IssueComments[1]["body"] != "two\n"+marker || p.IssueComments[0]["body"] != marker {
		t.Errorf("summaries: %v", p.IssueComments)
	}
	if err := fg.Resolve(ctx, posted[0], "fixed\n<!-- sarifkit-review-fixed: "+key+" -->"); err != nil {
		t.Fatal(err)
	}
	if posted, _ = fg.Posted(ctx); !posted[0].Resolved {
		t.Errorf("not resolved after the reply: %+v", posted[0])
	}
	// A read-only token.
	f.ReaderToken = "ghs_reader"
	ro := client(t, f, func(o *Options) { o.Token = "ghs_reader" })
	rf, err := ro.PullRequests.Forge(ctx, "o", "r", 5)
	if err != nil {
		t.Fatal(err)
	}
	err = rf.Post(ctx, []review.Comment{{Path: "a.go", StartLine: 2, Line: 2, Body: "b"}})
	if !errors.Is(err, review.ErrReadOnly) || strings.Contains(err.Error(), "ghs_reader") {
		t.Errorf("read-only Post: %v", err)
	}
}

// A secondary rate limit on a write (403 without a header saying so) is
// waited out and retried, and when it lasts, an error that is not
// review.ErrReadOnly: the token may write.
func TestReviewForgeSecondaryLimit(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	pull(f, 1)
	c := client(t, f)
	ctx := t.Context()
	fg, err := c.PullRequests.Forge(ctx, "o", "r", 5)
	if err != nil {
		t.Fatal(err)
	}
	comments := []review.Comment{{Path: "a.go", StartLine: 2, Line: 2, Body: "b"}}
	f.Fault("/repos/o/r/pulls/5/reviews", "secondary-bare")
	if err := fg.Post(ctx, comments); err != nil {
		t.Fatalf("Post after one secondary rate limit: %v", err)
	}
	f.Fault("/repos/o/r/pulls/5/reviews", slices.Repeat([]string{"secondary-bare"}, 11)...)
	err = fg.Post(ctx, comments)
	var rl *RateLimitError
	if err == nil || errors.Is(err, review.ErrReadOnly) || !errors.As(err, &rl) {
		t.Errorf("Post under a lasting secondary rate limit: %v", err)
	}
	sleeps := 0
	for _, l := range f.Log() {
		if l == "sleep 1m0s" {
			sleeps++
		}
	}
	if sleeps != 11 {
		t.Errorf("%d waits of a minute, want 11", sleeps)
	}
}

// A user's token (GET /user names it): that user's comments are trusted,
// the Actions bot's are not; a failing GET /user is an error.
func TestReviewForgeUser(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	p := pull(f, 1)
	key := "0123456789abcdef-0123456789abcdef01234567"
	f.Self = map[string]any{"login": "alice", "type": "User"}
	p.ReviewComments = []map[string]any{
		{"id": int64(1), "path": "a.go", "line": 2, "body": "<!-- sarifkit-review: " + key + " -->", "user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}},
		{"id": int64(2), "path": "a.go", "line": 3, "body": "<!-- sarifkit-review: " + key + " -->", "user": f.Self},
	}
	c := client(t, f)
	ctx := t.Context()
	fg, err := c.PullRequests.Forge(ctx, "o", "r", 5)
	if err != nil {
		t.Fatal(err)
	}
	posted, err := fg.Posted(ctx)
	if err != nil || len(posted) != 1 || posted[0].ID != "2" {
		t.Fatalf("Posted: %+v %v", posted, err)
	}
	f.Fault("/user", "404")
	if _, err := c.PullRequests.Forge(ctx, "o", "r", 5); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("GET /user failing: %v", err)
	}
}
