package fetch

import (
	"context"
	"net/url"
	"time"
)

// Alert is a code scanning alert.
type Alert struct {
	Number  int    `json:"number"`
	State   string `json:"state"` // open, dismissed, fixed
	HTMLURL string `json:"html_url"`
	URL     string `json:"url"`
	Rule    struct {
		ID                    string   `json:"id"`
		Severity              string   `json:"severity"`
		SecuritySeverityLevel string   `json:"security_severity_level"`
		Description           string   `json:"description"`
		Tags                  []string `json:"tags"`
	} `json:"rule"`
	Tool               Tool      `json:"tool"`
	CreatedAt          time.Time `json:"created_at"`
	MostRecentInstance struct {
		Ref      string `json:"ref"`
		Category string `json:"category"`
		Message  struct {
			Text string `json:"text"`
		} `json:"message"`
		Location struct {
			Path      string `json:"path"`
			StartLine int    `json:"start_line"`
		} `json:"location"`
	} `json:"most_recent_instance"`
}

// AlertOptions filter ListAlerts. Zero fields are not sent.
type AlertOptions struct {
	Ref      string
	State    string // open, closed, dismissed, fixed
	Severity string // critical, high, medium, low, warning, note, error
	ToolName string
	// Limit stops after this many alerts; all pages when zero.
	Limit int
}

// ListAlerts lists the code scanning alerts of a repository, every page.
//
// GET /repos/{owner}/{repo}/code-scanning/alerts
// https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository
func (c *Client) ListAlerts(ctx context.Context, owner, repo string, opts *AlertOptions) ([]Alert, error) {
	if opts == nil {
		opts = &AlertOptions{}
	}
	q := url.Values{"per_page": {"100"}}
	for k, v := range map[string]string{"ref": opts.Ref, "state": opts.State, "severity": opts.Severity, "tool_name": opts.ToolName} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return listAll[Alert](ctx, c, repoPath(owner, repo)+"alerts", q, opts.Limit)
}
