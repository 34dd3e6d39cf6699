package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/diff/linemap"
)

// A Pull is a pull request of o/r the fake serves: its files (with their
// patches) and the comments on it. The endpoints check what GitHub
// checks: a review comment's line must be on the diff (a line its patch
// shows on the side named; a multi-line comment's start in the same
// hunk), path, body and line are required, a COMMENT review needs a body
// or comments, commit_id must be one of the pull request's commits (the
// head or an earlier one); replies only to a top-level comment.
type Pull struct {
	Number  int
	HeadSHA string
	// Commits are the pull request's earlier commits, which a review may
	// be of too.
	Commits []string
	Files   []PullFile
	// ReviewComments and IssueComments are the comments on it; those the
	// fake creates are by github-actions[bot].
	ReviewComments []map[string]any
	IssueComments  []map[string]any
	Reviews        []map[string]any
}

// A PullFile is a changed file of a Pull.
type PullFile struct {
	Filename         string `json:"filename"`
	PreviousFilename string `json:"previous_filename,omitempty"`
	Status           string `json:"status"`
	Patch            string `json:"patch,omitempty"`
}

// botUser is the author of the comments the fake creates for a token
// that is no user.
var botUser = map[string]any{"login": "github-actions[bot]", "type": "Bot"}

// author is who the fake's new comments are by: Self, else the bot.
func (f *Server) author() map[string]any {
	if f.Self != nil {
		return f.Self
	}
	return botUser
}

func (f *Server) pull(n int) *Pull {
	for _, p := range f.Pulls {
		if p.Number == n {
			return p
		}
	}
	return nil
}

