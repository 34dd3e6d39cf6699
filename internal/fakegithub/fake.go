// Package fakegithub is a fake of GitHub code scanning's REST API for
// tests of package fetch and of the commands that use it (their Go tests
// and their scripts): analyses with pagination, SARIF downloads and
// deletions, uploads and their processing, the alerts of repositories,
// organizations and enterprises (listed, read, dismissed and reopened),
// pull requests' files, reviews and comments (pulls.go), with faults
// injected on demand (server errors, rate limits, truncated
// and invalid bodies, a server that never answers). It checks what every
// request must carry (token, API version, user agent) and records the
// requests it served. It listens on loopback only.
package fakegithub

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// APIVersion is the X-GitHub-Api-Version every request must carry.
const APIVersion = "2022-11-28"

// Tool is an analysis's tool, as the API shows it.
type Tool struct {
	Name    string  `json:"name"`
	GUID    *string `json:"guid"`
	Version *string `json:"version"`
}

// Analysis is an analysis as the API lists it.
type Analysis struct {
	ID           int64     `json:"id"`
	Ref          string    `json:"ref"`
	CommitSHA    string    `json:"commit_sha"`
	AnalysisKey  string    `json:"analysis_key"`
	Category     string    `json:"category"`
	CreatedAt    time.Time `json:"created_at"`
	ResultsCount int       `json:"results_count"`
	RulesCount   int       `json:"rules_count"`
	SarifID      string    `json:"sarif_id"`
	Tool         Tool      `json:"tool"`
	// Deletable is computed when served: the newest of its set (tool,
	// category, ref).
	Deletable bool `json:"deletable"`
}

type uploadStatus struct {
	ProcessingStatus string   `json:"processing_status"`
	AnalysesURL      string   `json:"analyses_url"`
	Errors           []string `json:"errors"`
}

type upload struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

// Server is the fake. Set Analyses, SARIF, Final and Errors before use;
// the repository is o/r.
type Server struct {
	URL      string
	Token    string
	Analyses []Analysis
	SARIF    map[int64][]byte // analysis id -> SARIF body
	// Alerts are the alerts of o/r, and RepoAlerts those of other
	// repositories ("owner/name"): served by GET alerts (filtered by
	// state, most_recent_instance.ref, tool_name and severity, 100 a page
	// at most), GET and PATCH alerts/N, and alerts/N/instances (the
	// alert's "instances", else its most recent one).
	Alerts     []map[string]any
	RepoAlerts map[string][]map[string]any
	// Orgs lists each organization's repositories ("owner/name"), whose
	// alerts GET /orgs/{org}/code-scanning/alerts serves, each with its
	// "repository", paginated by cursor (after=) as GitHub does.
	Orgs map[string][]string
	// Generated, when set, serves an organization of GeneratedRepos
	// repositories and Generated alerts made up on demand (nothing held
	// in memory), for benchmarks: GeneratedAlert(i) is alert i.
	Generated, GeneratedRepos int
	// Pulls are the pull requests of o/r (see [Pull]).
	Pulls []*Pull
	// Self is the user GET /user answers; nil: a 403, as GitHub answers
	// an Actions token. Comments the fake creates are Self's, else
	// github-actions[bot]'s.
	Self map[string]any
	// ReaderToken is a token that may read but not write (a user who is
	// no security manager): PATCH and DELETE answer 403 to it.
	ReaderToken string

	srv *httptest.Server

	mu       sync.Mutex
	faults   map[string][]string // path -> faults to serve, in order
	requests []string            // "METHOD path?query"
	uploads  map[string][]byte   // sarif id -> decoded SARIF
	polls    map[string]int
	// Final is the processing_status of uploads after two polls
	// ("complete" or "failed"); Errors are a failed upload's errors.
	Final  string
	Errors []string
	ids    int64 // ids given to comments and reviews
}

// New starts a fake on loopback; it stops when the test ends. Its token
// is "ghs_secret".
func New(t testing.TB) *Server {
	f := Start()
	t.Cleanup(f.Close)
	return f
}

// Start starts a fake on loopback, for examples; Close stops it.
func Start() *Server {
	f := &Server{Token: "ghs_secret", SARIF: map[int64][]byte{}, faults: map[string][]string{},
		uploads: map[string][]byte{}, polls: map[string]int{}, Final: "complete"}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	return f
}

