package fetch

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/sarifkit/sarifkit/sarif"
)

// SARIFService uploads SARIF logs to code scanning and follows their
// processing.
//
// https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data
type SARIFService service

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

// Upload uploads a log: gzip-compressed, then base64-encoded, as GitHub
// wants it. opts.CommitSHA and opts.Ref are required. It is not retried
// on server errors (it may have been accepted), only on rate limits.
//
// POST /repos/{owner}/{repo}/code-scanning/sarifs
// https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data
func (s *SARIFService) Upload(ctx context.Context, owner, repo string, l *sarif.Log, opts *UploadOptions) (*Upload, error) {
	if opts == nil {
		opts = &UploadOptions{}
	}
	c := s.client
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

// Get returns the processing state of an upload, printable as an
// [APIError]'s message is.
//
// GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}
// https://docs.github.com/rest/code-scanning/code-scanning#get-information-about-a-sarif-upload
func (s *SARIFService) Get(ctx context.Context, owner, repo, sarifID string) (*UploadStatus, error) {
	c := s.client
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

// WaitOptions are the options of [SARIFService.Wait].
type WaitOptions struct {
	// Interval is the time between two polls; 5 seconds when zero.
	Interval time.Duration
}

// Wait polls an upload ([SARIFService.Get]) every opts.Interval until it
// is no longer pending or ctx is done.
//
// GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}
// https://docs.github.com/rest/code-scanning/code-scanning#get-information-about-a-sarif-upload
func (s *SARIFService) Wait(ctx context.Context, owner, repo, sarifID string, opts *WaitOptions) (*UploadStatus, error) {
	interval := 5 * time.Second
	if opts != nil && opts.Interval > 0 {
		interval = opts.Interval
	}
	for {
		st, err := s.Get(ctx, owner, repo, sarifID)
		if err != nil {
			return nil, err
		}
		if st.ProcessingStatus != "pending" {
			return st, nil
		}
		if err := s.client.sleep(ctx, interval); err != nil {
			return st, fmt.Errorf("upload %s still pending: %w", sarifID, err)
		}
	}
}
