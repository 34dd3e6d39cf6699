package fetch

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

func alert(n int, state, rule string) map[string]any {
	return map[string]any{"number": n, "state": state, "created_at": "2026-10-01T00:00:00Z",
		"rule": map[string]any{"id": rule, "severity": "error", "security_severity_level": "high"},
		"tool": map[string]any{"name": "gosec"},
		"most_recent_instance": map[string]any{"ref": "refs/heads/main", "category": "go/",
			"message": map[string]any{"text": "m"}, "location": map[string]any{"path": "a.go", "start_line": n}}}
}

// An organization's alerts stream a page at a time, by cursor, each with
// its repository; stopping the loop stops the requests.
func TestOrgAlerts(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.RepoAlerts = map[string][]map[string]any{}
	f.Orgs = map[string][]string{"acme": {"acme/api", "acme/web"}}
	for i := 1; i <= 150; i++ {
		f.RepoAlerts["acme/api"] = append(f.RepoAlerts["acme/api"], alert(i, "open", "G101"))
	}
	for i := 1; i <= 60; i++ {
		f.RepoAlerts["acme/web"] = append(f.RepoAlerts["acme/web"], alert(i, "dismissed", "js/xss"))
	}
	f.Fault("/orgs/acme/code-scanning/alerts", "429", "500") // waited out, retried
	c := client(t, f)
	n, repos := 0, map[string]int{}
	for a, err := range c.Alerts.ListForOrg(t.Context(), "acme", nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		repos[a.Repository.FullName]++
	}
	if n != 210 || repos["acme/api"] != 150 || repos["acme/web"] != 60 {
		t.Errorf("%d alerts: %v", n, repos)
	}
	pages := 0
	for _, l := range f.Log() {
		if strings.HasPrefix(l, "GET /orgs/acme/code-scanning/alerts") {
			pages++
		}
	}
	if pages != 5 {
		t.Errorf("%d requests for 210 alerts, want 3 pages of 100 and the 2 faults: %v", pages, f.Log())
	}
	if log := strings.Join(f.Log(), "\n"); !strings.Contains(log, "sleep 7s") {
		t.Errorf("the rate limit was not waited out:\n%s", log)
	}
	// An enterprise (GitHub Enterprise Server, its API below /api/v3) is
	// listed the same way.
	f.Orgs["ent"] = []string{"acme/web"}
	ghes := client(t, f, func(o *Options) { o.BaseURL = f.URL + "/api/v3" })
	m := 0
	for _, err := range ghes.Alerts.ListForEnterprise(t.Context(), "ent", nil) {
		if err != nil {
			t.Fatal(err)
		}
		m++
	}
	if m != 60 || !strings.Contains(strings.Join(f.Log(), "\n"), "GET /api/v3/enterprises/ent/code-scanning/alerts") {
		t.Errorf("enterprise: %d alerts", m)
	}
	// Stopping early: one page asked for.
	before := len(f.Log())
	for a, err := range c.Alerts.ListForOrg(t.Context(), "acme", &AlertListOptions{State: "dismissed"}) {
		if err != nil || a.State != "dismissed" {
			t.Fatal(a, err)
		}
		break
	}
	if got := len(f.Log()) - before; got != 1 {
		t.Errorf("breaking out of the loop made %d requests, want 1", got)
	}
	for _, err := range c.Alerts.ListForOrg(t.Context(), "nope", nil) {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
			t.Errorf("unknown organization: %v", err)
		}
	}
}

// Dismiss and reopen: validated before sending, applied, refused to a
// user without write access, and 404 for an unknown alert.
func TestUpdateAlert(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.ReaderToken = "ghs_reader"
	f.Alerts = []map[string]any{alert(1, "open", "G101"), alert(2, "fixed", "G101")}
	c := client(t, f)
	for _, u := range []*AlertUpdate{
		{State: "dismissed", Reason: "wontfix"},
		{State: "dismissed", Reason: ReasonWontFix, Comment: strings.Repeat("é", 281)},
		{State: "closed"},
		{State: "open", Reason: ReasonWontFix},
	} {
		if _, err := c.Alerts.Update(t.Context(), "o", "r", 1, u); !errors.Is(err, ErrInvalidUpdate) {
			t.Errorf("%+v: %v", u, err)
		}
	}
	if n := len(f.Log()); n != 0 {
		t.Errorf("invalid updates sent %d requests", n)
	}
	a, err := c.Alerts.Update(t.Context(), "o", "r", 1, &AlertUpdate{State: "dismissed", Reason: ReasonUsedInTests, Comment: strings.Repeat("é", 280)})
	if err != nil || a.State != "dismissed" || *a.DismissedReason != ReasonUsedInTests || a.DismissedBy.Login != "reviewer" {
		t.Fatalf("%+v, %v", a, err)
	}
	got, err := c.Alerts.Get(t.Context(), "o", "r", 1)
	if err != nil || got.State != "dismissed" || len([]rune(*got.DismissedComment)) != 280 {
		t.Errorf("after dismissing: %+v, %v", got, err)
	}
	if a, err = c.Alerts.Update(t.Context(), "o", "r", 1, &AlertUpdate{State: "open"}); err != nil || a.State != "open" || a.DismissedReason != nil {
		t.Errorf("reopened: %+v, %v", a, err)
	}
	var apiErr *APIError
	if _, err := c.Alerts.Update(t.Context(), "o", "r", 9, &AlertUpdate{State: "open"}); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("unknown alert: %v", err)
	}
	reader := client(t, f, func(o *Options) { o.Token = "ghs_reader" })
	if _, err := reader.Alerts.Update(t.Context(), "o", "r", 1, &AlertUpdate{State: "dismissed", Reason: ReasonFalsePositive}); !errors.As(err, &apiErr) || apiErr.StatusCode != 403 {
		t.Errorf("without write access: %v", err)
	}
	if inst, err := c.Alerts.ListInstances(t.Context(), "o", "r", 1, nil); err != nil || len(inst) != 1 || inst[0].Category != "go/" {
		t.Errorf("instances: %+v, %v", inst, err)
	}
}