// servePulls serves /repos/o/r/pulls/... and /repos/o/r/issues/...; ok
// is false for another path.
func (f *Server) servePulls(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	var rest string
	switch {
	case strings.HasPrefix(p, "/repos/o/r/pulls/"):
		rest = strings.TrimPrefix(p, "/repos/o/r/pulls/")
	case strings.HasPrefix(p, "/repos/o/r/issues/"):
		rest = "issues/" + strings.TrimPrefix(p, "/repos/o/r/issues/")
	case p == "/user" && r.Method == "GET":
		f.mu.Lock()
		self := f.Self
		f.mu.Unlock()
		if self == nil {
			// An Actions token is no user.
			writeError(w, 403, "Resource not accessible by integration")
			return true
		}
		json.NewEncoder(w).Encode(self)
		return true
	default:
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.Split(rest, "/")
	if parts[0] == "issues" && len(parts) == 3 && parts[1] == "comments" && r.Method == "PATCH" {
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		text, ok := commentBody(w, r)
		if !ok {
			return true
		}
		for _, pr := range f.Pulls {
			for _, c := range pr.IssueComments {
				if c["id"] == id {
					if c["user"].(map[string]any)["login"] != f.author()["login"] {
						writeError(w, 403, "Must have admin rights to Repository.")
						return true
					}
					c["body"] = text
					json.NewEncoder(w).Encode(c)
					return true
				}
			}
		}
		writeError(w, 404, "Not Found")
		return true
	}
	if parts[0] == "issues" {
		parts = parts[1:]
	}
	n, err := strconv.Atoi(parts[0])
	pr := f.pull(n)
	if err != nil || pr == nil {
		writeError(w, 404, "Not Found")
		return true
	}
	issue := strings.HasPrefix(rest, "issues/")
	switch what := strings.Join(parts[1:], "/"); {
	case !issue && what == "" && r.Method == "GET":
		json.NewEncoder(w).Encode(map[string]any{"number": pr.Number, "state": "open",
			"head": map[string]any{"sha": pr.HeadSHA, "ref": "feature"}, "base": map[string]any{"sha": strings.Repeat("b", 40), "ref": "main"}})
	case !issue && what == "files" && r.Method == "GET":
		paginate(w, r, f.URL, pr.Files)
	case !issue && what == "comments" && r.Method == "GET":
		paginate(w, r, f.URL, pr.ReviewComments)
	case issue && what == "comments" && r.Method == "GET":
		paginate(w, r, f.URL, pr.IssueComments)
	case issue && what == "comments" && r.Method == "POST":
		text, ok := commentBody(w, r)
		if !ok {
			return true
		}
		c := map[string]any{"id": f.nextID(), "body": text, "user": f.author()}
		pr.IssueComments = append(pr.IssueComments, c)
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(c)
	case !issue && what == "reviews" && r.Method == "POST":
		f.createReview(w, r, pr)
	case !issue && len(parts) == 4 && parts[1] == "comments" && parts[3] == "replies" && r.Method == "POST":
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		text, ok := commentBody(w, r)
		if !ok {
			return true
		}
		for _, c := range pr.ReviewComments {
			if c["id"] == id {
				if c["in_reply_to_id"] != nil {
					writeError(w, 422, "Replies to replies are not supported")
					return true
				}
				reply := map[string]any{"id": f.nextID(), "in_reply_to_id": id, "path": c["path"], "line": c["line"], "side": c["side"],
					"body": text, "user": f.author(), "commit_id": pr.HeadSHA}
				pr.ReviewComments = append(pr.ReviewComments, reply)
				w.WriteHeader(201)
				json.NewEncoder(w).Encode(reply)
				return true
			}
		}
		writeError(w, 404, "Not Found")
	default:
		writeError(w, 404, "Not Found")
	}
	return true
}

func (f *Server) nextID() int64 {
	f.ids++
	return 1000 + f.ids
}

// diffLines returns the lines of a file's patch on each side: side ->
// line -> hunk.
func diffLines(patch string) (map[string]map[int]int, error) {
	lines, err := linemap.ReadPatch(patch)
	if err != nil {
		return nil, err
	}
	out := map[string]map[int]int{"LEFT": {}, "RIGHT": {}}
	for _, l := range lines {
		if l.Kind != '+' {
			out["LEFT"][l.Old] = l.Hunk
		}
		if l.Kind != '-' {
			out["RIGHT"][l.New] = l.Hunk
		}
	}
	return out, nil
}

func (f *Server) createReview(w http.ResponseWriter, r *http.Request, pr *Pull) {
	var body struct {
		CommitID *string `json:"commit_id"`
		Body     string  `json:"body"`
		Event    *string `json:"event"`
		Comments []struct {
			Path      *string `json:"path"`
			Body      *string `json:"body"`
			Line      *int    `json:"line"`
			Side      string  `json:"side"`
			StartLine *int    `json:"start_line"`
			StartSide string  `json:"start_side"`
		} `json:"comments"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, 400, "Problems parsing JSON")
		return
	}
	switch {
	case body.CommitID == nil || *body.CommitID != pr.HeadSHA && !slices.Contains(pr.Commits, *body.CommitID):
		writeError(w, 422, "commit_id is not part of the pull request")
		return
	case body.Event == nil || *body.Event != "COMMENT":
		writeError(w, 422, "event must be COMMENT here")
		return
	case body.Body == "" && len(body.Comments) == 0:
		writeError(w, 422, "Unprocessable Entity: body is required for a COMMENT review")
		return
	case tooLong(body.Body):
		writeError(w, 422, "Validation Failed: body is too long (maximum is 65536 characters)")
		return
	}
	reviewID := f.nextID()
	var made []map[string]any
	for i, c := range body.Comments {
		if c.Path == nil || c.Body == nil || *c.Body == "" || c.Line == nil {
			writeError(w, 422, fmt.Sprintf("comment %d: path, body and line are required", i))
			return
		}
		if tooLong(*c.Body) {
			writeError(w, 422, fmt.Sprintf("comment %d: body is too long (maximum is 65536 characters)", i))
			return
		}
		side := c.Side
		if side == "" {
			side = "RIGHT"
		}
		var file *PullFile
		for k := range pr.Files {
			if pr.Files[k].Filename == *c.Path {
				file = &pr.Files[k]
			}
		}
		if file == nil {
			writeError(w, 422, "Path could not be resolved")
			return
		}
		lines, err := diffLines(file.Patch)
		if err != nil {
			writeError(w, 500, "bad patch in the fake: "+err.Error())
			return
		}
		hunk, ok := lines[side][*c.Line]
		if !ok {
			writeError(w, 422, "pull_request_review_thread.line must be part of the diff")
			return
		}
		if c.StartLine != nil {
			ss := c.StartSide
			if ss == "" {
				ss = side
			}
			sh, ok := lines[ss][*c.StartLine]
			if !ok || *c.StartLine >= *c.Line {
				writeError(w, 422, "pull_request_review_thread.start_line must be part of the diff and before line")
				return
			}
			if sh != hunk {
				writeError(w, 422, "pull_request_review_thread.start_line must be part of the same hunk as the line.")
				return
			}
		}
		m := map[string]any{"id": f.nextID(), "pull_request_review_id": reviewID, "path": *c.Path, "line": *c.Line, "side": side,
			"body": *c.Body, "user": f.author(), "commit_id": *body.CommitID}
		if c.StartLine != nil {
			m["start_line"] = *c.StartLine
		}
		made = append(made, m)
	}
	pr.ReviewComments = append(pr.ReviewComments, made...)
	rv := map[string]any{"id": reviewID, "state": "COMMENTED", "commit_id": *body.CommitID, "body": body.Body, "user": f.author()}
	pr.Reviews = append(pr.Reviews, rv)
	json.NewEncoder(w).Encode(rv)
}

// commentBody reads the body of a comment to create or edit: 422 when it
// has none.
func commentBody(w http.ResponseWriter, r *http.Request) (string, bool) {
	var body struct {
		Body *string `json:"body"`
	}
	if json.NewDecoder(r.Body).Decode(&body) != nil || body.Body == nil || *body.Body == "" {
		writeError(w, 422, "body is required")
		return "", false
	}
	if tooLong(*body.Body) {
		writeError(w, 422, "Validation Failed: body is too long (maximum is 65536 characters)")
		return "", false
	}
	return *body.Body, true
}

// MaxBody is the most characters GitHub takes in a comment's or a
// review's body.
const MaxBody = 65536

func tooLong(s string) bool { return utf8.RuneCountInString(s) > MaxBody }
