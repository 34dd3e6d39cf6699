package gitlab

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MergeRequestsService reads a merge request's versions and diffs, and
// writes its discussions and notes: what a review needs.
//
// https://docs.gitlab.com/api/merge_requests/
type MergeRequestsService struct{ client *Client }

// A Version is one push of a merge request: the commits its diff runs
// between. A diff position names the three SHAs of the version it is on.
type Version struct {
	ID             int64     `json:"id"`
	HeadCommitSHA  string    `json:"head_commit_sha"`
	BaseCommitSHA  string    `json:"base_commit_sha"`
	StartCommitSHA string    `json:"start_commit_sha"`
	CreatedAt      time.Time `json:"created_at"`
	State          string    `json:"state,omitempty"`
	RealSize       string    `json:"real_size,omitempty"`
	// Diffs are the version's changes: only in [MergeRequestsService.Version]'s
	// answer.
	Diffs []*Diff `json:"diffs,omitempty"`
}

// A Diff is the change of one file in a merge request.
type Diff struct {
	OldPath string `json:"old_path"`
	NewPath string `json:"new_path"`
	AMode   string `json:"a_mode,omitempty"`
	BMode   string `json:"b_mode,omitempty"`
	// Diff holds the file's hunks, from the first "@@" line: "" when the
	// file is binary, or its diff too large or collapsed.
	Diff        string `json:"diff"`
	NewFile     bool   `json:"new_file"`
	RenamedFile bool   `json:"renamed_file"`
	DeletedFile bool   `json:"deleted_file"`
	TooLarge    bool   `json:"too_large,omitempty"`
	Collapsed   bool   `json:"collapsed,omitempty"`
}

// A Discussion is a thread of notes: on a line of the diff (its first
// note has a Position), or on the merge request as a whole.
type Discussion struct {
	ID string `json:"id"`
	// IndividualNote is true for a plain note that is no thread.
	IndividualNote bool    `json:"individual_note"`
	Notes          []*Note `json:"notes"`
}

// Resolved tells whether every resolvable note of the discussion is
// resolved (GitLab resolves a discussion as a whole).
func (d *Discussion) Resolved() bool {
	some := false
	for _, n := range d.Notes {
		if n.Resolvable {
			if !n.Resolved {
				return false
			}
			some = true
		}
	}
	return some
}

