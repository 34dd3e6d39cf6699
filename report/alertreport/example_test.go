package alertreport_test

import (
	"os"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/report/alertreport"
)

// Alerts stream into the report, which keeps counts of them, not the
// alerts; at the end it is written in one of its formats.
func Example() {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	alerts := []*fetch.Alert{
		{Number: 1, State: "open", CreatedAt: now.AddDate(0, 0, -3), Rule: fetch.AlertRule{ID: "G101", Severity: "error", SecuritySeverityLevel: "high"}, Tool: fetch.Tool{Name: "gosec"}},
		{Number: 2, State: "fixed", CreatedAt: now.AddDate(0, 0, -9), Rule: fetch.AlertRule{ID: "G104", Severity: "warning"}, Tool: fetch.Tool{Name: "gosec"}},
	}
	rep := alertreport.New("Code scanning alerts of acme/api", now)
	for _, a := range alerts {
		rep.Add(a, "acme/api")
	}
	rep.WriteMarkdown(os.Stdout)
	// Output:
	// # Code scanning alerts of acme/api
	//
	// 2 alerts: 1 open, 1 fixed, 0 dismissed (as of 2026-12-01).
	//
	// ## Open alerts by severity
	//
	// | severity | open alerts |
	// |---|---:|
	// | high | 1 |
	//
	// ## Age of open alerts (median 3 days, 90th percentile 3 days)
	//
	// | age | open alerts |
	// |---|---:|
	// | 0-7 days | 1 |
	// | 7-30 days | 0 |
	// | 30-90 days | 0 |
	// | 90-365 days | 0 |
	// | over a year | 0 |
	//
	// ## Fixed
	//
	// | fixed | alerts |
	// |---|---:|
	// | in the last 30 days | 0 |
	// | in the last 90 days | 0 |
	// | in all | 1 |
	//
	// ## The ten repositories with the most open alerts
	//
	// | repository | open alerts |
	// |---|---:|
	// | acme/api | 1 |
	//
	// ## The ten rules with the most open alerts
	//
	// | rule | open alerts |
	// |---|---:|
	// | G101 | 1 |
	//
	// ## Open alerts by tool
	//
	// | tool | open alerts |
	// |---|---:|
	// | gosec | 1 |
	//
	// ## Open alerts by repository
	//
	// | repository | open alerts |
	// |---|---:|
	// | acme/api | 1 |
}
