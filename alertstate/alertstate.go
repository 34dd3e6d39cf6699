// Package alertstate carries the states of GitHub code scanning alerts
// into SARIF logs and back, between package fetch (the API) and package
// sarif (the logs). A log downloaded from GitHub names each result's
// alert (github/alertNumber): [Add] gives the results whose alert is
// dismissed a suppression saying so, so that what a reviewer dismissed
// travels with the log (package diff keeps it dismissed when it inherits
// suppressions). The other way, [Dismissals] turns the suppressions of a
// log into updates of the alerts they are about, which
// [fetch.AlertsService.UpdateMany] sends.
//
// Both work on logs whose results stay on disk (sarif.ReadOptions
// ResultsOnDisk): they read the results one at a time and edit them as
// the log is written, never loading them all.
package alertstate

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/sarif"
)

// Counts are what [Add] did.
type Counts struct {
	Dismissed  int // dismissed alerts of the repository
	Suppressed int // results that got a suppression from one
}

// Add writes GitHub's dismissals into a log fetched from it: it lists the
// alerts of the repository dismissed on ref (the ref the log's analyses
// are of; "" for the default branch) once, then gives each result whose
// github/alertNumber names one a suppression ([Suppress]).
//
// GET /repos/{owner}/{repo}/code-scanning/alerts?state=dismissed
func Add(ctx context.Context, alerts *fetch.AlertsService, owner, repo, ref string, l *sarif.Log) (Counts, error) {
	var st Counts
	var dismissed []*fetch.Alert
	for a, err := range alerts.ListForRepo(ctx, owner, repo, &fetch.AlertListOptions{State: "dismissed", Ref: ref}) {
		if err != nil {
			return st, err
		}
		dismissed = append(dismissed, a)
	}
	n, err := Suppress(ctx, l, dismissed)
	st.Dismissed, st.Suppressed = len(byNumber(dismissed)), n
	return st, err
}

func byNumber(alerts []*fetch.Alert) map[int]*fetch.Alert {
	m := make(map[int]*fetch.Alert, len(alerts))
	for _, a := range alerts {
		m[a.Number] = a
	}
	return m
}

// Suppress gives each result of the log whose github/alertNumber names
// one of the dismissed alerts a suppression (kind "external", status
// "accepted", the dismissal's reason, comment, author and date as its
// justification) and returns how many results it gave one. Alerts that
// are not dismissed add nothing; a result that already has that
// suppression is left alone. Results held on disk stay there: they are
// read once to count them, and edited as they are read again (when the
// log is written).
func Suppress(ctx context.Context, l *sarif.Log, dismissed []*fetch.Alert) (int, error) {
	alerts := byNumber(dismissed)
	for n, a := range alerts {
		if a.State != "dismissed" {
			delete(alerts, n)
		}
	}
	if len(alerts) == 0 {
		return 0, nil
	}
	total := 0
	for ri, run := range l.Runs {
		if run == nil {
			continue
		}
		edit := func(i int, r sarif.Result) (sarif.Result, bool, error) {
			out, changed, err := suppress(r, alerts)
			if err != nil {
				err = fmt.Errorf("/runs/%d/results/%d%w", ri, i, err)
			}
			return out, changed, err
		}
		var n atomic.Int64
		if err := run.EachResult(ctx, func(_, i int, r sarif.Result) error {
			_, changed, err := edit(i, r)
			if changed {
				n.Add(1)
			}
			return err
		}); err != nil {
			return total, err
		}
		if n.Load() == 0 {
			continue
		}
		total += int(n.Load())
		if err := run.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
			out, _, err := edit(i, r)
			return out, err
		}); err != nil {
			return total, err
		}
	}
	return total, nil
}

// suppress returns r with the suppression of its dismissed alert added,
// and whether it added one. Its errors start with the member of r they
// are about ("/suppressions: ...", ": ..."), for a JSON pointer to go
// before.
func suppress(r sarif.Result, dismissed map[int]*fetch.Alert) (sarif.Result, bool, error) {
	var props struct {
		Number json.Number `json:"github/alertNumber"`
	}
	raw := r.Member("properties")
	if raw == nil || json.Unmarshal(raw, &props) != nil {
		return r, false, nil
	}
	n, err := strconv.Atoi(props.Number.String())
	a := dismissed[n]
	if err != nil || a == nil {
		return r, false, nil
	}
	var supps []any
	if s := r.Member("suppressions"); s != nil {
		if err := json.Unmarshal(s, &supps); err != nil {
			return r, false, fmt.Errorf("/suppressions: %w", err)
		}
	}
	just := dismissal(a)
	if hasJustification(supps, just) {
		return r, false, nil
	}
	supps = append(supps, map[string]any{"kind": "external", "status": "accepted", "justification": just})
	out, err := r.Set("suppressions", supps)
	if err != nil {
		return r, false, fmt.Errorf(": %w", err)
	}
	return out, true, nil
}

// dismissal says how an alert was dismissed.
func dismissal(a *fetch.Alert) string {
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
	Alert   *fetch.Alert
	Update  fetch.AlertUpdate
	Result  string // the result's JSON pointer
	Cut     bool   // the justification was cut to fetch.MaxDismissComment
	ByMatch bool   // matched by rule and location, not by github/alertNumber
}

// Dismissals turns the accepted suppressions of a log (status absent or
// "accepted") into dismissals of alerts: each suppressed result is the
// alert its github/alertNumber names (logs fetched from GitHub have it),
// else the alert of the same rule whose most recent instance is at the
// result's file and start line. The reason is reason when given, else it
// is read from the suppression: "used in tests" when its justification
// speaks of tests (the word), "false positive" when it says so, else "won't fix";
// its justification becomes the comment, cut to [fetch.MaxDismissComment]
// characters with an ellipsis. Results that match no alert are returned
// as pointers, not guessed.
func Dismissals(l *sarif.Log, alerts []*fetch.Alert, reason string) (out []Dismissal, unmatched []string) {
	byNumber := map[int]*fetch.Alert{}
	type at struct {
		rule, path string
		line       int
	}
	byPlace := map[at]*fetch.Alert{}
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
			var a *fetch.Alert
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
			d := Dismissal{Alert: a, Result: ptr, ByMatch: byMatch, Update: fetch.AlertUpdate{State: "dismissed", Reason: reason}}
			if d.Update.Reason == "" {
				d.Update.Reason = reasonOf(just)
			}
			if rs := []rune(just); len(rs) > fetch.MaxDismissComment {
				just, d.Cut = string(rs[:fetch.MaxDismissComment-1])+"…", true
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
		return fetch.ReasonUsedInTests
	case strings.Contains(j, "false positive"), strings.Contains(j, "false-positive"), strings.Contains(j, "not a bug"):
		return fetch.ReasonFalsePositive
	}
	return fetch.ReasonWontFix
}
