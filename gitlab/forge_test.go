package gitlab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/fakegitlab"
	"github.com/sarifkit/sarifkit/review"
)

const (
	key1      = "0123456789abcdef-000000000000000000000001"
	key2      = "0123456789abcdef-000000000000000000000002"
	groupKey  = "0123456789abcdef"
	marker1   = "<!-- sarifkit-review: " + key1 + " -->"
	markerSum = "<!-- sarifkit-review-summary: " + groupKey + " -->"
)

func forgeFake(t *testing.T) (*fakegitlab.Server, *Forge) {
	f := fakegitlab.New(t)
	f.Diffs = []fakegitlab.Diff{
		{OldPath: "a.go", NewPath: "a.go", Diff: hunk},
		{OldPath: "old.go", NewPath: "new.go", RenamedFile: true, Diff: "@@ -10,2 +10,3 @@\n x\n+y\n z\n"},
		{OldPath: "n.go", NewPath: "n.go", NewFile: true, Diff: "@@ -0,0 +1,2 @@\n+p\n+q\n"},
		{OldPath: "d.go", NewPath: "d.go", DeletedFile: true, Diff: "@@ -1 +0,0 @@\n-p\n"},
	}
	c, _ := client(t, f)
	return f, forge(t, c, "group/project", "")
}

func forge(t *testing.T, c *Client, project, commit string) *Forge {
	t.Helper()
	fg, err := c.MergeRequests.Forge(context.Background(), project, 7, commit)
	if err != nil {
		t.Fatal(err)
	}
	return fg
}

func TestForgeFiles(t *testing.T) {
	t.Parallel()
	_, fg := forgeFake(t)
	files, err := fg.Files(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []review.File{
		{Path: "a.go", OldPath: "a.go", Status: "modified", Patch: hunk},
		{Path: "new.go", OldPath: "old.go", Status: "renamed", Patch: "@@ -10,2 +10,3 @@\n x\n+y\n z\n"},
		{Path: "n.go", OldPath: "n.go", Status: "added", Patch: "@@ -0,0 +1,2 @@\n+p\n+q\n"},
		{Path: "d.go", OldPath: "d.go", Status: "removed", Patch: "@@ -1 +0,0 @@\n-p\n"},
	}
	if len(files) != len(want) {
		t.Fatalf("files %+v", files)
	}
	for i := range want {
		if files[i] != want[i] {
			t.Errorf("file %d: %+v, want %+v", i, files[i], want[i])
		}
	}
}

// positions returns the positions the discussions were created with, as
// sent.
func positions(t *testing.T, f *fakegitlab.Server) []map[string]any {
	var out []map[string]any
	for _, r := range f.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.URI, "/discussions") {
			var body struct{ Position map[string]any }
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				t.Fatal(err)
			}
			out = append(out, body.Position)
		}
	}
	return out
}

func TestForgePost(t *testing.T) {
	t.Parallel()
	f, fg := forgeFake(t)
	ctx := context.Background()
	comments := []review.Comment{
		{Path: "a.go", OldPath: "a.go", StartLine: 2, Line: 2, Body: "added\n" + marker1, Key: key1},
		{Path: "a.go", OldPath: "a.go", StartLine: 4, Line: 4, OldLine: 2, Body: "context"},
		{Path: "a.go", OldPath: "a.go", StartLine: 2, Line: 4, OldEndLine: 2, Body: "range\n```suggestion:-0+2\na\nb\nc\n```\n"},
		{Path: "new.go", OldPath: "old.go", StartLine: 11, Line: 11, Body: "renamed"},
		{Path: "n.go", StartLine: 1, Line: 2, Body: "new file"},
	}
	if err := fg.Post(ctx, comments); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(positions(t, f))
	sha := `"base_sha":"` + strings.Repeat("a", 40) + `","head_sha":"` + strings.Repeat("c", 40) + `",`
	start := `"start_sha":"` + strings.Repeat("b", 40) + `"`
	want := `[{` + sha + `"new_line":2,"new_path":"a.go","old_path":"a.go","position_type":"text",` + start + `},` +
		`{` + sha + `"new_line":4,"new_path":"a.go","old_line":2,"old_path":"a.go","position_type":"text",` + start + `},` +
		`{` + sha + `"line_range":{"end":{"line_code":"` + LineCode("a.go", 2, 4) + `","type":"old"},` +
		`"start":{"line_code":"` + LineCode("a.go", 2, 2) + `","type":"new"}},"new_line":2,"new_path":"a.go","old_path":"a.go","position_type":"text",` + start + `},` +
		`{` + sha + `"new_line":11,"new_path":"new.go","old_path":"old.go","position_type":"text",` + start + `},` +
		`{` + sha + `"line_range":{"end":{"line_code":"` + LineCode("n.go", 0, 2) + `","type":"new"},` +
		`"start":{"line_code":"` + LineCode("n.go", 0, 1) + `","type":"new"}},"new_line":1,"new_path":"n.go","old_path":"n.go","position_type":"text",` + start + `}]`
	if string(got) != want {
		t.Errorf("positions:\n%s\nwant\n%s", got, want)
	}
	if n := len(f.Discussions()); n != 5 {
		t.Errorf("%d discussions", n)
	}
	// The version was read once.
	versions := 0
	for _, l := range f.Log() {
		if strings.Contains(l, "/versions") {
			versions++
		}
	}
	if versions != 1 {
		t.Errorf("%d reads of the versions", versions)
	}
}