// Only the newest analysis of a set is deleted, the last one only when
// confirmed, and each deletion names the next.
func TestDeleteAnalysis(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []int64{10, 11} {
		f.Analyses = append(f.Analyses, fakegithub.Analysis{ID: id, Ref: "refs/heads/main", Category: "go/", CreatedAt: t0.Add(time.Duration(i) * time.Hour), Tool: fakegithub.Tool{Name: "gosec"}})
	}
	c := client(t, f)
	var apiErr *APIError
	if _, err := c.Analyses.Delete(t.Context(), "o", "r", 10, nil); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("an older analysis: %v", err)
	}
	d, err := c.Analyses.Delete(t.Context(), "o", "r", 11, nil)
	if err != nil || !strings.HasSuffix(d.NextAnalysisURL, "/analyses/10") || !strings.HasSuffix(d.ConfirmDeleteURL, "/analyses/10?confirm_delete") {
		t.Fatalf("%+v, %v", d, err)
	}
	if _, err := c.Analyses.Delete(t.Context(), "o", "r", 10, nil); !errors.As(err, &apiErr) || !strings.Contains(apiErr.Message, "confirm_delete") {
		t.Errorf("the last one, unconfirmed: %v", err)
	}
	if d, err := c.Analyses.Delete(t.Context(), "o", "r", 10, &AnalysisDeleteOptions{ConfirmLast: true}); err != nil || d.NextAnalysisURL != "" {
		t.Errorf("the last one, confirmed: %+v, %v", d, err)
	}
}

// Many updates go a few at a time; one that fails does not stop the
// others, and each error comes back in the order of the changes. Skip
// says which alerts an update would leave alone.
func TestUpdateMany(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	for i := 1; i <= 9; i++ {
		f.Alerts = append(f.Alerts, alert(i, "open", "G101"))
	}
	f.Alerts = append(f.Alerts, alert(10, "fixed", "G101"))
	c := client(t, f)
	dismiss := &AlertUpdate{State: "dismissed", Reason: ReasonWontFix}
	var changes []AlertChange
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11} {
		changes = append(changes, AlertChange{Number: n, Update: dismiss})
	}
	calls := 0
	errs := c.Alerts.UpdateMany(t.Context(), "o", "r", changes, &UpdateManyOptions{Concurrency: 3, Done: func(ch AlertChange, a *Alert, err error) {
		calls++
		if (err == nil) != (a != nil) || a != nil && (a.Number != ch.Number || a.State != "dismissed") {
			t.Errorf("done %d: %+v, %v", ch.Number, a, err)
		}
	}})
	var apiErr *APIError
	for i, err := range errs {
		switch n := changes[i].Number; {
		case n == 10: // fixed: GitHub refuses
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
				t.Errorf("alert 10: %v", err)
			}
		case n == 11: // unknown
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
				t.Errorf("alert 11: %v", err)
			}
		case err != nil:
			t.Errorf("alert %d: %v", n, err)
		}
	}
	if calls != len(changes) {
		t.Errorf("Done called %d times for %d changes", calls, len(changes))
	}
	for _, c := range []struct {
		u     *AlertUpdate
		state string
		skip  string
	}{
		{dismiss, "open", ""}, {dismiss, "dismissed", "already dismissed"}, {dismiss, "fixed", "fixed"},
		{&AlertUpdate{State: "open"}, "dismissed", ""}, {&AlertUpdate{State: "open"}, "open", "already open"}, {&AlertUpdate{State: "open"}, "fixed", "fixed"},
	} {
		if got := c.u.Skip(&Alert{State: c.state}); got != c.skip {
			t.Errorf("%s of a %s alert: skip %q, want %q", c.u.State, c.state, got, c.skip)
		}
	}
	if dismiss.FromState() != "open" || (&AlertUpdate{State: "open"}).FromState() != "dismissed" {
		t.Error("FromState")
	}
}
