// Package fakegitlab is a fake of the part of GitLab's REST API (v4) a
// review posts through, for tests of package gitlab and of the commands
// that use it: a merge request's versions, its diffs (paged), its
// discussions (listed, paged; created on a line of the diff; replied to;
// resolved)
// and its notes (created, edited). It is strict where GitLab is: a
// position on a line that is not in the diff, or whose old and new lines
// do not say what the line is, is refused with GitLab's 400; so is a
// position on another version than the newest, a missing field (old_path
// included), line numbers inside a line_range, and a note longer than
// 1,000,000 characters. It
// answers 401 to a request without the right token and 403 to a write
// with a read-only one, injects faults on demand (server errors, rate
// limits, a server that hangs, an answer too large, a redirect to another
// host), and records every request it served. It listens on loopback
// only.
package fakegitlab

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Version is a merge request version as the API shows it.
type Version struct {
	ID             int64  `json:"id"`
	HeadCommitSHA  string `json:"head_commit_sha"`
	BaseCommitSHA  string `json:"base_commit_sha"`
	StartCommitSHA string `json:"start_commit_sha"`
	CreatedAt      string `json:"created_at"`
	State          string `json:"state"`
}

// Diff is the change of one file, as GET .../diffs shows it.
type Diff struct {
	OldPath     string `json:"old_path"`
	NewPath     string `json:"new_path"`
	AMode       string `json:"a_mode"`
	BMode       string `json:"b_mode"`
	Diff        string `json:"diff"`
	NewFile     bool   `json:"new_file"`
	RenamedFile bool   `json:"renamed_file"`
	DeletedFile bool   `json:"deleted_file"`
}

// Discussion is a thread as the API shows it.
type Discussion struct {
	ID             string  `json:"id"`
	IndividualNote bool    `json:"individual_note"`
	Notes          []*Note `json:"notes"`
}

// Note is a note as the API shows it.
type Note struct {
	ID         int64          `json:"id"`
	Type       *string        `json:"type"`
	Body       string         `json:"body"`
	Author     User           `json:"author"`
	System     bool           `json:"system"`
	Resolvable bool           `json:"resolvable"`
	Resolved   bool           `json:"resolved"`
	Position   map[string]any `json:"position,omitempty"`
	CreatedAt  string         `json:"created_at"`
}

// User is an account.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

// Request is a request the fake received.
type Request struct {
	Method string
	URI    string // the escaped path and query, as sent
	Auth   string // "PRIVATE-TOKEN: value", "JOB-TOKEN: value", "Authorization: value", or ""
	Body   string
}

// Bot is the account the fake's Token and JobToken act as (GET /user,
// GET /job), and the author of the notes they write; Reader the
// ReaderToken's.
var (
	Bot    = User{ID: 99, Username: "project_42_bot"}
	Reader = User{ID: 98, Username: "guest"}
)

// Server is the fake. Set its fields before the requests start; the
// project is Project ("group/project") or ProjectID (42), its merge
// request IID (7).
type Server struct {
	URL string // the API root: http://127.0.0.1:PORT/api/v4
	// Token is a full access token (PRIVATE-TOKEN), JobToken a CI job
	// token (JOB-TOKEN: GET /job answers, the merge request endpoints
	// answer 401, as on GitLab), ReaderToken an access token that may read
	// but not write (403).
	Token, JobToken, ReaderToken string
	Project                      string
	ProjectID                    int
	IID                          int
	// Versions of the merge request, newest first; Diffs those of the
	// newest, OldDiffs those of older ones by their head commit (a
	// position on an older version not there is refused).
	Versions []Version
	Diffs    []Diff
	OldDiffs map[string][]Diff

	srv, elsewhere *httptest.Server

	mu          sync.Mutex
	discussions []*Discussion
	lastID      int64
	faults      map[string][]string // path -> faults to serve, in order
	requests    []Request
	away        []Request // those that reached the other host
}