func TestForgePostRefusedLineGoesOn(t *testing.T) {
	t.Parallel()
	f, fg := forgeFake(t)
	err := fg.Post(context.Background(), []review.Comment{
		{Path: "a.go", StartLine: 40, Line: 40, Body: "gone"},
		{Path: "a.go", StartLine: 3, Line: 3, Body: "fine"},
		{Path: "x.go", StartLine: 1, Line: 2, Body: "not changed"},
		{Path: "a.go", StartLine: 2, Line: 2, Body: "fine too"},
	})
	var refused *review.RefusedError
	var apiErr *APIError
	if !errors.As(err, &refused) || fmt.Sprint(refused.Comments) != "[0 2]" || !errors.As(err, &apiErr) || apiErr.StatusCode != 400 ||
		!strings.Contains(err.Error(), "a comment on a.go:40") {
		t.Errorf("got %v", err)
	}
	if d := f.Discussions(); len(d) != 2 || d[0].Notes[0].Body != "fine" || d[1].Notes[0].Body != "fine too" {
		t.Errorf("discussions %+v", d)
	}
	// SHAs of no version of the merge request: every comment refused,
	// each tried.
	f.Versions = []fakegitlab.Version{{ID: 2, HeadCommitSHA: strings.Repeat("d", 40), BaseCommitSHA: strings.Repeat("a", 40), StartCommitSHA: strings.Repeat("b", 40)}}
	err = fg.Post(context.Background(), []review.Comment{{Path: "a.go", StartLine: 3, Line: 3, Body: "stale"}, {Path: "a.go", StartLine: 2, Line: 2, Body: "stale"}})
	if !errors.As(err, &refused) || fmt.Sprint(refused.Comments) != "[0 1]" {
		t.Errorf("stale: %v", err)
	}
}

