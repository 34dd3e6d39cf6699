package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// An Alert is a code scanning alert: one finding GitHub tracks across
// analyses of a tool and category (by rule and fingerprints), with its
// state and the latest place it was seen.
type Alert struct {
	Number       int        `json:"number"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
	URL          string     `json:"url"`
	HTMLURL      string     `json:"html_url"`
	InstancesURL string     `json:"instances_url,omitempty"`
	// State is open, dismissed or fixed.
	State            string     `json:"state"`
	FixedAt          *time.Time `json:"fixed_at,omitempty"`
	DismissedBy      *User      `json:"dismissed_by,omitempty"`
	DismissedAt      *time.Time `json:"dismissed_at,omitempty"`
	DismissedReason  *string    `json:"dismissed_reason,omitempty"`
	DismissedComment *string    `json:"dismissed_comment,omitempty"`

	Rule               AlertRule     `json:"rule"`
	Tool               Tool          `json:"tool"`
	MostRecentInstance AlertInstance `json:"most_recent_instance"`
	// Repository is set in organization and enterprise listings.
	Repository *Repository `json:"repository,omitempty"`
}

// An AlertRule is the rule of an alert.
type AlertRule struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Severity is none, note, warning or error.
	Severity string `json:"severity"`
	// SecuritySeverityLevel is low, medium, high or critical ("" when
	// the rule has no security-severity).
	SecuritySeverityLevel string   `json:"security_severity_level,omitempty"`
	Description           string   `json:"description,omitempty"`
	FullDescription       string   `json:"full_description,omitempty"`
	Tags                  []string `json:"tags,omitempty"`
	Help                  string   `json:"help,omitempty"`
}

// An AlertInstance is where an alert appears in one analysis: one per
// ref, analysis key and category.
type AlertInstance struct {
	Ref         string `json:"ref"`
	AnalysisKey string `json:"analysis_key,omitempty"`
	Environment string `json:"environment,omitempty"`
	Category    string `json:"category,omitempty"`
	State       string `json:"state,omitempty"`
	CommitSHA   string `json:"commit_sha,omitempty"`
	Message     struct {
		Text string `json:"text"`
	} `json:"message"`
	Location        AlertLocation `json:"location"`
	Classifications []string      `json:"classifications,omitempty"`
}

// An AlertLocation is a region of a file of the repository.
type AlertLocation struct {
	Path        string `json:"path"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line,omitempty"`
	StartColumn int    `json:"start_column,omitempty"`
	EndColumn   int    `json:"end_column,omitempty"`
}

// A User is a GitHub account.
type User struct {
	Login string `json:"login"`
	// Type is User, Bot or Organization.
	Type string `json:"type,omitempty"`
}

// A Repository is the repository of an alert in an organization's
// listing.
type Repository struct {
	ID       int64  `json:"id,omitempty"`
	Name     string `json:"name,omitempty"`
	FullName string `json:"full_name"`
	HTMLURL  string `json:"html_url,omitempty"`
	Private  bool   `json:"private,omitempty"`
	Owner    *User  `json:"owner,omitempty"`
}

// AlertsService lists, reads and changes code scanning alerts: the
// findings GitHub tracks across the analyses of a tool and category.
//
// https://docs.github.com/rest/code-scanning/code-scanning
type AlertsService service

// AlertListOptions filter the alerts listed. Zero fields are not sent.
type AlertListOptions struct {
	Ref      string // a repository's listing only
	State    string // open, closed, dismissed, fixed
	Severity string // critical, high, medium, low, warning, note, error
	ToolName string
	Sort     string // created or updated
	// Direction is asc or desc.
	Direction string
	// Limit stops after this many alerts; all pages when zero.
	Limit int
}

// ListForRepo lists the alerts of a repository (of its default branch
// unless opts.Ref says otherwise), as [AlertsService.ListForOrg] does.
//
// GET /repos/{owner}/{repo}/code-scanning/alerts
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository
func (s *AlertsService) ListForRepo(ctx context.Context, owner, repo string, opts *AlertListOptions) iter.Seq2[*Alert, error] {
	return s.list(ctx, repoPath(owner, repo)+"alerts", opts)
}

