// Command sarif-fetch downloads code scanning analyses from GitHub as one
// SARIF log, or lists them.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cli"
	"github.com/sarifkit/sarifkit/sarif"
)

const usage = `Usage: sarif-fetch --repo OWNER/NAME (--ref REF | --pr N | --analysis-id ID) [flags]

Downloads code scanning analyses from GitHub as SARIF. With --ref or --pr it
takes, for each tool and category, the newest analysis of that ref (what
"the scan of main" means) and combines them into one log, one run each; with
--analysis-id, that analysis. Every result carries github/alertNumber and
github/alertUrl. --list prints the matching analyses instead.

The token comes from GITHUB_TOKEN, else GH_TOKEN (scope security_events on
private repositories); the repository defaults to GITHUB_REPOSITORY and the
API root to GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3).
Rate limits are waited out (with a message on standard error), server errors
retried.

Exit status:
  0  done
  1  GitHub answered with an error (after retries)
  2  usage error, missing token, or output that cannot be written

Example:
  sarif-fetch --repo octo/app --ref refs/heads/main -o main.sarif
  sarif-fetch --repo octo/app --pr 42 --list

Flags:
`

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr) })
}

func run(ctx context.Context, args []string, getenv cli.Getenv, stdout, stderr io.Writer) int {
	cmd := cli.New("sarif-fetch", usage, stdout, stderr)
	fs := cmd.Flags
	gh := cmd.GitHubFlags()
	ref := fs.String("ref", "", "git ref, e.g. refs/heads/main")
	pr := fs.Int("pr", 0, "pull request number (its merge ref)")
	id := fs.Int64("analysis-id", 0, "one analysis")
	tool := fs.String("tool", "", "only analyses of this tool")
	category := fs.String("category", "", "only analyses of this category")
	runsOf := fs.String("runs-of", "", "only analyses of the tools and categories that this SARIF log has runs of (e.g. the head scan to compare with)")
	output := fs.StringP("output", "o", "-", "write the SARIF log here (atomically); - for standard output")
	list := fs.Bool("list", false, "list the matching analyses instead of downloading")
	format := fs.String("format", "table", "with --list: table or json")
	if code, done := cmd.Parse(args); done {
		return code
	}
	n := 0
	for _, set := range []bool{*ref != "", *pr > 0, *id > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return cmd.Fail("give exactly one of --ref, --pr and --analysis-id; see --help")
	}
	if *format != "table" && *format != "json" {
		return cmd.Fail("--format must be table or json, not %q", *format)
	}
	var match func(fetch.Analysis) bool
	if *runsOf != "" {
		if *id > 0 {
			return cmd.Fail("--runs-of applies to --ref and --pr, not --analysis-id")
		}
		m, err := runsMatcher(ctx, *runsOf)
		if err != nil {
			return cmd.Fail("--runs-of: %v", err)
		}
		match = m
	}
	owner, repo, client, err := gh.Connect(getenv)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	if *pr > 0 {
		*ref = "refs/pull/" + strconv.Itoa(*pr) + "/merge"
	}
	remote := func(err error) int {
		fmt.Fprintln(stderr, "sarif-fetch:", err)
		return cli.ExitFindings
	}

	if *list {
		var as []fetch.Analysis
		if *id > 0 {
			a, err := client.GetAnalysis(ctx, owner, repo, *id)
			if err != nil {
				return remote(err)
			}
			as = []fetch.Analysis{*a}
		} else if as, err = client.ListAnalyses(ctx, owner, repo, &fetch.ListOptions{Ref: *ref, ToolName: *tool}); err != nil {
			return remote(err)
		}
		var shown []fetch.Analysis
		for _, a := range as {
			if (*category == "" || a.Category == *category) && (match == nil || match(a)) {
				shown = append(shown, a)
			}
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if shown == nil {
				shown = []fetch.Analysis{}
			}
			enc.Encode(shown)
			return cli.ExitOK
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tREF\tCOMMIT\tTOOL\tCATEGORY\tCREATED\tRESULTS")
		for _, a := range shown {
			commit := a.CommitSHA
			if len(commit) > 12 {
				commit = commit[:12]
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", a.ID, a.Ref, commit, a.Tool.Name, a.Category, a.CreatedAt.Format("2006-01-02 15:04"), a.ResultsCount)
		}
		tw.Flush()
		return cli.ExitOK
	}

	// A person at a terminal hears about work that takes more than a second.
	if f, ok := stderr.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			done := make(chan struct{})
			defer close(done)
			go func() {
				select {
				case <-time.After(time.Second):
					fmt.Fprintf(stderr, "sarif-fetch: downloading from %s/%s...\n", owner, repo)
				case <-done:
				}
			}()
		}
	}
	var log *sarif.Log
	if *id > 0 {
		log, err = client.DownloadAnalysis(ctx, owner, repo, *id)
	} else {
		var used []fetch.Analysis
		log, used, err = client.Latest(ctx, owner, repo, *ref, &fetch.LatestOptions{ToolName: *tool, Category: *category, Match: match})
		if err == nil {
			fmt.Fprintf(stderr, "sarif-fetch: %d analyses of %s combined\n", len(used), *ref)
		}
	}
	if err != nil {
		return remote(err)
	}
	opts := &sarif.WriteOptions{Indent: "  "}
	if *output == sarif.Stdin {
		err = log.Write(stdout, opts)
	} else {
		err = log.WriteFile(*output, opts)
	}
	if err != nil {
		return cmd.Fail("%v", err)
	}
	return cli.ExitOK
}

// runsMatcher reads a SARIF log and returns a filter that keeps the
// analyses of its runs' tools and categories. A run without a category
// keeps every analysis of its tool. Categories are compared without a
// trailing "/", which GitHub's upload action adds.
func runsMatcher(ctx context.Context, name string) (func(fetch.Analysis) bool, error) {
	l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{Lossy: true})
	if err != nil {
		return nil, err
	}
	type key struct{ tool, category string }
	want := map[key]bool{}
	anyCategory := map[string]bool{}
	for _, run := range l.Report.Runs {
		if run == nil {
			continue
		}
		tool, cat := sarif.ToolName(run), sarif.Category(run)
		if cat == "" {
			anyCategory[tool] = true
		}
		want[key{tool, strings.TrimSuffix(cat, "/")}] = true
	}
	return func(a fetch.Analysis) bool {
		return anyCategory[a.Tool.Name] || want[key{a.Tool.Name, strings.TrimSuffix(a.Category, "/")}]
	}, nil
}
