// Command sarif-validate checks SARIF 2.1.0 logs against the SARIF schema,
// for broken references between their parts and, with --github, against
// the limits and rules of GitHub code scanning's upload.
package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sarifkit/sarifkit/internal/cli"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

const usage = `Usage: sarif-validate [flags] FILE...

Checks SARIF 2.1.0 logs. FILE may be "-" for standard input; gzip-compressed
files are recognised and decompressed. Each log is checked against the OASIS
SARIF 2.1.0 errata01 JSON schema (findings "schema/<keyword>"), for references
by index that are out of range or disagree with the ids beside them ("ref/..."),
and, with --github, against GitHub code scanning's upload limits and rules
("github/...").

A string that breaks its schema format (a URI that is not RFC 3986, such as a
Windows path, or a date-time that is not RFC 3339) is a warning, "schema/format";
--strict makes it an error. With --github it is what GitHub's upload action makes
of it: a warning for URIs, an error for date-times (--strict still wins).

Output (text): one line per finding,
    FILE:JSON-POINTER: [warning: ]ID: MESSAGE
and a summary on standard error. Input that cannot be read as JSON is reported
on standard error as FILE:LINE:COLUMN: invalid JSON: ...

Exit status:
    0  every log is valid (warnings allowed)
    1  some log has a finding of severity error
    2  usage error, or a file that cannot be read or is not JSON

Example:
    sarif-validate --github --checkout-uri file:///home/runner/work/app/app results.sarif
    results.sarif:/runs/0/results/7/level: schema/enum: "critical" is not allowed: value must be one of "none", "note", "warning", "error"

Flags:
`

func main() { cli.Main(run) }

// fileReport is one file's entry in --format json.
type fileReport struct {
	File     string           `json:"file"`
	Valid    bool             `json:"valid"`
	Error    string           `json:"error,omitempty"`
	Findings []schema.Finding `json:"findings"`
}

func run(ctx context.Context, ios *cli.IO, args []string) int {
	stdout, stderr := ios.Out, ios.Err
	cmd := cli.New("sarif-validate", usage, ios)
	fs := cmd.Flags
	github := fs.Bool("github", false, "also check GitHub code scanning's upload limits and rules")
	checkout := fs.String("checkout-uri", "", "file:// URI of the checkout root, to check absolute file URIs (with --github)")
	strict := fs.Bool("strict", false, "report strings that break their schema format (uri, uri-reference, date-time) as errors, not warnings")
	format := fs.String("format", "text", "output format: text or json")
	maxSize := fs.Int64("max-decompressed-size", sarif.DefaultMaxDecompressedSize, "cap in bytes on what a gzip input may decompress to")
	if code, done := cmd.Parse(args); done {
		return code
	}
	if *format != "text" && *format != "json" {
		return cmd.Fail("--format must be text or json, not %q", *format)
	}
	if fs.NArg() == 0 {
		return cmd.Fail("no FILE given (use - for standard input); see --help")
	}
	v, err := schema.New(&schema.Options{
		GitHub:      *github,
		Strict:      *strict,
		CheckoutURI: *checkout,
		Read:        &sarif.ReadOptions{MaxDecompressedSize: *maxSize},
	})
	if err != nil {
		return cmd.Fail("%v", err)
	}

	code := cli.ExitOK
	var reports []fileReport
	errs, warns, invalid := 0, 0, 0
	for _, name := range fs.Args() {
		findings, err := v.ValidateFile(ctx, name)
		rep := fileReport{File: name, Findings: findings}
		if rep.Findings == nil {
			rep.Findings = []schema.Finding{}
		}
		switch {
		case err != nil:
			rep.Error = err.Error()
			invalid++
			code = cli.ExitUsage
			if *format == "text" {
				fmt.Fprintln(stderr, err)
			}
		case schema.HasErrors(findings):
			invalid++
			code = max(code, cli.ExitFailed)
		default:
			rep.Valid = true
		}
		for _, f := range findings {
			if f.Severity == schema.Error {
				errs++
			} else {
				warns++
			}
			if *format == "text" {
				fmt.Fprintln(stdout, f)
			}
		}
		reports = append(reports, rep)
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "sarif-validate: interrupted")
			return cli.ExitUsage
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		out := struct {
			Valid bool         `json:"valid"`
			Files []fileReport `json:"files"`
		}{code == cli.ExitOK, reports}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "sarif-validate:", err)
			return cli.ExitUsage
		}
		return code
	}
	fmt.Fprintf(stderr, "%d file(s) checked, %d invalid: %d error(s), %d warning(s)\n", len(reports), invalid, errs, warns)
	return code
}