// ListForOrg lists the alerts of an organization's repositories (their
// default branches: those the token's user owns or is a security manager
// of), each with its [Alert.Repository]. It asks for a page of 100 at a
// time, each page when the loop reaches it, so that the alerts of a large
// organization never sit in memory at once; breaking out of the loop
// stops the listing. The error, if any, comes last, with a nil alert.
// opts.Ref does not apply.
//
// GET /orgs/{org}/code-scanning/alerts
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-an-organization
func (s *AlertsService) ListForOrg(ctx context.Context, org string, opts *AlertListOptions) iter.Seq2[*Alert, error] {
	return s.list(ctx, "orgs/"+url.PathEscape(org)+"/code-scanning/alerts", opts) // relative: below the API root's path
}

// ListForEnterprise lists the alerts of a GitHub Enterprise Server
// enterprise's repositories, as [AlertsService.ListForOrg] does.
//
// GET /enterprises/{enterprise}/code-scanning/alerts
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-an-enterprise
func (s *AlertsService) ListForEnterprise(ctx context.Context, enterprise string, opts *AlertListOptions) iter.Seq2[*Alert, error] {
	return s.list(ctx, "enterprises/"+url.PathEscape(enterprise)+"/code-scanning/alerts", opts)
}

// list streams the alerts of a listing's path, a page of 100 at a time.
func (s *AlertsService) list(ctx context.Context, path string, opts *AlertListOptions) iter.Seq2[*Alert, error] {
	return func(yield func(*Alert, error) bool) {
		if opts == nil {
			opts = &AlertListOptions{}
		}
		q := url.Values{"per_page": {"100"}}
		for k, v := range map[string]string{"ref": opts.Ref, "state": opts.State, "severity": opts.Severity,
			"tool_name": opts.ToolName, "sort": opts.Sort, "direction": opts.Direction} {
			if v != "" {
				q.Set(k, v)
			}
		}
		n := 0
		for batch, err := range pages[*Alert](ctx, s.client, path, q, 100_000) {
			if err != nil {
				yield(nil, err)
				return
			}
			for _, a := range batch {
				if !yield(a, nil) {
					return
				}
				if n++; opts.Limit > 0 && n >= opts.Limit {
					return
				}
			}
		}
	}
}