// New starts a fake on loopback; it stops when the test ends.
func New(t testing.TB) *Server {
	f := Start()
	t.Cleanup(f.Close)
	return f
}

// Start starts a fake on loopback, for examples and scripts; Close stops
// it. Its tokens are "glpat-secret", "job-secret" and "glpat-reader"; the
// merge request has one version, no diff and no discussion.
func Start() *Server {
	f := &Server{Token: "glpat-secret", JobToken: "job-secret", ReaderToken: "glpat-reader",
		Project: "group/project", ProjectID: 42, IID: 7, faults: map[string][]string{}, lastID: 1000,
		Versions: []Version{{ID: 1, HeadCommitSHA: strings.Repeat("c", 40), BaseCommitSHA: strings.Repeat("a", 40),
			StartCommitSHA: strings.Repeat("b", 40), CreatedAt: "2026-12-01T10:00:00.000Z", State: "collected"}}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.elsewhere = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.away = append(f.away, record(r))
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "[]")
	}))
	f.URL = f.srv.URL + "/api/v4"
	return f
}

// Close stops the server.
func (f *Server) Close() { f.srv.Close(); f.elsewhere.Close() }

// Fault queues faults for a path below the API root, as sent
// ("/projects/group%2Fproject/merge_requests/7/diffs"), served in order
// before the normal answers: "500", "502", "429" (Retry-After: 7),
// "none" (the normal answer: to skip a request), "400" (a position GitLab
// refuses), "403", "404", "hang" (until the client gives up), "huge" (a 2 MiB
// answer, sent in pieces without a length), "truncate" (an answer cut
// short of its length), "badjson", "redirect" (302 to the same path on
// another host, which answers "[]").
func (f *Server) Fault(path string, faults ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[path] = append(f.faults[path], faults...)
}

// Requests returns the requests served so far.
func (f *Server) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Log returns the requests served so far, "METHOD URI".
func (f *Server) Log() []string {
	var out []string
	for _, r := range f.Requests() {
		out = append(out, r.Method+" "+r.URI)
	}
	return out
}

// Elsewhere returns the requests that reached the other host (through a
// "redirect" fault).
func (f *Server) Elsewhere() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.away...)
}

// Discussions returns a copy of the merge request's discussions.
func (f *Server) Discussions() []*Discussion {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*Discussion
	if err := roundTrip(f.discussions, &out); err != nil {
		panic(err)
	}
	return out
}

// AddDiscussion adds a discussion of one note by author (another user's,
// say); a position makes it a resolvable diff note. It returns the
// discussion's id.
func (f *Server) AddDiscussion(author User, body string, position map[string]any) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addDiscussion(author, body, position).ID
}

func (f *Server) addDiscussion(author User, body string, position map[string]any) *Discussion {
	f.lastID++
	n := &Note{ID: f.lastID, Body: body, Author: author, CreatedAt: "2026-12-01T11:00:00.000Z"}
	d := &Discussion{ID: fmt.Sprintf("%040x", f.lastID), IndividualNote: position == nil, Notes: []*Note{n}}
	if position != nil {
		t := "DiffNote"
		n.Type, n.Position, n.Resolvable = &t, position, true
	}
	f.discussions = append(f.discussions, d)
	return d
}

