// Package gitlab is a small client for GitLab's REST API (v4), enough to
// post a review on a merge request: its versions (the commits a diff
// position names), its diffs, its discussions (threads on the diff's
// lines, created, listed and resolved) and its notes (plain comments,
// created and edited). It is shaped as package fetch is for GitHub: a
// [Client] holds one service per area of the API ([MergeRequestsService];
// [UsersService] says who the token acts for), and every method takes a context, the project (its numeric id or its
// path, "group/project"), the merge request's iid, and what the call is
// about. Each method's doc names the REST operation it sends and links
// GitLab's page for it. A [Forge] ([MergeRequestsService.Forge]) puts the
// service behind package review's Forge interface, so that a review of a
// SARIF log can be posted on a merge request.
//
// Below the services is the transport (shared with package fetch). It retries reads on server errors,
// network errors and truncated answers with exponential backoff and
// jitter; on a rate limit (429) it waits as long as Retry-After (or
// RateLimit-Reset) says, within the context and [Options.MaxWait], and
// then sends the request again, a write too (GitLab did not act on it).
// Writes are not retried on server errors: a discussion must not be
// posted twice. Each request is bounded in time and its answer in bytes
// ([Limits]). Errors are [APIError]s with the HTTP status and GitLab's
// message, with control characters escaped; never the token.
//
// The token (a personal, project or group access token, sent as
// PRIVATE-TOKEN, or a CI job token, sent as JOB-TOKEN, which GitLab takes
// on a few endpoints only, not on the merge request's) goes only to the
// scheme and host (with its port) of the API root: not over plain HTTP
// except to a loopback address, not on a redirect to another host, and a
// redirect from https to http is refused.
package gitlab

import (
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

	"github.com/sarifkit/sarifkit/internal/apiclient"
)

// DefaultBaseURL is the API root of gitlab.com. A self-managed
// instance's is https://HOST/api/v4; in GitLab CI, CI_API_V4_URL holds it.
const DefaultBaseURL = "https://gitlab.com/api/v4"

// Options configure a [Client]. The zero value talks to gitlab.com
// without a token.
type Options struct {
	// BaseURL is the API root; DefaultBaseURL when empty.
	BaseURL string
	// Token is a personal, project or group access token, sent as the
	// PRIVATE-TOKEN header.
	Token string
	// JobToken is a CI job token (CI_JOB_TOKEN), sent as the JOB-TOKEN
	// header. At most one of Token and JobToken may be set. GitLab takes
	// a job token on a few endpoints only (GET /job among them), not on
	// those of [MergeRequestsService].
	JobToken string
	// HTTPClient's transport carries the requests; http.DefaultClient's
	// when nil. The client works on a copy: its transport is wrapped to
	// add the token, and its CheckRedirect runs after the client's own.
	HTTPClient *http.Client
	// UserAgent names the caller; "sarifkit" when empty.
	UserAgent string
	// MaxRetries bounds the retries of one read on server and network
	// errors; 4 when zero, none when negative.
	MaxRetries int
	// MaxWait bounds how long one rate-limited request waits; 5 minutes
	// when zero.
	MaxWait time.Duration
	// Backoff is the first retry delay, doubled on each retry, plus
	// jitter; 500ms when zero.
	Backoff time.Duration
	// Logf, when set, receives a line when the client waits or retries.
	Logf func(format string, args ...any)
	// Limits bound each request in time and its answer in bytes.
	Limits
}

