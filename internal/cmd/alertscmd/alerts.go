// Package alertscmd is the command sarif-alerts (sarifkit alerts), which lists, dismisses, reopens and reports GitHub code
// scanning alerts, for a repository or a whole organization.
package alertscmd

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sarifkit/sarifkit/internal/table"
	"github.com/sarifkit/sarifkit/report/alertreport"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

const usage = `Usage: sarif-alerts VERB [flags] [NUMBER...]

Works with the code scanning alerts of a repository (-R/--repo, as gh reads it)
or, for list and report, of every repository of an organization (--org ORG:
the default branches the token's user owns or is security manager of).

Verbs:
  list      the alerts, as they arrive, page by page (--format table, json: one
            JSON object a line, or csv: a header row, then a row per alert)
  dismiss   dismiss alerts: NUMBER..., or the open alerts the filters select,
            with --reason "false positive", "won't fix" or "used in tests" and
            an optional --comment (280 characters at most)
  reopen    reopen dismissed alerts: NUMBER..., or those the filters select
  report    the automated report: open alerts by severity, repository, rule and
            tool, their age, alerts fixed lately and the mean time to fix,
            dismissals by reason (--format markdown, html or json)

Filters: --state, --severity, --tool and --ref are GitHub's; --rule ID and
--path GLOB (a shell pattern on the alert's file; "dir/**" is everything
under dir) are applied here. dismiss and reopen never touch fixed alerts, and
skip alerts already in the state wanted, so a second run changes nothing. A
filter without NUMBERs lists what it would change and asks for --yes;
--dry-run changes nothing and says what it would do. Changes go a few at a
time, rate limits are waited out, and one alert that fails does not stop the
others.

The token: GH_TOKEN, GITHUB_TOKEN, or gh auth token; dismissing needs the
security_events scope and write access.

Exit status:
  0  done (every change made)
  1  GitHub refused to change some alert (403: no write access; 404)
  2  usage error (nothing is sent)
  3  GitHub or the network failed, after retries, or answered too slowly or
     too much

Examples:
  sarif-alerts list -R acme/api --state open --format csv -o alerts.csv
  sarif-alerts dismiss -R acme/api --path 'vendor/**' --reason "won't fix" --yes
  sarif-alerts reopen -R acme/api 12 14
  sarif-alerts report --org acme --format html -o alerts.html

Flags:
`

// concurrency is how many changes go at once: a few, never a burst that
// trips GitHub's secondary rate limit.
const concurrency = 4

type options struct {
	cmd                     *cli.Command
	org, enterprise         string
	state, severity, tool   string
	ref, rule, glob, format string
	output, reason, comment string
	dryRun, yes             bool
	fromSARIF               string
	fromLog                 *sarif.Log // the log of --from-sarif, read before the token is asked for
	numbers                 []int
	verb                    string
	client                  *fetch.Client
	owner, repo             string
	now                     time.Time
}

// Name is the command's own program name.
const Name = "sarif-alerts"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "alerts", Summary: "list, dismiss, reopen and report GitHub code scanning alerts",
		Run: func(ctx context.Context, ios *cli.IO, prog string, args []string) int {
			return Run(ctx, ios, args) // TODO(one house): NewCmd(ios, prog, nil).Exec(ctx, args)
		}}
}

