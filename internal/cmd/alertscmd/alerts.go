// Package alertscmd is the command sarif-alerts (sarifkit alerts), which lists, dismisses, reopens and reports GitHub code
// scanning alerts, for a repository or a whole organization.
package alertscmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/alertstate"
	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/internal/table"
	"github.com/sarifkit/sarifkit/report/alertreport"
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

// Name is the command's own program name.
const Name = "sarif-alerts"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "alerts", Summary: "list, dismiss, reopen and report GitHub code scanning alerts",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run does to which alerts, as the flags set them.
type Options struct {
	IO *cli.IO
	// Verb is list, dismiss, reopen or report; Numbers the alerts named.
	Verb    string
	Numbers []int
	// Org or Enterprise, when set, is the scope of list and report
	// instead of the repository of GitHub.
	Org, Enterprise string
	// State, Severity, Tool and Ref are GitHub's filters; Rule and Path
	// (a shell pattern, "dir/**" for everything under dir) are applied
	// here.
	State, Severity, Tool, Ref string
	Rule, Path                 string
	Format                     string // list: table, json or csv; report: markdown, html or json
	Output                     string // -o: a file instead of standard output
	// Reason and Comment are a dismissal's; FromSARIF a log whose
	// suppressions name the alerts to dismiss.
	Reason, Comment string
	FromSARIF       string
	DryRun, Yes     bool
	// GitHub reads the repository, host and token (-R, --api-url, the
	// environment).
	GitHub *cli.GitHub

	cmd     *cli.Command
	fromLog *sarif.Log // the log of FromSARIF, read before the token is asked for
	client  *fetch.Client
	owner   string
	repo    string
	now     time.Time
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags and operands are parsed and checked it runs
// alerts, or runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	cmd.ReadLimitFlags()
	fs := cmd.Flags
	o := &Options{IO: ios, cmd: cmd, GitHub: cmd.GitHubFlags()}
	fs.StringVar(&o.Org, "org", "", "with list and report: the organization `ORG` instead of a repository")
	fs.StringVar(&o.Enterprise, "enterprise", "", "with list and report: the GitHub Enterprise Server enterprise `SLUG` instead of a repository")
	fs.StringVar(&o.State, "state", "", "with list and report: alerts in `STATE`: open, dismissed, fixed or closed")
	fs.StringVar(&o.Severity, "severity", "", "alerts of `SEVERITY`: critical, high, medium, low, error, warning or note")
	fs.StringVar(&o.Tool, "tool", "", "alerts of the tool `NAME`")
	fs.StringVar(&o.Ref, "ref", "", "with a repository: alerts on `REF` (default: the default branch)")
	fs.StringVar(&o.Rule, "rule", "", "alerts of the rule `ID`")
	fs.StringVar(&o.Path, "path", "", "alerts whose file matches `GLOB`")
	fs.StringVar(&o.Format, "format", "", "with list: table, json or csv (default table); with report: markdown, html or json (default markdown)")
	fs.StringVarP(&o.Output, "output", "o", "", "with list and report: write to `FILE` (atomically) instead of standard output")
	fs.StringVar(&o.Reason, "reason", "", "with dismiss: the `REASON`: \"false positive\", \"won't fix\" or \"used in tests\"")
	fs.StringVar(&o.Comment, "comment", "", "with dismiss: a `TEXT` comment, at most 280 characters")
	fs.StringVar(&o.FromSARIF, "from-sarif", "", "with dismiss: dismiss the alerts of the results a SARIF `FILE` suppresses (reason from each suppression unless --reason; its justification as comment)")
	fs.BoolVar(&o.DryRun, "dry-run", false, "with dismiss and reopen: change nothing, say what would change")
	fs.BoolVar(&o.Yes, "yes", false, "with dismiss and reopen: change the alerts the filters select")
	cmd.Run = func(ctx context.Context, args []string) int {
		if code, ok := o.check(args); !ok {
			return code
		}
		if runF != nil {
			return runF(ctx, o)
		}
		return alerts(ctx, o)
	}
	return cmd
}

