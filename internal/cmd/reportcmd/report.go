// Package reportcmd is the command sarif-report (sarifkit report), which renders SARIF logs for people: a terminal summary,
// a self-contained HTML page, CSV, JUnit XML, GitLab Code Quality JSON, or a GitLab SAST security report.
package reportcmd

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	reportpkg "github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

const usage = `Usage: sarif-report [flags] FILE...

Renders the results of SARIF 2.1.0 logs (FILE may be "-" for standard input;
gzip-compressed files are recognised) in one of these formats (--format):

  summary      counts by level, tool, rule (top 20) and file (top 20), aligned
               for a terminal; coloured on a terminal unless NO_COLOR is set
  html         one self-contained page (nothing fetched from the network): the
               counts, then every result with its rule's help on demand, the
               source around it with --source-root, filters by level, tool,
               rule, file and baseline state, in pages of 100
  csv          one row per result: tool, rule, level, security_severity,
               baseline_state, suppressed, file, line, column, message,
               fingerprint, alert_url (RFC 4180, a record a line: control
               characters are escaped, a line break as \n; cells a
               spreadsheet would read as a formula are prefixed with ')
  junit        JUnit XML for Jenkins and GitLab: a test suite per tool and rule,
               a failing test case per result at error or warning level; notes
               and suppressed results are skipped test cases, absent ones pass
  codeclimate  GitLab Code Quality JSON (a Code Climate issue per current,
               unsuppressed result, with a fingerprint stable across runs;
               results of kind pass or notApplicable are left out, counted)
  gitlab-sast  a GitLab security report of type SAST (schema 15.2.1), for
               artifacts:reports:sast: a vulnerability per current result,
               skipping those GitLab's SARIF ingestion skips as suppressed
               and those of kind pass or notApplicable (counted);
               its severity from the rule's security-severity, else the
               result's, else the level (error High, warning Medium, note
               Low); its id a UUID stable across runs; a result without a
               file keeps an empty location (counted); scan times from the
               logs' invocations, else now (or SOURCE_DATE_EPOCH). Files
               are shown relative to --source-root, which defaults to
               $CI_PROJECT_DIR in GitLab CI; results whose file stays
               absolute, out of the checkout (../) or not a file: URI are
               counted on standard error

Where the logs have them, every format shows the baselineState written by
sarif-diff --format sarif (new, absent, updated, unchanged), suppressions
(counted apart) and the github/alertUrl of logs fetched by sarif-fetch.
codeclimate and gitlab-sast keep what the scanned code has (new, unchanged,
updated) and leave absent results out: GitLab compares a merge request's
report with its target branch's itself.

The report goes to standard output, or atomically to -o FILE (.gz compresses);
notes go to standard error.

--source-root is the checkout the logs were made in: a directory here, or,
for a checkout on another machine (the scanner's container), a file: URI of
its path there, such as file:///src/app/ (a plain path must exist here).

Exit status:
  0  the report was written
  2  usage error, or an input that cannot be read as SARIF 2.1.0

Examples:
  sarif-report results.sarif
  sarif-report --format html --source-root . -o report.html results.sarif
  sarif-report --format junit -o junit.xml gosec.sarif eslint.sarif
  sarif-report --format codeclimate -o gl-code-quality-report.json results.sarif
  sarif-report --format gitlab-sast --source-root . -o gl-sast-report.json results.sarif

Flags:
`