// Get returns one alert.
//
// GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}
// https://docs.github.com/rest/code-scanning/code-scanning#get-a-code-scanning-alert
func (s *AlertsService) Get(ctx context.Context, owner, repo string, number int) (*Alert, error) {
	var a Alert
	if _, err := s.client.getJSON(ctx, repoPath(owner, repo)+"alerts/"+strconv.Itoa(number), nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// AlertInstancesListOptions filter [AlertsService.ListInstances].
type AlertInstancesListOptions struct {
	Ref string // only the instances on this ref, when not ""
}

// ListInstances returns where an alert appears, every page.
//
// GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances
// https://docs.github.com/rest/code-scanning/code-scanning#list-instances-of-a-code-scanning-alert
func (s *AlertsService) ListInstances(ctx context.Context, owner, repo string, number int, opts *AlertInstancesListOptions) ([]AlertInstance, error) {
	q := url.Values{"per_page": {"100"}}
	if opts != nil && opts.Ref != "" {
		q.Set("ref", opts.Ref)
	}
	return listAll[AlertInstance](ctx, s.client, repoPath(owner, repo)+"alerts/"+strconv.Itoa(number)+"/instances", q, 0)
}

// Dismissal reasons, as the API spells them.
const (
	ReasonFalsePositive = "false positive"
	ReasonWontFix       = "won't fix"
	ReasonUsedInTests   = "used in tests"
)

// MaxDismissComment is the most characters a dismissal comment may have.
const MaxDismissComment = 280

// An AlertUpdate changes an alert's state: dismissed (with a reason, one
// of the Reason constants, and an optional comment of at most
// [MaxDismissComment] characters) or open (reopened).
type AlertUpdate struct {
	State   string // dismissed or open
	Reason  string
	Comment string
}

// ErrInvalidUpdate is what Validate's errors wrap.
var ErrInvalidUpdate = errors.New("invalid alert update")

// Validate checks the update as the API would, before anything is sent.
func (u *AlertUpdate) Validate() error {
	switch u.State {
	case "dismissed":
		switch u.Reason {
		case ReasonFalsePositive, ReasonWontFix, ReasonUsedInTests:
		default:
			return fmt.Errorf("%w: the reason must be %q, %q or %q, not %q", ErrInvalidUpdate, ReasonFalsePositive, ReasonWontFix, ReasonUsedInTests, u.Reason)
		}
		if n := utf8.RuneCountInString(u.Comment); n > MaxDismissComment {
			return fmt.Errorf("%w: the comment has %d characters, at most %d are allowed", ErrInvalidUpdate, n, MaxDismissComment)
		}
	case "open":
		if u.Reason != "" || u.Comment != "" {
			return fmt.Errorf("%w: reopening takes no reason or comment", ErrInvalidUpdate)
		}
	default:
		return fmt.Errorf("%w: the state must be dismissed or open, not %q", ErrInvalidUpdate, u.State)
	}
	return nil
}

// Update dismisses or reopens an alert, after validating the update, and
// returns the alert as it now is. It is not retried on server errors (a
// PATCH that reached GitHub may have been applied), only on rate limits.
//
// PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}
// https://docs.github.com/rest/code-scanning/code-scanning#update-a-code-scanning-alert
func (s *AlertsService) Update(ctx context.Context, owner, repo string, number int, u *AlertUpdate) (*Alert, error) {
	if u == nil {
		u = &AlertUpdate{}
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	body := map[string]any{"state": u.State}
	if u.State == "dismissed" {
		body["dismissed_reason"] = u.Reason
		if u.Comment != "" {
			body["dismissed_comment"] = u.Comment
		}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	path := repoPath(owner, repo) + "alerts/" + strconv.Itoa(number)
	resp, err := s.client.do(ctx, request{method: http.MethodPatch, path: path, body: data})
	if err != nil {
		return nil, err
	}
	var a Alert
	if err := json.Unmarshal(resp.body, &a); err != nil {
		return nil, fmt.Errorf("PATCH %s: the answer is not the JSON expected: %w", path, err)
	}
	return &a, nil
}

// FromState is the state of the alerts the update changes: open ones are
// dismissed, dismissed ones reopened.
func (u *AlertUpdate) FromState() string {
	if u.State == "open" {
		return "dismissed"
	}
	return "open"
}

// Skip tells why the update would leave an alert as it is, or "" when it
// changes it: "already dismissed" or "already open" for an alert in the
// state the update asks for, "fixed" for a fixed alert, which is never
// dismissed or reopened. Updating only the alerts Skip lets through makes
// a second run change nothing.
func (u *AlertUpdate) Skip(a *Alert) string {
	switch a.State {
	case u.State:
		return "already " + u.State
	case "fixed":
		return "fixed"
	}
	return ""
}

// An AlertChange is an update of one alert of a repository.
type AlertChange struct {
	Number int
	Update *AlertUpdate
}

// UpdateManyOptions are the options of [AlertsService.UpdateMany].
type UpdateManyOptions struct {
	// Concurrency bounds the updates in flight: 4 when zero. A few at a
	// time, never a burst that trips GitHub's secondary rate limit.
	Concurrency int
	// Done, when set, is called as each update ends, with the change, the
	// alert as it now is (nil on error) and the error; one call at a time.
	Done func(c AlertChange, a *Alert, err error)
}

// UpdateMany applies changes to alerts of a repository with
// [AlertsService.Update], a few at a time: one that fails does not stop
// the others (a rate limit is waited out). It returns the error of each
// change, in the order of changes, nil for those made.
//
// PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}, for each
// https://docs.github.com/rest/code-scanning/code-scanning#update-a-code-scanning-alert
func (s *AlertsService) UpdateMany(ctx context.Context, owner, repo string, changes []AlertChange, opts *UpdateManyOptions) []error {
	if opts == nil {
		opts = &UpdateManyOptions{}
	}
	errs := make([]error, len(changes))
	var mu sync.Mutex
	n := opts.Concurrency
	if n <= 0 {
		n = 4
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, c := range changes {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			a, err := s.Update(ctx, owner, repo, c.Number, c.Update)
			mu.Lock()
			defer mu.Unlock()
			errs[i] = err
			if opts.Done != nil {
				opts.Done(c, a, err)
			}
		})
	}
	wg.Wait()
	return errs
}