// Run runs sarif-alerts with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// check checks the flags and the operands (the verb, alert numbers)
// together, filling o.Verb and o.Numbers; ok is false when the command
// must stop with code.
func (o *Options) check(args []string) (code int, ok bool) {
	cmd := o.cmd
	if len(args) == 0 {
		return cmd.Fail("no VERB given: list, dismiss, reopen or report"), false
	}
	o.Verb = args[0]
	applies := map[string][]string{ // flag -> verbs
		"org": {"list", "report"}, "enterprise": {"list", "report"}, "state": {"list", "report"}, "format": {"list", "report"}, "output": {"list", "report"},
		"reason": {"dismiss"}, "comment": {"dismiss"}, "from-sarif": {"dismiss"}, "dry-run": {"dismiss", "reopen"}, "yes": {"dismiss", "reopen"},
		"ref": {"list", "report", "dismiss", "reopen"},
	}
	switch o.Verb {
	case "list", "dismiss", "reopen", "report":
	default:
		return cmd.Fail("unknown verb %q: list, dismiss, reopen or report", o.Verb), false
	}
	for flag, verbs := range applies {
		if cmd.Set(flag) && !slices.Contains(verbs, o.Verb) {
			return cmd.Fail("--%s does not apply to %s", flag, o.Verb), false
		}
	}
	if o.Org != "" && o.Enterprise != "" {
		return cmd.Fail("give --org or --enterprise, not both"), false
	}
	if (o.Org != "" || o.Enterprise != "") && (cmd.Set("repo") || cmd.Set("ref")) {
		return cmd.Fail("--org and --enterprise list default branches: give one or --repo (and --ref), not both"), false
	}
	for _, a := range args[1:] {
		n, err := strconv.Atoi(strings.TrimPrefix(a, "#"))
		if err != nil || n <= 0 {
			return cmd.Fail("%q is not an alert number", a), false
		}
		o.Numbers = append(o.Numbers, n)
	}
	if len(o.Numbers) > 0 && (o.Verb == "list" || o.Verb == "report") {
		return cmd.Fail("%s takes no alert numbers", o.Verb), false
	}
	if o.Path != "" {
		if _, err := path.Match(strings.TrimSuffix(o.Path, "/**"), "x"); err != nil {
			return cmd.Fail("--path %q: %v", o.Path, err), false
		}
	}
	switch o.Verb {
	case "list":
		if o.Format == "" {
			o.Format = "table"
		}
		if !slices.Contains([]string{"table", "json", "csv"}, o.Format) {
			return cmd.Fail("list --format must be table, json or csv, not %q", o.Format), false
		}
	case "report":
		if o.Format == "" {
			o.Format = "markdown"
		}
		if !slices.Contains([]string{"markdown", "html", "json"}, o.Format) {
			return cmd.Fail("report --format must be markdown, html or json, not %q", o.Format), false
		}
	case "dismiss":
		u := fetch.AlertUpdate{State: "dismissed", Reason: o.Reason, Comment: o.Comment}
		if o.FromSARIF != "" && u.Reason == "" {
			u.Reason = fetch.ReasonWontFix // each suppression gives its own
		}
		if err := u.Validate(); err != nil {
			return cmd.Fail("%v", err), false
		}
		if o.FromSARIF != "" && (len(o.Numbers) > 0 || o.Rule != "" || o.Path != "" || o.Tool != "" || o.Severity != "" || o.Comment != "") {
			return cmd.Fail("--from-sarif takes the alerts and comments from the log: give no numbers, filters or --comment"), false
		}
	}
	if (o.Verb == "dismiss" || o.Verb == "reopen") && len(o.Numbers) > 0 && (o.Rule != "" || o.Path != "" || o.Tool != "" || o.Severity != "") {
		return cmd.Fail("give alert numbers or filters, not both"), false
	}
	if len(o.Numbers) > 0 {
		for _, f := range []string{"ref", "yes"} {
			if cmd.Set(f) {
				return cmd.Fail("--%s applies to the alerts filters select, not to alert numbers", f), false
			}
		}
	}
	if o.Yes && o.DryRun {
		return cmd.Fail("give --yes to make the changes or --dry-run to see them, not both"), false
	}
	if o.FromSARIF != "" && !o.Yes && !o.DryRun {
		return cmd.Fail("--from-sarif dismisses every alert the log suppresses: add --yes, or --dry-run to see which"), false
	}
	if (o.Verb == "dismiss" || o.Verb == "reopen") && len(o.Numbers) == 0 && o.Rule == "" && o.Path == "" && o.Tool == "" && o.Severity == "" && o.FromSARIF == "" {
		return cmd.Fail("%s needs alert numbers, or filters (--rule, --path, --tool, --severity) that select them", o.Verb), false
	}
	return 0, true
}