// Client calls GitLab's REST API. It is safe for concurrent use.
type Client struct {
	// MergeRequests reads a merge request's versions and diffs, and
	// writes its discussions and notes.
	MergeRequests *MergeRequestsService
	// Users tells who the token acts for.
	Users *UsersService

	base    *url.URL
	http    *http.Client
	opts    Options
	secrets apiclient.Secrets
	// sleep waits for d or until ctx is done; tests record the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewClient returns a client for the API at opts.BaseURL; nil opts talk
// to gitlab.com without a token.
func NewClient(options *Options) (*Client, error) {
	var opts Options
	if options != nil {
		opts = *options
	}
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if opts.Token != "" && opts.JobToken != "" {
		return nil, errors.New("both an access token and a job token given; use one")
	}
	base, err := url.Parse(strings.TrimSuffix(opts.BaseURL, "/") + "/")
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil {
		return nil, fmt.Errorf("invalid API base URL %q", apiclient.DisplayRawURL(opts.BaseURL))
	}
	header, token := "PRIVATE-TOKEN", opts.Token
	if opts.JobToken != "" {
		header, token = "JOB-TOKEN", opts.JobToken
	}
	if token != "" && base.Scheme != "https" && !apiclient.IsLoopback(base.Hostname()) {
		return nil, fmt.Errorf("refusing to send a token over plain HTTP to %s; use https", sanitize(base.Host))
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
	c := &Client{base: base, http: apiclient.HTTPClient(opts.HTTPClient, base, header, token), opts: opts,
		secrets: newSecrets(token), sleep: apiclient.Sleep}
	c.MergeRequests = &MergeRequestsService{c}
	c.Users = &UsersService{c}
	return c, nil
}

// APIError is an HTTP error answer of the API.
type APIError struct {
	Method     string
	URL        string // without its query; the token redacted
	StatusCode int
	// Message is GitLab's ("message" or "error" of the body; a field's
	// validation errors as "field: error, error"), printable: the token
	// redacted, control characters escaped, at most 1000 bytes.
	Message string
	// Hint says what to check, when the status suggests it.
	Hint string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// RateLimitError reports a rate limit whose end is further away than
// Options.MaxWait (or than the context allows).
type RateLimitError struct {
	APIError
	// Wait is how long GitLab asked to wait.
	Wait time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s; rate limited: GitLab asks to wait %s, more than allowed", e.APIError.Error(), e.Wait.Round(time.Second))
}

func (e *RateLimitError) Unwrap() error { return &e.APIError }

// request is one API call.
type request struct {
	method string
	path   string // relative to the base URL, escaped
	query  url.Values
	body   any // JSON-encoded when not nil
}

// idempotent tells whether the request may be sent again after a server
// or network error.
func (r request) idempotent() bool { return r.method == http.MethodGet || r.method == http.MethodPut }

// do sends r, retrying as the package doc says, and decodes a 2xx
// answer's JSON into v (when not nil).
func (c *Client) do(ctx context.Context, r request, v any) (*apiclient.Response, error) {
	u := c.base.ResolveReference(&url.URL{Path: unescape(r.path), RawPath: r.path})
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, c.redact(u), err)
		}
	}
	retry := apiclient.Retry{MaxRetries: c.opts.MaxRetries, MaxWait: c.opts.MaxWait, Backoff: c.opts.Backoff, Sleep: c.sleep, Logf: c.logf}
	send := func() (*apiclient.Response, error) { return c.once(ctx, r.method, u, body) }
	resp, err := retry.Do(ctx, r.method+" "+c.redact(u), r.idempotent(), send, func(resp *apiclient.Response) apiclient.Failure {
		apiErr := c.apiError(r.method, u, resp)
		if resp.Status != http.StatusTooManyRequests {
			return apiclient.Failure{Err: apiErr}
		}
		wait := retryAfter(resp.Header)
		return apiclient.Failure{Err: apiErr, Limited: true, Wait: wait, TooLong: &RateLimitError{APIError: *apiErr, Wait: wait}}
	})
	if err != nil {
		return nil, err
	}
	if v != nil {
		if err := json.Unmarshal(resp.Body, v); err != nil {
			return nil, fmt.Errorf("%s %s: the answer is not the JSON expected: %w", r.method, c.redact(u), c.secrets.Clean(err))
		}
	}
	return resp, nil
}

// unescape is the decoded form of an escaped path; the escaped one is
// what is sent (a project path's "/" stays %2F).
func unescape(p string) string {
	s, err := url.PathUnescape(p)
	if err != nil {
		return p
	}
	return s
}

// once sends one request and reads the whole answer, within the limits.
func (c *Client) once(ctx context.Context, method string, u *url.URL, body []byte) (*apiclient.Response, error) {
	h := http.Header{"Accept": {"application/json"}, "User-Agent": {c.opts.UserAgent}}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	lim := c.opts.Limits
	return apiclient.Send(ctx, c.http, c.secrets, apiclient.Request{Method: method, URL: u, Header: h, Body: body,
		Timeouts: apiclient.Timeouts{Header: lim.HeaderTimeout, Idle: lim.IdleTimeout, Request: lim.RequestTimeout},
		Limit:    func(int) (int64, string) { return lim.MaxBytes, "GitLab's answers" }})
}

// retryAfter is how long a rate-limited answer asks to wait: Retry-After
// (seconds), else until RateLimit-Reset (a Unix time), else a minute.
func retryAfter(h http.Header) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(h.Get("RateLimit-Reset")), 10, 64); err == nil {
		return max(time.Until(time.Unix(n, 0)), 0) + time.Second
	}
	return time.Minute
}

func (c *Client) apiError(method string, u *url.URL, resp *apiclient.Response) *APIError {
	e := &APIError{Method: method, URL: c.redact(u), StatusCode: resp.Status}
	var body struct {
		Message json.RawMessage `json:"message"`
		Error   string          `json:"error"`
	}
	if json.Unmarshal(resp.Body, &body) == nil {
		msg := body.Error
		if m := messageText(body.Message); m != "" {
			msg = m
		}
		e.Message = c.secrets.ServerText(msg)
	}
	if strings.EqualFold(e.Message, fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status))) {
		e.Message = "" // GitLab's "403 Forbidden" says no more than the status
	}
	switch resp.Status {
	case http.StatusUnauthorized:
		e.Hint = "the token is missing, expired or invalid"
	case http.StatusForbidden:
		e.Hint = "the token may not do this: it needs the api scope and at least the Reporter role to comment"
	case http.StatusNotFound:
		e.Hint = "the project or merge request does not exist, or the token cannot see it"
	}
	return e
}

// messageText renders GitLab's "message": a string, a list of strings,
// or an object of field names to their errors (validation), its fields
// in order.
func messageText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ", ")
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return ""
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	parts := make([]string, 0, len(names))
	for _, k := range names {
		parts = append(parts, k+": "+messageText(fields[k]))
	}
	return strings.Join(parts, "; ")
}

// redact is u as errors show it: without its query, the token redacted.
func (c *Client) redact(u *url.URL) string { return c.secrets.DisplayURL(u) }

// logf reports a wait or a retry, its line made printable.
func (c *Client) logf(format string, args ...any) {
	if c.opts.Logf != nil {
		c.opts.Logf("%s", sanitize(c.secrets.Redact(fmt.Sprintf(format, args...))))
	}
}
