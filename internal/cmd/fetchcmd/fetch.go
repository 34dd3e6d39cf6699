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
		Run: func(ctx context.Context, ios *cli.IO, prog string, args []string) int {
			return Run(ctx, ios, args) // TODO(one house): NewCmd(ios, prog, nil).Exec(ctx, args)
		}}
}

// Run runs fetch with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	cmd := cli.New("sarif-fetch", usage, ios)
	cmd.ReadLimitFlags()
	fs := cmd.Flags
	gh := cmd.GitHubFlags()
	out := cmd.LogOutputFlags()
	ref := fs.String("ref", "", "git `REF`, e.g. refs/heads/main (a branch name means refs/heads/NAME)")
	pr := fs.Int("pr", 0, "pull request number `N` (its merge ref, refs/pull/N/merge)")
	id := fs.Int64("analysis-id", 0, "one analysis, by `ID`")
	tool := fs.String("tool", "", "only analyses of the tool `NAME`")
	category := fs.String("category", "", "only analyses of `CATEGORY`")
	runsOf := fs.String("runs-of", "", "only analyses of the tools and categories that the SARIF log `FILE` has runs of (e.g. the head scan to compare with)")
	list := fs.Bool("list", false, "list the matching analyses instead of downloading")
	format := fs.String("format", "table", "with --list: `FORMAT` table or json")
	del := fs.Bool("delete", false, "delete the analysis --analysis-id names (with --yes), instead of downloading it: only the newest of its tool, category and ref can be")
	confirmLast := fs.Bool("confirm-last", false, "with --delete: also delete the last analysis of its tool, category and ref, which removes their alerts")
	yes := fs.Bool("yes", false, "with --delete: delete")
	dryRun := fs.Bool("dry-run", false, "with --delete: say what would be deleted, delete nothing")
	alertStates := fs.Bool("alert-states", false, "give the results whose alert is dismissed on GitHub a suppression (kind external, status accepted, the dismissal as justification), so sarif-diff --inherit-suppressions keeps them dismissed")
	if code, done := cmd.Parse(args); done {
		return code
	}
	if fs.NArg() > 0 {
		return cmd.Fail("unexpected argument %q", fs.Arg(0))
	}
	for _, f := range []string{"confirm-last", "yes", "dry-run"} {
		if cmd.Set(f) && !*del {
			return cmd.Fail("--%s applies to --delete only", f)
		}
	}
	if *del {
		return deleteAnalysis(ctx, cmd, gh, *id, *yes, *dryRun, *confirmLast)
	}
	n := 0
	for _, set := range []bool{*ref != "", *pr > 0, *id > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return cmd.Fail("give exactly one of --ref, --pr and --analysis-id")
	}
	if *list {
		for _, f := range []string{"output", "indent", "gzip"} {
			if cmd.Set(f) {
				return cmd.Fail("--%s does not apply to --list, which prints a table or JSON", f)
			}
		}
		if *alertStates {
			return cmd.Fail("--alert-states does not apply to --list")
		}
	} else if cmd.Set("format") {
		return cmd.Fail("--format applies to --list only")
	}
	if *format != "table" && *format != "json" {
		return cmd.Fail("--format must be table or json, not %q", *format)
	}
	if *id > 0 {
		for _, f := range []string{"tool", "category", "runs-of"} {
			if cmd.Set(f) {
				return cmd.Fail("--%s applies to --ref and --pr, not --analysis-id", f)
			}
		}
	}
	if err := out.Check(); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	var match func(fetch.Analysis) bool
	if *runsOf != "" {
		m, err := runsMatcher(ctx, cmd, *runsOf)
		if err != nil {
			return cmd.Fail("--runs-of: %v", err)
		}
		match = m
	}
	switch {
	case *pr > 0:
		*ref = "refs/pull/" + strconv.Itoa(*pr) + "/merge"
	case *ref != "" && !strings.HasPrefix(*ref, "refs/"):
		*ref = "refs/heads/" + *ref
	}
	repo, client, err := gh.Connect(ctx)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	remote := func(err error) int {
		if errors.Is(err, fetch.ErrNoAnalysis) {
			return cmd.Errorf(cli.ExitFailed, "%v", err)
		}
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}

	if *list {
		var as []fetch.Analysis
		if *id > 0 {
			a, err := client.GetAnalysis(ctx, repo.Owner, repo.Name, *id)
			if err != nil {
				return remote(err)
			}
			as = []fetch.Analysis{*a}
		} else if as, err = client.ListAnalyses(ctx, repo.Owner, repo.Name, &fetch.ListOptions{Ref: *ref, ToolName: *tool}); err != nil {
			return remote(err)
		}
		shown := []fetch.Analysis{}
		for _, a := range as {
			if (*category == "" || a.Category == *category) && (match == nil || match(a)) {
				shown = append(shown, a)
			}
		}
		if *format == "json" {
			enc := json.NewEncoder(safetext.JSONWriter(ios.Out))
			enc.SetIndent("", "  ")
			if err := enc.Encode(shown); err != nil {
				return cmd.Errorf(cli.ExitUsage, "%v", err)
			}
			return cli.ExitOK
		}
		tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tREF\tCOMMIT\tTOOL\tCATEGORY\tCREATED\tRESULTS")
		for _, a := range shown {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", a.ID, safetext.Text(a.Ref), safetext.Text(a.CommitSHA[:min(12, len(a.CommitSHA))]),
				safetext.Text(a.Tool.Name), safetext.Text(a.Category), a.CreatedAt.Format("2006-01-02 15:04"), a.ResultsCount)
		}
		if err := tw.Flush(); err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		return cli.ExitOK
	}

	p := cmd.NewProgress("downloading from "+repo.String(), 0)
	p.Begin()
	var log *sarif.Log
	if *id > 0 {
		log, err = client.DownloadAnalysis(ctx, repo.Owner, repo.Name, *id)
	} else {
		var latest []fetch.AnalysisLog
		latest, err = client.Latest(ctx, repo.Owner, repo.Name, *ref, &fetch.LatestOptions{ToolName: *tool, Category: *category, Match: match})
		if err == nil {
			log, err = combine(ctx, latest)
		}
		if err == nil {
			cmd.Infof("%d analyses of %s combined", len(latest), *ref)
		}
	}
	p.Done()
	if err != nil {
		return remote(err)
	}
	if *alertStates {
		alertRef := *ref
		if *id > 0 { // the analysis's own ref
			a, err := client.GetAnalysis(ctx, repo.Owner, repo.Name, *id)
			if err != nil {
				return remote(err)
			}
			alertRef = a.Ref
		}
		st, err := client.AddAlertStates(ctx, repo.Owner, repo.Name, alertRef, log)
		if err != nil {
			return remote(err)
		}
		cmd.Infof("%d results suppressed, as their alerts are dismissed on GitHub (%d dismissed alerts)", st.Suppressed, st.Dismissed)
	}
	if err := out.Write(ctx, log); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
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