// alerts checks the output and reads the log of --from-sarif (what needs
// no network), connects to GitHub, and runs the verb.
func alerts(ctx context.Context, o *Options) int {
	cmd := o.cmd
	if err := cmd.CheckOutput(o.Output); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	if o.FromSARIF != "" {
		// A missing or unreadable log is said before the token is
		// looked up, like every check that needs no network.
		l, err := cmd.ReadLog(ctx, o.FromSARIF, nil)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		defer l.Close()
		o.fromLog = l
	}
	o.now = time.Now()
	if o.IO.Now != nil {
		o.now = o.IO.Now()
	}
	var err error
	if o.Org != "" || o.Enterprise != "" {
		o.client, err = o.GitHub.ConnectHost(ctx)
	} else {
		var r cli.Repo
		r, o.client, err = o.GitHub.Connect(ctx)
		o.owner, o.repo = r.Owner, r.Name
	}
	if err != nil {
		return cmd.Fail("%v", err)
	}
	switch o.Verb {
	case "list":
		return list(ctx, o)
	case "report":
		return report(ctx, o)
	}
	return change(ctx, o)
}

// listAlerts lists the alerts of the scope: the organization, the
// enterprise, else the repository.
func (o *Options) listAlerts(ctx context.Context, opts *fetch.AlertListOptions) iter.Seq2[*fetch.Alert, error] {
	switch {
	case o.Org != "":
		return o.client.Alerts.ListForOrg(ctx, o.Org, opts)
	case o.Enterprise != "":
		return o.client.Alerts.ListForEnterprise(ctx, o.Enterprise, opts)
	}
	return o.client.Alerts.ListForRepo(ctx, o.owner, o.repo, opts)
}

func (o *Options) repoName(a *fetch.Alert) string {
	if a.Repository != nil && a.Repository.FullName != "" {
		return a.Repository.FullName
	}
	return o.owner + "/" + o.repo
}

