// Command sarif-upload uploads a SARIF log to GitHub code scanning, after
// checking that GitHub would accept it.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cli"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

const usage = `Usage: sarif-upload [-R OWNER/NAME] [--ref REF] [--commit SHA] [flags] FILE

Uploads a SARIF log (FILE, or "-" for standard input; gzip is recognised) to
GitHub code scanning, gzip-compressed and base64-encoded as the API wants.
Before sending anything it validates the log against the SARIF schema and
GitHub's upload limits, and refuses it, listing the findings, when GitHub
would reject it. With --wait it polls until GitHub has processed the upload
and fails when processing failed, printing GitHub's errors.

--ref defaults to GITHUB_REF, else the checkout's branch; --commit to
GITHUB_SHA, else the checkout's HEAD. Repository, host and token are read as
for sarif-fetch (-R, GH_REPO, GITHUB_REPOSITORY or the origin remote; GH_HOST,
GITHUB_API_URL; GH_TOKEN, GITHUB_TOKEN or 'gh auth token').

Exit status:
  0  uploaded (and processed, with --wait)
  1  GitHub would reject the log (nothing was sent), or processing failed
  2  usage error, or a log that cannot be read
  3  GitHub or the network failed (after retries)

Example:
  sarif-upload --source-root . --wait merged.sarif

Flags:
`

func main() { cli.Main(run) }

var (
	sha40   = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	refForm = regexp.MustCompile(`^refs/(heads/.+|tags/.+|pull/[0-9]+/(merge|head))$`)
)

func run(ctx context.Context, ios *cli.IO, args []string) int {
	cmd := cli.New("sarif-upload", usage, ios)
	fs := cmd.Flags
	gh := cmd.GitHubFlags()
	ref := fs.String("ref", "", "git `REF` the analysis is for: refs/heads/BRANCH or refs/pull/N/merge (default $GITHUB_REF, else the checkout's branch)")
	commit := fs.String("commit", "", "40-hex commit `SHA` the analysis is for (default $GITHUB_SHA, else the checkout's HEAD)")
	sourceRoot := fs.String("source-root", "", "checkout root, a `DIR` or file:// URI: sent as checkout_uri, and absolute file URIs outside it are errors")
	tool := fs.String("tool", "", "tool `NAME` GitHub shows for the analysis")
	validateOnly := fs.Bool("validate", false, "ask GitHub to validate the log without processing it")
	wait := fs.Bool("wait", false, "wait until GitHub has processed the upload")
	waitTimeout := fs.Duration("wait-timeout", 10*time.Minute, "with --wait, give up after `DURATION`")
	poll := fs.Duration("poll-interval", 5*time.Second, "with --wait, `DURATION` between status checks")
	if code, done := cmd.Parse(args); done {
		return code
	}
	if fs.NArg() != 1 {
		return cmd.Fail("want one FILE (or - for standard input)")
	}
	for _, f := range []string{"wait-timeout", "poll-interval"} {
		if err := cmd.Requires(f, "wait"); err != nil {
			return cmd.Fail("%v", err)
		}
	}
	// What needs no network comes first: the ref, the commit, the file.
	if *ref == "" {
		*ref = ios.Getenv("GITHUB_REF")
	}
	if *commit == "" {
		*commit = ios.Getenv("GITHUB_SHA")
	}
	if *ref == "" || *commit == "" {
		r, c, err := cmd.Checkout(ctx)
		if err != nil {
			return cmd.Fail("give --ref and --commit (or set GITHUB_REF and GITHUB_SHA): %v", err)
		}
		if *ref == "" {
			*ref = r
		}
		if *commit == "" {
			*commit = c
		}
	}
	if !refForm.MatchString(*ref) {
		return cmd.Fail("--ref %q is not refs/heads/BRANCH, refs/tags/TAG or refs/pull/N/merge", *ref)
	}
	if !sha40.MatchString(*commit) {
		return cmd.Fail("--commit %q is not a 40-hex commit SHA", *commit)
	}
	var root cli.SourceRoot
	if *sourceRoot != "" {
		var err error
		if root, err = cli.ParseSourceRoot(*sourceRoot); err != nil {
			return cmd.Fail("--source-root: %v", err)
		}
	}
	name := fs.Arg(0)
	data, err := readInput(ios, name)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	display := name
	if name == cli.Stdin {
		display = cli.StdinName
	}
	v, err := schema.New(&schema.Options{GitHub: true, CheckoutURI: root.URI})
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	findings, err := v.ValidateBytes(ctx, data, display)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	for _, f := range findings {
		if f.ID == "json/duplicate-name" { // unreadable, as every command but sarif-validate says
			return cmd.Errorf(cli.ExitUsage, "%s", f)
		}
	}
	for _, g := range schema.Groups(findings) {
		fmt.Fprintln(ios.Err, g)
	}
	if schema.HasErrors(findings) {
		return cmd.Errorf(cli.ExitFailed, "not uploaded: GitHub would reject %s (findings above)", display)
	}
	log, err := sarif.Read(ctx, bytes.NewReader(data), display, nil)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}

	repo, client, err := gh.Connect(ctx)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	p := cmd.NewProgress("uploading to "+repo.String(), 0)
	p.Begin()
	up, err := client.UploadSARIF(ctx, repo.Owner, repo.Name, log, fetch.UploadOptions{
		CommitSHA: *commit, Ref: *ref, CheckoutURI: root.URI, StartedAt: time.Now(), ToolName: *tool, Validate: *validateOnly,
	})
	p.Done()
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	fmt.Fprintf(ios.Out, "uploaded: %s\nstatus: %s\n", up.ID, up.URL)
	if !*wait {
		fmt.Fprintf(ios.Out, "code scanning: %s/security/code-scanning\n", repo.WebURL())
		return cli.ExitOK
	}
	wctx, cancel := context.WithTimeout(ctx, *waitTimeout)
	defer cancel()
	p = cmd.NewProgress("waiting for GitHub to process "+up.ID, 0)
	p.Begin()
	st, err := client.WaitForUpload(wctx, repo.Owner, repo.Name, up.ID, *poll)
	p.Done()
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	fmt.Fprintf(ios.Out, "processing: %s\n", st.ProcessingStatus)
	if st.ProcessingStatus == "failed" {
		for _, e := range st.Errors {
			cmd.Infof("GitHub: %s", e)
		}
		return cli.ExitFailed
	}
	if st.AnalysesURL != "" {
		fmt.Fprintf(ios.Out, "analyses: %s\n", st.AnalysesURL)
	}
	fmt.Fprintf(ios.Out, "code scanning: %s/security/code-scanning\n", repo.WebURL())
	return cli.ExitOK
}

// readInput reads the whole log once, as it is (gzip-compressed or not):
// from standard input for "-".
func readInput(ios *cli.IO, name string) ([]byte, error) {
	if name == cli.Stdin {
		data, err := io.ReadAll(ios.In)
		if err != nil {
			return nil, &sarif.InputError{File: cli.StdinName, Err: err}
		}
		return data, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, &sarif.InputError{File: name, Err: err}
	}
	return data, nil
}
