// Package alertreport is the report of GitHub code scanning alerts (of a
// repository, an organization or an enterprise, as package fetch lists
// them): an [AlertReport] counts the alerts as they stream in and writes
// the automated report in Markdown, HTML or JSON; a [CSVWriter] writes
// the alerts themselves, a row each. Neither keeps the alerts in memory.
// Its tables and pages are package report's.
package alertreport

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/internal/table"
	"github.com/sarifkit/sarifkit/report"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/safetext"
)

// An AlertReport aggregates code scanning alerts as they stream in
// ([AlertReport.Add]), for the automated report of a repository or an
// organization: open alerts by severity, repository, rule and tool; the
// age of open alerts; alerts fixed lately and the mean time to fix;
// dismissals by reason. It keeps counters and one age per open alert,
// never the alerts themselves.
type AlertReport struct {
	Title string
	Now   time.Time

	Total, Open, Fixed, Dismissed int
	OpenBySeverity                map[string]int
	OpenByRepo, OpenByRule        map[string]int
	OpenByTool                    map[string]int
	DismissedByReason             map[string]int
	FixedLast30, FixedLast90      int
	fixDays                       float64 // sum, over fixed alerts with a fix date
	fixCount                      int
	ages                          []int32 // days, of open alerts
}

// New starts a report as of now.
func New(title string, now time.Time) *AlertReport {
	return &AlertReport{Title: title, Now: now, OpenBySeverity: map[string]int{}, OpenByRepo: map[string]int{},
		OpenByRule: map[string]int{}, OpenByTool: map[string]int{}, DismissedByReason: map[string]int{}}
}

// Severity is what the report calls an alert's severity: its rule's
// security severity level when it has one, else its severity.
func Severity(a *fetch.Alert) string {
	if a.Rule.SecuritySeverityLevel != "" {
		return a.Rule.SecuritySeverityLevel
	}
	if a.Rule.Severity != "" {
		return a.Rule.Severity
	}
	return "none"
}

// repoOf is the repository of an alert: its own in an organization's
// listing, else repo.
func repoOf(a *fetch.Alert, repo string) string {
	if a.Repository != nil && a.Repository.FullName != "" {
		return a.Repository.FullName
	}
	return repo
}

// severityOrder ranks severities for display, most severe first.
func severityOrder() []string {
	return []string{"critical", "high", "medium", "low", "error", "warning", "note", "none"}
}

// Add counts one alert; repo names it when the alert does not (a
// repository's own listing).
func (r *AlertReport) Add(a *fetch.Alert, repo string) {
	repo = repoOf(a, repo)
	r.Total++
	switch a.State {
	case "open":
		r.Open++
		r.OpenBySeverity[Severity(a)]++
		r.OpenByRepo[repo]++
		r.OpenByRule[a.Rule.ID]++
		r.OpenByTool[a.Tool.Name]++
		r.ages = append(r.ages, int32(max(0, r.Now.Sub(a.CreatedAt).Hours()/24)))
	case "fixed":
		r.Fixed++
		if a.FixedAt != nil {
			since := r.Now.Sub(*a.FixedAt)
			if since <= 30*24*time.Hour {
				r.FixedLast30++
			}
			if since <= 90*24*time.Hour {
				r.FixedLast90++
			}
			r.fixDays += a.FixedAt.Sub(a.CreatedAt).Hours() / 24
			r.fixCount++
		}
	case "dismissed":
		r.Dismissed++
		reason := "(none given)"
		if a.DismissedReason != nil && *a.DismissedReason != "" {
			reason = *a.DismissedReason
		}
		r.DismissedByReason[reason]++
	}
}

// AgeStats are the ages of open alerts, in days.
type AgeStats struct {
	Median, P90 int
	// Buckets count open alerts by age: under a week, a week to a month,
	// one to three months, three months to a year, more.
	Buckets [5]int
}

// AgeBucketNames name AgeStats.Buckets.
func AgeBucketNames() [5]string {
	return [5]string{"0-7 days", "7-30 days", "30-90 days", "90-365 days", "over a year"}
}

// Ages computes the age statistics of the open alerts.
func (r *AlertReport) Ages() AgeStats {
	var s AgeStats
	if len(r.ages) == 0 {
		return s
	}
	ages := slices.Clone(r.ages)
	slices.Sort(ages)
	s.Median = int(ages[(len(ages)-1)/2])
	s.P90 = int(ages[(len(ages)*9+9)/10-1])
	for _, a := range ages {
		switch {
		case a < 7:
			s.Buckets[0]++
		case a < 30:
			s.Buckets[1]++
		case a < 90:
			s.Buckets[2]++
		case a < 365:
			s.Buckets[3]++
		default:
			s.Buckets[4]++
		}
	}
	return s
}

// MeanDaysToFix is the mean time from creation to fix of the fixed
// alerts, in days; ok is false when none was fixed.
func (r *AlertReport) MeanDaysToFix() (days float64, ok bool) {
	if r.fixCount == 0 {
		return 0, false
	}
	return r.fixDays / float64(r.fixCount), true
}