// Run runs alerts with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	cmd := cli.New("sarif-alerts", usage, ios)
	cmd.ReadLimitFlags()
	fs := cmd.Flags
	gh := cmd.GitHubFlags()
	o := &options{cmd: cmd}
	fs.StringVar(&o.org, "org", "", "with list and report: the organization `ORG` instead of a repository")
	fs.StringVar(&o.enterprise, "enterprise", "", "with list and report: the GitHub Enterprise Server enterprise `SLUG` instead of a repository")
	fs.StringVar(&o.state, "state", "", "with list and report: alerts in `STATE`: open, dismissed, fixed or closed")
	fs.StringVar(&o.severity, "severity", "", "alerts of `SEVERITY`: critical, high, medium, low, error, warning or note")
	fs.StringVar(&o.tool, "tool", "", "alerts of the tool `NAME`")
	fs.StringVar(&o.ref, "ref", "", "with a repository: alerts on `REF` (default: the default branch)")
	fs.StringVar(&o.rule, "rule", "", "alerts of the rule `ID`")
	fs.StringVar(&o.glob, "path", "", "alerts whose file matches `GLOB`")
	fs.StringVar(&o.format, "format", "", "with list: table, json or csv (default table); with report: markdown, html or json (default markdown)")
	fs.StringVarP(&o.output, "output", "o", "", "with list and report: write to `FILE` (atomically) instead of standard output")
	fs.StringVar(&o.reason, "reason", "", "with dismiss: the `REASON`: \"false positive\", \"won't fix\" or \"used in tests\"")
	fs.StringVar(&o.comment, "comment", "", "with dismiss: a `TEXT` comment, at most 280 characters")
	fs.StringVar(&o.fromSARIF, "from-sarif", "", "with dismiss: dismiss the alerts of the results a SARIF `FILE` suppresses (reason from each suppression unless --reason; its justification as comment)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "with dismiss and reopen: change nothing, say what would change")
	fs.BoolVar(&o.yes, "yes", false, "with dismiss and reopen: change the alerts the filters select")
	if code, done := cmd.Parse(args); done {
		return code
	}
	if fs.NArg() == 0 {
		return cmd.Fail("no VERB given: list, dismiss, reopen or report")
	}
	o.verb = fs.Arg(0)
	applies := map[string][]string{ // flag -> verbs
		"org": {"list", "report"}, "enterprise": {"list", "report"}, "state": {"list", "report"}, "format": {"list", "report"}, "output": {"list", "report"},
		"reason": {"dismiss"}, "comment": {"dismiss"}, "from-sarif": {"dismiss"}, "dry-run": {"dismiss", "reopen"}, "yes": {"dismiss", "reopen"},
		"ref": {"list", "report", "dismiss", "reopen"},
	}
	switch o.verb {
	case "list", "dismiss", "reopen", "report":
	default:
		return cmd.Fail("unknown verb %q: list, dismiss, reopen or report", o.verb)
	}
	for flag, verbs := range applies {
		if cmd.Set(flag) && !slices.Contains(verbs, o.verb) {
			return cmd.Fail("--%s does not apply to %s", flag, o.verb)
		}
	}
	if o.org != "" && o.enterprise != "" {
		return cmd.Fail("give --org or --enterprise, not both")
	}
	if (o.org != "" || o.enterprise != "") && (cmd.Set("repo") || cmd.Set("ref")) {
		return cmd.Fail("--org and --enterprise list default branches: give one or --repo (and --ref), not both")
	}
	for _, a := range fs.Args()[1:] {
		n, err := strconv.Atoi(strings.TrimPrefix(a, "#"))
		if err != nil || n <= 0 {
			return cmd.Fail("%q is not an alert number", a)
		}
		o.numbers = append(o.numbers, n)
	}
	if len(o.numbers) > 0 && (o.verb == "list" || o.verb == "report") {
		return cmd.Fail("%s takes no alert numbers", o.verb)
	}
	if o.glob != "" {
		if _, err := path.Match(strings.TrimSuffix(o.glob, "/**"), "x"); err != nil {
			return cmd.Fail("--path %q: %v", o.glob, err)
		}
	}
	switch o.verb {
	case "list":
		if o.format == "" {
			o.format = "table"
		}
		if !slices.Contains([]string{"table", "json", "csv"}, o.format) {
			return cmd.Fail("list --format must be table, json or csv, not %q", o.format)
		}
	case "report":
		if o.format == "" {
			o.format = "markdown"
		}
		if !slices.Contains([]string{"markdown", "html", "json"}, o.format) {
			return cmd.Fail("report --format must be markdown, html or json, not %q", o.format)
		}
	case "dismiss":
		u := fetch.AlertUpdate{State: "dismissed", Reason: o.reason, Comment: o.comment}
		if o.fromSARIF != "" && u.Reason == "" {
			u.Reason = fetch.ReasonWontFix // each suppression gives its own
		}
		if err := u.Validate(); err != nil {
			return cmd.Fail("%v", err)
		}
		if o.fromSARIF != "" && (len(o.numbers) > 0 || o.rule != "" || o.glob != "" || o.tool != "" || o.severity != "" || o.comment != "") {
			return cmd.Fail("--from-sarif takes the alerts and comments from the log: give no numbers, filters or --comment")
		}
	}
	if (o.verb == "dismiss" || o.verb == "reopen") && len(o.numbers) > 0 && (o.rule != "" || o.glob != "" || o.tool != "" || o.severity != "") {
		return cmd.Fail("give alert numbers or filters, not both")
	}
	if len(o.numbers) > 0 {
		for _, f := range []string{"ref", "yes"} {
			if cmd.Set(f) {
				return cmd.Fail("--%s applies to the alerts filters select, not to alert numbers", f)
			}
		}
	}
	if o.yes && o.dryRun {
		return cmd.Fail("give --yes to make the changes or --dry-run to see them, not both")
	}
	if o.fromSARIF != "" && !o.yes && !o.dryRun {
		return cmd.Fail("--from-sarif dismisses every alert the log suppresses: add --yes, or --dry-run to see which")
	}
	if (o.verb == "dismiss" || o.verb == "reopen") && len(o.numbers) == 0 && o.rule == "" && o.glob == "" && o.tool == "" && o.severity == "" && o.fromSARIF == "" {
		return cmd.Fail("%s needs alert numbers, or filters (--rule, --path, --tool, --severity) that select them", o.verb)
	}

	if err := cmd.CheckOutput(o.output); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	if o.fromSARIF != "" {
		// A missing or unreadable log is said before the token is
		// looked up, like every check that needs no network.
		l, err := cmd.ReadLog(ctx, o.fromSARIF, nil)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		defer l.Close()
		o.fromLog = l
	}
	o.now = time.Now()
	if ios.Now != nil {
		o.now = ios.Now()
	}
	var err error
	if o.org != "" || o.enterprise != "" {
		o.client, err = gh.ConnectHost(ctx)
	} else {
		var r cli.Repo
		r, o.client, err = gh.Connect(ctx)
		o.owner, o.repo = r.Owner, r.Name
	}
	if err != nil {
		return cmd.Fail("%v", err)
	}
	switch o.verb {
	case "list":
		return o.list(ctx)
	case "report":
		return o.report(ctx)
	}
	return o.change(ctx)
}

