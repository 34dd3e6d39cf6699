// Package reportcmd is the command sarif-report (sarifkit report), which renders SARIF logs for people: a terminal summary,
// a self-contained HTML page, CSV, JUnit XML, or GitLab Code Quality JSON.
package reportcmd

import (
	"context"
	"fmt"
	"io"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/report"
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
               unsuppressed result, with a fingerprint stable across runs)

Where the logs have them, every format shows the baselineState written by
sarif-diff --format sarif (new, absent, updated, unchanged), suppressions
(counted apart) and the github/alertUrl of logs fetched by sarif-fetch.

The report goes to standard output, or atomically to -o FILE (.gz compresses);
notes go to standard error.

Exit status:
  0  the report was written
  2  usage error, or an input that cannot be read as SARIF 2.1.0

Examples:
  sarif-report results.sarif
  sarif-report --format html --source-root . -o report.html results.sarif
  sarif-report --format junit -o junit.xml gosec.sarif eslint.sarif
  sarif-report --format codeclimate -o gl-code-quality-report.json results.sarif

Flags:
`

// Name is the command's own program name.
const Name = "sarif-report"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "report", Summary: "render logs as a summary, HTML, CSV, JUnit or Code Quality",
		Run: func(ctx context.Context, ios *cli.IO, prog string, args []string) int {
			return Run(ctx, ios, args) // TODO(one house): NewCmd(ios, prog, nil).Exec(ctx, args)
		}}
}

// Run runs report with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	cmd := cli.New("sarif-report", usage, ios)
	cmd.ReadLimitFlags()
	fs := cmd.Flags
	format := fs.String("format", "summary", "report `FORMAT`: summary, html, csv, junit or codeclimate")
	output := fs.StringP("output", "o", "", "write the report to `FILE` (atomically; a name ending in .gz is gzip-compressed) instead of standard output")
	sourceRoot := fs.String("source-root", "", "the checkout the logs were made in, a `DIR`: paths are shown relative to it; html shows the code around each result, codeclimate fingerprints results by their line's text")
	title := fs.String("title", "", "the report's `TEXT` title (default: SARIF report)")
	top := fs.Int("top", 20, "with --format summary: list the `N` rules and files with the most results")
	if code, done := cmd.Parse(args); done {
		return code
	}
	switch *format {
	case "summary", "html", "csv", "junit", "codeclimate":
	default:
		return cmd.Fail("--format must be summary, html, csv, junit or codeclimate, not %q", *format)
	}
	if cmd.Set("top") && *format != "summary" {
		return cmd.Fail("--top applies to --format summary only")
	}
	if *top < 1 {
		return cmd.Fail("--top must be at least 1, not %d", *top)
	}
	if cmd.Set("title") && (*format == "csv" || *format == "codeclimate") {
		return cmd.Fail("--title does not apply to --format %s, which has no title", *format)
	}
	if fs.NArg() == 0 {
		return cmd.Fail("no FILE given (use - for standard input)")
	}
	stdin := 0
	for _, a := range fs.Args() {
		if a == cli.Stdin {
			stdin++
		}
	}
	if stdin > 1 {
		return cmd.Fail("standard input can be read once: give - once")
	}
	if err := cmd.CheckOutput(*output); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	opts := &report.Options{Title: *title}
	var source *checkout.FS
	if *sourceRoot != "" {
		root, err := cli.ParseSourceRoot(*sourceRoot)
		if err != nil {
			return cmd.Fail("--source-root: %v", err)
		}
		opts.SourceRoot = root.URI
		// Only the HTML page and the Code Quality fingerprints read the
		// checkout's files.
		if root.Dir != "" && (*format == "html" || *format == "codeclimate") {
			if source, err = root.Files("--source-root"); err != nil {
				return cmd.Fail("--source-root: %v", err)
			}
			defer source.Close()
			opts.Source = source
		}
	}
	var inputs []sarif.Input
	for _, name := range fs.Args() {
		l, err := cmd.ReadLog(ctx, name, nil)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		display := name
		if name == cli.Stdin {
			display = cli.StdinName
		}
		inputs = append(inputs, sarif.Input{Name: display, Log: l})
	}
	rep, err := report.Collect(ctx, inputs, opts)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	for _, in := range inputs {
		cmd.WarnLenient(in.Name, in.Log)
	}
	var left int
	write := func(w io.Writer) error {
		switch *format {
		case "summary":
			color := ios.OutTerminal && cli.IsStdio(*output) && ios.Getenv("NO_COLOR") == "" && ios.Getenv("TERM") != "dumb"
			return report.WriteSummary(w, rep, &report.SummaryOptions{Color: color, Top: *top})
		case "html":
			return report.WriteHTML(w, rep)
		case "csv":
			return report.WriteCSV(w, rep)
		case "junit":
			return report.WriteJUnit(w, rep)
		default:
			var err error
			left, err = report.WriteCodeClimate(w, rep)
			return err
		}
	}
	if err := cmd.WriteOutput(ctx, *output, false, write); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	t := rep.Totals()
	if *format != "summary" || !cli.IsStdio(*output) {
		levels := report.ByLevel(t.ByLevel)
		if levels == "" {
			levels = "none"
		}
		msg := fmt.Sprintf("%d results (%s)", t.Results, levels)
		if t.Suppressed > 0 {
			msg += fmt.Sprintf(", %d suppressed", t.Suppressed)
		}
		if n := t.Baseline[report.BaselineAbsent]; n > 0 {
			msg += fmt.Sprintf(", %d absent", n)
		}
		if left > 0 {
			msg += fmt.Sprintf("; %d absent or suppressed left out of the Code Quality report", left)
		}
		if source != nil && source.Refused().Total() > 0 {
			msg += fmt.Sprintf("; --source-root: %s", source.Refused())
		}
		cmd.Infof("%s", msg)
	}
	return cli.ExitOK
}
