package fetch

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/sarif"
)

// Analysis is one code scanning analysis: the upload of one tool and
// category for one commit.
type Analysis struct {
	ID           int64     `json:"id"`
	Ref          string    `json:"ref"`
	CommitSHA    string    `json:"commit_sha"`
	AnalysisKey  string    `json:"analysis_key"`
	Environment  string    `json:"environment"`
	Category     string    `json:"category"`
	Error        string    `json:"error"`
	CreatedAt    time.Time `json:"created_at"`
	ResultsCount int       `json:"results_count"`
	RulesCount   int       `json:"rules_count"`
	URL          string    `json:"url"`
	SarifID      string    `json:"sarif_id"`
	Tool         Tool      `json:"tool"`
	Deletable    bool      `json:"deletable"`
	Warning      string    `json:"warning"`
}

// Tool names the tool of an analysis.
type Tool struct {
	Name    string  `json:"name"`
	GUID    *string `json:"guid"`
	Version *string `json:"version"`
}

// ListOptions filter ListAnalyses. Zero fields are not sent.
type ListOptions struct {
	Ref       string // e.g. refs/heads/main, refs/pull/42/merge
	PR        int
	ToolName  string
	ToolGUID  string
	SarifID   string
	Direction string // asc or desc
	Sort      string // created
	PerPage   int    // at most 100; 100 when zero
	// Limit stops after this many analyses; all pages when zero.
	Limit int
}

