// Package fetchcmd is the command sarif-fetch (sarifkit fetch), which downloads code scanning analyses from GitHub as one
// SARIF log, or lists them.
package fetchcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/sarifkit/sarifkit/alertstate"
	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/merge"
	"github.com/sarifkit/sarifkit/sarif"
)

const usage = `Usage: sarif-fetch [-R OWNER/NAME] (--ref REF | --pr N | --analysis-id ID) [flags]

Downloads code scanning analyses from GitHub as SARIF, to standard output or
-o FILE. With --ref or --pr it takes, for each tool and category, the newest
analysis of that ref (what "the scan of main" means) and combines them into
one log, one run each; with --analysis-id, that analysis. Every result carries
github/alertNumber and github/alertUrl; with --alert-states, those whose alert
is dismissed on GitHub also carry a suppression saying so. --list prints the
matching analyses instead.

The repository, host and token are read as the gh CLI reads them: -R, else
GH_REPO, else GITHUB_REPOSITORY, else the origin remote of the checkout when
it is on the GitHub host in use (GH_HOST, the --api-url host, else
github.com); the host from the repository or GH_HOST (GitHub Enterprise
Server: https://HOST/api/v3), else GITHUB_API_URL; the token from GH_TOKEN,
else GITHUB_TOKEN, else 'gh auth token' (scope security_events on private
repositories). The token goes to the API host only, never on a redirect to
another host. Rate limits are waited out (with a message on standard error),
server errors retried; an answer that stalls or trickles (1 minute without
headers, 30 seconds without a byte, 10 minutes in all) or is too large (32 MiB
of JSON, 512 MiB of SARIF) is a failure.

Exit status:
  0  done
  1  no analysis matches (the ref was not analysed yet, or not by these tools);
     with --delete, GitHub refused to delete the analysis (not the newest of
     its set, or the last one without --confirm-last)
  2  usage error, missing token, or output that cannot be written
  3  GitHub or the network failed (after retries), or answered too slowly
     or too much

Example:
  sarif-fetch -R octo/app --ref refs/heads/main -o main.sarif
  sarif-fetch -R octo/app --pr 42 --list

Flags:
`

// Name is the command's own program name.
const Name = "sarif-fetch"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "fetch", Summary: "download code scanning analyses from GitHub as one SARIF log",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run fetches, lists or deletes, as the flags set
// them. The mode is List (--list), Delete (--delete), or else a download.
type Options struct {
	IO *cli.IO
	// Ref, PR and AnalysisID say which analyses: the newest of each tool
	// and category of a ref (a pull request's merge ref), or one.
	Ref        string
	PR         int
	AnalysisID int64
	// Tool, Category and RunsOf (a log whose runs' tools and categories
	// to take) narrow the analyses of a ref.
	Tool, Category, RunsOf string
	List                   bool
	Format                 string // with List: table or json
	Delete                 bool
	// ConfirmLast, Yes and DryRun are Delete's.
	ConfirmLast, Yes, DryRun bool
	// AlertStates gives the results of dismissed alerts a suppression.
	AlertStates bool
	// GitHub reads the repository, host and token; Out writes the log.
	GitHub *cli.GitHub
	Out    *cli.LogOutput

	cmd    *cli.Command
	match  func(fetch.Analysis) bool // the filter of RunsOf
	repo   cli.Repo
	client *fetch.Client
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs the mode they
// select (download, list or delete), or runF instead when runF is not
// nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	cmd.ReadLimitFlags()
	fs := cmd.Flags
	o := &Options{IO: ios, cmd: cmd, GitHub: cmd.GitHubFlags(), Out: cmd.LogOutputFlags()}
	fs.StringVar(&o.Ref, "ref", "", "git `REF`, e.g. refs/heads/main (a branch name means refs/heads/NAME)")
	fs.IntVar(&o.PR, "pr", 0, "pull request number `N` (its merge ref, refs/pull/N/merge)")
	fs.Int64Var(&o.AnalysisID, "analysis-id", 0, "one analysis, by `ID`")
	fs.StringVar(&o.Tool, "tool", "", "only analyses of the tool `NAME`")
	fs.StringVar(&o.Category, "category", "", "only analyses of `CATEGORY`")
	fs.StringVar(&o.RunsOf, "runs-of", "", "only analyses of the tools and categories that the SARIF log `FILE` has runs of (e.g. the head scan to compare with)")
	fs.BoolVar(&o.List, "list", false, "list the matching analyses instead of downloading")
	fs.StringVar(&o.Format, "format", "table", "with --list: `FORMAT` table or json")
	fs.BoolVar(&o.Delete, "delete", false, "delete the analysis --analysis-id names (with --yes), instead of downloading it: only the newest of its tool, category and ref can be")
	fs.BoolVar(&o.ConfirmLast, "confirm-last", false, "with --delete: also delete the last analysis of its tool, category and ref, which removes their alerts")
	fs.BoolVar(&o.Yes, "yes", false, "with --delete: delete")
	fs.BoolVar(&o.DryRun, "dry-run", false, "with --delete: say what would be deleted, delete nothing")
	fs.BoolVar(&o.AlertStates, "alert-states", false, "give the results whose alert is dismissed on GitHub a suppression (kind external, status accepted, the dismissal as justification), so sarif-diff --inherit-suppressions keeps them dismissed")
	cmd.Run = func(ctx context.Context, args []string) int {
		if code, ok := o.check(args); !ok {
			return code
		}
		if runF != nil {
			return runF(ctx, o)
		}
		switch {
		case o.Delete:
			return deleteAnalysis(ctx, o)
		case o.List:
			return list(ctx, o)
		}
		return download(ctx, o)
	}
	return cmd
}