func (o *options) scope() fetch.AlertScope {
	switch {
	case o.org != "":
		return fetch.AlertScope{Org: o.org}
	case o.enterprise != "":
		return fetch.AlertScope{Enterprise: o.enterprise}
	}
	return fetch.AlertScope{Owner: o.owner, Repo: o.repo}
}

func (o *options) repoName(a *fetch.Alert) string {
	if a.Repository != nil && a.Repository.FullName != "" {
		return a.Repository.FullName
	}
	return o.owner + "/" + o.repo
}

// selected applies the filters GitHub does not: rule and path.
func (o *options) selected(a *fetch.Alert) bool {
	if o.rule != "" && a.Rule.ID != o.rule {
		return false
	}
	if o.glob != "" && !matchPath(o.glob, a.MostRecentInstance.Location.Path) {
		return false
	}
	return true
}

// matchPath matches a shell pattern against a slash-separated path;
// "dir/**" matches everything under dir, "**" everything.
func matchPath(glob, p string) bool {
	if glob == "**" {
		return true
	}
	if dir, ok := strings.CutSuffix(glob, "/**"); ok {
		if ok, _ := path.Match(dir, p); ok {
			return true
		}
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			if ok, _ := path.Match(dir, d); ok {
				return true
			}
		}
		return false
	}
	ok, _ := path.Match(glob, p)
	return ok
}

func (o *options) listOptions(state string) *fetch.AlertOptions {
	return &fetch.AlertOptions{State: state, Severity: o.severity, ToolName: o.tool, Ref: o.ref}
}

// remoteError is the exit for a listing GitHub refused or failed.
func (o *options) remoteError(err error) int { return o.cmd.Errorf(cli.ExitRemote, "%v", err) }

// csvHeader is the header of list --format csv.
func csvHeader() []string {
	return []string{"repository", "number", "state", "severity", "security_severity", "rule", "tool", "path", "line",
		"created_at", "fixed_at", "dismissed_at", "dismissed_reason", "dismissed_comment", "url"}
}

