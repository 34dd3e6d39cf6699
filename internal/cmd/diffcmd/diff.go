// Package diffcmd is the command sarif-diff (sarifkit diff), which compares two SARIF logs, the scan of a base and the
// scan of a head (a pull request), reports which results are new, absent,
// updated or unchanged, and can fail a build on what the head introduced.
package diffcmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/ctxio"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

const usage = `Usage: sarif-diff [flags] BASE HEAD

Compares the SARIF log HEAD (e.g. the scan of a pull request) with BASE (the
scan of its target branch). Either may be "-" for standard input; gzip input is
recognised. Runs are paired by tool and category (automationDetails.id up to
its last "/"), as GitHub code scanning tracks alerts, across a new version of
the tool or a new run id; runs of one tool and category that are distinct
runs to GitHub in one log (another version, another run id) are each compared
with the run of the other log that is the same run to GitHub. Results are matched by fingerprints, partial
fingerprints, GitHub alert numbers, location, snippet, renamed files and shifted
lines, strongest evidence first. Each head result is then new, updated or
unchanged; each base result left over is absent. A tool and category that
only base has is not compared (its results are "not compared", not absent: it
did not run on head); one that only head has gives new results; both get a
warning. Results already marked absent by an earlier comparison (a report
given as BASE) are left out.

With the code at hand, the comparison reads it. --base-source-root and
--head-source-root (or --source-root) give each side's checkout: results get
primaryLocationLineHash from their own files, and with both, results are paired
through a line diff of the two checkouts, as with --git. --git DIR --base-ref REV reads both
sides' files from the repository at their revisions (HEAD is the work tree, or
--head-ref), and pairs results through git's line diff of the two revisions: a
result on a line the diff left alone is the result of its rule on the line it
became, whatever its message now says. Absolute URIs are compared relative to
the checkout each log was made in when the logs or these flags say where; with
the code at hand, a log made elsewhere (a CI runner's workspace) is read where
the longest tails of its paths name files of the checkout, and a warning says
when none of its files is there (its results are then compared without their
code).

Formats (--format):
  text      a summary line, then the new results as FILE:LINE:COL: LEVEL RULE: MESSAGE,
            by file and line (--explain lists every pair with the evidence it
            was matched on)
  json      the counts, how runs were paired, and every result: state, level,
            rule, location, match pass, JSON pointers into BASE and HEAD, and
            whether it fails the gate
  sarif     HEAD with baselineState on every result and the absent results of
            BASE appended, as the SARIF Multitool's match-results-forward writes
            (base runs not compared are carried over, without baselineState)
  markdown  a table of counts and the new results, most severe first, for a PR
            comment or $GITHUB_STEP_SUMMARY
  github    GitHub Actions annotations (::error file=...) for the results that
            fail the gate (every new result without --fail-on), most severe first

The gate (--fail-on) fails the command when head has results of the given
kind: new, updated (new or updated), or any (every head result). --min-level,
--min-security-severity and --only-changed-files narrow what counts;
suppressed results (accepted suppressions) never count. A head result matched
to a suppressed base result is suppressed too, in every gate mode and every
report: what a reviewer dismissed on GitHub (a base fetched with sarif-fetch
--alert-states) or the base scan suppressed stays so, as a dismissed alert
stays dismissed on GitHub (--inherit-suppressions=false counts the head's own
suppressions only).

Exit status:
  0  the gate passed (or no --fail-on was given)
  1  the gate failed
  2  usage error, or an input that cannot be read as SARIF 2.1.0

Examples:
  sarif-diff --fail-on new --min-level error --format github base.sarif head.sarif
  sarif-diff --git . --base-ref origin/main --fail-on new base.sarif head.sarif
  ::error file=internal/db/query.go,line=42,col=9,title=gosec G201::SQL string formatting

Flags:
`