// Close stops the server.
func (f *Server) Close() { f.srv.Close() }

// Fault queues faults for a path ("/repos/o/r/code-scanning/..."), served
// in order before normal answers: "500", "502", "429" (Retry-After: 7),
// "secondary" (403, Retry-After: 60), "secondary-bare" (403, no header:
// the message and documentation_url say it), "primary" (403, remaining 0, reset
// in 30 s), "primary-far" (reset in 2 h), "truncate", "badjson", "hang"
// (until the client gives up), "404".
func (f *Server) Fault(path string, faults ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[path] = append(f.faults[path], faults...)
}

// Log returns the requests served so far, "METHOD /path?query", with
// Note lines in between.
func (f *Server) Log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// Note adds a line to the log (tests record their client's waits).
func (f *Server) Note(line string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, line)
}

// Upload returns the decoded SARIF of an upload.
func (f *Server) Upload(id string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.uploads[id]
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":%q,"documentation_url":"https://docs.github.com/rest/code-scanning"}`, msg)
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	// GitHub Enterprise Server's API root is HOST/api/v3: served alike.
	if p, ok := strings.CutPrefix(r.URL.Path, "/api/v3/"); ok {
		r.URL.Path = "/" + p
	}
	var fault string
	if q := f.faults[r.URL.Path]; len(q) > 0 {
		fault, f.faults[r.URL.Path] = q[0], q[1:]
	}
	f.mu.Unlock()

	// What every request must carry.
	reader := f.ReaderToken != "" && r.Header.Get("Authorization") == "Bearer "+f.ReaderToken
	if got := r.Header.Get("Authorization"); got != "Bearer "+f.Token && !reader {
		writeError(w, 401, "Bad credentials")
		return
	}
	if reader && r.Method != "GET" {
		writeError(w, 403, "Resource not accessible by integration")
		return
	}
	if r.Header.Get("X-GitHub-Api-Version") != APIVersion || !strings.HasPrefix(r.Header.Get("User-Agent"), "sarifkit") {
		writeError(w, 400, "missing API version or user agent")
		return
	}
	switch fault {
	case "500":
		writeError(w, 500, "Server Error")
		return
	case "502":
		w.WriteHeader(502)
		io.WriteString(w, "<html>bad gateway</html>")
		return
	case "429":
		w.Header().Set("Retry-After", "7")
		writeError(w, 429, "Too Many Requests")
		return
	case "secondary":
		w.Header().Set("Retry-After", "60")
		writeError(w, 403, "You have exceeded a secondary rate limit")
		return
	case "secondary-bare":
		// As GitHub answers content creation too fast: no header says
		// how long to wait, the message and documentation say why.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(403)
		io.WriteString(w, `{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
		return
	case "primary":
		w.Header().Set("X-Ratelimit-Remaining", "0")
		w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10))
		writeError(w, 403, "API rate limit exceeded")
		return
	case "primary-far":
		w.Header().Set("X-Ratelimit-Remaining", "0")
		w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(time.Now().Add(2*time.Hour).Unix(), 10))
		writeError(w, 403, "API rate limit exceeded")
		return
	case "truncate":
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		io.WriteString(w, `[{"id": 1`)
		return // the connection closes short of Content-Length
	case "badjson":
		w.WriteHeader(200)
		io.WriteString(w, `{"id": 1,`)
		return
	case "hang":
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	case "404":
		writeError(w, 404, "Not Found")
		return
	}

	if f.servePulls(w, r) {
		return
	}
	for _, prefix := range []string{"/orgs/", "/enterprises/"} { // an enterprise is served as an organization of Orgs
		if org, ok := strings.CutPrefix(r.URL.Path, prefix); ok && strings.HasSuffix(org, "/code-scanning/alerts") && r.Method == "GET" {
			f.orgAlerts(w, r, strings.TrimSuffix(org, "/code-scanning/alerts"))
			return
		}
	}
	if repo, rest, ok := repoRoute(r.URL.Path); ok && (repo != "o/r" || strings.HasPrefix(rest, "alerts")) {
		f.serveAlerts(w, r, repo, rest)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/repos/o/r/code-scanning/")
	switch {
	case r.Method == "GET" && path == "analyses":
		f.listAnalyses(w, r)
	case r.Method == "DELETE" && strings.HasPrefix(path, "analyses/"):
		f.deleteAnalysis(w, r, strings.TrimPrefix(path, "analyses/"))
	case r.Method == "GET" && strings.HasPrefix(path, "analyses/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "analyses/"), 10, 64)
		if r.Header.Get("Accept") == "application/sarif+json" {
			body, ok := f.SARIF[id]
			if !ok {
				writeError(w, 404, "Not Found")
				return
			}
			w.Header().Set("Content-Type", "application/sarif+json")
			w.Write(body)
			return
		}
		for _, a := range f.Analyses {
			if a.ID == id {
				a.Deletable = f.deletable(a)
				json.NewEncoder(w).Encode(a)
				return
			}
		}
		writeError(w, 404, "Not Found")
	case r.Method == "POST" && path == "sarifs":
		f.upload(w, r)
	case r.Method == "GET" && strings.HasPrefix(path, "sarifs/"):
		id := strings.TrimPrefix(path, "sarifs/")
		f.mu.Lock()
		_, ok := f.uploads[id]
		f.polls[id]++
		n := f.polls[id]
		f.mu.Unlock()
		if !ok {
			writeError(w, 404, "Not Found")
			return
		}
		st := uploadStatus{ProcessingStatus: "pending", AnalysesURL: f.srv.URL + "/repos/o/r/code-scanning/analyses?sarif_id=" + id}
		if n >= 3 {
			st.ProcessingStatus = f.Final
			st.Errors = f.Errors
		}
		json.NewEncoder(w).Encode(st)
	default:
		writeError(w, 404, "Not Found")
	}
}

func (f *Server) listAnalyses(w http.ResponseWriter, r *http.Request) {
	if len(f.Analyses) == 0 {
		// What GitHub answers for a repository never analysed.
		writeError(w, 404, "no analysis found")
		return
	}
	q := r.URL.Query()
	var match []Analysis
	for _, a := range f.Analyses {
		if (q.Get("ref") == "" || a.Ref == q.Get("ref")) && (q.Get("tool_name") == "" || a.Tool.Name == q.Get("tool_name")) {
			match = append(match, a)
		}
	}
	paginate(w, r, f.URL, match)
}

// paginate serves the page of items the query asks for (per_page, page),
// with a Link header to the next page, as GitHub does.
func paginate[T any](w http.ResponseWriter, r *http.Request, base string, items []T) {
	q := r.URL.Query()
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 || perPage > 100 {
		perPage = 30
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	from, to := min((page-1)*perPage, len(items)), min(page*perPage, len(items))
	if to < len(items) {
		next := *r.URL
		nq := next.Query()
		nq.Set("page", strconv.Itoa(page+1))
		next.RawQuery = nq.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next", <%s/x?page=1>; rel="first"`, base, next.RequestURI(), base))
	}
	out := items[from:to]
	if out == nil {
		out = []T{}
	}
	json.NewEncoder(w).Encode(out)
}

func (f *Server) upload(w http.ResponseWriter, r *http.Request) {
	var body struct {
		CommitSHA   string `json:"commit_sha"`
		Ref         string `json:"ref"`
		SARIF       string `json:"sarif"`
		CheckoutURI string `json:"checkout_uri"`
		StartedAt   string `json:"started_at"`
		ToolName    string `json:"tool_name"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.CommitSHA == "" || body.Ref == "" || body.SARIF == "" {
		writeError(w, 422, "Invalid request")
		return
	}
	gz, err := base64.StdEncoding.DecodeString(body.SARIF)
	if err != nil {
		writeError(w, 422, "sarif is not base64")
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		writeError(w, 422, "sarif is not gzip")
		return
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		writeError(w, 422, "sarif is not gzip")
		return
	}
	if len(gz) > 10_000_000 {
		writeError(w, 413, "Payload Too Large")
		return
	}
	f.mu.Lock()
	id := fmt.Sprintf("sarif-%d", len(f.uploads)+1)
	f.uploads[id] = data
	f.mu.Unlock()
	w.WriteHeader(202)
	json.NewEncoder(w).Encode(upload{ID: id, URL: f.srv.URL + "/repos/o/r/code-scanning/sarifs/" + id})
}

// ClearLog empties the log of requests.
func (f *Server) ClearLog() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = nil
}
