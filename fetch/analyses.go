package fetch

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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

// AnalysesService lists, downloads and deletes the analyses of a
// repository: the uploads of one tool and category for one commit.
//
// https://docs.github.com/rest/code-scanning/code-scanning
type AnalysesService service

// AnalysesListOptions filter [AnalysesService.List]. Zero fields are not
// sent.
type AnalysesListOptions struct {
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

// List lists the analyses of a repository, following the Link header's
// rel="next" through every page (or up to opts.Limit). A repository
// never analysed has none (GitHub answers 404 "no analysis found").
//
// GET /repos/{owner}/{repo}/code-scanning/analyses
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-analyses-for-a-repository
func (s *AnalysesService) List(ctx context.Context, owner, repo string, opts *AnalysesListOptions) ([]Analysis, error) {
	if opts == nil {
		opts = &AnalysesListOptions{}
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
	as, err := listAll[Analysis](ctx, s.client, repoPath(owner, repo)+"analyses", q, opts.Limit)
	// A repository that was never analysed answers 404 "no analysis
	// found" instead of an empty list.
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && strings.EqualFold(apiErr.Message, "no analysis found") {
		return []Analysis{}, nil
	}
	return as, err
}

// Get returns one analysis's metadata.
//
// GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}
// https://docs.github.com/rest/code-scanning/code-scanning#get-a-code-scanning-analysis-for-a-repository
func (s *AnalysesService) Get(ctx context.Context, owner, repo string, id int64) (*Analysis, error) {
	var a Analysis
	if _, err := s.client.getJSON(ctx, repoPath(owner, repo)+"analyses/"+strconv.FormatInt(id, 10), nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Download returns one analysis as the SARIF log GitHub keeps of it;
// each result carries properties github/alertNumber and github/alertUrl.
//
// GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id} (Accept: application/sarif+json)
// https://docs.github.com/rest/code-scanning/code-scanning#get-a-code-scanning-analysis-for-a-repository
func (s *AnalysesService) Download(ctx context.Context, owner, repo string, id int64) (*sarif.Log, error) {
	path := repoPath(owner, repo) + "analyses/" + strconv.FormatInt(id, 10)
	resp, err := s.client.do(ctx, request{method: http.MethodGet, path: path, accept: mediaSARIF, retries: true})
	if err != nil {
		return nil, err
	}
	return sarif.Read(ctx, bytes.NewReader(resp.body), fmt.Sprintf("analysis %d", id), nil)
}

// ErrNoAnalysis is the error of [AnalysesService.Latest] when no analysis matches: the ref
// has not been analysed yet (the normal state of a base branch before the
// pull request that adds code scanning is merged), or not by the tools
// and categories asked for. Test for it with errors.Is.
var ErrNoAnalysis = errors.New("no analysis")

// LatestOptions filter [AnalysesService.Latest].
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
// as sarif-fetch writes them. It lists the analyses of the ref, then
// downloads the chosen ones a few at a time.
//
// GET /repos/{owner}/{repo}/code-scanning/analyses, then
// GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id} (Accept: application/sarif+json)
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-analyses-for-a-repository
func (s *AnalysesService) Latest(ctx context.Context, owner, repo, ref string, opts *LatestOptions) ([]AnalysisLog, error) {
	if opts == nil {
		opts = &LatestOptions{}
	}
	list, err := s.List(ctx, owner, repo, &AnalysesListOptions{Ref: ref, ToolName: opts.ToolName, Sort: "created", Direction: "desc"})
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
		l, err := s.Download(ctx, owner, repo, chosen[i].ID)
		out[i] = AnalysisLog{chosen[i], l}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// A DeletedAnalysis is what deleting an analysis answers: the next
// analysis of the set to delete, to walk back through it (each URL ""
// when there is none).
type DeletedAnalysis struct {
	NextAnalysisURL  string `json:"next_analysis_url"`
	ConfirmDeleteURL string `json:"confirm_delete_url"`
}

// AnalysisDeleteOptions are the options of [AnalysesService.Delete].
type AnalysisDeleteOptions struct {
	// ConfirmLast allows deleting the last analysis of a set (tool,
	// category, ref), which removes the set's alerts with it (the API's
	// confirm_delete).
	ConfirmLast bool
}

// Delete deletes an analysis. Only the newest analysis of a set (tool,
// category, ref) can be deleted; deleting the last one of a set needs
// opts.ConfirmLast, since it removes the set's alerts with it.
//
// DELETE /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}
// https://docs.github.com/rest/code-scanning/code-scanning#delete-a-code-scanning-analysis-from-a-repository
func (s *AnalysesService) Delete(ctx context.Context, owner, repo string, id int64, opts *AnalysisDeleteOptions) (*DeletedAnalysis, error) {
	var q url.Values
	if opts != nil && opts.ConfirmLast {
		q = url.Values{"confirm_delete": {"true"}}
	}
	path := repoPath(owner, repo) + "analyses/" + strconv.FormatInt(id, 10)
	resp, err := s.client.do(ctx, request{method: http.MethodDelete, path: path, query: q})
	if err != nil {
		return nil, err
	}
	var d DeletedAnalysis
	if err := json.Unmarshal(resp.body, &d); err != nil {
		return nil, fmt.Errorf("DELETE %s: the answer is not the JSON expected: %w", path, err)
	}
	return &d, nil
}