func (o *options) csvRow(a *fetch.Alert) []string {
	t := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.UTC().Format(time.RFC3339)
	}
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	row := []string{o.repoName(a), strconv.Itoa(a.Number), a.State, a.Rule.Severity, a.Rule.SecuritySeverityLevel, a.Rule.ID, a.Tool.Name,
		a.MostRecentInstance.Location.Path, strconv.Itoa(a.MostRecentInstance.Location.StartLine),
		a.CreatedAt.UTC().Format(time.RFC3339), t(a.FixedAt), t(a.DismissedAt), s(a.DismissedReason), s(a.DismissedComment), a.HTMLURL}
	for i := range row {
		row[i] = report.CSVCell(row[i])
	}
	return row
}

func (o *options) list(ctx context.Context) int {
	n := 0
	var listErr error
	err := o.cmd.WriteOutput(ctx, o.output, false, func(w io.Writer) error {
		var cw *csv.Writer
		var tbl *table.Table
		switch o.format {
		case "csv":
			cw = csv.NewWriter(w)
			cw.UseCRLF = true
			cw.Write(csvHeader())
		case "table":
			tbl = &table.Table{Header: []string{"repository", "#", "state", "severity", "rule", "tool", "location"}, Right: []bool{false, true}}
		}
		enc := json.NewEncoder(safetext.JSONWriter(w))
		for a, err := range o.client.Alerts(ctx, o.scope(), o.listOptions(o.state)) {
			if err != nil {
				listErr = err
				return err // no partial file: -o is written only whole
			}
			if !o.selected(a) {
				continue
			}
			n++
			switch o.format {
			case "json":
				if err := enc.Encode(a); err != nil {
					return err
				}
			case "csv":
				if err := cw.Write(o.csvRow(a)); err != nil {
					return err
				}
			case "table":
				loc := a.MostRecentInstance.Location
				tbl.Add(o.repoName(a), strconv.Itoa(a.Number), a.State, alertreport.Severity(a), a.Rule.ID, a.Tool.Name, fmt.Sprintf("%s:%d", loc.Path, loc.StartLine))
			}
		}
		switch {
		case cw != nil:
			cw.Flush()
			return cw.Error()
		case tbl != nil:
			return tbl.WriteText(w, "")
		}
		return nil
	})
	if listErr != nil {
		return o.remoteError(listErr)
	}
	if err != nil {
		return o.cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	o.cmd.Infof("%d alerts", n)
	return cli.ExitOK
}

func (o *options) report(ctx context.Context) int {
	title := "Code scanning alerts of " + o.owner + "/" + o.repo
	switch {
	case o.org != "":
		title = "Code scanning alerts of the organization " + o.org
	case o.enterprise != "":
		title = "Code scanning alerts of the enterprise " + o.enterprise
	}
	rep := alertreport.New(title, o.now)
	for a, err := range o.client.Alerts(ctx, o.scope(), o.listOptions(o.state)) {
		if err != nil {
			return o.remoteError(err)
		}
		if o.selected(a) {
			rep.Add(a, o.owner+"/"+o.repo)
		}
	}
	err := o.cmd.WriteOutput(ctx, o.output, false, func(w io.Writer) error {
		switch o.format {
		case "html":
			return rep.WriteHTML(w)
		case "json":
			return rep.WriteJSON(w)
		}
		return rep.WriteMarkdown(w)
	})
	if err != nil {
		return o.cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	o.cmd.Infof("%d alerts: %d open, %d fixed, %d dismissed", rep.Total, rep.Open, rep.Fixed, rep.Dismissed)
	return cli.ExitOK
}

// change dismisses or reopens the alerts named or selected.
func (o *options) change(ctx context.Context) int {
	want, from, verbed := "dismissed", "open", "dismissed"
	update := fetch.AlertUpdate{State: "dismissed", Reason: o.reason, Comment: o.comment}
	if o.verb == "reopen" {
		want, from, verbed = "open", "dismissed", "reopened"
		update = fetch.AlertUpdate{State: "open"}
	}
	type target struct {
		alert  *fetch.Alert
		update fetch.AlertUpdate
	}
	var targets []target
	skipped := map[string]int{}
	failed, remoteFailed := 0, 0
	pick := func(a *fetch.Alert, u fetch.AlertUpdate) {
		switch a.State {
		case want:
			skipped["already "+want]++
		case "fixed":
			skipped["fixed"]++
		default:
			targets = append(targets, target{a, u})
		}
	}
	switch {
	case o.fromLog != nil:
		var alerts []*fetch.Alert
		for a, err := range o.client.Alerts(ctx, o.scope(), o.listOptions("")) {
			if err != nil {
				return o.remoteError(err)
			}
			alerts = append(alerts, a)
		}
		ds, unmatched := fetch.Dismissals(o.fromLog, alerts, o.reason)
		for _, d := range ds {
			if d.Cut {
				o.cmd.Infof("%s: the justification is cut to %d characters for alert %d's comment", d.Result, fetch.MaxDismissComment, d.Alert.Number)
			}
			pick(d.Alert, d.Update)
		}
		for _, p := range unmatched {
			o.cmd.Warnf("%s: suppressed, but no alert of its rule and location: not dismissed", p)
		}
		o.cmd.Infof("%d suppressed results matched to alerts, %d unmatched", len(ds), len(unmatched))
	case len(o.numbers) > 0:
		for _, n := range o.numbers {
			a, err := o.client.GetAlert(ctx, o.owner, o.repo, n)
			if err != nil {
				o.cmd.Warnf("alert %d: %v", n, err)
				failed++
				if isRemote(err) {
					remoteFailed++
				}
				continue
			}
			pick(a, update)
		}
	default:
		for a, err := range o.client.Alerts(ctx, o.scope(), o.listOptions(from)) {
			if err != nil {
				return o.remoteError(err)
			}
			if o.selected(a) {
				targets = append(targets, target{a, update})
			}
		}
		if len(targets) > 0 && !o.yes && !o.dryRun {
			for _, t := range targets {
				fmt.Fprintln(o.cmd.IO.Out, where(t.alert))
			}
			return o.cmd.Fail("%d %s alerts match: add --yes to %s them, or --dry-run to see what would change", len(targets), from, o.verb)
		}
	}
	if o.dryRun {
		for _, t := range targets {
			fmt.Fprintf(o.cmd.IO.Out, "would %s %s\n", o.verb, where(t.alert))
		}
		o.cmd.Infof("dry run: %d alerts would be %s, %s; nothing sent", len(targets), verbed, skippedText(skipped))
		return cli.ExitOK
	}
	var mu sync.Mutex
	changed := 0
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for _, t := range targets {
		a := t.alert
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			_, err := o.client.UpdateAlert(ctx, o.owner, o.repo, a.Number, t.update)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				o.cmd.Warnf("alert %d: %v", a.Number, err)
				failed++
				if isRemote(err) {
					remoteFailed++
				}
				return
			}
			changed++
			if o.cmd.IO.ErrTerminal {
				fmt.Fprintf(o.cmd.IO.Err, "\rsarif-alerts: %d of %d %s\x1b[K", changed+failed, len(targets), verbed)
			}
		})
	}
	wg.Wait()
	if o.cmd.IO.ErrTerminal && len(targets) > 0 {
		fmt.Fprint(o.cmd.IO.Err, "\r\x1b[K")
	}
	o.cmd.Infof("%d %s, %s, %d failed", changed, verbed, skippedText(skipped), failed)
	switch {
	case remoteFailed > 0:
		return cli.ExitRemote // GitHub or the network failed, after retries
	case failed > 0:
		return cli.ExitFailed // GitHub refused some (403, 404)
	}
	return cli.ExitOK
}

// where names an alert for a person: "#12 G104 vendor/x.go:40", made
// [safetext.Text].
func where(a *fetch.Alert) string {
	loc := a.MostRecentInstance.Location
	return safetext.Text(fmt.Sprintf("#%d %s %s:%d", a.Number, a.Rule.ID, loc.Path, loc.StartLine))
}

// isRemote tells whether an alert's change failed because GitHub or the
// network did (a server error, no answer), not because GitHub refused it
// (4xx, rate limits aside).
func isRemote(err error) bool {
	var apiErr *fetch.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500
	}
	return !errors.Is(err, fetch.ErrInvalidUpdate)
}

func skippedText(s map[string]int) string {
	n := 0
	var parts []string
	for _, k := range []string{"already dismissed", "already open", "fixed"} {
		if s[k] > 0 {
			n += s[k]
			parts = append(parts, fmt.Sprintf("%d %s", s[k], k))
		}
	}
	if n == 0 {
		return "0 skipped"
	}
	return fmt.Sprintf("%d skipped (%s)", n, strings.Join(parts, ", "))
}
