package fetch_test

import (
	"context"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// Download the scan GitHub has of a branch: the newest analysis of each
// tool and category, each with its log. (The example talks to a fake
// of the API on loopback; against GitHub, leave BaseURL empty.)
func Example() {
	gh := fakegithub.Start()
	defer gh.Close()
	gh.Analyses = []fakegithub.Analysis{
		{ID: 1, Ref: "refs/heads/main", Tool: fakegithub.Tool{Name: "gosec"}, Category: "go/", CreatedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{ID: 2, Ref: "refs/heads/main", Tool: fakegithub.Tool{Name: "gosec"}, Category: "go/", CreatedAt: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)},
	}
	gh.SARIF[2] = []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"automationDetails":{"id":"go/"},
		"results":[{"ruleId":"G101","message":{"text":"Potential hardcoded credentials"},"properties":{"github/alertNumber":7}}]}]}`)

	client, err := fetch.NewClient(&fetch.Options{BaseURL: gh.URL, Token: gh.Token})
	if err != nil {
		log.Fatal(err)
	}
	latest, err := client.Analyses.Latest(context.Background(), "o", "r", "refs/heads/main", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range latest {
		run := a.Log.Runs[0]
		text, err := run.Result(0)
		if err != nil {
			log.Fatal(err)
		}
		r, err := text.Decode()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("analysis %d: %s %s alert #%v\n", a.Analysis.ID, run.Tool(), run.Resolver().RuleID(r), r.Properties["github/alertNumber"])
	}
	// Output:
	// analysis 2: gosec G101 alert #7
}

// Stream the open alerts of an organization, a page at a time, and
// dismiss those in vendored code, a few at a time.
func ExampleAlertsService_ListForOrg() {
	gh := fakegithub.Start()
	defer gh.Close()
	alert := func(n int, path string) map[string]any {
		return map[string]any{"number": n, "state": "open", "rule": map[string]any{"id": "G104"},
			"most_recent_instance": map[string]any{"ref": "refs/heads/main", "location": map[string]any{"path": path, "start_line": 1}}}
	}
	gh.Alerts = []map[string]any{alert(1, "vendor/x.go"), alert(2, "main.go"), alert(3, "vendor/y.go")}
	gh.Orgs = map[string][]string{"acme": {"o/r"}}

	client, err := fetch.NewClient(&fetch.Options{BaseURL: gh.URL, Token: gh.Token})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	dismiss := &fetch.AlertUpdate{State: "dismissed", Reason: fetch.ReasonWontFix, Comment: "vendored"}
	var changes []fetch.AlertChange
	for a, err := range client.Alerts.ListForOrg(ctx, "acme", &fetch.AlertListOptions{State: "open"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s #%d %s\n", a.Repository.FullName, a.Number, a.MostRecentInstance.Location.Path)
		if strings.HasPrefix(a.MostRecentInstance.Location.Path, "vendor/") && dismiss.Skip(a) == "" {
			changes = append(changes, fetch.AlertChange{Number: a.Number, Update: dismiss})
		}
	}
	errs := client.Alerts.UpdateMany(ctx, "o", "r", changes, nil)
	fmt.Println(len(changes), "dismissed,", len(slices.DeleteFunc(errs, func(err error) bool { return err == nil })), "failed")
	// Output:
	// o/r #1 vendor/x.go
	// o/r #2 main.go
	// o/r #3 vendor/y.go
	// 2 dismissed, 0 failed
}