// Name is the command's own program name.
const Name = "sarif-report"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "report", Summary: "render logs as a summary, HTML, CSV, JUnit, Code Quality or GitLab SAST",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run renders and how, as the flags set them.
type Options struct {
	IO    *cli.IO
	Files []string // "-" is standard input
	// Format is summary, html, csv, junit, codeclimate or gitlab-sast
	// (--format).
	Format string
	Output string // -o: a file, or "" for standard output
	// SourceRoot is the checkout the logs were made in (--source-root):
	// a directory or file:// URI.
	SourceRoot string
	Title      string // --title
	Top        int    // --top: rules and files the summary lists
	// Read are the limits of --max-decompressed-size and
	// --max-value-size, which ReadLog applies.
	Read *sarif.ReadOptions

	cmd *cli.Command // messages
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs report, or
// runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	opts := &Options{IO: ios, cmd: cmd}
	opts.Read = cmd.ReadLimitFlags()
	fs := cmd.Flags
	fs.StringVar(&opts.Format, "format", "summary", "report `FORMAT`: summary, html, csv, junit, codeclimate or gitlab-sast")
	fs.StringVarP(&opts.Output, "output", "o", "", "write the report to `FILE` (atomically; a name ending in .gz is gzip-compressed) instead of standard output")
	fs.StringVar(&opts.SourceRoot, "source-root", "", "the checkout the logs were made in, a `DIR` (file:///PATH for one not on this machine): paths are shown relative to it; html shows the code around each result, codeclimate fingerprints results by their line's text; gitlab-sast defaults to $CI_PROJECT_DIR")
	fs.StringVar(&opts.Title, "title", "", "the report's `TEXT` title (default: SARIF report)")
	fs.IntVar(&opts.Top, "top", 20, "with --format summary: list the `N` rules and files with the most results")
	cmd.Run = func(ctx context.Context, args []string) int {
		switch opts.Format {
		case "summary", "html", "csv", "junit", "codeclimate", "gitlab-sast":
		default:
			return cmd.Fail("--format must be summary, html, csv, junit, codeclimate or gitlab-sast, not %q", opts.Format)
		}
		if cmd.Set("top") && opts.Format != "summary" {
			return cmd.Fail("--top applies to --format summary only")
		}
		if opts.Top < 1 {
			return cmd.Fail("--top must be at least 1, not %d", opts.Top)
		}
		if cmd.Set("title") && (opts.Format == "csv" || opts.Format == "codeclimate" || opts.Format == "gitlab-sast") {
			return cmd.Fail("--title does not apply to --format %s, which has no title", opts.Format)
		}
		if len(args) == 0 {
			return cmd.Fail("no FILE given (use - for standard input)")
		}
		if cli.StdinTwice(args...) {
			return cmd.Fail("standard input can be read once: give - once")
		}
		opts.Files = args
		if runF != nil {
			return runF(ctx, opts)
		}
		return report(ctx, opts)
	}
	return cmd
}

