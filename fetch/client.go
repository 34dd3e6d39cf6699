// Package fetch is a client for GitHub code scanning's REST API, shaped
// as google/go-github is: a [Client] holds one service per area of the
// API, and every method takes a context, the repository's owner and name
// (or an organization, an enterprise), what the call is about, and its
// options by pointer (nil for the defaults). Each method's doc names the
// REST operation it sends and links GitHub's page for it.
//
//   - [Client.Analyses] ([AnalysesService]): list a repository's analyses,
//     read one, download it as SARIF (its results carry github/alertNumber
//     and github/alertUrl), find the scan of a ref (the newest analysis of
//     each tool and category with its log: [AnalysesService.Latest];
//     package merge combines them into one log), delete one.
//   - [Client.SARIF] ([SARIFService]): upload a log and wait for GitHub to
//     process it.
//   - [Client.Alerts] ([AlertsService]): stream the alerts of a
//     repository, an organization or an enterprise a page at a time (an
//     iterator), read one and its instances, dismiss or reopen one
//     ([AlertUpdate], checked first by [AlertUpdate.Validate]) or many a
//     few at a time ([AlertsService.UpdateMany]).
//   - [Client.PullRequests] ([PullRequestsService]): a pull request's
//     changed files and comments, reviews with inline comments, replies,
//     and conversation comments created and edited: what package review
//     needs, through [PullRequestsService.Forge].
//
// The mapping between alerts and SARIF results (a
// dismissal becomes a suppression, and back) is not here: it is package
// alertstate, which works on logs whose results stay on disk.
//
// Below the services is the transport, which knows no SARIF. It is
// careful with the API: it retries idempotent requests on server errors,
// network errors and truncated responses with exponential backoff and
// jitter; on rate limits (403 or 429 with Retry-After or
// x-ratelimit-remaining: 0) it waits until the limit resets, within the
// context and Options.MaxWait. Each request is bounded in time and its
// answer in bytes ([Limits]); an answer too large is not asked for again.
// Errors carry the HTTP status and GitHub's message and documentation
// URL, with control characters escaped; never the token, nor a password
// in the API URL (both are redacted, even from what the server echoes).
//
// The token goes only to the scheme and host of the API root: it is not
// sent over plain HTTP except to a loopback address, not on a redirect to
// another host (or port), and a redirect from https to http is refused.
package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/internal/apiclient"
)

// DefaultBaseURL is the API root of github.com. GitHub Enterprise Server's
// is https://HOST/api/v3; in GitHub Actions, GITHUB_API_URL holds it.
const DefaultBaseURL = "https://api.github.com"

// APIVersion is the REST API version the client asks for.
const APIVersion = "2022-11-28"

// Media types.
const (
	mediaJSON  = "application/vnd.github+json"
	mediaSARIF = "application/sarif+json"
)

// Options configure a Client. The zero value talks to api.github.com
// without a token.
type Options struct {
	// BaseURL is the API root; DefaultBaseURL when empty.
	BaseURL string
	// Token authenticates requests (Authorization: Bearer).
	Token string
	// HTTPClient's transport carries the requests; http.DefaultClient's
	// when nil. The client works on a copy: its transport is wrapped to
	// add the token, and its CheckRedirect runs after the client's own
	// check (no https to http with a token).
	HTTPClient *http.Client
	// UserAgent names the caller; "sarifkit" when empty.
	UserAgent string
	// MaxRetries bounds the retries of one idempotent request on server
	// and network errors; 4 when zero, none when negative.
	MaxRetries int
	// MaxWait bounds how long one rate-limited request waits for the limit
	// to reset; 5 minutes when zero.
	MaxWait time.Duration
	// Backoff is the first retry delay, doubled on each retry, plus
	// jitter; 500ms when zero.
	Backoff time.Duration
	// Logf, when set, receives a line when the client waits for a rate
	// limit or retries.
	Logf func(format string, args ...any)
	// Limits bound each request in time and its answer in bytes.
	Limits
}

