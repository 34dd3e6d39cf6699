// Package uploadcmd is the command sarif-upload (sarifkit upload), which uploads a SARIF log to GitHub code scanning, after
// checking that GitHub would accept it.
package uploadcmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/ctxio"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

const usage = `Usage: sarif-upload [-R OWNER/NAME] [--ref REF] [--commit SHA] [flags] FILE

Uploads a SARIF log (FILE, or "-" for standard input; gzip is recognised) to
GitHub code scanning, gzip-compressed and base64-encoded as the API wants.
Before anything else (the ref, the commit, the token) it reads the log and
validates it against the SARIF schema and GitHub's upload limits, and refuses
it, listing the findings, when GitHub would reject it. With --wait it polls until GitHub has processed the upload
and fails when processing failed, printing GitHub's errors. A log larger than
512 MiB (GitHub takes at most 10 MB gzip-compressed), or one with no JSON
object in its first 64 KiB (a device, a stream of blanks), is refused before
it is read whole.

--ref defaults to GITHUB_REF, else the checkout's branch; --commit to
GITHUB_SHA, else the checkout's HEAD. Repository, host and token are read as
for sarif-fetch (-R, GH_REPO, GITHUB_REPOSITORY, or the origin remote when it
is on the GitHub host in use; GH_HOST, GITHUB_API_URL; GH_TOKEN, GITHUB_TOKEN
or 'gh auth token').

Exit status:
  0  uploaded (and processed, with --wait)
  1  GitHub would reject the log (nothing was sent), or processing failed
  2  usage error, or a log that cannot be read, is too large, or is JSON but
     no SARIF log (a package.json)
  3  GitHub or the network failed (after retries), or answered too slowly
     or too much

Example:
  sarif-upload --source-root . --wait merged.sarif

Flags:
`

var (
	sha40   = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	refForm = regexp.MustCompile(`^refs/(heads/.+|tags/.+|pull/[0-9]+/(merge|head))$`)
)

// Name is the command's own program name.
const Name = "sarif-upload"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "upload", Summary: "upload a log to GitHub code scanning",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run uploads and how, as the flags set them.
type Options struct {
	IO   *cli.IO
	File string // the log; "-" is standard input
	// Ref and Commit are what the analysis is for; "" takes them from
	// GITHUB_REF and GITHUB_SHA, else from the checkout.
	Ref, Commit string
	SourceRoot  string // a directory or file:// URI, sent as checkout_uri
	Tool        string // the tool name GitHub shows
	// Validate asks GitHub to validate the log without processing it.
	Validate bool
	// Wait polls every PollInterval, for at most WaitTimeout, until
	// GitHub has processed the upload.
	Wait                      bool
	WaitTimeout, PollInterval time.Duration
	Read                      *sarif.ReadOptions
	// GitHub reads the repository, host and token.
	GitHub *cli.GitHub

	cmd *cli.Command
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs upload, or
// runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	fs := cmd.Flags
	o := &Options{IO: ios, cmd: cmd, GitHub: cmd.GitHubFlags()}
	o.Read = cmd.ReadLimitFlags()
	fs.StringVar(&o.Ref, "ref", "", "git `REF` the analysis is for: refs/heads/BRANCH or refs/pull/N/merge (default $GITHUB_REF, else the checkout's branch)")
	fs.StringVar(&o.Commit, "commit", "", "40-hex commit `SHA` the analysis is for (default $GITHUB_SHA, else the checkout's HEAD)")
	fs.StringVar(&o.SourceRoot, "source-root", "", "checkout root, a `DIR` or file:// URI: sent as checkout_uri; absolute file URIs outside it are warnings (GitHub keeps them as they are)")
	fs.StringVar(&o.Tool, "tool", "", "tool `NAME` GitHub shows for the analysis")
	fs.BoolVar(&o.Validate, "validate", false, "ask GitHub to validate the log without processing it")
	fs.BoolVar(&o.Wait, "wait", false, "wait until GitHub has processed the upload")
	fs.DurationVar(&o.WaitTimeout, "wait-timeout", 10*time.Minute, "with --wait, give up after `DURATION`")
	fs.DurationVar(&o.PollInterval, "poll-interval", 5*time.Second, "with --wait, `DURATION` between status checks")
	cmd.Run = func(ctx context.Context, args []string) int {
		if len(args) != 1 {
			return cmd.Fail("want one FILE (or - for standard input)")
		}
		for _, f := range []string{"wait-timeout", "poll-interval"} {
			if err := cmd.Requires(f, "wait"); err != nil {
				return cmd.Fail("%v", err)
			}
		}
		// What needs no network comes first: the flags as given, the
		// file and GitHub's verdict on it, then the ref and commit it is
		// for (from the environment or the checkout), and only then the
		// token.
		if err := checkRefCommit(o.Ref, o.Commit); err != nil {
			return cmd.Fail("%v", err)
		}
		o.File = args[0]
		if runF != nil {
			return runF(ctx, o)
		}
		return upload(ctx, o)
	}
	return cmd
}