// A Note is a comment: on a line of the diff (a DiffNote, with a
// Position), or on the merge request.
type Note struct {
	ID         int64     `json:"id"`
	Type       string    `json:"type,omitempty"` // "DiffNote", "DiscussionNote" or ""
	Body       string    `json:"body"`
	Author     *User     `json:"author,omitempty"`
	System     bool      `json:"system"`
	Resolvable bool      `json:"resolvable"`
	Resolved   bool      `json:"resolved"`
	Position   *Position `json:"position,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// A User is a GitLab account.
type User struct {
	ID       int64  `json:"id,omitempty"`
	Username string `json:"username"`
}

// A Position anchors a discussion on a line of a version's diff. For a
// text position: an added line has NewLine only, a removed line OldLine
// only, and a context line (unchanged, shown in a hunk) both. OldPath and
// NewPath are both required, equal unless the file was renamed. A region
// of several lines adds LineRange; NewLine (and OldLine) are then its
// first line's.
type Position struct {
	PositionType string     `json:"position_type"` // "text"
	BaseSHA      string     `json:"base_sha"`
	StartSHA     string     `json:"start_sha"`
	HeadSHA      string     `json:"head_sha"`
	OldPath      string     `json:"old_path,omitempty"`
	NewPath      string     `json:"new_path,omitempty"`
	OldLine      int        `json:"old_line,omitempty"`
	NewLine      int        `json:"new_line,omitempty"`
	LineRange    *LineRange `json:"line_range,omitempty"`
}

// A LineRange is the first and last lines of a multi-line position.
type LineRange struct {
	Start LinePosition `json:"start"`
	End   LinePosition `json:"end"`
}

// A LinePosition is one end of a [LineRange]: a line code and a type,
// nothing else. (GitLab documents old_line and new_line here too, but
// refuses them: "must be a valid json schema".)
type LinePosition struct {
	// LineCode is GitLab's name of a line of a file's diff: see
	// [LineCode].
	LineCode string `json:"line_code"`
	// Type is "new" for an added line, "old" for any other.
	Type string `json:"type"`
}

// LineCode returns GitLab's code of a line of a file's diff: the SHA-1 of
// the file's path, its old line and its new line. An added line's old
// line is the number of the old file's next line at that point of the
// hunk, a removed line's new line the new file's next line.
func LineCode(path string, oldLine, newLine int) string {
	h := sha1.Sum([]byte(path))
	return hex.EncodeToString(h[:]) + "_" + strconv.Itoa(oldLine) + "_" + strconv.Itoa(newLine)
}

// mrPath is the path of a merge request's endpoint: the project is its
// numeric id or its path, escaped ("group%2Fproject").
func mrPath(project string, iid int, rest string) string {
	return "projects/" + url.PathEscape(project) + "/merge_requests/" + strconv.Itoa(iid) + rest
}

// Versions returns the merge request's versions, newest first (the first
// page of 100 at most: a diff position uses the newest).
//
// GET /projects/:id/merge_requests/:merge_request_iid/versions
// https://docs.gitlab.com/api/merge_requests/#get-merge-request-diff-versions
func (s *MergeRequestsService) Versions(ctx context.Context, project string, iid int) ([]*Version, error) {
	var vs []*Version
	_, err := s.client.do(ctx, request{method: http.MethodGet, path: mrPath(project, iid, "/versions"),
		query: url.Values{"per_page": {"100"}}}, &vs)
	return vs, err
}

// Latest returns the newest version of the merge request.
func (s *MergeRequestsService) Latest(ctx context.Context, project string, iid int) (*Version, error) {
	v, _, err := s.AtCommit(ctx, project, iid, "")
	return v, err
}

// AtCommit returns the version of the merge request whose head is commit,
// or the newest when commit is "" or no version (of the newest 100) has
// it; newest tells whether it is the newest version.
func (s *MergeRequestsService) AtCommit(ctx context.Context, project string, iid int, commit string) (v *Version, newest bool, err error) {
	vs, err := s.Versions(ctx, project, iid)
	if err != nil {
		return nil, false, err
	}
	var top, at *Version
	for _, v := range vs { // newest first, as documented; by id in case the server says otherwise
		if v == nil {
			continue
		}
		if top == nil || v.ID > top.ID {
			top = v
		}
		if commit != "" && strings.EqualFold(v.HeadCommitSHA, commit) && (at == nil || v.ID > at.ID) {
			at = v
		}
	}
	if top == nil {
		return nil, false, fmt.Errorf("merge request %d of %s has no version (no diff yet)", iid, sanitize(project))
	}
	if at == nil {
		return top, true, nil
	}
	return at, at == top, nil
}

// Version returns one version of the merge request, with its diffs.
//
// GET /projects/:id/merge_requests/:merge_request_iid/versions/:version_id
// https://docs.gitlab.com/api/merge_requests/#get-a-single-merge-request-diff-version
func (s *MergeRequestsService) Version(ctx context.Context, project string, iid int, id int64) (*Version, error) {
	var v Version
	if _, err := s.client.do(ctx, request{method: http.MethodGet, path: mrPath(project, iid, "/versions/"+strconv.FormatInt(id, 10))}, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Diffs returns the changes of the merge request's newest version, every
// page of them (more than 10,000 files is an error).
//
// GET /projects/:id/merge_requests/:merge_request_iid/diffs
// https://docs.gitlab.com/api/merge_requests/#list-merge-request-diffs
func (s *MergeRequestsService) Diffs(ctx context.Context, project string, iid int) ([]*Diff, error) {
	return listAll[*Diff](ctx, s.client, mrPath(project, iid, "/diffs"), maxDiffs)
}

// Discussions returns the merge request's discussions, every page of
// them (plain notes included, as discussions of one note; more than
// 20,000 is an error). [MergeRequestsService.EachDiscussion] keeps none.
//
// GET /projects/:id/merge_requests/:merge_request_iid/discussions
// https://docs.gitlab.com/api/discussions/#list-project-merge-request-discussion-items
func (s *MergeRequestsService) Discussions(ctx context.Context, project string, iid int) ([]*Discussion, error) {
	return listAll[*Discussion](ctx, s.client, mrPath(project, iid, "/discussions"), maxDiscussions)
}

// EachDiscussion calls f with each of the merge request's discussions, a
// page at a time, keeping none: what f keeps is all a long thread of other
// people's notes costs. It stops at the first error of f, and fails once
// more than most discussions came (most <= 0: no bound).
func (s *MergeRequestsService) EachDiscussion(ctx context.Context, project string, iid int, most int, f func(*Discussion) error) error {
	n := 0
	return eachPage(ctx, s.client, mrPath(project, iid, "/discussions"), func(batch []*Discussion) error {
		if n += len(batch); most > 0 && n > most {
			return fmt.Errorf("merge request %d of %s has more than %d discussions: too many to read", iid, sanitize(project), most)
		}
		for _, d := range batch {
			if d != nil {
				if err := f(d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// NewDiscussion is a discussion to create: its first note's body, and
// where on the diff it goes (nil: on the merge request as a whole).
type NewDiscussion struct {
	Body     string    `json:"body"`
	Position *Position `json:"position,omitempty"`
}

// CreateDiscussion starts a discussion.
//
// POST /projects/:id/merge_requests/:merge_request_iid/discussions
// https://docs.gitlab.com/api/discussions/#create-a-new-thread-in-the-merge-request-diff
func (s *MergeRequestsService) CreateDiscussion(ctx context.Context, project string, iid int, d *NewDiscussion) (*Discussion, error) {
	var out Discussion
	if _, err := s.client.do(ctx, request{method: http.MethodPost, path: mrPath(project, iid, "/discussions"), body: d}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ResolveDiscussion resolves (or, with resolved false, reopens) a
// discussion.
//
// PUT /projects/:id/merge_requests/:merge_request_iid/discussions/:discussion_id?resolved=true
// https://docs.gitlab.com/api/discussions/#resolve-a-merge-request-thread
func (s *MergeRequestsService) ResolveDiscussion(ctx context.Context, project string, iid int, discussion string, resolved bool) (*Discussion, error) {
	var out Discussion
	if _, err := s.client.do(ctx, request{method: http.MethodPut, path: mrPath(project, iid, "/discussions/"+url.PathEscape(discussion)),
		query: url.Values{"resolved": {strconv.FormatBool(resolved)}}}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddNote adds a note to a discussion: a reply in its thread.
//
// POST /projects/:id/merge_requests/:merge_request_iid/discussions/:discussion_id/notes
// https://docs.gitlab.com/api/discussions/#add-note-to-existing-merge-request-thread
func (s *MergeRequestsService) AddNote(ctx context.Context, project string, iid int, discussion, body string) (*Note, error) {
	var out Note
	if _, err := s.client.do(ctx, request{method: http.MethodPost, path: mrPath(project, iid, "/discussions/"+url.PathEscape(discussion)+"/notes"),
		body: map[string]string{"body": body}}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateNote adds a note on the merge request as a whole.
//
// POST /projects/:id/merge_requests/:merge_request_iid/notes
// https://docs.gitlab.com/api/notes/#create-new-merge-request-note
func (s *MergeRequestsService) CreateNote(ctx context.Context, project string, iid int, body string) (*Note, error) {
	var out Note
	if _, err := s.client.do(ctx, request{method: http.MethodPost, path: mrPath(project, iid, "/notes"),
		body: map[string]string{"body": body}}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateNote replaces the body of a note.
//
// PUT /projects/:id/merge_requests/:merge_request_iid/notes/:note_id
// https://docs.gitlab.com/api/notes/#modify-existing-merge-request-note
func (s *MergeRequestsService) UpdateNote(ctx context.Context, project string, iid int, note int64, body string) (*Note, error) {
	var out Note
	if _, err := s.client.do(ctx, request{method: http.MethodPut, path: mrPath(project, iid, "/notes/"+strconv.FormatInt(note, 10)),
		body: map[string]string{"body": body}}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// maxPages bounds a listing: more pages mean the server's paging loops.
const maxPages = 10_000

// maxDiffs bounds [MergeRequestsService.Diffs]: more files than GitLab
// shows in a merge request (3,000 at most).
const maxDiffs = 10_000

// listAll GETs a list endpoint, 100 items a page, through every page,
// failing past most items.
func listAll[T any](ctx context.Context, c *Client, path string, most int) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, path, func(batch []T) error {
		if len(all)+len(batch) > most {
			return fmt.Errorf("GET %s: more than %d items: too many to read", sanitize(path), most)
		}
		all = append(all, batch...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// eachPage GETs a list endpoint, 100 items a page, and calls f with each
// page: the next is the one x-next-page names (empty on the last), and
// must be further on.
func eachPage[T any](ctx context.Context, c *Client, path string, f func([]T) error) error {
	for page := 1; ; {
		var batch []T
		resp, err := c.do(ctx, request{method: http.MethodGet, path: path,
			query: url.Values{"per_page": {"100"}, "page": {strconv.Itoa(page)}}}, &batch)
		if err != nil {
			return err
		}
		if err := f(batch); err != nil {
			return err
		}
		next := strings.TrimSpace(resp.Header.Get("X-Next-Page"))
		if next == "" || len(batch) == 0 {
			return nil
		}
		n, err := strconv.Atoi(next)
		if err != nil || n <= page || n > maxPages {
			return fmt.Errorf("GET %s: page %d says the next is %q; the server's paging is broken", sanitize(path), page, c.secrets.ServerText(next))
		}
		page = n
	}
}