// deleteAnalysis deletes one analysis, or with dryRun says whether it
// could be. The API deletes only the newest analysis of a set (tool,
// category, ref), and the last one only when confirmed.
func deleteAnalysis(ctx context.Context, cmd *cli.Command, gh *cli.GitHub, id int64, yes, dryRun, confirmLast bool) int {
	for _, f := range []string{"ref", "pr", "tool", "category", "runs-of", "list", "alert-states", "output", "indent", "gzip", "format"} {
		if cmd.Set(f) {
			return cmd.Fail("--%s does not apply to --delete", f)
		}
	}
	if id <= 0 {
		return cmd.Fail("--delete needs --analysis-id ID")
	}
	if yes == dryRun {
		return cmd.Fail("--delete needs --yes to delete, or --dry-run to see what would be deleted")
	}
	repo, client, err := gh.Connect(ctx)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	a, err := client.GetAnalysis(ctx, repo.Owner, repo.Name, id)
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	what := fmt.Sprintf("analysis %d (%s, category %q, %s, %s)", a.ID, a.Tool.Name, a.Category, a.Ref, a.CreatedAt.Format("2006-01-02 15:04"))
	if dryRun {
		if a.Deletable {
			cmd.Infof("would delete %s", what)
		} else {
			cmd.Infof("%s is not deletable: only the newest analysis of its tool, category and ref is", what)
		}
		return cli.ExitOK
	}
	d, err := client.DeleteAnalysis(ctx, repo.Owner, repo.Name, id, confirmLast)
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
