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

// An AlertScope says whose alerts to list: a repository (Owner and
// Repo), an organization (Org: the default branch of every repository
// the token's user owns or is a security manager of), or a GitHub
// Enterprise Server enterprise (Enterprise).
type AlertScope struct {
	Owner, Repo string
	Org         string
	Enterprise  string
}

func (s AlertScope) path() (string, error) {
	switch {
	case s.Owner != "" && s.Repo != "" && s.Org == "" && s.Enterprise == "":
		return repoPath(s.Owner, s.Repo) + "alerts", nil
	case s.Org != "" && s.Owner == "" && s.Enterprise == "":
		return "orgs/" + url.PathEscape(s.Org) + "/code-scanning/alerts", nil // relative: below the API root's path
	case s.Enterprise != "" && s.Owner == "" && s.Org == "":
		return "enterprises/" + url.PathEscape(s.Enterprise) + "/code-scanning/alerts", nil
	}
	return "", errors.New("an alert scope is a repository, an organization or an enterprise: give one")
}

// AlertOptions filter the alerts listed. Zero fields are not sent.
type AlertOptions struct {
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

// Alerts lists the alerts of scope a page of 100 at a time, each page
// asked for when the loop reaches it, so that the alerts of a large
// organization never sit in memory at once; breaking out of the loop
// stops the listing. The error, if any, comes last, with a nil alert.
//
// GET /repos/{owner}/{repo}/code-scanning/alerts,
// GET /orgs/{org}/code-scanning/alerts,
// GET /enterprises/{enterprise}/code-scanning/alerts
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-an-organization
func (c *Client) Alerts(ctx context.Context, scope AlertScope, opts *AlertOptions) iter.Seq2[*Alert, error] {
	return func(yield func(*Alert, error) bool) {
		path, err := scope.path()
		if err != nil {
			yield(nil, err)
			return
		}
		if opts == nil {
			opts = &AlertOptions{}
		}
		q := url.Values{"per_page": {"100"}}
		for k, v := range map[string]string{"ref": opts.Ref, "state": opts.State, "severity": opts.Severity,
			"tool_name": opts.ToolName, "sort": opts.Sort, "direction": opts.Direction} {
			if v != "" {
				q.Set(k, v)
			}
		}
		n := 0
		for batch, err := range pages[*Alert](ctx, c, path, q, 100_000) {
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

// ListAlerts lists the code scanning alerts of a repository, every page,
// into memory (see [Client.Alerts] to stream them).
//
// GET /repos/{owner}/{repo}/code-scanning/alerts
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository
func (c *Client) ListAlerts(ctx context.Context, owner, repo string, opts *AlertOptions) ([]Alert, error) {
	all := []Alert{}
	for a, err := range c.Alerts(ctx, AlertScope{Owner: owner, Repo: repo}, opts) {
		if err != nil {
			return nil, err
		}
		all = append(all, *a)
	}
	return all, nil
}

// GetAlert returns one alert.
//
// GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}
func (c *Client) GetAlert(ctx context.Context, owner, repo string, number int) (*Alert, error) {
	var a Alert
	if _, err := c.getJSON(ctx, repoPath(owner, repo)+"alerts/"+strconv.Itoa(number), nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// AlertInstances returns where an alert appears: on ref only when ref is
// not "".
//
// GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances
func (c *Client) AlertInstances(ctx context.Context, owner, repo string, number int, ref string) ([]AlertInstance, error) {
	q := url.Values{"per_page": {"100"}}
	if ref != "" {
		q.Set("ref", ref)
	}
	return listAll[AlertInstance](ctx, c, repoPath(owner, repo)+"alerts/"+strconv.Itoa(number)+"/instances", q, 0)
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
func (u AlertUpdate) Validate() error {
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

// UpdateAlert dismisses or reopens an alert, after validating the update,
// and returns the alert as it now is. It is not retried on server errors
// (a PATCH that reached GitHub may have been applied), only on rate
// limits.
//
// PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}
// https://docs.github.com/rest/code-scanning/code-scanning#update-a-code-scanning-alert
func (c *Client) UpdateAlert(ctx context.Context, owner, repo string, number int, u AlertUpdate) (*Alert, error) {
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
	resp, err := c.do(ctx, request{method: http.MethodPatch, path: path, body: data})
	if err != nil {
		return nil, err
	}
	var a Alert
	if err := json.Unmarshal(resp.body, &a); err != nil {
		return nil, fmt.Errorf("PATCH %s: the answer is not the JSON expected: %w", path, err)
	}
	return &a, nil
}

// A DeletedAnalysis is what deleting an analysis answers: the next
// analysis of the set to delete, to walk back through it (each URL ""
// when there is none).
type DeletedAnalysis struct {
	NextAnalysisURL  string `json:"next_analysis_url"`
	ConfirmDeleteURL string `json:"confirm_delete_url"`
}

// DeleteAnalysis deletes an analysis. Only the newest analysis of a set
// (tool, category, ref) can be deleted; deleting the last one of a set
// needs confirmLast (the API's confirm_delete), since it removes the
// set's alerts with it.
//
// DELETE /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}
// https://docs.github.com/rest/code-scanning/code-scanning#delete-a-code-scanning-analysis-from-a-repository
func (c *Client) DeleteAnalysis(ctx context.Context, owner, repo string, id int64, confirmLast bool) (*DeletedAnalysis, error) {
	var q url.Values
	if confirmLast {
		q = url.Values{"confirm_delete": {"true"}}
	}
	path := repoPath(owner, repo) + "analyses/" + strconv.FormatInt(id, 10)
	resp, err := c.do(ctx, request{method: http.MethodDelete, path: path, query: q})
	if err != nil {
		return nil, err
	}
	var d DeletedAnalysis
	if err := json.Unmarshal(resp.body, &d); err != nil {
		return nil, fmt.Errorf("DELETE %s: the answer is not the JSON expected: %w", path, err)
	}
	return &d, nil
}
