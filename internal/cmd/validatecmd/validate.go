// Package validatecmd is the command sarif-validate (sarifkit validate), which checks SARIF 2.1.0 logs against the SARIF schema,
// for broken references between their parts and, with --check-github,
// against the limits and rules of GitHub code scanning's upload; with
// --check-gitlab, for what GitLab's SARIF ingestion would drop or refuse.
package validatecmd

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

const usage = `Usage: sarif-validate [flags] FILE...

Checks SARIF 2.1.0 logs. FILE may be "-" for standard input; gzip-compressed
files are recognised and decompressed. Each log is checked against the OASIS
SARIF 2.1.0 errata01 JSON schema (findings "schema/<keyword>"), for references
by index that are out of range or disagree with the ids beside them ("ref/..."),
with --check-github, against GitHub code scanning's upload limits and rules
("github/..."), and, with --check-gitlab, for what GitLab's SARIF ingestion
(artifacts:reports:sarif) would drop or refuse ("gitlab/..."). Both may be
given: each profile adds its findings. A log of another SARIF version gets that
one finding. JSON that is no SARIF log at all (not an object, or an object with
no "runs" that names neither version 2.1.0 nor a SARIF $schema: a package.json)
is unreadable input.

The region findings and the reference mismatches ("ref/...-mismatch") are
errors of the standard that GitHub's upload accepts, and say so. With a check
of a consumer on, its verdict decides: a finding of the standard that every
consumer checked accepts (GitHub: those; GitLab, which follows no reference:
every "ref/..." and "region/..." finding) is a warning that says which accept
it; one that a consumer checked does not accept stays an error, and says so.

--check-gitlab counts the results GitLab would drop: no ruleId (nor rule.id;
GitLab does not resolve ruleIndex), a message or rule text over GitLab's
length limits, or no physicalLocation in the first location; suppressed results
are skipped, not dropped. Each dropped result counts once, for the first of
these reasons. Up to half dropped is a warning, "gitlab/results-dropped" (GitLab
ingests the rest); more than half is an error, "gitlab/report-fails" (GitLab
fails the report and ingests none of it). GitLab also refuses a report whole
(an error, "gitlab/report-fails", with nothing said of what it would drop) that
breaks the schema (formats included), that has more than 20 runs, or whose
security-severity GitLab cannot read ("gitlab/invalid-security-severity": true,
an array or an object). --source-root applies to --check-github only: GitLab
reads URIs as they are.

A string that breaks its schema format (a URI that is not RFC 3986, such as a
Windows path, or a date-time that is not RFC 3339) is a warning, "schema/format";
--strict makes it an error. With --check-github it is what GitHub's upload action
makes of it: a warning for URIs, an error for date-times (--strict still wins).
With --check-gitlab it is an error: GitLab's schema validation checks formats.

Output (text): one line per finding, on standard output,
    FILE:LINE:COL: JSON-POINTER: [warning: ]ID: MESSAGE
(LINE:COL left out for standard input, which is read once); a finding repeated
on three results or more is one line, "N results: ... (first at POINTER)", with
the result's index written *. A summary goes to standard error; input that
cannot be read as JSON is reported there as FILE:LINE:COL: invalid JSON: ...
--format json lists every finding, with its line and column, for scripts.

Exit status:
    0  every log is valid (warnings allowed)
    1  some log has a finding of severity error (with --check-gitlab: GitLab
       would fail the report)
    2  usage error, or a file that cannot be read, is not JSON, or is JSON but
       no SARIF log

Example:
    sarif-validate --check-github --source-root . results.sarif
    results.sarif:14:18: /runs/0/results/7/level: schema/enum: "critical" is not allowed: value must be one of "none", "note", "warning", "error"

Flags:
`

// fileReport is one file's entry in --format json.
type fileReport struct {
	File     string           `json:"file"`
	Valid    bool             `json:"valid"`
	Error    string           `json:"error,omitempty"`
	Findings []schema.Finding `json:"findings"`
}