// Client calls the code scanning API: its services group the calls by
// area of the API, as GitHub's documentation does. It is safe for
// concurrent use.
type Client struct {
	// Analyses lists, downloads and deletes analyses.
	Analyses *AnalysesService
	// SARIF uploads logs and follows their processing.
	SARIF *SARIFService
	// Alerts lists, reads and changes alerts.
	Alerts *AlertsService
	// PullRequests reads pull requests' files and comments, and reviews
	// them.
	PullRequests *PullRequestsService

	base    *url.URL
	http    *http.Client
	opts    Options
	secrets secrets
	// sleep waits for d or until ctx is done: between retries, for a rate
	// limit, between polls. Tests replace it to record the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// service is what every service holds: the client it calls through.
type service struct{ client *Client }

// NewClient returns a client for the API at opts.BaseURL; nil opts talk
// to api.github.com without a token.
func NewClient(options *Options) (*Client, error) {
	var opts Options
	if options != nil {
		opts = *options
	}
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimSuffix(opts.BaseURL, "/") + "/")
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("invalid API base URL %q", displayRawURL(opts.BaseURL))
	}
	if opts.Token != "" && base.Scheme != "https" && !apiclient.IsLoopback(base.Hostname()) {
		return nil, fmt.Errorf("refusing to send a token over plain HTTP to %s; use https", base.Host)
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "sarifkit"
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 4
	}
	if opts.MaxWait == 0 {
		opts.MaxWait = 5 * time.Minute
	}
	if opts.Backoff == 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	opts.Limits = opts.Limits.withDefaults()
	c := &Client{base: base, http: httpClient(opts.HTTPClient, base, opts.Token), opts: opts,
		secrets: newSecrets(opts.Token, base), sleep: apiclient.Sleep}
	c.Analyses = &AnalysesService{c}
	c.SARIF = &SARIFService{c}
	c.Alerts = &AlertsService{c}
	c.PullRequests = &PullRequestsService{c}
	return c, nil
}