// The fake refuses what GitLab refuses: line numbers inside a line_range
// (GitLab declares them strings, its schema integers: "must be a valid
// json schema"), a position without old_path, a version not the newest.
func TestFakeRefusesPositions(t *testing.T) {
	t.Parallel()
	f, _ := forgeFake(t)
	f.Versions = append(f.Versions, fakegitlab.Version{ID: 0, HeadCommitSHA: strings.Repeat("9", 40), BaseCommitSHA: strings.Repeat("a", 40), StartCommitSHA: strings.Repeat("b", 40)})
	c, _ := client(t, f)
	pos := func(edit func(p map[string]any)) map[string]any {
		p := map[string]any{"position_type": "text", "base_sha": strings.Repeat("a", 40), "start_sha": strings.Repeat("b", 40),
			"head_sha": strings.Repeat("c", 40), "old_path": "a.go", "new_path": "a.go", "new_line": 2,
			"line_range": map[string]any{"start": map[string]any{"line_code": LineCode("a.go", 2, 2), "type": "new"},
				"end": map[string]any{"line_code": LineCode("a.go", 2, 3), "type": "new"}}}
		edit(p)
		return p
	}
	lr := func(p map[string]any, end string) map[string]any {
		return p["line_range"].(map[string]any)[end].(map[string]any)
	}
	for _, tc := range []struct {
		name string
		edit func(p map[string]any)
		want string
	}{
		{"fine", func(map[string]any) {}, ""},
		{"start new_line", func(p map[string]any) { lr(p, "start")["new_line"] = 2 }, "must be a valid json schema"},
		{"end old_line", func(p map[string]any) { lr(p, "end")["old_line"] = 2 }, "must be a valid json schema"},
		{"no old_path", func(p map[string]any) { delete(p, "old_path") }, "is incomplete"},
		{"stale head", func(p map[string]any) { p["head_sha"] = strings.Repeat("d", 40) }, "is incomplete"},
		{"older version, its diff unknown", func(p map[string]any) { p["head_sha"] = strings.Repeat("9", 40) }, "is incomplete"},
		{"end type", func(p map[string]any) { lr(p, "end")["type"] = "old" }, "line_range is invalid"},
	} {
		_, err := c.do(context.Background(), request{method: "POST", path: "projects/42/merge_requests/7/discussions",
			body: map[string]any{"body": "x", "position": pos(tc.edit)}}, nil)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestForgePostedSummaryResolve(t *testing.T) {
	t.Parallel()
	f, fg := forgeFake(t)
	ctx := context.Background()
	alice := fakegitlab.User{ID: 5, Username: "alice"}
	// Alice's notes with markers are not sarifkit's: ignored.
	f.AddDiscussion(alice, "hide it\n<!-- sarifkit-review: "+key2+" -->", map[string]any{"new_path": "a.go", "new_line": 3})
	f.AddDiscussion(alice, "edit me\n"+markerSum, nil)
	f.AddDiscussion(fakegitlab.Bot, "no marker", nil)
	if err := fg.Post(ctx, []review.Comment{{Path: "a.go", StartLine: 2, Line: 2, Body: "x\n" + marker1, Key: key1}}); err != nil {
		t.Fatal(err)
	}
	if err := fg.Summary(ctx, markerSum, "summary 1\n"+markerSum, nil); err != nil {
		t.Fatal(err)
	}
	posted, err := fg.Posted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(posted) != 2 {
		t.Fatalf("posted %+v", posted)
	}
	c, s := posted[0], posted[1]
	if c.Key != key1 || c.Marker != marker1 || c.Path != "a.go" || c.Line != 2 || c.Resolved || c.Summary || c.ThreadID == "" || c.ID == "" {
		t.Errorf("comment %+v", c)
	}
	if !s.Summary || s.Marker != markerSum || s.Key != "" {
		t.Errorf("summary %+v", s)
	}
	// A second summary edits the first in place.
	if err := fg.Summary(ctx, markerSum, "summary 2\n"+markerSum, posted); err != nil {
		t.Fatal(err)
	}
	if err := fg.Resolve(ctx, c, "Fixed at `abc`."); err != nil {
		t.Fatal(err)
	}
	// The note first, then the thread resolved.
	if d := f.Discussions()[3]; len(d.Notes) != 2 || d.Notes[1].Body != "Fixed at `abc`." || !d.Notes[0].Resolved || d.Notes[1].Author != fakegitlab.Bot {
		t.Errorf("resolved thread: %+v", d.Notes)
	}
	posted, err = fg.Posted(ctx)
	if err != nil || len(posted) != 2 || !posted[0].Resolved || posted[0].Body != "" || posted[1].Body != "" {
		t.Errorf("after: %+v %v", posted, err)
	}
	if d := f.Discussions(); !strings.HasPrefix(d[len(d)-1].Notes[0].Body, "summary 2") {
		t.Errorf("summary not edited: %+v", d[len(d)-1].Notes[0])
	}
	if n := len(f.Discussions()); n != 5 {
		t.Errorf("%d discussions, want 5 (3 seeded, a comment, a summary)", n)
	}
	log := strings.Join(f.Log(), "\n")
	for _, want := range []string{"GET /api/v4/user", "PUT /api/v4/projects/group%2Fproject/merge_requests/7/notes/", "POST /api/v4/projects/group%2Fproject/merge_requests/7/discussions/" + c.ThreadID + "/notes\nPUT /api/v4/projects/group%2Fproject/merge_requests/7/discussions/" + c.ThreadID + "?resolved=true"} {
		if !strings.Contains(log, want) {
			t.Errorf("no %q in\n%s", want, log)
		}
	}
}

func TestForgeReadOnly(t *testing.T) {
	t.Parallel()
	f, _ := forgeFake(t)
	c, _ := client(t, f, func(o *Options) { o.Token = f.ReaderToken })
	fg := forge(t, c, "group/project", "")
	ctx := context.Background()
	if _, err := fg.Files(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := fg.Posted(ctx); err != nil {
		t.Fatal(err)
	}
	errs := []error{
		fg.Post(ctx, []review.Comment{{Path: "a.go", StartLine: 2, Line: 2, Body: "x"}}),
		fg.Summary(ctx, markerSum, "s", nil),
		fg.Resolve(ctx, review.Posted{ThreadID: "x"}, ""),
	}
	for i, err := range errs {
		var apiErr *APIError
		if !errors.Is(err, review.ErrReadOnly) || !errors.As(err, &apiErr) || apiErr.StatusCode != 403 {
			t.Errorf("write %d: %v", i, err)
		}
	}
	// A 401 is no read-only token: an error of its own.
	bad, _ := client(t, f, func(o *Options) { o.Token = "glpat-wrong" })
	if _, err := bad.MergeRequests.Forge(ctx, "group/project", 7, ""); err == nil || errors.Is(err, review.ErrReadOnly) {
		t.Errorf("401: %v", err)
	}
}

// A CI job token may not call the merge request endpoints (GitLab
// answers 401), and the user it acts for is whoever started the pipeline,
// the merge request's author as likely as not: a forge with a job token
// takes no note as its own.
func TestForgeJobToken(t *testing.T) {
	t.Parallel()
	f, _ := forgeFake(t)
	f.AddDiscussion(fakegitlab.Bot, "s\n"+markerSum, nil)
	c, _ := client(t, f, func(o *Options) { o.Token, o.JobToken = "", f.JobToken })
	if _, err := c.MergeRequests.Forge(context.Background(), "42", 7, ""); err == nil {
		t.Error("a forge with a job token")
	}
	fg := &Forge{client: c, project: "42", iid: 7, version: &Version{}, newest: true}
	ctx := context.Background()
	var apiErr *APIError
	if err := fg.Summary(ctx, markerSum, "s\n"+markerSum, nil); !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("summary with a job token: %v", err)
	}
	if _, err := fg.Files(ctx); !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Errorf("files with a job token: %v", err)
	}
	if u, err := c.Users.Current(ctx); err != nil || u.Username != fakegitlab.Bot.Username {
		t.Errorf("GET /job: %+v %v", u, err)
	}
	if posted, err := fg.Posted(ctx); err == nil || len(posted) != 0 {
		t.Errorf("posted with a job token: %+v %v", posted, err)
	}
	if log := strings.Join(f.Log(), "\n"); strings.Contains(log, "/user") {
		t.Errorf("log:\n%s", log)
	}
}

func TestNextOld(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		diff       string
		line, want int
	}{
		{hunk, 2, 2}, {hunk, 3, 2},
		{"@@ -0,0 +1,2 @@\n+p\n+q\n", 2, 0},
		{"@@ -1,2 +0,0 @@\n-a\n-b\n@@ -10,1 +8,2 @@\n c\n+d\n", 9, 11},
		{"@@ -3,2 +3,3 @@\n+x\n c\n-d\n+e\n", 3, 3},
		{"@@ -3,2 +3,3 @@\n+x\n c\n-d\n+e\n", 5, 5},
		{hunk, 9, 0},
		// Not a patch: no line.
		{"@@ -1,3 +1,3 @@\n a\n", 1, 0},
		{"@@ -1,1 +1,2 @@\n a\n+b\n+c\n", 3, 0},
	} {
		if got := nextOld(tc.diff, tc.line); got != tc.want {
			t.Errorf("nextOld(%q, %d) = %d, want %d", tc.diff, tc.line, got, tc.want)
		}
	}
}