// Name is the command's own program name.
const Name = "sarif-diff"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "diff", Summary: "compare the scans of a base and a head; gate on what the head adds",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run compares and how, as the flags set them.
type Options struct {
	IO *cli.IO
	// Base and Head are the logs (BASE and HEAD); "-" is standard input.
	Base, Head string
	Format     string // --format: text, json, sarif, markdown or github
	Output     string // -o: the report's file, "" for standard output
	Indent     bool   // --indent
	Gzip       bool   // --gzip
	Explain    bool   // --explain
	MaxRows    int    // --max-rows
	// Gate is --fail-on, --min-level and --min-security-severity;
	// ChangedFiles, --only-changed-files, the file that lists the paths
	// its ChangedFiles are read from.
	Gate         diff.Gate
	ChangedFiles string
	// MarkdownSummary and GitHubOutput are files the markdown report and
	// the step outputs are appended to (--markdown-summary,
	// --github-output).
	MarkdownSummary, GitHubOutput string
	// BaseSourceRoot and HeadSourceRoot are the checkouts of the two
	// sides (--base-source-root, --head-source-root or --source-root);
	// HeadRootFlag is the flag that named the head's, for messages.
	BaseSourceRoot, HeadSourceRoot, HeadRootFlag string
	// Git is the work tree both sides scanned (--git), at the revisions
	// BaseRef and HeadRef ("" for the work tree).
	Git, BaseRef, HeadRef string
	// InheritSuppressions is --inherit-suppressions.
	InheritSuppressions bool
	Read                *sarif.ReadOptions

	cmd *cli.Command // messages
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs compare, or
// runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	opts := &Options{IO: ios, cmd: cmd}
	opts.Read = cmd.ReadLimitFlags()
	fs := cmd.Flags
	var failOn, minLevel, minSec, sourceRoot string
	fs.StringVar(&opts.Format, "format", "text", "report `FORMAT`: text, json, sarif, markdown or github")
	fs.StringVarP(&opts.Output, "output", "o", "", "write the report to `FILE` (atomically; with --format sarif a name ending in .gz is gzip-compressed) instead of standard output")
	fs.BoolVar(&opts.Indent, "indent", false, "with --format sarif: pretty-print the log")
	fs.BoolVar(&opts.Gzip, "gzip", false, "with --format sarif: gzip-compress the log (implied by -o FILE.gz)")
	fs.BoolVar(&opts.Explain, "explain", false, "with --format text: list every match with the pass that made it")
	fs.StringVar(&failOn, "fail-on", "", "fail (exit 1) on head results that are `STATE`: new, updated (new or updated) or any")
	fs.StringVar(&minLevel, "min-level", "", "with --fail-on: count only results of `LEVEL` or above: error, warning or note")
	fs.StringVar(&minSec, "min-security-severity", "", "with --fail-on: count only results whose rule's security-severity is in `BAND` or above: critical, high, medium or low")
	fs.StringVar(&opts.ChangedFiles, "only-changed-files", "", "with --fail-on: count only results in the files listed in `FILE`, one path per line (e.g. git diff --name-only)")
	fs.IntVar(&opts.MaxRows, "max-rows", 50, "with --format markdown or --markdown-summary: list at most `N` new results")
	fs.StringVar(&opts.MarkdownSummary, "markdown-summary", "", "also append the markdown report to `FILE` (e.g. $GITHUB_STEP_SUMMARY)")
	fs.StringVar(&opts.GitHubOutput, "github-output", "", "also append the counts as step outputs to `FILE` (e.g. $GITHUB_OUTPUT): new-count, absent-count, updated-count, unchanged-count")
	fs.StringVar(&opts.HeadSourceRoot, "head-source-root", "", "checkout of HEAD, a `DIR`: compute partialFingerprints.primaryLocationLineHash for head results that lack it from their files there, as GitHub's upload does")
	fs.StringVar(&sourceRoot, "source-root", "", "the same as --head-source-root (`DIR`), as the other commands name it")
	fs.StringVar(&opts.Git, "git", "", "the git repository (`DIR`, a work tree) both logs scanned: each side's results get primaryLocationLineHash from their own revision, and results are paired through git's line diff of the two revisions (pass line-map); needs --base-ref")
	fs.StringVar(&opts.BaseRef, "base-ref", "", "with --git: the `REV`ISION BASE scanned (a commit, branch or tag)")
	fs.StringVar(&opts.HeadRef, "head-ref", "", "with --git: the `REV`ISION HEAD scanned (default: the work tree)")
	fs.BoolVar(&opts.InheritSuppressions, "inherit-suppressions", true, "a head result matched to a suppressed base result (dismissed on GitHub: sarif-fetch --alert-states) is suppressed too, and never counts in the gate; =false counts the head's own suppressions only")
	fs.StringVar(&opts.BaseSourceRoot, "base-source-root", "", "checkout of BASE, a `DIR`: compute primaryLocationLineHash for base results that lack it (logs fetched from GitHub carry theirs)")
	cmd.Run = func(ctx context.Context, args []string) int {
		if len(args) != 2 {
			return cmd.Fail("want two arguments, BASE and HEAD, got %d", len(args))
		}
		if args[0] == cli.Stdin && args[1] == cli.Stdin {
			return cmd.Fail("BASE and HEAD cannot both be standard input")
		}
		opts.Base, opts.Head = args[0], args[1]
		switch opts.Format {
		case "text", "json", "sarif", "markdown", "github":
		default:
			return cmd.Fail("--format must be text, json, sarif, markdown or github, not %q", opts.Format)
		}
		for flag, formats := range map[string]string{"explain": "text", "indent": "sarif", "gzip": "sarif"} {
			if cmd.Set(flag) && opts.Format != formats {
				return cmd.Fail("--%s applies to --format %s only", flag, formats)
			}
		}
		if opts.Format != "sarif" && strings.HasSuffix(opts.Output, ".gz") {
			return cmd.Fail("-o %s: only --format sarif is written gzip-compressed", opts.Output)
		}
		if cmd.Set("max-rows") && opts.Format != "markdown" && opts.MarkdownSummary == "" {
			return cmd.Fail("--max-rows applies to --format markdown and --markdown-summary only")
		}
		for _, flag := range []string{"min-level", "min-security-severity", "only-changed-files"} {
			if err := cmd.Requires(flag, "fail-on"); err != nil {
				return cmd.Fail("%v", err)
			}
		}
		opts.Gate = diff.Gate{FailOn: diff.FailOn(failOn), MinLevel: diff.Level(minLevel), MinSecuritySeverity: diff.SecurityBand(minSec)}
		if err := opts.Gate.Validate(); err != nil {
			return cmd.Fail("%v", flagError(err))
		}
		if err := cmd.CheckOutput(opts.Output); err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		if sourceRoot != "" && opts.HeadSourceRoot != "" {
			return cmd.Fail("--source-root and --head-source-root name the same thing: give one")
		}
		opts.HeadRootFlag = "--head-source-root"
		if sourceRoot != "" {
			opts.HeadSourceRoot, opts.HeadRootFlag = sourceRoot, "--source-root"
		}
		for _, flag := range []string{"base-ref", "head-ref"} {
			if err := cmd.Requires(flag, "git"); err != nil {
				return cmd.Fail("%v", err)
			}
		}
		if opts.Git != "" {
			if opts.BaseRef == "" {
				return cmd.Fail("--git needs --base-ref, the revision BASE scanned")
			}
			if opts.BaseSourceRoot != "" || opts.HeadSourceRoot != "" {
				return cmd.Fail("--git reads both sides' files from the repository: give it or the source roots, not both")
			}
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return compare(ctx, opts)
	}
	return cmd
}

// Run runs sarif-diff with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// compare compares opts.Head with opts.Base, writes the reports and
// applies the gate.
func compare(ctx context.Context, opts *Options) int {
	cmd := opts.cmd
	gate := opts.Gate
	if opts.ChangedFiles != "" {
		files, err := readLines(ctx, opts.ChangedFiles)
		if err != nil {
			return cmd.Fail("--only-changed-files: %v", err)
		}
		gate.ChangedFiles = files
	}
	// The code first: a checkout or a revision that is not there fails
	// before the logs are read, and git computes the line map while they
	// are.
	code, status := openCode(ctx, opts)
	defer code.close()
	if status != cli.ExitOK {
		return status
	}
	logs, status := readLogs(ctx, cmd, opts)
	for _, l := range logs {
		if l != nil {
			defer l.Close()
		}
	}
	if status != cli.ExitOK {
		return status
	}
	diffOpts, status := code.read(ctx, cmd, logs)
	if status != cli.ExitOK {
		return status
	}
	diffOpts.OwnSuppressionsOnly = !opts.InheritSuppressions
	d, err := diff.Compare(ctx, logs[0], logs[1], diffOpts)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	code.warnRefused(cmd)
	for _, n := range d.Notes() {
		cmd.Warnf("%s", n.String())
	}
	cmd.WarnLenient(opts.Base, logs[0])
	cmd.WarnLenient(opts.Head, logs[1])
	var verdict *diff.Verdict
	if gate.FailOn != diff.FailOnNone {
		verdict = gate.Judge(d)
	}
	if status := writeReports(ctx, opts, d, logs[1], verdict); status != cli.ExitOK {
		return status
	}
	if verdict != nil {
		if verdict.Failed() {
			return cmd.Errorf(cli.ExitFailed, "gate failed: %d result(s) %s", len(verdict.Failures), describeGate(&gate))
		}
		cmd.Infof("gate passed: no result %s", describeGate(&gate))
	}
	return cli.ExitOK
}

// code is the code the logs were made from, as the flags give it: each
// side's checkout (--base-source-root, --head-source-root), or the
// revisions of a repository (--git).
type code struct {
	roots [2]cli.SourceRoot // base, head
	files [2]*checkout.FS   // their files, confined to them
	flags [2]string         // the flags that named them
	revs  *diff.Revisions
}

// openCode opens the checkouts, or the repository and its revisions.
func openCode(ctx context.Context, opts *Options) (*code, int) {
	cmd := opts.cmd
	c := &code{flags: [2]string{"--base-source-root", opts.HeadRootFlag}}
	for i, value := range []string{opts.BaseSourceRoot, opts.HeadSourceRoot} {
		if value == "" {
			continue
		}
		var err error
		if c.roots[i], err = cli.ParseSourceRoot(value); err == nil {
			c.files[i], err = c.roots[i].Files(c.flags[i])
		}
		if err != nil {
			return c, cmd.Fail("%s: %v", c.flags[i], err)
		}
	}
	if opts.Git != "" {
		var err error
		if c.revs, err = diff.OpenRevisions(ctx, opts.Git, opts.BaseRef, opts.HeadRef); err != nil {
			return c, cmd.Errorf(cli.ExitUsage, "--git: %v", err)
		}
	}
	return c, cli.ExitOK
}

// close closes the checkouts.
func (c *code) close() {
	for _, f := range c.files {
		if f != nil {
			f.Close()
		}
	}
}

// read gives each log's results line hashes from its code, saying what
// it did, and returns the comparison's options: where each side was
// scanned and the line map of the two sides' code.
func (c *code) read(ctx context.Context, cmd *cli.Command, logs [2]*sarif.Log) (*diff.Options, int) {
	diffOpts := &diff.Options{BaseRoot: c.roots[0].URI, HeadRoot: c.roots[1].URI}
	var found [2]string // where each side was scanned, as its files at hand say
	if c.revs != nil {
		for i, log := range logs {
			side := diff.Side(i)
			lh, err := c.revs.AddLineHashes(ctx, side, log)
			found[i] = lh.Checkout.Root
			reportCheckout(cmd, "--git", side, lh)
			if err != nil {
				return nil, cmd.Errorf(cli.ExitUsage, "--git: %v", err)
			}
			st := lh.Stats
			cmd.Infof("--git: %d fingerprints added to %s results from %s, %d kept, %d results without a file there (%d files not found)",
				st.Added, side, lh.Where, st.Kept, st.Skipped, st.MissingFiles)
			if lh.Refused.Total() > 0 {
				cmd.Warnf("--git: %s: %s", lh.Where, lh.Refused)
			}
		}
		lines, err := c.revs.LineMap()
		if err != nil {
			return nil, cmd.Errorf(cli.ExitUsage, "--git: %v", err)
		}
		cmd.Infof("--git: %d files changed between %s and %s", lines.Files(), c.revs.Name(diff.SideBase), c.revs.Name(diff.SideHead))
		diffOpts.LineMap = lines
		// Both sides were scanned in this work tree, unless their URIs
		// say otherwise.
		diffOpts.BaseRoot, diffOpts.HeadRoot = c.revs.Dir(), c.revs.Dir()
	}
	for i, log := range logs {
		if c.files[i] == nil {
			continue
		}
		side := diff.Side(i)
		lh, err := diff.AddLineHashes(ctx, log, c.files[i], c.files[i].Dir())
		found[i] = lh.Checkout.Root
		reportCheckout(cmd, c.flags[i], side, lh)
		if err != nil {
			return nil, cmd.Errorf(cli.ExitUsage, "%s: %v", c.flags[i], err)
		}
		st := lh.Stats
		cmd.Infof("%s: %d fingerprints added to %s results, %d kept, %d results without a file in the checkout (%d files not found)",
			c.flags[i], st.Added, side, st.Kept, st.Skipped, st.MissingFiles)
	}
	diffOpts.ScannedIn(found[0], found[1])
	if c.files[0] != nil && c.files[1] != nil {
		// Both checkouts at hand: their line diff is the evidence.
		diffOpts.BaseFiles, diffOpts.HeadFiles = c.files[0], c.files[1]
	}
	return diffOpts, cli.ExitOK
}

// warnRefused says what the checkouts' files refused, once for each (not
// once per file).
func (c *code) warnRefused(cmd *cli.Command) {
	for i, f := range c.files {
		if f != nil && f.Refused().Total() > 0 {
			cmd.Warnf("%s: %s", c.flags[i], f.Refused())
		}
	}
}

// readLogs reads both logs at once: on two cores this halves the wait.
// Their results stay on disk: the comparison holds what matching needs
// of each, and the SARIF output reads the rest back as it is written.
// The logs read are returned whatever the code, for the caller to close.
func readLogs(ctx context.Context, cmd *cli.Command, opts *Options) ([2]*sarif.Log, int) {
	type read struct {
		log *sarif.Log
		err error
	}
	results := [2]chan read{make(chan read, 1), make(chan read, 1)}
	for i, name := range []string{opts.Base, opts.Head} {
		go func() {
			l, err := cmd.ReadLog(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
			results[i] <- read{l, err}
		}()
	}
	base, head := <-results[0], <-results[1]
	logs := [2]*sarif.Log{base.log, head.log}
	for _, r := range []read{base, head} {
		if r.err != nil {
			return logs, cmd.Errorf(cli.ExitUsage, "%v", r.err)
		}
	}
	return logs, cli.ExitOK
}

// reportCheckout says where side's log was found to have been scanned
// (see [sarif.FindCheckout]), when it is not where the flag said, and
// warns when none of the files the log names is at hand: the comparison
// then reads the logs alone.
func reportCheckout(cmd *cli.Command, flag string, side diff.Side, lh diff.LineHashes) {
	c := lh.Checkout
	if c.Files > 0 && c.Found == 0 {
		cmd.Warnf("%s: none of the %d files %s's results name is in %s: %s's results are compared without their code", flag, c.Files, side, lh.Where, side)
	}
	if c.Root == "" || c.From == "given" {
		return
	}
	from := "inferred from the paths of its files"
	if c.From != "inferred" {
		from = "as its " + c.From + " says"
	}
	cmd.Infof("%s: %s's absolute URIs are relative to %s (%s): %d of its %d files are in %s",
		flag, side, strings.TrimSuffix(c.Root, "/"), from, c.Found, c.Files, lh.Where)
}

// writeReports writes the report in opts.Format, then the summary line
// (unless the report is the text on standard output), the markdown
// summary and the step outputs.
func writeReports(ctx context.Context, opts *Options, d *diff.Diff, head *sarif.Log, verdict *diff.Verdict) int {
	cmd := opts.cmd
	write := func(w io.Writer) error {
		switch opts.Format {
		case "json":
			return diff.WriteJSON(w, d, verdict)
		case "sarif":
			if err := diff.Annotate(ctx, d, head); err != nil {
				return err
			}
			wo := &sarif.WriteOptions{}
			if opts.Indent {
				wo.Indent = "  "
			}
			return head.Write(w, wo)
		case "markdown":
			return report.WriteComparisonMarkdown(w, d, &report.ComparisonMarkdownOptions{MaxRows: opts.MaxRows})
		case "github":
			hidden, err := report.WriteComparisonAnnotations(w, d, verdict)
			if hidden > 0 {
				cmd.Infof("GitHub shows %d annotations of each kind per step: %d of these will not be displayed (the most severe come first; the step summary lists them)",
					report.GitHubAnnotationsPerKind, hidden)
			}
			return err
		}
		return report.WriteComparisonText(w, d, &report.ComparisonTextOptions{Explain: opts.Explain})
	}
	if err := cmd.WriteOutput(ctx, opts.Output, opts.Gzip, write); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	if opts.Format != "text" || !cli.IsStdio(opts.Output) {
		cmd.Infof("%s", diff.Summarize(d))
	}
	if opts.MarkdownSummary != "" {
		if err := appendTo(opts.MarkdownSummary, func(w io.Writer) error {
			return report.WriteComparisonMarkdown(w, d, &report.ComparisonMarkdownOptions{MaxRows: opts.MaxRows})
		}); err != nil {
			return cmd.Errorf(cli.ExitUsage, "--markdown-summary: %v", err)
		}
	}
	if opts.GitHubOutput != "" {
		if err := appendTo(opts.GitHubOutput, func(w io.Writer) error { return report.WriteComparisonOutputs(w, d) }); err != nil {
			return cmd.Errorf(cli.ExitUsage, "--github-output: %v", err)
		}
	}
	return cli.ExitOK
}

// appendTo appends what write writes to the named file (a GitHub Actions
// file such as $GITHUB_STEP_SUMMARY), creating it when needed.
func appendTo(name string, write func(io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// flagError says a *diff.GateError by the flag that set the field:
// "min-level must be error, warning or note, not \"x\"".
func flagError(err error) error {
	var ge *diff.GateError
	if !errors.As(err, &ge) {
		return err
	}
	flag := map[string]string{"FailOn": "fail-on", "MinLevel": "min-level", "MinSecuritySeverity": "min-security-severity"}[ge.Setting]
	if flag == "" {
		return err
	}
	return fmt.Errorf("%s must be %s, not %q", flag, ge.Want, ge.Value)
}

// describeGate says what the gate counts: "new, at level error or above".
func describeGate(g *diff.Gate) string {
	var parts []string
	switch g.FailOn {
	case diff.FailOnNew:
		parts = append(parts, "new")
	case diff.FailOnUpdated:
		parts = append(parts, "new or updated")
	default:
		parts = append(parts, "in head")
	}
	if g.MinLevel != "" {
		parts = append(parts, "at level "+string(g.MinLevel)+" or above")
	}
	if g.MinSecuritySeverity != "" {
		parts = append(parts, "with security severity "+string(g.MinSecuritySeverity)+" or above")
	}
	if g.ChangedFiles != nil {
		parts = append(parts, fmt.Sprintf("in the %d changed files", len(g.ChangedFiles)))
	}
	return strings.Join(parts, ", ")
}

// maxChangedFiles bounds the list of --only-changed-files: far more than
// the paths of any change, while a device or an endless pipe given there
// cannot fill memory.
const maxChangedFiles = 64 << 20

// readLines reads the non-blank lines of a file, a pipe (<(git diff
// --name-only)) or a FIFO, at most maxChangedFiles bytes of it; opening and
// reading end when ctx does.
func readLines(ctx context.Context, name string) ([]string, error) {
	f, err := ctxio.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lines := []string{}
	in := &io.LimitedReader{R: ctxio.FileReader(ctx, f), N: maxChangedFiles + 1}
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	switch {
	case errors.Is(sc.Err(), bufio.ErrTooLong):
		return nil, fmt.Errorf("%s: a line of more than 1 MiB: not a list of paths", name)
	case in.N == 0:
		return nil, fmt.Errorf("%s: more than %d MiB of paths", name, maxChangedFiles>>20)
	}
	return lines, sc.Err()
}
