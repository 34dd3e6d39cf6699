package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/fakegitlab"
)

// client returns a client of the fake whose waits are recorded instead of
// slept.
func client(t *testing.T, f *fakegitlab.Server, mod ...func(*Options)) (*Client, *[]string) {
	t.Helper()
	opts := Options{BaseURL: f.URL, Token: f.Token, UserAgent: "sarifkit-test/1", Backoff: time.Millisecond}
	for _, m := range mod {
		m(&opts)
	}
	c, err := NewClient(&opts)
	if err != nil {
		t.Fatal(err)
	}
	var sleeps []string
	c.sleep = func(ctx context.Context, d time.Duration) error {
		sleeps = append(sleeps, d.Round(time.Second).String())
		return ctx.Err()
	}
	return c, &sleeps
}

// hunk is a diff of one hunk: line 1 context, lines 2-3 added, line 4
// context (old line 2), old line 3 removed, line 5 context (old 4).
const hunk = "@@ -1,4 +1,5 @@\n ctx1\n+add2\n+add3\n ctx4\n-gone\n ctx5\n"

func seed(f *fakegitlab.Server, files int) {
	for i := range files {
		f.Diffs = append(f.Diffs, fakegitlab.Diff{OldPath: fmt.Sprintf("f%03d.go", i), NewPath: fmt.Sprintf("f%03d.go", i), Diff: hunk, AMode: "100644", BMode: "100644"})
	}
}

func TestDiffsPaged(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	seed(f, 250)
	c, _ := client(t, f)
	got, err := c.MergeRequests.Diffs(context.Background(), "group/project", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || got[249].NewPath != "f249.go" || got[0].Diff != hunk {
		t.Fatalf("got %d diffs", len(got))
	}
	want := []string{
		"GET /api/v4/projects/group%2Fproject/merge_requests/7/diffs?page=1&per_page=100",
		"GET /api/v4/projects/group%2Fproject/merge_requests/7/diffs?page=2&per_page=100",
		"GET /api/v4/projects/group%2Fproject/merge_requests/7/diffs?page=3&per_page=100",
	}
	if log := f.Log(); !slices.Equal(log, want) {
		t.Errorf("requests:\n%s", strings.Join(log, "\n"))
	}
	for _, r := range f.Requests() {
		if r.Auth != "PRIVATE-TOKEN: glpat-secret" {
			t.Errorf("auth %q", r.Auth)
		}
	}
}

func TestProjectByIDAndJobToken(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	c, _ := client(t, f)
	v, err := c.MergeRequests.Latest(context.Background(), "42", 7)
	if err != nil {
		t.Fatal(err)
	}
	if v.HeadCommitSHA != strings.Repeat("c", 40) || v.BaseCommitSHA != strings.Repeat("a", 40) || v.StartCommitSHA != strings.Repeat("b", 40) {
		t.Errorf("version %+v", v)
	}
	// A job token is sent as JOB-TOKEN; GitLab refuses it here.
	jc, _ := client(t, f, func(o *Options) { o.Token, o.JobToken = "", f.JobToken })
	var apiErr *APIError
	if _, err := jc.MergeRequests.Latest(context.Background(), "42", 7); !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("job token: %v", err)
	}
	if r := f.Requests()[1]; r.Auth != "JOB-TOKEN: job-secret" || r.URI != "/api/v4/projects/42/merge_requests/7/versions?per_page=100" {
		t.Errorf("request %+v", r)
	}
	if _, err := NewClient(&Options{Token: "a", JobToken: "b"}); err == nil {
		t.Error("two tokens taken")
	}
}

func TestLatestIsNewest(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	f.Versions = append([]fakegitlab.Version{{ID: 3, HeadCommitSHA: "new", CreatedAt: "2026-12-02T10:00:00.000Z"}}, f.Versions...)
	c, _ := client(t, f)
	v, err := c.MergeRequests.Latest(context.Background(), "group/project", 7)
	if err != nil || v.ID != 3 || v.HeadCommitSHA != "new" {
		t.Errorf("latest %+v, %v", v, err)
	}
	f.Versions = nil
	if _, err := c.MergeRequests.Latest(context.Background(), "group/project", 7); err == nil || !strings.Contains(err.Error(), "no version") {
		t.Errorf("no version: %v", err)
	}
}