// Run runs sarif-upload with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// upload checks the log as GitHub would, uploads it, and with Wait
// follows its processing.
func upload(ctx context.Context, o *Options) int {
	cmd, ios := o.cmd, o.IO
	var root cli.SourceRoot
	if o.SourceRoot != "" {
		var err error
		if root, err = cli.ParseSourceRoot(o.SourceRoot); err != nil {
			return cmd.Fail("--source-root: %v", err)
		}
	}
	name := o.File
	data, err := readInput(ctx, ios, name)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	display := name
	if name == cli.Stdin {
		display = cli.StdinName
	}
	v, err := schema.New(&schema.Options{GitHub: true, CheckoutURI: root.URI, Read: o.Read})
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	findings, err := v.ValidateBytes(ctx, data, display)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", cli.ExplainLimit(err))
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
	log, err := sarif.Read(ctx, bytes.NewReader(data), display, o.Read)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	defer log.Close()
	if o.Ref == "" {
		o.Ref = ios.Getenv("GITHUB_REF")
	}
	if o.Commit == "" {
		o.Commit = ios.Getenv("GITHUB_SHA")
	}
	if o.Ref == "" || o.Commit == "" {
		r, c, err := cmd.Checkout(ctx)
		if err != nil {
			return cmd.Fail("give --ref and --commit (or set GITHUB_REF and GITHUB_SHA): %v", err)
		}
		if o.Ref == "" {
			o.Ref = r
		}
		if o.Commit == "" {
			o.Commit = c
		}
	}
	if err := checkRefCommit(o.Ref, o.Commit); err != nil {
		return cmd.Fail("%v", err)
	}

	repo, client, err := o.GitHub.Connect(ctx)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	p := cmd.NewProgress("uploading to "+repo.String(), 0)
	p.Begin()
	up, err := client.SARIF.Upload(ctx, repo.Owner, repo.Name, log, &fetch.UploadOptions{
		CommitSHA: o.Commit, Ref: o.Ref, CheckoutURI: root.URI, StartedAt: time.Now(), ToolName: o.Tool, Validate: o.Validate,
	})
	p.Done()
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	fmt.Fprintf(ios.Out, "uploaded: %s\nstatus: %s\n", safetext.Text(up.ID), safetext.Text(up.URL))
	if !o.Wait {
		fmt.Fprintf(ios.Out, "code scanning: %s/security/code-scanning\n", repo.WebURL())
		return cli.ExitOK
	}
	wctx, cancel := context.WithTimeout(ctx, o.WaitTimeout)
	defer cancel()
	p = cmd.NewProgress("waiting for GitHub to process "+up.ID, 0)
	p.Begin()
	// --poll-interval 0 polls without a pause, as it always has; the
	// library reads a zero Interval as its default.
	st, err := client.SARIF.Wait(wctx, repo.Owner, repo.Name, up.ID, &fetch.WaitOptions{Interval: max(o.PollInterval, time.Nanosecond)})
	p.Done()
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	fmt.Fprintf(ios.Out, "processing: %s\n", safetext.Text(st.ProcessingStatus))
	if st.ProcessingStatus == "failed" {
		for _, e := range st.Errors {
			cmd.Infof("GitHub: %s", e)
		}
		return cli.ExitFailed
	}
	if st.AnalysesURL != "" {
		fmt.Fprintf(ios.Out, "analyses: %s\n", safetext.Text(st.AnalysesURL))
	}
	fmt.Fprintf(ios.Out, "code scanning: %s/security/code-scanning\n", repo.WebURL())
	return cli.ExitOK
}

// checkRefCommit checks the forms of a ref and a commit; "" is not
// checked (not known yet).
func checkRefCommit(ref, commit string) error {
	if ref != "" && !refForm.MatchString(ref) {
		return fmt.Errorf("--ref %q is not refs/heads/BRANCH, refs/tags/TAG or refs/pull/N/merge", ref)
	}
	if commit != "" && !sha40.MatchString(commit) {
		return fmt.Errorf("--commit %q is not a 40-hex commit SHA", commit)
	}
	return nil
}

// maxInput bounds the log read, gzip-compressed or not. GitHub takes at
// most 10 MB of gzip-compressed SARIF, and SARIF logs do not compress 50
// times: a larger log could not be uploaded, and reading it whole would
// only exhaust memory.
const maxInput = 512 << 20

// sniffSize is how far a log may go before its first "{" (or gzip's
// magic number): farther means it is no SARIF log (/dev/zero, an endless
// stream of blanks), refused without reading on.
const sniffSize = 64 << 10

// readInput reads the whole log once, as it is (gzip-compressed or not):
// from standard input for "-". It reads at most maxInput bytes, and a
// regular file larger than that not at all.
func readInput(ctx context.Context, ios *cli.IO, name string) ([]byte, error) {
	if name == cli.Stdin {
		return readCapped(ctxio.NewReader(ctx, ios.In), cli.StdinName, maxInput)
	}
	// A FIFO with no writer blocks in open, and a pipe in read, until ctx
	// is done.
	f, err := ctxio.Open(ctx, name)
	if err != nil {
		return nil, &sarif.InputError{File: name, Err: err}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > maxInput {
		return nil, &sarif.InputError{File: name, Err: &tooLargeError{maxInput}}
	}
	return readCapped(ctxio.FileReader(ctx, f), name, maxInput)
}

// readCapped reads r whole, refusing it (as display) when it goes past
// limit bytes, or does not begin as a SARIF log.
func readCapped(r io.Reader, display string, limit int64) ([]byte, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &sarif.InputError{File: display, Err: err}
	}
	if len(head) == sniffSize && bytes.IndexByte(head, '{') < 0 && !bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		return nil, &sarif.InputError{File: display, Err: fmt.Errorf("does not begin as a SARIF log: no JSON object (nor gzip) in its first %d KiB", sniffSize>>10)}
	}
	data, err := io.ReadAll(io.LimitReader(br, limit+1))
	if err != nil {
		return nil, &sarif.InputError{File: display, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &sarif.InputError{File: display, Err: &tooLargeError{limit}}
	}
	return data, nil
}

// tooLargeError refuses a log larger than GitHub could take.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("larger than %d MiB: GitHub takes at most 10 MB of gzip-compressed SARIF", e.limit>>20)
}
