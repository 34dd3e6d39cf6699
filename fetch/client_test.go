package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
	"github.com/sarifkit/sarifkit/internal/sariftest"
)

func analyses(n int) []fakegithub.Analysis {
	var out []fakegithub.Analysis
	for i := 1; i <= n; i++ {
		out = append(out, fakegithub.Analysis{ID: int64(i), Ref: "refs/heads/main", CommitSHA: strings.Repeat("a", 40),
			Tool: fakegithub.Tool{Name: "gosec"}, Category: "gosec/", CreatedAt: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), ResultsCount: i})
	}
	return out
}

// client returns a client of the fake whose waits are recorded in its log
// instead of slept.
func client(t *testing.T, f *fakegithub.Server, mod ...func(*Options)) *Client {
	opts := Options{BaseURL: f.URL, Token: f.Token, UserAgent: "sarifkit-test/1", Backoff: time.Millisecond}
	for _, m := range mod {
		m(&opts)
	}
	c, err := NewClient(&opts)
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		f.Note("sleep " + d.Round(time.Second).String())
		return ctx.Err()
	}
	return c
}

func TestListPagesAndFilters(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.Analyses = analyses(250) // three pages of 100
	c := client(t, f)
	got, err := c.Analyses.List(context.Background(), "o", "r", &AnalysesListOptions{Ref: "refs/heads/main", ToolName: "gosec"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || got[249].ID != 250 {
		t.Fatalf("got %d analyses", len(got))
	}
	reqs := f.Log()
	if len(reqs) != 3 || !strings.Contains(reqs[0], "per_page=100") || !strings.Contains(reqs[0], "ref=refs%2Fheads%2Fmain") ||
		!strings.Contains(reqs[0], "tool_name=gosec") || !strings.Contains(reqs[2], "page=3") {
		t.Errorf("requests: %q", reqs)
	}
	got, err = c.Analyses.List(context.Background(), "o", "r", &AnalysesListOptions{Limit: 120})
	if err != nil || len(got) != 120 {
		t.Errorf("limit: %d %v", len(got), err)
	}
}

func TestRetriesAndRateLimits(t *testing.T) {
	t.Parallel()
	const path = "/repos/o/r/code-scanning/analyses/1"
	cases := []struct {
		name   string
		faults []string
		sleeps []string // the waits the client took
		err    string
	}{
		{"500 then success", []string{"500"}, []string{"sleep 0s"}, ""},
		{"502 twice then success", []string{"502", "502"}, []string{"sleep 0s", "sleep 0s"}, ""},
		{"429 with Retry-After", []string{"429"}, []string{"sleep 7s"}, ""},
		{"secondary rate limit 403", []string{"secondary"}, []string{"sleep 1m0s"}, ""},
		{"secondary rate limit 403 without headers", []string{"secondary-bare", "secondary-bare"}, []string{"sleep 1m0s", "sleep 1m0s"}, ""},
		{"primary rate limit until reset", []string{"primary"}, []string{"sleep 30s|sleep 31s"}, ""}, // reset is in whole seconds
		{"truncated body then success", []string{"truncate"}, []string{"sleep 0s"}, ""},
		{"reset too far away", []string{"primary-far"}, nil, "rate limited: GitHub asks to wait 2h0m"},
		{"500 five times", []string{"500", "500", "500", "500", "500"}, []string{"sleep 0s", "sleep 0s", "sleep 0s", "sleep 0s"}, "500 Internal Server Error: Server Error (https://docs.github.com/rest/code-scanning)"},
		{"invalid JSON", []string{"badjson"}, nil, "not the JSON expected"},
		{"404 explains scopes", []string{"404"}, nil, "security_events scope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := fakegithub.New(t)
			f.Analyses = analyses(1)
			f.Fault(path, c.faults...)
			a, err := client(t, f).Analyses.Get(context.Background(), "o", "r", 1)
			var sleeps []string
			for _, r := range f.Log() {
				if strings.HasPrefix(r, "sleep") {
					sleeps = append(sleeps, r)
				}
			}
			if !slices.EqualFunc(sleeps, c.sleeps, func(got, want string) bool { return slices.Contains(strings.Split(want, "|"), got) }) {
				t.Errorf("waits %q, want %q", sleeps, c.sleeps)
			}
			if c.err == "" {
				if err != nil || a.ID != 1 {
					t.Fatalf("got %v %v", a, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("error %v, want %q", err, c.err)
			}
			if strings.Contains(err.Error(), f.Token) {
				t.Error("the error carries the token")
			}
		})
	}
	// Errors are inspectable.
	f := fakegithub.New(t)
	f.Fault(path, "primary-far")
	_, err := client(t, f).Analyses.Get(context.Background(), "o", "r", 1)
	var rl *RateLimitError
	var api *APIError
	if !errors.As(err, &rl) || !errors.As(err, &api) || api.StatusCode != 403 || api.Message != "API rate limit exceeded" {
		t.Errorf("want a RateLimitError wrapping the APIError, got %#v", err)
	}
}

func TestServerThatNeverAnswers(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.Fault("/repos/o/r/code-scanning/analyses/1", "hang", "hang", "hang", "hang", "hang")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := client(t, f).Analyses.Get(ctx, "o", "r", 1)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("want the context deadline, got %v after %s", err, time.Since(start))
	}
}

func TestDownloadAndLatest(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.Analyses = append(analyses(3), fakegithub.Analysis{ID: 9, Ref: "refs/heads/main", Tool: fakegithub.Tool{Name: "eslint"}, Category: "js/", CreatedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	for _, id := range []int64{1, 2, 3, 9} {
		tool := "gosec"
		if id == 9 {
			tool = "eslint"
		}
		f.SARIF[id] = []byte(fmt.Sprintf(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":%q}},"automationDetails":{"id":"x%d/"},"results":[
		  {"ruleId":"R","message":{"text":"m"},"properties":{"github/alertNumber":%d,"github/alertUrl":"https://api.github.com/repos/o/r/code-scanning/alerts/%d"}}]}]}`, tool, id, id*10, id*10))
	}
	c := client(t, f)
	l, err := c.Analyses.Download(context.Background(), "o", "r", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := sariftest.Results(t, l.Runs[0])[0].Properties["github/alertNumber"]; fmt.Sprint(got) != "20" {
		t.Errorf("alert number %v", got)
	}
	latest, err := c.Analyses.Latest(context.Background(), "o", "r", "refs/heads/main", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range latest {
		ids = append(ids, a.Analysis.ID)
		if want := fmt.Sprintf("x%d", a.Analysis.ID); len(a.Log.Runs) != 1 || a.Log.Runs[0].Category() != want {
			t.Errorf("analysis %d: the log of another analysis", a.Analysis.ID)
		}
	}
	if !slices.Equal(ids, []int64{9, 3}) {
		t.Errorf("latest per tool and category: %v", ids)
	}
	if _, err := c.Analyses.Latest(context.Background(), "o", "r", "refs/heads/none", nil); !errors.Is(err, ErrNoAnalysis) {
		t.Errorf("want ErrNoAnalysis for a ref without analyses, got %v", err)
	}
}

func TestUploadAndWait(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	c := client(t, f)
	in, err := os.ReadFile("../testdata/valid/example-gosec.sarif")
	if err != nil {
		t.Fatal(err)
	}
	l := sariftest.Parse(t, string(in))
	up, err := c.SARIF.Upload(context.Background(), "o", "r", l, &UploadOptions{CommitSHA: strings.Repeat("b", 40), Ref: "refs/heads/main",
		CheckoutURI: "file:///home/runner/work/r/r", StartedAt: time.Now(), ToolName: "gosec"})
	if err != nil {
		t.Fatal(err)
	}
	// The body decodes back to the log.
	var want, got any
	json.Unmarshal(in, &want)
	json.Unmarshal(f.Upload(up.ID), &got)
	if !reflect.DeepEqual(want, got) {
		t.Error("the uploaded SARIF does not decode back to the input")
	}
	st, err := c.SARIF.Wait(context.Background(), "o", "r", up.ID, &WaitOptions{Interval: time.Second})
	if err != nil || st.ProcessingStatus != "complete" {
		t.Fatalf("%+v %v", st, err)
	}
	f.Final, f.Errors = "failed", []string{"locationFromSarifResult: expected artifact location"}
	up, _ = c.SARIF.Upload(context.Background(), "o", "r", l, &UploadOptions{CommitSHA: strings.Repeat("b", 40), Ref: "refs/heads/main"})
	st, err = c.SARIF.Wait(context.Background(), "o", "r", up.ID, &WaitOptions{Interval: time.Second})
	if err != nil || st.ProcessingStatus != "failed" || len(st.Errors) != 1 {
		t.Fatalf("%+v %v", st, err)
	}
	// An upload is not retried on a server error: it may have been taken.
	f.Fault("/repos/o/r/code-scanning/sarifs", "500")
	if _, err := c.SARIF.Upload(context.Background(), "o", "r", l, &UploadOptions{CommitSHA: strings.Repeat("b", 40), Ref: "refs/heads/main"}); err == nil {
		t.Error("want the 500")
	}
	if _, err := c.SARIF.Upload(context.Background(), "o", "r", l, &UploadOptions{CommitSHA: "abc", Ref: "refs/heads/main"}); err == nil {
		t.Error("want an error for a short SHA")
	}
}

func TestTokenSafety(t *testing.T) {
	t.Parallel()
	if _, err := NewClient(&Options{BaseURL: "http://example.com/api/v3", Token: "t"}); err == nil || !strings.Contains(err.Error(), "plain HTTP") {
		t.Errorf("want a refusal, got %v", err)
	}
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost", "http://[::1]:9", "https://ghe.example.com/api/v3"} {
		if _, err := NewClient(&Options{BaseURL: ok, Token: "t"}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	if _, err := NewClient(&Options{BaseURL: "ftp://x"}); err == nil {
		t.Error("want an error for a non-HTTP base URL")
	}
	// A pagination link to another host is not followed with the token.
	f := fakegithub.New(t)
	c := client(t, f)
	if _, err := c.resolve("https://evil.example.com/x", nil); err == nil {
		t.Error("followed a link to another host")
	}
	// A wrong token gets GitHub's 401 with a hint.
	c = client(t, f, func(o *Options) { o.Token = "wrong" })
	_, err := c.Analyses.Get(context.Background(), "o", "r", 1)
	var api *APIError
	if !errors.As(err, &api) || api.StatusCode != 401 || !strings.Contains(err.Error(), "Bad credentials") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("got %v", err)
	}
}

func TestListAlerts(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	for i := 1; i <= 130; i++ {
		state := "open"
		if i%10 == 0 {
			state = "dismissed"
		}
		f.Alerts = append(f.Alerts, map[string]any{"number": i, "state": state,
			"rule":                 map[string]any{"id": "G101", "security_severity_level": "high"},
			"most_recent_instance": map[string]any{"ref": "refs/heads/main", "location": map[string]any{"path": "a.go", "start_line": i}}})
	}
	var got []*Alert
	for a, err := range client(t, f).Alerts.ListForRepo(context.Background(), "o", "r", &AlertListOptions{Ref: "refs/heads/main", State: "open"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	if len(got) != 117 || got[0].Rule.SecuritySeverityLevel != "high" || got[116].MostRecentInstance.Location.StartLine != 129 {
		t.Errorf("got %d alerts: %+v", len(got), got[0])
	}
}