// Name is the command's own program name.
const Name = "sarif-validate"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "validate", Summary: "check logs against the SARIF schema, GitHub's upload rules and GitLab's ingestion",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run validates and how, as the flags set them.
type Options struct {
	IO    *cli.IO
	Files []string // "-" is standard input
	// GitHub adds GitHub's upload rules (--check-github), GitLab GitLab's
	// SARIF ingestion (--check-gitlab); Strict makes format findings
	// errors (--strict).
	GitHub, GitLab, Strict bool
	SourceRoot             string // --source-root: a directory or file:// URI
	Format                 string // text or json
	MaxFindings            int    // lines of findings per file in text; 0 for all
	Read                   *sarif.ReadOptions

	cmd *cli.Command // messages
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs validate, or
// runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	opts := &Options{IO: ios, cmd: cmd}
	fs := cmd.Flags
	fs.BoolVar(&opts.GitHub, "check-github", false, "also check GitHub code scanning's upload limits and rules")
	fs.BoolVar(&opts.GitLab, "check-gitlab", false, "also check what GitLab's SARIF ingestion would drop or refuse (exit 1 when it would fail the report)")
	fs.StringVar(&opts.SourceRoot, "source-root", "", "with --check-github: the checkout root, a `DIR` or file:// URI; absolute file URIs outside it are warnings (GitHub keeps them as they are)")
	fs.BoolVar(&opts.Strict, "strict", false, "report strings that break their schema format (uri, uri-reference, date-time) as errors, not warnings")
	fs.StringVar(&opts.Format, "format", "text", "output `FORMAT`: text or json")
	fs.IntVar(&opts.MaxFindings, "max-findings", 0, "with --format text: print at most `N` lines of findings per file (0: all); the summary still counts them all")
	opts.Read = cmd.ReadLimitFlags()
	cmd.Run = func(ctx context.Context, args []string) int {
		if opts.Format != "text" && opts.Format != "json" {
			return cmd.Fail("--format must be text or json, not %q", opts.Format)
		}
		if len(args) == 0 {
			return cmd.Fail("no FILE given (use - for standard input)")
		}
		if err := cmd.Requires("source-root", "check-github"); err != nil {
			return cmd.Fail("%v", err)
		}
		if cmd.Set("max-findings") && opts.Format != "text" {
			return cmd.Fail("--max-findings applies to --format text only")
		}
		opts.Files = args
		if runF != nil {
			return runF(ctx, opts)
		}
		return validate(ctx, opts)
	}
	return cmd
}

// Run runs sarif-validate with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// validate checks opts.Files and prints the findings and a summary.
func validate(ctx context.Context, opts *Options) int {
	cmd, ios := opts.cmd, opts.IO
	var root cli.SourceRoot
	if opts.SourceRoot != "" {
		var err error
		if root, err = cli.ParseSourceRoot(opts.SourceRoot); err != nil {
			return cmd.Fail("--source-root: %v", err)
		}
	}
	var profiles []schema.Profile
	if opts.GitHub {
		profiles = append(profiles, schema.ProfileGitHub)
	}
	if opts.GitLab {
		profiles = append(profiles, schema.ProfileGitLab)
	}
	v, err := schema.New(&schema.Options{Profiles: profiles, Strict: opts.Strict, CheckoutURI: root.URI, Read: opts.Read})
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	validate := func(name string) ([]schema.Finding, error) {
		if name != cli.Stdin {
			return v.ValidateFile(ctx, name)
		}
		return v.ValidateReader(ctx, ios.In, cli.StdinName)
	}

	code := cli.ExitOK
	var reports []fileReport
	errs, warns, invalid := 0, 0, 0
	for _, name := range opts.Files {
		findings, err := validate(name)
		if ctx.Err() != nil {
			return cmd.Errorf(cli.ExitUsage, "interrupted") // err says only that
		}
		rep := fileReport{File: name, Findings: findings}
		if rep.Findings == nil {
			rep.Findings = []schema.Finding{}
		}
		switch {
		case err != nil:
			err = cli.ExplainLimit(err)
			rep.Error = err.Error()
			invalid++
			code = cli.ExitUsage
			if opts.Format == "text" {
				fmt.Fprintln(ios.Err, safetext.Text(err.Error()))
			}
		case schema.HasErrors(findings):
			invalid++
			code = max(code, cli.ExitFailed)
		default:
			rep.Valid = true
		}
		for _, f := range findings {
			if f.Severity == schema.SeverityError {
				errs++
			} else {
				warns++
			}
		}
		if opts.Format == "text" {
			groups := schema.Groups(findings)
			for i, g := range groups {
				if opts.MaxFindings > 0 && i == opts.MaxFindings {
					fmt.Fprintf(ios.Out, "%s: and %d more lines of findings (--max-findings %d)\n", safetext.Text(name), len(groups)-i, opts.MaxFindings)
					break
				}
				fmt.Fprintln(ios.Out, g)
			}
		}
		reports = append(reports, rep)
		if ctx.Err() != nil {
			return cmd.Errorf(cli.ExitUsage, "interrupted")
		}
	}
	if opts.Format == "json" {
		enc := json.NewEncoder(safetext.JSONWriter(ios.Out))
		enc.SetIndent("", "  ")
		out := struct {
			Valid bool         `json:"valid"`
			Files []fileReport `json:"files"`
		}{code == cli.ExitOK, reports}
		if err := enc.Encode(out); err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		return code
	}
	fmt.Fprintf(ios.Err, "%d file(s) checked, %d invalid: %d error(s), %d warning(s)\n", len(reports), invalid, errs, warns)
	return code
}
