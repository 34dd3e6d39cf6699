// Command sarif-upload uploads a SARIF log to GitHub code scanning, after
// checking that GitHub would accept it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cli"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

const usage = `Usage: sarif-upload --repo OWNER/NAME --ref REF --commit SHA [flags] FILE

Uploads a SARIF log to GitHub code scanning (gzip-compressed and base64-encoded,
as the API wants). Before sending anything it validates the log against the
SARIF schema and GitHub's upload limits, and refuses it, listing the
findings, when GitHub would reject it. With --wait it polls until GitHub has
processed the upload and fails when processing failed, printing GitHub's
errors.

Token, repository and API root as for sarif-fetch (GITHUB_TOKEN or GH_TOKEN,
GITHUB_REPOSITORY, GITHUB_API_URL).

Exit status:
  0  uploaded (and processed, with --wait)
  1  GitHub answered with an error, or processing failed
  2  usage error, or a log that is unreadable or that GitHub would reject

Example:
  sarif-upload --repo octo/app --ref refs/heads/main --commit "$(git rev-parse HEAD)" \
      --checkout-uri "file://$PWD" --wait merged.sarif

Flags:
`

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr) })
}

func run(ctx context.Context, args []string, getenv cli.Getenv, stdout, stderr io.Writer) int {
	cmd := cli.New("sarif-upload", usage, stdout, stderr)
	fs := cmd.Flags
	gh := cmd.GitHubFlags()
	ref := fs.String("ref", "", "git ref the analysis is for: refs/heads/BRANCH or refs/pull/N/merge (required)")
	commit := fs.String("commit", "", "40-hex commit SHA the analysis is for (required)")
	checkout := fs.String("checkout-uri", "", "file:// URI of the checkout root")
	toolName := fs.String("tool-name", "", "tool name GitHub shows")
	validateOnly := fs.Bool("validate", false, "ask GitHub to validate the log without processing it")
	wait := fs.Bool("wait", false, "wait until GitHub has processed the upload")
	waitTimeout := fs.Duration("wait-timeout", 10*time.Minute, "with --wait, give up after this long")
	poll := fs.Duration("poll-interval", 5*time.Second, "with --wait, time between status checks")
	if code, done := cmd.Parse(args); done {
		return code
	}
	if fs.NArg() != 1 {
		return cmd.Fail("want one FILE; see --help")
	}
	if *ref == "" || *commit == "" {
		return cmd.Fail("--ref and --commit are required")
	}
	owner, repo, client, err := gh.Connect(getenv)
	if err != nil {
		return cmd.Fail("%v", err)
	}

	name := fs.Arg(0)
	v, err := schema.New(&schema.Options{GitHub: true, CheckoutURI: *checkout})
	if err != nil {
		return cmd.Fail("%v", err)
	}
	findings, err := v.ValidateFile(ctx, name)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	for _, f := range findings {
		fmt.Fprintln(stderr, f)
	}
	if schema.HasErrors(findings) {
		return cmd.Fail("not uploaded: GitHub would reject %s (findings above)", name)
	}
	log, err := sarif.ReadFile(ctx, name, nil)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	up, err := client.UploadSARIF(ctx, owner, repo, log, fetch.UploadOptions{
		CommitSHA: *commit, Ref: *ref, CheckoutURI: *checkout, StartedAt: time.Now(), ToolName: *toolName, Validate: *validateOnly,
	})
	if err != nil {
		fmt.Fprintln(stderr, "sarif-upload:", err)
		return cli.ExitFindings
	}
	fmt.Fprintf(stdout, "uploaded: %s\n", up.ID)
	if !*wait {
		return cli.ExitOK
	}
	wctx, cancel := context.WithTimeout(ctx, *waitTimeout)
	defer cancel()
	st, err := client.WaitForUpload(wctx, owner, repo, up.ID, *poll)
	if err != nil {
		fmt.Fprintln(stderr, "sarif-upload:", err)
		return cli.ExitFindings
	}
	fmt.Fprintf(stdout, "processing: %s\n", st.ProcessingStatus)
	if st.ProcessingStatus == "failed" {
		for _, e := range st.Errors {
			fmt.Fprintln(stderr, "sarif-upload: GitHub:", e)
		}
		return cli.ExitFindings
	}
	return cli.ExitOK
}