var nextLink = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="next"`)

// ListAnalyses lists the analyses of a repository, following the Link
// header's rel="next" through every page (or up to opts.Limit).
//
// GET /repos/{owner}/{repo}/code-scanning/analyses
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-analyses-for-a-repository
func (c *Client) ListAnalyses(ctx context.Context, owner, repo string, opts *ListOptions) ([]Analysis, error) {
	if opts == nil {
		opts = &ListOptions{}
	}
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("ref", opts.Ref)
	set("tool_name", opts.ToolName)
	set("tool_guid", opts.ToolGUID)
	set("sarif_id", opts.SarifID)
	set("direction", opts.Direction)
	set("sort", opts.Sort)
	if opts.PR > 0 {
		q.Set("pr", strconv.Itoa(opts.PR))
	}
	perPage := opts.PerPage
	if perPage <= 0 || perPage > 100 {
		perPage = 100
	}
	q.Set("per_page", strconv.Itoa(perPage))
	as, err := listAll[Analysis](ctx, c, repoPath(owner, repo)+"analyses", q, opts.Limit)
	// A repository that was never analysed answers 404 "no analysis
	// found" instead of an empty list.
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && strings.EqualFold(apiErr.Message, "no analysis found") {
		return []Analysis{}, nil
	}
	return as, err
}

// listAll GETs a list endpoint and follows the Link header's rel="next"
// through every page, or until limit items (0: no limit).
func listAll[T any](ctx context.Context, c *Client, path string, q url.Values, limit int) ([]T, error) {
	var all []T
	for batch, err := range pages[T](ctx, c, path, q, 10000) {
		if err != nil {
			return nil, err
		}
		all = append(all, batch...)
		if limit > 0 && len(all) >= limit {
			return all[:limit], nil
		}
	}
	return all, nil
}

// pages GETs a list endpoint a page at a time, each when the loop asks
// for it, following the Link header's rel="next"; more than maxPages
// pages mean the server's links loop. The error, if any, comes last.
func pages[T any](ctx context.Context, c *Client, path string, q url.Values, maxPages int) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		for page := 0; path != ""; page++ {
			var batch []T
			resp, err := c.getJSON(ctx, path, q, &batch)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(batch, nil) {
				return
			}
			path, q = "", nil
			if m := nextLink.FindStringSubmatch(resp.header.Get("Link")); m != nil && len(batch) > 0 {
				path = m[1]
			}
			if page > maxPages {
				yield(nil, fmt.Errorf("more than %d pages from %s; the server's Link headers loop", maxPages, c.secrets.serverText(path)))
				return
			}
		}
	}
}

// GetAnalysis returns one analysis's metadata.
//
// GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}
// https://docs.github.com/rest/code-scanning/code-scanning#get-a-code-scanning-analysis-for-a-repository
func (c *Client) GetAnalysis(ctx context.Context, owner, repo string, id int64) (*Analysis, error) {
	var a Analysis
	if _, err := c.getJSON(ctx, repoPath(owner, repo)+"analyses/"+strconv.FormatInt(id, 10), nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// DownloadAnalysis returns one analysis as the SARIF log GitHub keeps of
// it; each result carries properties github/alertNumber and
// github/alertUrl.
//
// GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id} (Accept: application/sarif+json)
func (c *Client) DownloadAnalysis(ctx context.Context, owner, repo string, id int64) (*sarif.Log, error) {
	path := repoPath(owner, repo) + "analyses/" + strconv.FormatInt(id, 10)
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, accept: mediaSARIF, retries: true})
	if err != nil {
		return nil, err
	}
	return sarif.Read(ctx, bytes.NewReader(resp.body), fmt.Sprintf("analysis %d", id), nil)
}

// ErrNoAnalysis is the error of Latest when no analysis matches: the ref
// has not been analysed yet (the normal state of a base branch before the
// pull request that adds code scanning is merged), or not by the tools
// and categories asked for. Test for it with errors.Is.
var ErrNoAnalysis = errors.New("no analysis")

// LatestOptions filter Latest.
type LatestOptions struct {
	ToolName string
	Category string // only analyses of this category ("" for all)
	// Match, when set, keeps only the analyses for which it is true (for
	// example those of the tools and categories of a log to compare with).
	Match func(Analysis) bool
	// Concurrency bounds the downloads in flight; 4 when zero.
	Concurrency int
}

// An AnalysisLog is an analysis and the log GitHub keeps of it.
type AnalysisLog struct {
	Analysis Analysis
	Log      *sarif.Log
}

// Latest returns what users mean by "the scan of a ref": for each tool and
// category, the newest analysis of the ref and its log, ordered by tool
// and category. Package merge combines them into one log (one run each),
// as sarif-fetch writes them.
func (c *Client) Latest(ctx context.Context, owner, repo, ref string, opts *LatestOptions) ([]AnalysisLog, error) {
	if opts == nil {
		opts = &LatestOptions{}
	}
	list, err := c.ListAnalyses(ctx, owner, repo, &ListOptions{Ref: ref, ToolName: opts.ToolName, Sort: "created", Direction: "desc"})
	if err != nil {
		return nil, err
	}
	newest := map[[2]string]Analysis{}
	for _, a := range list {
		if opts.Category != "" && a.Category != opts.Category || opts.Match != nil && !opts.Match(a) {
			continue
		}
		k := [2]string{a.Tool.Name, a.Category}
		if b, ok := newest[k]; !ok || a.CreatedAt.After(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID) {
			newest[k] = a
		}
	}
	var chosen []Analysis
	for _, a := range newest {
		chosen = append(chosen, a)
	}
	slices.SortFunc(chosen, func(a, b Analysis) int {
		return cmp.Or(cmp.Compare(a.Tool.Name, b.Tool.Name), cmp.Compare(a.Category, b.Category))
	})
	if len(chosen) == 0 {
		return nil, fmt.Errorf("%w of %s/%s for ref %s matches", ErrNoAnalysis, owner, repo, ref)
	}
	out := make([]AnalysisLog, len(chosen))
	err = parallel.ForLimit(ctx, len(chosen), cmp.Or(opts.Concurrency, 4), func(_, i int) error {
		l, err := c.DownloadAnalysis(ctx, owner, repo, chosen[i].ID)
		out[i] = AnalysisLog{chosen[i], l}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UploadOptions are the fields of an upload besides the log.
type UploadOptions struct {
	CommitSHA   string    // required, 40 hex digits
	Ref         string    // required: refs/heads/<branch>, refs/pull/<n>/merge or /head
	CheckoutURI string    // file:// URI of the checkout root
	StartedAt   time.Time // when the analysis started
	ToolName    string
	Validate    bool // validate without processing
}

var sha40 = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// Upload is GitHub's answer to an upload, printable (an ID with a control
// character is an error; the URL's are escaped).
type Upload struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

// UploadSARIF uploads a log: gzip-compressed, then base64-encoded, as
// GitHub wants it. It is not retried on server errors (it may have been
// accepted), only on rate limits.
//
// POST /repos/{owner}/{repo}/code-scanning/sarifs
// https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data
func (c *Client) UploadSARIF(ctx context.Context, owner, repo string, l *sarif.Log, opts UploadOptions) (*Upload, error) {
	if !sha40.MatchString(opts.CommitSHA) {
		return nil, fmt.Errorf("commit SHA %q is not 40 hex digits", opts.CommitSHA)
	}
	if opts.Ref == "" {
		return nil, fmt.Errorf("the upload needs a ref (refs/heads/<branch> or refs/pull/<n>/merge)")
	}
	var gz bytes.Buffer
	if err := l.Write(&gz, &sarif.WriteOptions{Gzip: true}); err != nil {
		return nil, err
	}
	body := map[string]any{
		"commit_sha": opts.CommitSHA,
		"ref":        opts.Ref,
		"sarif":      base64.StdEncoding.EncodeToString(gz.Bytes()),
	}
	if opts.CheckoutURI != "" {
		body["checkout_uri"] = opts.CheckoutURI
	}
	if !opts.StartedAt.IsZero() {
		body["started_at"] = opts.StartedAt.UTC().Format(time.RFC3339)
	}
	if opts.ToolName != "" {
		body["tool_name"] = opts.ToolName
	}
	if opts.Validate {
		body["validate"] = true
	}
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, request{method: http.MethodPost, path: repoPath(owner, repo) + "sarifs", body: data})
	if err != nil {
		return nil, err
	}
	var up Upload
	if err := json.Unmarshal(resp.body, &up); err != nil || up.ID == "" || sanitize(up.ID) != up.ID {
		return nil, fmt.Errorf("POST sarifs: the answer has no upload id: %s", cut(c.secrets.serverText(string(resp.body)), 200))
	}
	up.URL = c.secrets.serverURL(up.URL)
	return &up, nil
}

// UploadStatus is the processing state of an upload.
type UploadStatus struct {
	ProcessingStatus string   `json:"processing_status"` // pending, complete or failed
	AnalysesURL      string   `json:"analyses_url"`
	Errors           []string `json:"errors"` // printable: credentials redacted, control characters escaped
}

// GetUpload returns the processing state of an upload, printable as an
// APIError's message is.
//
// GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}
func (c *Client) GetUpload(ctx context.Context, owner, repo, sarifID string) (*UploadStatus, error) {
	var st UploadStatus
	if _, err := c.getJSON(ctx, repoPath(owner, repo)+"sarifs/"+url.PathEscape(sarifID), nil, &st); err != nil {
		return nil, err
	}
	for i, e := range st.Errors {
		st.Errors[i] = c.secrets.serverText(e)
	}
	st.ProcessingStatus, st.AnalysesURL = c.secrets.serverText(st.ProcessingStatus), c.secrets.serverURL(st.AnalysesURL)
	return &st, nil
}

// WaitForUpload polls an upload every interval until it is no longer
// pending or ctx is done.
func (c *Client) WaitForUpload(ctx context.Context, owner, repo, sarifID string, interval time.Duration) (*UploadStatus, error) {
	for {
		st, err := c.GetUpload(ctx, owner, repo, sarifID)
		if err != nil {
			return nil, err
		}
		if st.ProcessingStatus != "pending" {
			return st, nil
		}
		if err := c.opts.Sleep(ctx, interval); err != nil {
			return st, fmt.Errorf("upload %s still pending: %w", sarifID, err)
		}
	}
}