// The discussions go on the version of the analysed commit (a push may
// have come since), and on the newest when no version has it.
func TestForgeCommitVersion(t *testing.T) {
	t.Parallel()
	f, _ := forgeFake(t)
	old := f.Versions[0]
	f.Versions = append([]fakegitlab.Version{{ID: 2, HeadCommitSHA: strings.Repeat("d", 40), BaseCommitSHA: strings.Repeat("a", 40), CreatedAt: "2026-12-02T10:00:00.000Z",
		StartCommitSHA: strings.Repeat("b", 40)}}, f.Versions...)
	f.OldDiffs = map[string][]fakegitlab.Diff{old.HeadCommitSHA: f.Diffs}
	f.Diffs = []fakegitlab.Diff{{OldPath: "a.go", NewPath: "a.go", Diff: "@@ -1,1 +1,2 @@\n ctx1\n+new2\n"}}
	c, _ := client(t, f)
	ctx := context.Background()
	for _, tc := range []struct{ commit, head string }{
		{old.HeadCommitSHA, old.HeadCommitSHA},
		{"", strings.Repeat("d", 40)},
		{strings.Repeat("e", 40), strings.Repeat("d", 40)},
	} {
		if head := forge(t, c, "group/project", tc.commit).Head(); head != tc.head {
			t.Errorf("commit %q: head %q, want %q", tc.commit, head, tc.head)
		}
	}
	fg := forge(t, c, "group/project", old.HeadCommitSHA)
	if files, err := fg.Files(ctx); err != nil || len(files) != 4 || files[0].Patch != hunk {
		t.Errorf("files of the old version: %+v %v", files, err)
	}
	// Line 3 is added in the old version, not in the newest.
	if err := fg.Post(ctx, []review.Comment{{Path: "a.go", OldPath: "a.go", StartLine: 3, Line: 3, Body: "on the analysed commit"}}); err != nil {
		t.Fatal(err)
	}
	if p := positions(t, f); len(p) != 1 || p[0]["head_sha"] != old.HeadCommitSHA {
		t.Errorf("positions %v", p)
	}
}