// Run runs sarif-report with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// report reads opts.Files, their results left on disk, and writes them
// in opts.Format; the counts go to standard error unless the summary
// went to standard output.
func report(ctx context.Context, opts *Options) int {
	cmd, ios := opts.cmd, opts.IO
	if err := cmd.CheckOutput(opts.Output); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	ropts := &reportpkg.Options{Title: opts.Title}
	if opts.Format == "gitlab-sast" {
		// The time a report is made, for logs that do not say when
		// they were: SOURCE_DATE_EPOCH, as reproducible builds set it.
		if v := ios.Getenv("SOURCE_DATE_EPOCH"); v != "" {
			sec, err := strconv.ParseInt(v, 10, 64)
			if err != nil || sec < 0 || sec > 253402300799 {
				return cmd.Fail("SOURCE_DATE_EPOCH must be a number of seconds since 1970, not %q", v)
			}
			ropts.Now = time.Unix(sec, 0).UTC()
		}
	}
	var source *checkout.FS
	if dir := ios.Getenv("CI_PROJECT_DIR"); opts.Format == "gitlab-sast" && opts.SourceRoot == "" && dir != "" {
		// GitLab CI's checkout (its builds directory differs between
		// runners): the files relative to it, as GitLab wants them.
		if !filepath.IsAbs(dir) {
			return cmd.Fail("CI_PROJECT_DIR must be an absolute path, not %q (or give --source-root)", dir)
		}
		uri, err := sarif.FileURI(dir)
		if err != nil {
			return cmd.Fail("CI_PROJECT_DIR: %v", err)
		}
		ropts.SourceRoot = uri
	}
	if opts.SourceRoot != "" {
		root, err := cli.ParseSourceRoot(opts.SourceRoot)
		if err != nil {
			return cmd.Fail("--source-root: %v", err)
		}
		ropts.SourceRoot = root.URI
		// Only the HTML page and the Code Quality fingerprints read the
		// checkout's files.
		if root.Dir != "" && (opts.Format == "html" || opts.Format == "codeclimate") {
			if source, err = root.Files("--source-root"); err != nil {
				return cmd.Fail("--source-root: %v", err)
			}
			defer source.Close()
			ropts.Source = source
		}
	}
	// The results stay on disk: each format reads them again as it
	// writes them.
	var inputs []sarif.Input
	for _, name := range opts.Files {
		l, err := cmd.ReadLog(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		defer l.Close()
		display := name
		if name == cli.Stdin {
			display = cli.StdinName
		}
		inputs = append(inputs, sarif.Input{Name: display, Log: l})
	}
	var t reportpkg.Totals
	var sast reportpkg.GitLabSASTTotals
	// What readers of the results passed over is said before the report
	// (on a terminal, standard error above it): the format has read
	// every result once when it writes its first byte.
	warned := false
	warn := func() {
		if !warned {
			warned = true
			for _, in := range inputs {
				cmd.WarnLenient(in.Name, in.Log)
			}
		}
	}
	write := func(w io.Writer) error {
		w = &firstWrite{w: w, before: warn}
		var err error
		switch opts.Format {
		case "summary":
			color := ios.OutTerminal && cli.IsStdio(opts.Output) && ios.Getenv("NO_COLOR") == "" && ios.Getenv("TERM") != "dumb"
			t, err = reportpkg.WriteSummary(ctx, w, inputs, &reportpkg.SummaryOptions{Options: *ropts, Color: color, Top: opts.Top})
		case "html":
			t, err = reportpkg.WriteHTML(ctx, w, inputs, ropts)
		case "csv":
			t, err = reportpkg.WriteCSV(ctx, w, inputs, ropts)
		case "junit":
			t, err = reportpkg.WriteJUnit(ctx, w, inputs, ropts)
		case "gitlab-sast":
			sast, err = reportpkg.WriteGitLabSAST(ctx, w, inputs, ropts)
			t = sast.Totals
		default:
			t, err = reportpkg.WriteCodeClimate(ctx, w, inputs, ropts)
		}
		return err
	}
	if err := cmd.WriteOutput(ctx, opts.Output, false, write); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	warn()
	if opts.Format != "summary" || !cli.IsStdio(opts.Output) {
		levels := t.ByLevel.String()
		if levels == "" {
			levels = "none"
		}
		msg := fmt.Sprintf("%d %s (%s)", t.Results, plural(t.Results, "result"), levels)
		if t.Suppressed > 0 {
			msg += fmt.Sprintf(", %d suppressed", t.Suppressed)
		}
		if n := t.Baseline[reportpkg.BaselineAbsent]; n > 0 {
			msg += fmt.Sprintf(", %d absent", n)
		}
		if left := t.Findings - t.Results - t.NotProblems; left > 0 && opts.Format == "codeclimate" {
			msg += fmt.Sprintf("; %d absent or suppressed left out of the Code Quality report", left)
		}
		if opts.Format == "gitlab-sast" {
			if left := t.Findings - t.Results - t.NotProblems; left > 0 {
				msg += fmt.Sprintf("; %d absent or suppressed left out of the SAST report", left)
			}
		}
		if t.NotProblems > 0 {
			msg += fmt.Sprintf("; %d passing or not-applicable %s left out", t.NotProblems, plural(t.NotProblems, "result"))
		}
		if opts.Format == "gitlab-sast" {
			if sast.NoFile > 0 {
				msg += fmt.Sprintf("; %d without a file (their location is empty)", sast.NoFile)
			}
			if sast.Outside > 0 {
				msg += fmt.Sprintf("; %d with a file not under the checkout, such as %s (absolute, ../ or not a file: URI: give --source-root, the checkout's path where the tool ran, e.g. file:///src/app/)", sast.Outside, sast.FirstOutside)
			}
			if sast.BadTimes > 0 {
				msg += fmt.Sprintf("; %d invocation times ignored (not RFC 3339, or a year GitLab cannot hold)", sast.BadTimes)
			}
			if sast.Truncated > 0 {
				msg += fmt.Sprintf("; %d names, descriptions or identifiers cut to GitLab's limits", sast.Truncated)
			}
		}
		if source != nil && source.Refused().Total() > 0 {
			msg += fmt.Sprintf("; --source-root: %s", source.Refused())
		}
		cmd.Infof("%s", msg)
	}
	return cli.ExitOK
}

// plural is noun for n things: with an "s" unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// firstWrite is a writer that calls before once, when it is first
// written to.
type firstWrite struct {
	w      io.Writer
	before func()
}

func (f *firstWrite) Write(p []byte) (int, error) {
	if f.before != nil {
		f.before()
		f.before = nil
	}
	return f.w.Write(p)
}