// Run runs sarif-fetch with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// check checks the flags together; ok is false when the command must
// stop with code.
func (o *Options) check(args []string) (code int, ok bool) {
	cmd := o.cmd
	if len(args) > 0 {
		return cmd.Fail("unexpected argument %q", args[0]), false
	}
	for _, f := range []string{"confirm-last", "yes", "dry-run"} {
		if cmd.Set(f) && !o.Delete {
			return cmd.Fail("--%s applies to --delete only", f), false
		}
	}
	if o.Delete {
		for _, f := range []string{"ref", "pr", "tool", "category", "runs-of", "list", "alert-states", "output", "indent", "gzip", "format"} {
			if cmd.Set(f) {
				return cmd.Fail("--%s does not apply to --delete", f), false
			}
		}
		if o.AnalysisID <= 0 {
			return cmd.Fail("--delete needs --analysis-id ID"), false
		}
		if o.Yes == o.DryRun {
			return cmd.Fail("--delete needs --yes to delete, or --dry-run to see what would be deleted"), false
		}
		return 0, true
	}
	n := 0
	for _, set := range []bool{o.Ref != "", o.PR > 0, o.AnalysisID > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return cmd.Fail("give exactly one of --ref, --pr and --analysis-id"), false
	}
	if o.List {
		for _, f := range []string{"output", "indent", "gzip"} {
			if cmd.Set(f) {
				return cmd.Fail("--%s does not apply to --list, which prints a table or JSON", f), false
			}
		}
		if o.AlertStates {
			return cmd.Fail("--alert-states does not apply to --list"), false
		}
	} else if cmd.Set("format") {
		return cmd.Fail("--format applies to --list only"), false
	}
	if o.Format != "table" && o.Format != "json" {
		return cmd.Fail("--format must be table or json, not %q", o.Format), false
	}
	if o.AnalysisID > 0 {
		for _, f := range []string{"tool", "category", "runs-of"} {
			if cmd.Set(f) {
				return cmd.Fail("--%s applies to --ref and --pr, not --analysis-id", f), false
			}
		}
	}
	if err := o.Out.Check(); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err), false
	}
	switch {
	case o.PR > 0:
		o.Ref = "refs/pull/" + strconv.Itoa(o.PR) + "/merge"
	case o.Ref != "" && !strings.HasPrefix(o.Ref, "refs/"):
		o.Ref = "refs/heads/" + o.Ref
	}
	return 0, true
}