// APIError is an HTTP error answer of the API.
type APIError struct {
	Method     string
	URL        string // without its query and userinfo; credentials redacted
	StatusCode int
	// Message and DocumentationURL are GitHub's, when the body had them,
	// printable: credentials redacted, control characters escaped as in a
	// Go string (\n, \x1b), at most 1000 bytes.
	Message          string
	DocumentationURL string
	// Hint says what to check, when the status suggests it.
	Hint string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.DocumentationURL != "" {
		s += " (" + e.DocumentationURL + ")"
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// RateLimitError reports a rate limit whose reset is further away than
// Options.MaxWait (or than the context allows).
type RateLimitError struct {
	APIError
	// Wait is how long GitHub asked to wait.
	Wait time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s; rate limited: GitHub asks to wait %s, more than allowed", e.APIError.Error(), e.Wait.Round(time.Second))
}

func (e *RateLimitError) Unwrap() error { return &e.APIError }

// request is one API call.
type request struct {
	method  string
	path    string // relative to the base URL, or absolute (pagination links)
	query   url.Values
	accept  string
	body    []byte
	retries bool // idempotent: retry on server and network errors
}

// response is a read answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends r, retrying as the package doc says, and returns a 2xx answer
// with its body read, or an error.
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	u, err := c.resolve(r.path, r.query)
	if err != nil {
		return nil, err
	}
	retry := apiclient.Retry{MaxRetries: c.opts.MaxRetries, MaxWait: c.opts.MaxWait, Backoff: c.opts.Backoff, Sleep: c.sleep, Logf: c.logf}
	send := func() (*apiclient.Response, error) { return c.once(ctx, r, u) }
	resp, err := retry.Do(ctx, r.method+" "+c.redact(u), r.retries, send, func(resp *apiclient.Response) apiclient.Failure {
		answer := &response{status: resp.Status, header: resp.Header, body: resp.Body}
		apiErr := c.apiError(r.method, u, answer)
		wait, limited := rateLimited(answer)
		return apiclient.Failure{Err: apiErr, Limited: limited, Wait: wait, TooLong: &RateLimitError{APIError: *apiErr, Wait: wait}}
	})
	if err != nil {
		return nil, err
	}
	return &response{status: resp.Status, header: resp.Header, body: resp.Body}, nil
}

// once sends one request and reads the whole answer, within the limits.
func (c *Client) once(ctx context.Context, r request, u *url.URL) (*apiclient.Response, error) {
	accept := r.accept
	if accept == "" {
		accept = mediaJSON
	}
	h := http.Header{"Accept": {accept}, "X-Github-Api-Version": {APIVersion}, "User-Agent": {c.opts.UserAgent}}
	if r.body != nil {
		h.Set("Content-Type", "application/json")
	}
	limit := func(status int) (int64, string) {
		if r.accept == mediaSARIF && status < 300 {
			return c.opts.MaxSARIFBytes, "SARIF downloads"
		}
		return c.opts.MaxJSONBytes, "JSON answers"
	}
	return apiclient.Send(ctx, c.http, c.secrets.Secrets, apiclient.Request{Method: r.method, URL: u, Header: h,
		Body: r.body, Timeouts: c.opts.Limits.timeouts(), Limit: limit})
}

func (c *Client) resolve(path string, query url.Values) (*url.URL, error) {
	ref, err := url.Parse(path)
	if err != nil {
		return nil, err
	}
	u := c.base.ResolveReference(ref)
	if apiclient.OriginOf(u) != apiclient.OriginOf(c.base) {
		return nil, fmt.Errorf("refusing to follow a link to another host: %s", sanitize(u.Scheme+"://"+u.Host))
	}
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u, nil
}

// redact is u as errors show it: without its query (noisy) and userinfo,
// credentials redacted from the rest.
func (c *Client) redact(u *url.URL) string { return c.secrets.displayURL(u) }

// clean returns err, or when its text holds a credential or a control
// character, an error with the same chain and the text made printable.
func (c *Client) clean(err error) error { return c.secrets.Clean(err) }

// logf reports a wait or a retry, its line made printable.
func (c *Client) logf(format string, args ...any) {
	if c.opts.Logf != nil {
		c.opts.Logf("%s", sanitize(c.secrets.redact(fmt.Sprintf(format, args...))))
	}
}

func (c *Client) apiError(method string, u *url.URL, resp *response) *APIError {
	e := &APIError{Method: method, URL: c.redact(u), StatusCode: resp.status}
	var body struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	if json.Unmarshal(resp.body, &body) == nil {
		e.Message, e.DocumentationURL = c.secrets.serverText(body.Message), c.secrets.serverText(body.DocumentationURL)
	}
	if _, limited := rateLimited(resp); limited {
		return e // no hint about permissions: the token may do it, later
	}
	if pulls := strings.Contains(u.Path, "/pulls/") || strings.Contains(u.Path, "/issues/"); pulls && (resp.status == http.StatusForbidden || resp.status == http.StatusNotFound) {
		e.Hint = "the pull request does not exist, or the token cannot see it or may not comment on it: commenting needs the pull-requests: write permission (a pull request from a fork gets a read-only token)"
		return e
	}
	switch resp.status {
	case http.StatusUnauthorized:
		e.Hint = "the token is missing, expired or invalid"
	case http.StatusNotFound:
		e.Hint = "the repository or analysis does not exist, or the token cannot see it: on a private repository it needs the security_events scope (read for downloads, write for uploads)"
	case http.StatusForbidden:
		e.Hint = "the token lacks the security_events scope, or code scanning is not enabled for the repository"
	case http.StatusRequestEntityTooLarge:
		e.Hint = "the SARIF log is too large for GitHub (10 MB gzip-compressed at most)"
	}
	return e
}

// secondaryWait is how long a secondary rate limit without Retry-After
// is waited: "at least one minute", GitHub's documentation says.
const secondaryWait = time.Minute

// rateLimited tells whether an answer is a rate limit, and how long to
// wait: Retry-After when given, else until x-ratelimit-reset; a
// secondary rate limit that says neither (its message or documentation
// say what it is) a minute.
func rateLimited(resp *response) (time.Duration, bool) {
	if resp.status != http.StatusForbidden && resp.status != http.StatusTooManyRequests {
		return 0, false
	}
	if s := resp.header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n >= 0 {
			return time.Duration(n) * time.Second, true
		}
	}
	if resp.header.Get("X-Ratelimit-Remaining") == "0" {
		if n, err := strconv.ParseInt(resp.header.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			return max(time.Until(time.Unix(n, 0)), 0) + time.Second, true
		}
		return time.Minute, true
	}
	var body struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	if json.Unmarshal(resp.body, &body) == nil &&
		(strings.Contains(strings.ToLower(body.Message), "secondary rate limit") || strings.Contains(body.DocumentationURL, "secondary-rate-limits")) {
		return secondaryWait, true
	}
	return 0, false
}

// getJSON GETs path and decodes the JSON answer into v.
func (c *Client) getJSON(ctx context.Context, path string, query url.Values, v any) (*response, error) {
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, query: query, retries: true})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(resp.body, v); err != nil {
		return nil, fmt.Errorf("GET %s: the answer is not the JSON expected: %w", sanitize(c.secrets.redact(path)), c.clean(err))
	}
	return resp, nil
}

var nextLink = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="next"`)

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

func repoPath(owner, repo string) string {
	return "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + "/code-scanning/"
}