func position(f *fakegitlab.Server, path string, oldLine, newLine int) *Position {
	v := f.Versions[0]
	return &Position{PositionType: "text", BaseSHA: v.BaseCommitSHA, StartSHA: v.StartCommitSHA, HeadSHA: v.HeadCommitSHA,
		OldPath: path, NewPath: path, OldLine: oldLine, NewLine: newLine}
}

func TestCreateDiscussionPositions(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	seed(f, 1)
	c, _ := client(t, f)
	ctx := context.Background()
	multi := position(f, "f000.go", 0, 2)
	multi.LineRange = &LineRange{Start: LinePosition{LineCode: LineCode("f000.go", 2, 2), Type: "new"},
		End: LinePosition{LineCode: LineCode("f000.go", 2, 4), Type: "old"}}
	cases := []struct {
		name string
		pos  *Position
		body string
		err  string // "" when accepted
	}{
		{"added line", position(f, "f000.go", 0, 2), "x", ""},
		{"context line, both lines", position(f, "f000.go", 2, 4), "x", ""},
		{"context line, new line only", position(f, "f000.go", 0, 4), "x", "400 Bad Request: 400 Bad request - Note {:line_code"},
		{"added line with an old line", position(f, "f000.go", 2, 2), "x", "400 Bad Request"},
		{"line outside the diff", position(f, "f000.go", 0, 40), "x", "400 Bad Request"},
		{"file outside the diff", position(f, "other.go", 0, 2), "x", "400 Bad Request"},
		{"old version", &Position{PositionType: "text", BaseSHA: "1", StartSHA: "2", HeadSHA: "3", NewPath: "f000.go", NewLine: 2}, "x", "400 Bad Request"},
		{"no head sha", &Position{PositionType: "text", BaseSHA: "1", StartSHA: "2", NewPath: "f000.go", NewLine: 2}, "x", "position[head_sha] is missing"},
		{"no body", position(f, "f000.go", 0, 2), "", "body is missing"},
		{"multi-line", multi, "x\n```suggestion:-0+2\na\nb\nc\n```\n", ""},
		{"multi-line, suggestion off by one", multi, "x\n```suggestion:-0+1\na\nb\n```\n", "400 Bad Request: suggestion"},
	}
	for _, tc := range cases {
		d, err := c.MergeRequests.CreateDiscussion(ctx, "group/project", 7, &NewDiscussion{Body: tc.body, Position: tc.pos})
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err == "" && (d.ID == "" || d.Notes[0].Position == nil || d.Notes[0].Position.NewLine != tc.pos.NewLine):
			t.Errorf("%s: got %+v", tc.name, d)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.err)
		}
		var apiErr *APIError
		if tc.err != "" && (!errors.As(err, &apiErr) || apiErr.StatusCode != 400) {
			t.Errorf("%s: %T %v", tc.name, err, err)
		}
	}
	if n := len(f.Discussions()); n != 3 {
		t.Errorf("%d discussions", n)
	}
	// A POST that failed with 400 is not sent again.
	if n := len(f.Requests()); n != len(cases) {
		t.Errorf("%d requests for %d cases", n, len(cases))
	}
}

