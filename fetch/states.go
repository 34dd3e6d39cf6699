package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/sarifkit/sarifkit/sarif"
)

// AlertStates are what [Client.AddAlertStates] did.
type AlertStates struct {
	Dismissed  int // dismissed alerts of the repository
	Suppressed int // results that got a suppression from one
}

// AddAlertStates writes GitHub's dismissals into a log fetched from it:
// each result whose github/alertNumber names an alert dismissed on GitHub
// gets a suppression (kind "external", status "accepted", the dismissal's
// reason, comment, author and date as its justification), so that what a
// reviewer dismissed travels with the log (sarif-diff
// --inherit-suppressions keeps it dismissed in a pull request's
// comparison). Open and fixed alerts add nothing; a result that already
// has that suppression is left alone. The repository's dismissed alerts
// are listed once.
func (c *Client) AddAlertStates(ctx context.Context, owner, repo string, l *sarif.Log) (AlertStates, error) {
	var st AlertStates
	dismissed := map[int]*Alert{}
	for a, err := range c.Alerts(ctx, AlertScope{Owner: owner, Repo: repo}, &AlertOptions{State: "dismissed"}) {
		if err != nil {
			return st, err
		}
		dismissed[a.Number] = a
	}
	st.Dismissed = len(dismissed)
	if len(dismissed) == 0 {
		return st, nil
	}
	for ri, run := range l.Runs {
		if run == nil {
			continue
		}
		for i, r := range run.Results {
			var props struct {
				Number json.Number `json:"github/alertNumber"`
			}
			raw := r.Member("properties")
			if raw == nil || json.Unmarshal(raw, &props) != nil {
				continue
			}
			n, err := strconv.Atoi(props.Number.String())
			a := dismissed[n]
			if err != nil || a == nil {
				continue
			}
			var supps []any
			if s := r.Member("suppressions"); s != nil {
				if err := json.Unmarshal(s, &supps); err != nil {
					return st, fmt.Errorf("/runs/%d/results/%d/suppressions: %w", ri, i, err)
				}
			}
			just := dismissal(a)
			if hasJustification(supps, just) {
				continue
			}
			supps = append(supps, map[string]any{"kind": "external", "status": "accepted", "justification": just})
			if run.Results[i], err = r.Set("suppressions", supps); err != nil {
				return st, fmt.Errorf("/runs/%d/results/%d: %w", ri, i, err)
			}
			st.Suppressed++
		}
	}
	return st, nil
}

// dismissal says how an alert was dismissed.
func dismissal(a *Alert) string {
	s := "dismissed on GitHub"
	if a.DismissedReason != nil && *a.DismissedReason != "" {
		s += " as " + *a.DismissedReason
	}
	if a.DismissedBy != nil && a.DismissedBy.Login != "" {
		s += " by " + a.DismissedBy.Login
	}
	if a.DismissedAt != nil {
		s += " on " + a.DismissedAt.UTC().Format("2006-01-02")
	}
	if a.DismissedComment != nil && *a.DismissedComment != "" {
		s += ": " + *a.DismissedComment
	}
	return s
}

func hasJustification(supps []any, just string) bool {
	for _, s := range supps {
		if m, ok := s.(map[string]any); ok && m["justification"] == just {
			return true
		}
	}
	return false
}