func roundTrip(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func record(r *http.Request) Request {
	req := Request{Method: r.Method, URI: r.URL.RequestURI()}
	for _, h := range []string{"PRIVATE-TOKEN", "JOB-TOKEN", "Authorization"} {
		if v := r.Header.Get(h); v != "" {
			req.Auth = h + ": " + v
		}
	}
	if r.Body != nil {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		req.Body = string(b)
	}
	return req
}

// writeJSON writes v as the answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeMessage writes GitLab's error shape, {"message": msg}.
func writeMessage(w http.ResponseWriter, status int, msg any) {
	writeJSON(w, status, map[string]any{"message": msg})
}

// maxNote is the most characters GitLab takes in a note, and tooLong its
// answer to a longer one.
const (
	maxNote = 1_000_000
	tooLong = `400 Bad request - Note {:note=>["is too long (maximum is 1000000 characters)"]}`
)

// badSchema is GitLab's answer to a position its JSON schema refuses.
const badSchema = `400 Bad request - Note {:position=>["must be a valid json schema"]}`

// badPosition is GitLab's answer to a position on no line of the diff.
const badPosition = `400 Bad request - Note {:line_code=>["can't be blank", "must be a valid line code"], :position=>["is incomplete"]}`

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	req := record(r)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	path, _ := strings.CutPrefix(r.URL.EscapedPath(), "/api/v4")
	var fault string
	if q := f.faults[path]; len(q) > 0 {
		fault, f.faults[path] = q[0], q[1:]
	}
	f.mu.Unlock()

	reader := f.ReaderToken != "" && r.Header.Get("PRIVATE-TOKEN") == f.ReaderToken
	if !reader && !(f.Token != "" && r.Header.Get("PRIVATE-TOKEN") == f.Token) && !(f.JobToken != "" && r.Header.Get("JOB-TOKEN") == f.JobToken) {
		writeMessage(w, 401, "401 Unauthorized")
		return
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "sarifkit") {
		writeMessage(w, 400, "400 Bad request - no user agent of sarifkit")
		return
	}
	switch fault {
	case "500":
		writeMessage(w, 500, "500 Internal Server Error")
		return
	case "502":
		w.WriteHeader(502)
		io.WriteString(w, "<html>502 Bad Gateway</html>")
		return
	case "429":
		w.Header().Set("Retry-After", "7")
		writeMessage(w, 429, "Retry later")
		return
	case "400":
		writeMessage(w, 400, badPosition)
		return
	case "403":
		writeMessage(w, 403, "403 Forbidden")
		return
	case "404":
		writeMessage(w, 404, "404 Not found")
		return
	case "hang":
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
		return
	case "huge":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		io.WriteString(w, `[{"diff":"`)
		chunk := strings.Repeat("x", 64<<10)
		for range 32 {
			io.WriteString(w, chunk)
		}
		io.WriteString(w, `"}]`)
		return
	case "truncate":
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		io.WriteString(w, `[{"id": 1`)
		return
	case "badjson":
		w.WriteHeader(200)
		io.WriteString(w, `[{"id": 1,`)
		return
	case "redirect":
		http.Redirect(w, r, f.elsewhere.URL+r.URL.RequestURI(), http.StatusFound)
		return
	}
	if reader && r.Method != "GET" {
		writeMessage(w, 403, "403 Forbidden")
		return
	}

	job := r.Header.Get("JOB-TOKEN") != ""
	switch {
	case r.Method == "GET" && path == "/user" && !job:
		u := Bot
		if reader {
			u = Reader
		}
		writeJSON(w, 200, u)
		return
	case r.Method == "GET" && path == "/job" && job:
		writeJSON(w, 200, map[string]any{"id": 1234, "status": "running", "user": Bot})
		return
	case path == "/user" || path == "/job":
		writeMessage(w, 401, "401 Unauthorized")
		return
	}
	rest, ok := f.route(path)
	if !ok {
		if strings.HasPrefix(path, "/projects/") && strings.Count(path, "/") >= 3 {
			writeMessage(w, 404, "404 Project Not Found")
		} else {
			writeMessage(w, 404, "404 Not Found")
		}
		return
	}
	if rest == "" {
		writeMessage(w, 404, "404 Not found")
		return
	}
	if job {
		// A CI job token reaches only the few endpoints GitLab lists for
		// it; the merge request's are not among them.
		writeMessage(w, 401, "401 Unauthorized")
		return
	}
	switch {
	case r.Method == "GET" && rest == "/versions":
		paginate(w, r, f.Versions)
	case r.Method == "GET" && strings.HasPrefix(rest, "/versions/"):
		f.serveVersion(w, strings.TrimPrefix(rest, "/versions/"))
	case r.Method == "GET" && rest == "/diffs":
		paginate(w, r, f.Diffs)
	case r.Method == "GET" && rest == "/discussions":
		paginate(w, r, f.Discussions())
	case r.Method == "POST" && rest == "/discussions":
		f.createDiscussion(w, req.Body)
	case r.Method == "POST" && strings.HasPrefix(rest, "/discussions/") && strings.HasSuffix(rest, "/notes"):
		f.reply(w, req.Body, strings.TrimSuffix(strings.TrimPrefix(rest, "/discussions/"), "/notes"))
	case r.Method == "PUT" && strings.HasPrefix(rest, "/discussions/"):
		f.resolve(w, r, strings.TrimPrefix(rest, "/discussions/"))
	case r.Method == "POST" && rest == "/notes":
		f.createNote(w, req.Body)
	case r.Method == "PUT" && strings.HasPrefix(rest, "/notes/"):
		f.updateNote(w, req.Body, strings.TrimPrefix(rest, "/notes/"))
	default:
		writeMessage(w, 404, "404 Not Found")
	}
}