// connect reads the log of RunsOf (what needs no network comes first),
// then connects to GitHub; ok is false when the command must stop with
// code.
func (o *Options) connect(ctx context.Context) (code int, ok bool) {
	if o.RunsOf != "" {
		m, err := runsMatcher(ctx, o.cmd, o.RunsOf)
		if err != nil {
			return o.cmd.Fail("--runs-of: %v", err), false
		}
		o.match = m
	}
	var err error
	if o.repo, o.client, err = o.GitHub.Connect(ctx); err != nil {
		return o.cmd.Fail("%v", err), false
	}
	return 0, true
}

// remote is the exit for a call GitHub refused or failed: 1 when no
// analysis matches, else 3.
func (o *Options) remote(err error) int {
	if errors.Is(err, fetch.ErrNoAnalysis) {
		return o.cmd.Errorf(cli.ExitFailed, "%v", err)
	}
	return o.cmd.Errorf(cli.ExitRemote, "%v", err)
}

// list prints the analyses matching (--list): a table or JSON.
func list(ctx context.Context, o *Options) int {
	if code, ok := o.connect(ctx); !ok {
		return code
	}
	repo, client := o.repo, o.client
	var as []fetch.Analysis
	if o.AnalysisID > 0 {
		a, err := client.Analyses.Get(ctx, repo.Owner, repo.Name, o.AnalysisID)
		if err != nil {
			return o.remote(err)
		}
		as = []fetch.Analysis{*a}
	} else {
		var err error
		if as, err = client.Analyses.List(ctx, repo.Owner, repo.Name, &fetch.AnalysesListOptions{Ref: o.Ref, ToolName: o.Tool}); err != nil {
			return o.remote(err)
		}
	}
	shown := []fetch.Analysis{}
	for _, a := range as {
		if (o.Category == "" || a.Category == o.Category) && (o.match == nil || o.match(a)) {
			shown = append(shown, a)
		}
	}
	if o.Format == "json" {
		enc := json.NewEncoder(safetext.JSONWriter(o.IO.Out))
		enc.SetIndent("", "  ")
		if err := enc.Encode(shown); err != nil {
			return o.cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		return cli.ExitOK
	}
	tw := tabwriter.NewWriter(o.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tREF\tCOMMIT\tTOOL\tCATEGORY\tCREATED\tRESULTS")
	for _, a := range shown {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", a.ID, safetext.Text(a.Ref), safetext.Text(a.CommitSHA[:min(12, len(a.CommitSHA))]),
			safetext.Text(a.Tool.Name), safetext.Text(a.Category), a.CreatedAt.Format("2006-01-02 15:04"), a.ResultsCount)
	}
	if err := tw.Flush(); err != nil {
		return o.cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	return cli.ExitOK
}

// download writes the scan of a ref (the newest analysis of each tool
// and category, combined) or one analysis as one log, with the alerts'
// dismissals as suppressions when asked.
func download(ctx context.Context, o *Options) int {
	if code, ok := o.connect(ctx); !ok {
		return code
	}
	repo, client := o.repo, o.client
	p := o.cmd.NewProgress("downloading from "+repo.String(), 0)
	p.Begin()
	var log *sarif.Log
	var err error
	if o.AnalysisID > 0 {
		log, err = client.Analyses.Download(ctx, repo.Owner, repo.Name, o.AnalysisID)
	} else {
		var latest []fetch.AnalysisLog
		latest, err = client.Analyses.Latest(ctx, repo.Owner, repo.Name, o.Ref, &fetch.LatestOptions{ToolName: o.Tool, Category: o.Category, Match: o.match})
		if err == nil {
			log, err = combine(ctx, latest)
		}
		if err == nil {
			o.cmd.Infof("%d analyses of %s combined", len(latest), o.Ref)
		}
	}
	p.Done()
	if err != nil {
		return o.remote(err)
	}
	if o.AlertStates {
		alertRef := o.Ref
		if o.AnalysisID > 0 { // the analysis's own ref
			a, err := client.Analyses.Get(ctx, repo.Owner, repo.Name, o.AnalysisID)
			if err != nil {
				return o.remote(err)
			}
			alertRef = a.Ref
		}
		st, err := alertstate.Add(ctx, client.Alerts, repo.Owner, repo.Name, alertRef, log)
		if err != nil {
			return o.remote(err)
		}
		o.cmd.Infof("%d results suppressed, as their alerts are dismissed on GitHub (%d dismissed alerts)", st.Suppressed, st.Dismissed)
	}
	if err := o.Out.Write(ctx, log); err != nil {
		return o.cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	return cli.ExitOK
}

// runsMatcher reads a SARIF log and returns a filter that keeps the
// analyses of its runs' tools and categories. A run without a category
// keeps every analysis of its tool. Categories are compared without a
// trailing "/", which GitHub's upload action adds.
func runsMatcher(ctx context.Context, cmd *cli.Command, name string) (func(fetch.Analysis) bool, error) {
	l, err := cmd.ReadLog(ctx, name, nil)
	if err != nil {
		return nil, err
	}
	type key struct{ tool, category string }
	want := map[key]bool{}
	anyCategory := map[string]bool{}
	for _, run := range l.Runs {
		if run == nil || run.Model == nil {
			continue
		}
		tool, cat := run.Tool(), run.Category()
		if cat == "" {
			anyCategory[tool] = true
		}
		want[key{tool, strings.TrimSuffix(cat, "/")}] = true
	}
	return func(a fetch.Analysis) bool {
		return anyCategory[a.Tool.Name] || want[key{a.Tool.Name, strings.TrimSuffix(a.Category, "/")}]
	}, nil
}

// combine puts the logs of the analyses into one log, one run each
// (results the analyses share are all kept).
func combine(ctx context.Context, latest []fetch.AnalysisLog) (*sarif.Log, error) {
	inputs := make([]sarif.Input, len(latest))
	for i, a := range latest {
		inputs[i] = sarif.Input{Name: fmt.Sprintf("analysis %d", a.Analysis.ID), Log: a.Log}
	}
	out, _, err := merge.Merge(ctx, inputs, &merge.Options{KeepDuplicates: true})
	return out, err
}

// deleteAnalysis deletes one analysis, or with DryRun says whether it
// could be. The API deletes only the newest analysis of a set (tool,
// category, ref), and the last one only when confirmed.
func deleteAnalysis(ctx context.Context, o *Options) int {
	cmd, id := o.cmd, o.AnalysisID
	repo, client, err := o.GitHub.Connect(ctx)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	a, err := client.Analyses.Get(ctx, repo.Owner, repo.Name, id)
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	what := fmt.Sprintf("analysis %d (%s, category %q, %s, %s)", a.ID, a.Tool.Name, a.Category, a.Ref, a.CreatedAt.Format("2006-01-02 15:04"))
	if o.DryRun {
		if a.Deletable {
			cmd.Infof("would delete %s", what)
		} else {
			cmd.Infof("%s is not deletable: only the newest analysis of its tool, category and ref is", what)
		}
		return cli.ExitOK
	}
	d, err := client.Analyses.Delete(ctx, repo.Owner, repo.Name, id, &fetch.AnalysisDeleteOptions{ConfirmLast: o.ConfirmLast})
	if err != nil {
		var apiErr *fetch.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == 400 {
			if strings.Contains(apiErr.Message, "confirm_delete") {
				return cmd.Errorf(cli.ExitFailed, "%s is the last of its tool, category and ref: deleting it removes their alerts; add --confirm-last to delete it", what)
			}
			return cmd.Errorf(cli.ExitFailed, "%s: %v", what, err)
		}
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	cmd.Infof("deleted %s", what)
	if d.NextAnalysisURL != "" {
		next := d.NextAnalysisURL[strings.LastIndexByte(d.NextAnalysisURL, '/')+1:]
		cmd.Infof("the next analysis of the set is %s (sarif-fetch --delete --analysis-id %s --yes)", next, next)
	}
	return cli.ExitOK
}