// Posted reads every page of discussions but keeps only its own markers;
// past a total, it fails rather than read on (or post duplicates).
func TestForgePostedPagingCap(t *testing.T) {
	t.Parallel()
	f, fg := forgeFake(t)
	alice := fakegitlab.User{ID: 5, Username: "alice"}
	for i := range 250 {
		if i == 230 {
			f.AddDiscussion(fakegitlab.Bot, "ours\n"+markerSum, nil)
		}
		f.AddDiscussion(alice, strings.Repeat("x", 1000)+"\n"+markerSum, nil)
	}
	ctx := context.Background()
	posted, err := fg.Posted(ctx)
	if err != nil || len(posted) != 1 || !posted[0].Summary || posted[0].Body != "" {
		t.Fatalf("posted %+v %v", posted, err)
	}
	pages := 0
	for _, l := range f.Log() {
		if strings.Contains(l, "/discussions?") {
			pages++
		}
	}
	if pages != 3 {
		t.Errorf("%d pages read", pages)
	}
	fg.maxDiscussions = 200
	if posted, err := fg.Posted(ctx); err == nil || !strings.Contains(err.Error(), "more than 200 discussions") {
		t.Errorf("past the cap: %+v %v", posted, err)
	}
}

// The fake reads diffs as package linemap does: lines past a hunk's
// counts are no lines of it.
func TestFakeReadsPatches(t *testing.T) {
	t.Parallel()
	f, fg := forgeFake(t)
	f.Diffs[0].Diff = "@@ -1,1 +1,2 @@\n a\n+b\n+c\n"
	err := fg.Post(context.Background(), []review.Comment{{Path: "a.go", OldPath: "a.go", StartLine: 3, Line: 3, Body: "past the hunk"}})
	var refused *review.RefusedError
	if !errors.As(err, &refused) {
		t.Errorf("got %v", err)
	}
}

// The fake refuses a note longer than GitLab's 1,000,000 characters.
func TestFakeNoteLength(t *testing.T) {
	t.Parallel()
	f, fg := forgeFake(t)
	ctx := context.Background()
	long := strings.Repeat("é", 1_000_000)
	if err := fg.Summary(ctx, markerSum, long, nil); err != nil {
		t.Errorf("1,000,000 characters: %v", err)
	}
	var apiErr *APIError
	if err := fg.Summary(ctx, markerSum, long+"x", nil); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(err.Error(), "is too long (maximum is 1000000 characters)") {
		t.Errorf("1,000,001 characters: %v", err)
	}
	err := fg.Post(ctx, []review.Comment{{Path: "a.go", OldPath: "a.go", StartLine: 2, Line: 2, Body: long + "x"}})
	var refused *review.RefusedError
	if !errors.As(err, &refused) {
		t.Errorf("a comment of 1,000,001 characters: %v", err)
	}
	if n := len(f.Discussions()); n != 1 {
		t.Errorf("%d discussions", n)
	}
}