// selected applies the filters GitHub does not: rule and path.
func (o *Options) selected(a *fetch.Alert) bool {
	if o.Rule != "" && a.Rule.ID != o.Rule {
		return false
	}
	if o.Path != "" && !matchPath(o.Path, a.MostRecentInstance.Location.Path) {
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

func (o *Options) listOptions(state string) *fetch.AlertListOptions {
	return &fetch.AlertListOptions{State: state, Severity: o.Severity, ToolName: o.Tool, Ref: o.Ref}
}

// remoteError is the exit for a listing GitHub refused or failed.
func (o *Options) remoteError(err error) int { return o.cmd.Errorf(cli.ExitRemote, "%v", err) }

// list prints the alerts selected as they arrive: a table, JSON lines or
// CSV.
func list(ctx context.Context, o *Options) int {
	n := 0
	var listErr error
	err := o.cmd.WriteOutput(ctx, o.Output, false, func(w io.Writer) error {
		var cw *alertreport.CSVWriter
		var tbl *table.Table
		switch o.Format {
		case "csv":
			cw = alertreport.NewCSVWriter(w, o.owner+"/"+o.repo)
		case "table":
			tbl = &table.Table{Header: []string{"repository", "#", "state", "severity", "rule", "tool", "location"}, Right: []bool{false, true}}
		}
		enc := json.NewEncoder(safetext.JSONWriter(w))
		for a, err := range o.listAlerts(ctx, o.listOptions(o.State)) {
			if err != nil {
				listErr = err
				return err // no partial file: -o is written only whole
			}
			if !o.selected(a) {
				continue
			}
			n++
			switch o.Format {
			case "json":
				if err := enc.Encode(a); err != nil {
					return err
				}
			case "csv":
				if err := cw.Write(a); err != nil {
					return err
				}
			case "table":
				loc := a.MostRecentInstance.Location
				tbl.Add(o.repoName(a), strconv.Itoa(a.Number), a.State, alertreport.Severity(a), a.Rule.ID, a.Tool.Name, fmt.Sprintf("%s:%d", loc.Path, loc.StartLine))
			}
		}
		switch {
		case cw != nil:
			return cw.Flush()
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

// report writes the automated report of the alerts selected.
func report(ctx context.Context, o *Options) int {
	title := "Code scanning alerts of " + o.owner + "/" + o.repo
	switch {
	case o.Org != "":
		title = "Code scanning alerts of the organization " + o.Org
	case o.Enterprise != "":
		title = "Code scanning alerts of the enterprise " + o.Enterprise
	}
	rep := alertreport.New(title, o.now)
	for a, err := range o.listAlerts(ctx, o.listOptions(o.State)) {
		if err != nil {
			return o.remoteError(err)
		}
		if o.selected(a) {
			rep.Add(a, o.owner+"/"+o.repo)
		}
	}
	err := o.cmd.WriteOutput(ctx, o.Output, false, func(w io.Writer) error {
		switch o.Format {
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
func change(ctx context.Context, o *Options) int {
	verbed := "dismissed"
	update := &fetch.AlertUpdate{State: "dismissed", Reason: o.Reason, Comment: o.Comment}
	if o.Verb == "reopen" {
		verbed = "reopened"
		update = &fetch.AlertUpdate{State: "open"}
	}
	var targets []fetch.AlertChange
	byNumber := map[int]*fetch.Alert{}
	skipped := map[string]int{}
	failed, remoteFailed := 0, 0
	pick := func(a *fetch.Alert, u *fetch.AlertUpdate) {
		if why := u.Skip(a); why != "" {
			skipped[why]++
			return
		}
		targets = append(targets, fetch.AlertChange{Number: a.Number, Update: u})
		byNumber[a.Number] = a
	}
	switch {
	case o.fromLog != nil:
		var all []*fetch.Alert
		for a, err := range o.listAlerts(ctx, o.listOptions("")) {
			if err != nil {
				return o.remoteError(err)
			}
			all = append(all, a)
		}
		ds, unmatched := alertstate.Dismissals(o.fromLog, all, o.Reason)
		for _, d := range ds {
			if d.Cut {
				o.cmd.Infof("%s: the justification is cut to %d characters for alert %d's comment", d.Result, fetch.MaxDismissComment, d.Alert.Number)
			}
			pick(d.Alert, &d.Update)
		}
		for _, p := range unmatched {
			o.cmd.Warnf("%s: suppressed, but no alert of its rule and location: not dismissed", p)
		}
		o.cmd.Infof("%d suppressed results matched to alerts, %d unmatched", len(ds), len(unmatched))
	case len(o.Numbers) > 0:
		for _, n := range o.Numbers {
			a, err := o.client.Alerts.Get(ctx, o.owner, o.repo, n)
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
		from := update.FromState()
		for a, err := range o.listAlerts(ctx, o.listOptions(from)) {
			if err != nil {
				return o.remoteError(err)
			}
			if o.selected(a) {
				targets = append(targets, fetch.AlertChange{Number: a.Number, Update: update})
				byNumber[a.Number] = a
			}
		}
		if len(targets) > 0 && !o.Yes && !o.DryRun {
			for _, t := range targets {
				fmt.Fprintln(o.IO.Out, where(byNumber[t.Number]))
			}
			return o.cmd.Fail("%d %s alerts match: add --yes to %s them, or --dry-run to see what would change", len(targets), from, o.Verb)
		}
	}
	if o.DryRun {
		for _, t := range targets {
			fmt.Fprintf(o.IO.Out, "would %s %s\n", o.Verb, where(byNumber[t.Number]))
		}
		o.cmd.Infof("dry run: %d alerts would be %s, %s; nothing sent", len(targets), verbed, skippedText(skipped))
		return cli.ExitOK
	}
	changed := 0
	o.client.Alerts.UpdateMany(ctx, o.owner, o.repo, targets, &fetch.UpdateManyOptions{
		Done: func(c fetch.AlertChange, _ *fetch.Alert, err error) {
			if err != nil {
				o.cmd.Warnf("alert %d: %v", c.Number, err)
				failed++
				if isRemote(err) {
					remoteFailed++
				}
				return
			}
			changed++
			if o.IO.ErrTerminal {
				fmt.Fprintf(o.IO.Err, "\rsarif-alerts: %d of %d %s\x1b[K", changed+failed, len(targets), verbed)
			}
		},
	})
	if o.IO.ErrTerminal && len(targets) > 0 {
		fmt.Fprint(o.IO.Err, "\r\x1b[K")
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