// ranked returns a map's entries, most first, at most n (0: all).
func ranked(m map[string]int, n int) []report.Count {
	out := make([]report.Count, 0, len(m))
	for k, v := range m {
		out = append(out, report.Count{Name: k, N: v})
	}
	slices.SortFunc(out, func(a, b report.Count) int { return cmp.Or(b.N-a.N, strings.Compare(a.Name, b.Name)) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// sections are the report's tables, in order: what every format shows.
func (r *AlertReport) sections() []report.Section {
	count := func(title, what string, m map[string]int, n int) report.Section {
		t := &table.Table{Header: []string{what, "open alerts"}, Right: []bool{false, true}}

		for _, c := range ranked(m, n) {
			t.Add(c.Name, strconv.Itoa(c.N))
		}
		return report.Section{Title: title, Table: t}
	}
	sev := &table.Table{Header: []string{"severity", "open alerts"}, Right: []bool{false, true}}
	for _, s := range severityOrder() {
		if n := r.OpenBySeverity[s]; n > 0 {
			sev.Add(s, strconv.Itoa(n))
		}
	}
	ages := r.Ages()
	age := &table.Table{Header: []string{"age", "open alerts"}, Right: []bool{false, true}}
	for i, name := range AgeBucketNames() {
		age.Add(name, strconv.Itoa(ages.Buckets[i]))
	}
	fixed := &table.Table{Header: []string{"fixed", "alerts"}, Right: []bool{false, true}}
	fixed.Add("in the last 30 days", strconv.Itoa(r.FixedLast30))
	fixed.Add("in the last 90 days", strconv.Itoa(r.FixedLast90))
	fixed.Add("in all", strconv.Itoa(r.Fixed))
	if d, ok := r.MeanDaysToFix(); ok {
		fixed.Add("mean time to fix", fmt.Sprintf("%.1f days", d))
	}
	dismissed := count("Dismissed by reason", "reason", r.DismissedByReason, 0)
	dismissed.Table.Header[1] = "alerts"
	return []report.Section{
		{Title: "Open alerts by severity", Table: sev},
		{Title: fmt.Sprintf("Age of open alerts (median %d days, 90th percentile %d days)", ages.Median, ages.P90), Table: age},
		{Title: "Fixed", Table: fixed},
		dismissed,
		count("The ten repositories with the most open alerts", "repository", r.OpenByRepo, 10),
		count("The ten rules with the most open alerts", "rule", r.OpenByRule, 10),
		count("Open alerts by tool", "tool", r.OpenByTool, 0),
		count("Open alerts by repository", "repository", r.OpenByRepo, 0),
	}
}

// WriteMarkdown writes the report as GitHub Markdown.
func (r *AlertReport) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", safetext.Markdown(r.Title))
	fmt.Fprintf(bw, "%d alerts: %d open, %d fixed, %d dismissed (as of %s).\n", r.Total, r.Open, r.Fixed, r.Dismissed, r.Now.UTC().Format("2006-01-02"))
	for _, s := range r.sections() {
		if len(s.Table.Rows) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n## %s\n\n", safetext.Markdown(s.Title))
		s.Table.WriteMarkdown(bw)
	}
	return bw.Flush()
}

// WriteJSON writes the report's numbers as one JSON object.
func (r *AlertReport) WriteJSON(w io.Writer) error {
	ages := r.Ages()
	mean, _ := r.MeanDaysToFix()
	out := map[string]any{
		"title": r.Title, "as_of": r.Now.UTC().Format(time.RFC3339),
		"total": r.Total, "open": r.Open, "fixed": r.Fixed, "dismissed": r.Dismissed,
		"open_by_severity": r.OpenBySeverity, "open_by_repository": r.OpenByRepo, "open_by_rule": r.OpenByRule,
		"open_by_tool": r.OpenByTool, "dismissed_by_reason": r.DismissedByReason,
		"open_age_days":      map[string]any{"median": ages.Median, "p90": ages.P90, "buckets": bucketMap(ages)},
		"fixed_last_30_days": r.FixedLast30, "fixed_last_90_days": r.FixedLast90, "mean_days_to_fix": mean,
	}
	enc := json.NewEncoder(safetext.JSONWriter(w))
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func bucketMap(a AgeStats) map[string]int {
	m := map[string]int{}
	for i, n := range AgeBucketNames() {
		m[n] = a.Buckets[i]
	}
	return m
}

// WriteHTML writes the report as one self-contained page (see
// [report.WriteTablesHTML]) with a bar chart of open alerts by severity.
func (r *AlertReport) WriteHTML(w io.Writer) error {
	page := report.TablesPage{Title: r.Title, Subtitle: fmt.Sprintf("As of %s", r.Now.UTC().Format("2006-01-02")),
		Cards: []report.Card{{Name: "alerts", N: r.Total}, {Name: "open", N: r.Open, Class: "error"}, {Name: "fixed", N: r.Fixed, Class: "absent"}, {Name: "dismissed", N: r.Dismissed}}}
	page.ChartTitle = "Open alerts by severity"
	for _, s := range severityOrder() {
		if n := r.OpenBySeverity[s]; n > 0 {
			page.Chart = append(page.Chart, report.Count{Name: s, N: n})
		}
	}
	page.Sections = r.sections()
	return report.WriteTablesHTML(w, page)
}