func TestDiscussionsNotesAndResolve(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	seed(f, 1)
	alice := fakegitlab.User{ID: 5, Username: "alice"}
	for i := range 130 {
		f.AddDiscussion(alice, fmt.Sprintf("note %d", i), nil)
	}
	c, _ := client(t, f)
	ctx := context.Background()
	d, err := c.MergeRequests.CreateDiscussion(ctx, "group/project", 7, &NewDiscussion{Body: "on line 2", Position: position(f, "f000.go", 0, 2)})
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.MergeRequests.CreateNote(ctx, "group/project", 7, "summary 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.MergeRequests.UpdateNote(ctx, "group/project", 7, n.ID, "summary 2"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.MergeRequests.ResolveDiscussion(ctx, "group/project", 7, d.ID, true); err != nil {
		t.Fatal(err)
	}
	all, err := c.MergeRequests.Discussions(ctx, "group/project", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 132 {
		t.Fatalf("%d discussions", len(all))
	}
	if got := all[130]; got.ID != d.ID || !got.Resolved() || got.Notes[0].Position.NewPath != "f000.go" || got.Notes[0].Type != "DiffNote" {
		t.Errorf("resolved discussion %+v", got)
	}
	if got := all[131]; !got.IndividualNote || got.Notes[0].Body != "summary 2" || got.Resolved() {
		t.Errorf("summary %+v", got.Notes[0])
	}
	// Another user's note may not be edited; an unknown discussion not
	// resolved; a plain note is not resolvable.
	_, err = c.MergeRequests.UpdateNote(ctx, "group/project", 7, all[0].Notes[0].ID, "mine")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 {
		t.Errorf("editing alice's note: %v", err)
	}
	if _, err := c.MergeRequests.ResolveDiscussion(ctx, "group/project", 7, "nope", true); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("unknown discussion: %v", err)
	}
	if _, err := c.MergeRequests.ResolveDiscussion(ctx, "group/project", 7, all[0].ID, true); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("plain note: %v", err)
	}
}

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	ctx := context.Background()
	var apiErr *APIError
	wrong, _ := client(t, f, func(o *Options) { o.Token = "glpat-wrong" })
	_, err := wrong.MergeRequests.Versions(ctx, "group/project", 7)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Message != "" || strings.Contains(err.Error(), "glpat-wrong") {
		t.Errorf("wrong token: %v", err)
	}
	none, _ := client(t, f, func(o *Options) { o.Token = "" })
	if _, err := none.MergeRequests.Versions(ctx, "group/project", 7); !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("no token: %v", err)
	}
	reader, _ := client(t, f, func(o *Options) { o.Token = f.ReaderToken })
	if _, err := reader.MergeRequests.Versions(ctx, "group/project", 7); err != nil {
		t.Errorf("reader reads: %v", err)
	}
	if _, err := reader.MergeRequests.CreateNote(ctx, "group/project", 7, "x"); !errors.As(err, &apiErr) || apiErr.StatusCode != 403 {
		t.Errorf("reader writes: %v", err)
	}
	good, _ := client(t, f)
	for _, p := range []string{"group/other", "group%2Fproject"} {
		if _, err := good.MergeRequests.Versions(ctx, p, 7); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Message != "404 Project Not Found" {
			t.Errorf("project %s: %v", p, err)
		}
	}
	if _, err := good.MergeRequests.Versions(ctx, "group/project", 8); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("merge request 8: %v", err)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	const versions = "/projects/group%2Fproject/merge_requests/7/versions"
	const notes = "/projects/group%2Fproject/merge_requests/7/notes"
	cases := []struct {
		name   string
		path   string
		faults []string
		write  bool
		lim    Limits
		sleeps []string
		err    string // "" when it succeeds in the end
	}{
		{"500 then success", versions, []string{"500"}, false, Limits{}, []string{"0s"}, ""},
		{"502 twice then success", versions, []string{"502", "502"}, false, Limits{}, []string{"0s", "0s"}, ""},
		{"500 five times", versions, []string{"500", "500", "500", "500", "500"}, false, Limits{}, []string{"0s", "0s", "0s", "0s"}, "500 Internal Server Error"},
		{"429 waits Retry-After", versions, []string{"429"}, false, Limits{}, []string{"7s"}, ""},
		{"429 on a write waits too", notes, []string{"429"}, true, Limits{}, []string{"7s"}, ""},
		{"500 on a write is not retried", notes, []string{"500"}, true, Limits{}, nil, "500 Internal Server Error"},
		{"truncated answer retried", versions, []string{"truncate"}, false, Limits{}, []string{"0s"}, ""},
		{"invalid JSON", versions, []string{"badjson"}, false, Limits{}, nil, "not the JSON expected"},
		{"hang, then an answer", versions, []string{"hang"}, false, Limits{HeaderTimeout: 50 * time.Millisecond}, []string{"0s"}, ""},
		{"hang past the request timeout", versions, []string{"hang"}, false, Limits{RequestTimeout: 50 * time.Millisecond}, nil, "timed out: not answered within 50ms"},
		{"huge answer", versions, []string{"huge"}, false, Limits{MaxBytes: 1 << 20}, nil, "answer too large: more than 1048576 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := fakegitlab.New(t)
			f.Fault(tc.path, tc.faults...)
			c, sleeps := client(t, f, func(o *Options) { o.Limits = tc.lim })
			var err error
			if tc.write {
				_, err = c.MergeRequests.CreateNote(context.Background(), "group/project", 7, "x")
			} else {
				_, err = c.MergeRequests.Versions(context.Background(), "group/project", 7)
			}
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("got %v, want %q", err, tc.err)
			}
			if !slices.Equal(*sleeps, tc.sleeps) {
				t.Errorf("sleeps %q, want %q", *sleeps, tc.sleeps)
			}
			if tc.name == "huge answer" && !errors.Is(err, ErrTooLarge) || strings.HasPrefix(tc.name, "hang past") && !errors.Is(err, ErrTimeout) {
				t.Errorf("%v is not the sentinel", err)
			}
		})
	}
}