// route splits "/projects/ID/merge_requests/IID/REST" for the fake's
// project (by id or by its escaped path: "group%2Fproject"; an unescaped
// path is no project, as on GitLab) and merge request; rest is "" for
// another merge request.
func (f *Server) route(path string) (rest string, ok bool) {
	p, ok := strings.CutPrefix(path, "/projects/")
	if !ok {
		return "", false
	}
	id, p, _ := strings.Cut(p, "/")
	if id != strconv.Itoa(f.ProjectID) && id != url.PathEscape(f.Project) {
		return "", false
	}
	p, ok = strings.CutPrefix(p, "merge_requests/")
	if !ok {
		return "", false
	}
	iid, rest, _ := strings.Cut(p, "/")
	if iid != strconv.Itoa(f.IID) {
		return "", true
	}
	return "/" + rest, true
}

// paginate serves the page of items the query asks for (per_page: 20 by
// default, 100 at most; page), with GitLab's paging headers.
func paginate[T any](w http.ResponseWriter, r *http.Request, items []T) {
	q := r.URL.Query()
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 {
		perPage = 20
	}
	perPage = min(perPage, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	pages := max((len(items)+perPage-1)/perPage, 1)
	from, to := min((page-1)*perPage, len(items)), min(page*perPage, len(items))
	h := w.Header()
	h.Set("X-Page", strconv.Itoa(page))
	h.Set("X-Per-Page", strconv.Itoa(perPage))
	h.Set("X-Total", strconv.Itoa(len(items)))
	h.Set("X-Total-Pages", strconv.Itoa(pages))
	h.Set("X-Next-Page", "")
	if page < pages {
		h.Set("X-Next-Page", strconv.Itoa(page+1))
	}
	out := items[from:to]
	if out == nil {
		out = []T{}
	}
	writeJSON(w, 200, out)
}

// versionDiffs returns the diffs of Versions[i], and whether the fake
// knows them.
func (f *Server) versionDiffs(i int) ([]Diff, bool) {
	if i == 0 {
		return f.Diffs, true
	}
	d, ok := f.OldDiffs[f.Versions[i].HeadCommitSHA]
	return d, ok
}

// serveVersion answers GET .../versions/:id: the version with its diffs.
func (f *Server) serveVersion(w http.ResponseWriter, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, v := range f.Versions {
		if strconv.FormatInt(v.ID, 10) != id {
			continue
		}
		diffs, _ := f.versionDiffs(i)
		if diffs == nil {
			diffs = []Diff{}
		}
		writeJSON(w, 200, struct {
			Version
			Diffs []Diff `json:"diffs"`
		}{v, diffs})
		return
	}
	writeMessage(w, 404, "404 Not found")
}
