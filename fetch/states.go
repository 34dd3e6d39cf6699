package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

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
// has that suppression is left alone. The repository's alerts dismissed
// on ref (the ref the log's analyses are of; "" for the default branch)
// are listed once.
func (c *Client) AddAlertStates(ctx context.Context, owner, repo, ref string, l *sarif.Log) (AlertStates, error) {
	var st AlertStates
	dismissed := map[int]*Alert{}
	for a, err := range c.Alerts(ctx, AlertScope{Owner: owner, Repo: repo}, &AlertOptions{State: "dismissed", Ref: ref}) {
		if err != nil {
			return st, err
		}
		dismissed[a.Number] = a
	}
	st.Dismissed = len(dismissed)
	if len(dismissed) == 0 {
		return st, nil
	}
	if err := l.Load(ctx); err != nil {
		return st, err
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

// A Dismissal is an alert to dismiss because a SARIF result suppresses
// it ([Dismissals]).
type Dismissal struct {
	Alert   *Alert
	Update  AlertUpdate
	Result  string // the result's JSON pointer
	Cut     bool   // the justification was cut to MaxDismissComment
	ByMatch bool   // matched by rule and location, not by github/alertNumber
}

// Dismissals turns the accepted suppressions of a log (status absent or
// "accepted") into dismissals of alerts: each suppressed result is the
// alert its github/alertNumber names (logs fetched from GitHub have it),
// else the alert of the same rule whose most recent instance is at the
// result's file and start line. The reason is reason when given, else it
// is read from the suppression: "used in tests" when its justification
// speaks of tests (the word), "false positive" when it says so, else "won't fix";
// its justification becomes the comment, cut to [MaxDismissComment]
// characters with an ellipsis. Results that match no alert are returned
// as pointers, not guessed.
func Dismissals(l *sarif.Log, alerts []*Alert, reason string) (out []Dismissal, unmatched []string) {
	byNumber := map[int]*Alert{}
	type at struct {
		rule, path string
		line       int
	}
	byPlace := map[at]*Alert{}
	for _, a := range alerts {
		byNumber[a.Number] = a
		loc := a.MostRecentInstance.Location
		// Of the alerts at one place (an old fixed one, a new open one),
		// the open one is what the suppression is about.
		k := at{a.Rule.ID, loc.Path, loc.StartLine}
		if prev := byPlace[k]; prev == nil || prev.State != "open" && a.State == "open" {
			byPlace[k] = a
		}
	}
	for ri, run := range l.Runs {
		if run == nil || run.Model == nil {
			continue
		}
		rv := run.Resolver()
		for i := range run.Len() {
			r, err := run.Result(i) // a result on disk the file no longer has matches nothing
			if err != nil {
				unmatched = append(unmatched, fmt.Sprintf("/runs/%d/results/%d", ri, i))
				continue
			}
			res, err := r.Decode()
			if err != nil {
				continue
			}
			supp := sarif.AcceptedSuppression(res)
			if supp == nil {
				continue
			}
			ptr := fmt.Sprintf("/runs/%d/results/%d", ri, i)
			var a *Alert
			byMatch := false
			if n, err := strconv.Atoi(fmt.Sprint(res.Properties["github/alertNumber"])); err == nil {
				a = byNumber[n]
			}
			if a == nil {
				if pl := sarif.PrimaryLocation(res); pl != nil && pl.Region != nil && pl.Region.StartLine != nil {
					a = byPlace[at{rv.RuleID(res), sarif.NormalizeURI(rv.PrimaryURI(res)), *pl.Region.StartLine}]
					byMatch = a != nil
				}
			}
			if a == nil {
				unmatched = append(unmatched, ptr)
				continue
			}
			var just string
			if supp.Justification != nil {
				just = *supp.Justification
			}
			d := Dismissal{Alert: a, Result: ptr, ByMatch: byMatch, Update: AlertUpdate{State: "dismissed", Reason: reason}}
			if d.Update.Reason == "" {
				d.Update.Reason = reasonOf(just)
			}
			if rs := []rune(just); len(rs) > MaxDismissComment {
				just, d.Cut = string(rs[:MaxDismissComment-1])+"…", true
			}
			d.Update.Comment = just
			out = append(out, d)
		}
	}
	return out, unmatched
}

// testWord finds "test", "tests", "testing" or "test code" as words, not
// inside "latest" or "attestation".
var testWord = regexp.MustCompile(`\btest(s|ing|data)?\b`)

// reasonOf reads a dismissal reason from a suppression's justification.
func reasonOf(justification string) string {
	j := strings.ToLower(justification)
	switch {
	case testWord.MatchString(j):
		return ReasonUsedInTests
	case strings.Contains(j, "false positive"), strings.Contains(j, "false-positive"), strings.Contains(j, "not a bug"):
		return ReasonFalsePositive
	}
	return ReasonWontFix
}