func TestRateLimitTooLong(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	f.Fault("/projects/group%2Fproject/merge_requests/7/versions", "429")
	c, _ := client(t, f, func(o *Options) { o.MaxWait = time.Second })
	_, err := c.MergeRequests.Versions(context.Background(), "group/project", 7)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Wait != 7*time.Second || rl.StatusCode != http.StatusTooManyRequests {
		t.Errorf("got %v", err)
	}
}

// A redirect to another host is followed without the token; the token is
// never in an error.
func TestRedirectElsewhereDropsToken(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	f.Fault("/projects/group%2Fproject/merge_requests/7/diffs", "redirect")
	f.Fault("/projects/group%2Fproject/merge_requests/7/notes", "redirect")
	c, _ := client(t, f)
	if _, err := c.MergeRequests.Diffs(context.Background(), "group/project", 7); err != nil {
		t.Fatal(err)
	}
	c.MergeRequests.CreateNote(context.Background(), "group/project", 7, "x")
	away := f.Elsewhere()
	if len(away) == 0 {
		t.Fatal("the redirect was not followed")
	}
	for _, r := range away {
		if r.Auth != "" {
			t.Errorf("the other host got %q on %s %s", r.Auth, r.Method, r.URI)
		}
	}
	if _, err := NewClient(&Options{BaseURL: "http://gitlab.example.com/api/v4", Token: "glpat-secret"}); err == nil || strings.Contains(err.Error(), "glpat") {
		t.Errorf("a token over plain HTTP: %v", err)
	}
	if _, err := NewClient(&Options{BaseURL: "https://user:glpat-pw@gitlab.example.com/api/v4"}); err == nil || strings.Contains(err.Error(), "glpat-pw") {
		t.Errorf("credentials in the URL: %v", err)
	}
}

func TestServerTextSanitized(t *testing.T) {
	t.Parallel()
	s := newSecrets("glpat-secret")
	if got := s.ServerText("bad \x1b[31mglpat-secret\n"); got != `bad \x1b[31m***\n` {
		t.Errorf("got %q", got)
	}
	if got := messageText([]byte(`{"b":["x","y"],"a":"z"}`)); got != "a: z; b: x, y" {
		t.Errorf("got %q", got)
	}
}

// A listing keeps at most so many items: past them it fails.
func TestListAllCap(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	seed(f, 250)
	c, _ := client(t, f)
	path := mrPath("group/project", 7, "/diffs")
	if got, err := listAll[*Diff](context.Background(), c, path, 250); err != nil || len(got) != 250 {
		t.Errorf("250 of 250: %d %v", len(got), err)
	}
	if got, err := listAll[*Diff](context.Background(), c, path, 249); err == nil || !strings.Contains(err.Error(), "more than 249 items") {
		t.Errorf("250 of 249: %d %v", len(got), err)
	}
}
