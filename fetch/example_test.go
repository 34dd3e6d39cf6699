package fetch_test

import (
	"context"
	"fmt"
	"log"
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
		r, err := run.Results[0].Decode()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("analysis %d: %s %s alert #%v\n", a.Analysis.ID, run.Tool(), run.Resolver().RuleID(r), r.Properties["github/alertNumber"])
	}
	// Output:
	// analysis 2: gosec G101 alert #7
}
