// Package reviewcmd is the command sarif-review (sarifkit review), which
// posts the new results of a comparison as a code review: inline comments
// on a pull request's (or a merge request's) changed lines, with SARIF
// fixes as suggestions, and a summary per tool and category.
package reviewcmd

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/review"
	"github.com/sarifkit/sarifkit/sarif"
)

const usage = `Usage: sarif-review [flags] LOG

Posts the results of LOG as a review of a GitHub pull request (or, with
--gitlab, a GitLab merge request): an inline comment on each result whose
primary location starts on a line the request added or changed, its SARIF
fix as a suggestion when the fix changes only the commented lines, and one
summary comment per tool and category for the rest, which later runs edit in
place. LOG is a comparison's report (sarif-diff --format sarif), whose new
results are reviewed (--states), or a plain log, all of whose results are new.

Each comment carries a hidden marker with the result's key (a hash of its
tool, rule, file and fingerprint, or message), so that a later run comments
nothing twice, and replies "fixed" on the thread of a result no longer
reported. A run with nothing new posts no review and only edits the summaries.

GitHub: the repository as gh reads it (-R/--repo, GH_REPO, GITHUB_REPOSITORY),
the pull request from --pr or, in GitHub Actions, the event
(GITHUB_EVENT_PATH); the review is of the commit analysed: --commit, else
the event's head commit, else the pull request's head; the token from GH_TOKEN, GITHUB_TOKEN or gh auth token,
with the pull-requests: write permission. A token that may not comment (a pull
request from a fork) makes the command print the review on standard output
instead, warn, and exit 0.

GitLab (--gitlab): CI_API_V4_URL, CI_MERGE_REQUEST_PROJECT_ID (else
CI_PROJECT_ID) and CI_MERGE_REQUEST_IID (or --pr), as GitLab CI sets them,
and GITLAB_TOKEN, an access token with the api scope (not CI_JOB_TOKEN).
The discussions go on the merge request's version of the commit analysed:
--commit, else CI_COMMIT_SHA (CI_MERGE_REQUEST_SOURCE_BRANCH_SHA in a
merged results pipeline), else the newest version.

Exit status:
  0  posted, nothing to post, or printed (a read-only token); comments the
     forge refuses are listed in the summary, with a warning
  2  usage error, or LOG cannot be read
  3  the forge or the network failed (a pull request that does not exist too)

Examples:
  sarif-diff --format sarif -o diff.sarif base.sarif head.sarif
  sarif-review --pr 42 diff.sarif
  sarif-review --gitlab --filter-mode diff_context diff.sarif

Flags:
`

// Name is the command's own program name.
const Name = "sarif-review"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "review", Summary: "post new results as review comments on a pull or merge request",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run reviews and where, as the flags set them.
type Options struct {
	IO *cli.IO
	// Log is the log or report to review ("-": standard input).
	Log string
	// PR is the pull request's number (--pr), 0 when not given.
	PR int
	// Commit is --commit: the commit the log is of, "" for the event's
	// head commit, else the pull request's.
	Commit string
	// States is --states: new, updated or any.
	States string
	// Mode is --filter-mode: added or diff_context.
	Mode string
	// MaxComments is --max-comments.
	MaxComments int
	// SourceRoot is --source-root: a checkout of the request's head.
	SourceRoot string
	// GitLab is --gitlab: review a GitLab merge request.
	GitLab bool
	// GitHub reads the repository, host and token (-R, --api-url, the
	// environment).
	GitHub *cli.GitHub

	cmd *cli.Command
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs the review, or
// runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	cmd.ReadLimitFlags()
	o := &Options{IO: ios, cmd: cmd, GitHub: cmd.GitHubFlags()}
	fs := cmd.Flags
	fs.IntVar(&o.PR, "pr", 0, "the pull request `NUMBER` (default: the pull request of $GITHUB_EVENT_PATH in GitHub Actions); with --gitlab, the merge request's iid (default: $CI_MERGE_REQUEST_IID)")
	fs.StringVar(&o.Commit, "commit", "", "the `SHA` the log is of, which the review comments on (default: the pull request's head commit in $GITHUB_EVENT_PATH, else its head now)")
	fs.StringVar(&o.States, "states", "new", "review the report's results that are `STATE`: new, updated (new or updated) or any")
	fs.StringVar(&o.Mode, "filter-mode", "added", "lines that take comments: `MODE` added (added or changed lines) or diff_context (the hunks' context lines too)")
	fs.IntVar(&o.MaxComments, "max-comments", review.DefaultMaxComments, "comment at most `N` results inline (earlier runs' comments included); the rest go to the summary")
	fs.StringVar(&o.SourceRoot, "source-root", "", "the checkout of the commit analysed, a `DIR` or file:// URI: absolute URIs under it are its files, and results without fingerprints get GitHub's line hashes from its files, so that their keys follow their lines' text (default: $GITHUB_WORKSPACE, or $CI_PROJECT_DIR with --gitlab, else the working directory)")
	fs.BoolVar(&o.GitLab, "gitlab", false, "review a GitLab merge request (CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, GITLAB_TOKEN)")
	cmd.Run = func(ctx context.Context, args []string) int {
		if code, ok := o.check(args); !ok {
			return code
		}
		if runF != nil {
			return runF(ctx, o)
		}
		return run(ctx, o)
	}
	return cmd
}

// Run runs sarif-review with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// check checks the flags and the operand.
func (o *Options) check(args []string) (code int, ok bool) {
	cmd := o.cmd
	switch len(args) {
	case 0:
		return cmd.Fail("no LOG given"), false
	case 1:
		o.Log = args[0]
	default:
		return cmd.Fail("one LOG at a time: got %d", len(args)), false
	}
	if _, err := states(o.States); err != nil {
		return cmd.Fail("--states: %v", err), false
	}
	if o.Mode != string(review.Added) && o.Mode != string(review.DiffContext) {
		return cmd.Fail("--filter-mode %q: added or diff_context", o.Mode), false
	}
	if o.MaxComments < 0 {
		return cmd.Fail("--max-comments %d: must be 0 or more", o.MaxComments), false
	}
	if cmd.Set("pr") && o.PR <= 0 {
		return cmd.Fail("--pr %d: not a pull request number", o.PR), false
	}
	if cmd.Set("commit") && !commitSHA.MatchString(o.Commit) {
		return cmd.Fail("--commit %q: not a commit's full SHA (40 hex digits)", o.Commit), false
	}
	if o.GitLab && cmd.Set("commit") {
		return cmd.Fail("--commit names a GitHub pull request's commit: with --gitlab, the merge request's version of CI_COMMIT_SHA is reviewed"), false
	}
	if o.GitLab && (cmd.Set("repo") || cmd.Set("api-url")) {
		return cmd.Fail("--repo and --api-url name a GitHub repository: with --gitlab, CI_API_V4_URL and CI_PROJECT_ID say which project"), false
	}
	return 0, true
}

// states are the baselineStates --states selects.
func states(s string) ([]string, error) {
	switch s {
	case "new":
		return []string{"new"}, nil
	case "updated":
		return []string{"new", "updated"}, nil
	case "any":
		return []string{"new", "updated", "unchanged"}, nil
	}
	return nil, fmt.Errorf("%q: new, updated or any", s)
}

// maxEvent bounds what is read of GITHUB_EVENT_PATH.
const maxEvent = 32 << 20

// commitSHA is a commit's full SHA-1 or SHA-256.
var commitSHA = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

// target is the pull request (--pr, else the GitHub Actions event's) and
// the commit to review (--commit, else the event's head commit, else ""
// for the pull request's head).
func (o *Options) target() (pr int, commit string, err error) {
	if o.PR > 0 && o.Commit != "" {
		return o.PR, o.Commit, nil
	}
	path := o.IO.Getenv("GITHUB_EVENT_PATH")
	if path == "" {
		if o.PR > 0 {
			return o.PR, o.Commit, nil
		}
		return 0, "", errors.New("no pull request: give --pr NUMBER (in GitHub Actions, the event of a pull_request workflow names it)")
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, "", fmt.Errorf("GITHUB_EVENT_PATH: %w", err)
	}
	defer f.Close()
	var ev struct {
		PullRequest *struct {
			Number int `json:"number"`
			Head   struct {
				SHA string `json:"sha"`
			} `json:"head"`
		} `json:"pull_request"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxEvent)).Decode(&ev); err != nil {
		return 0, "", fmt.Errorf("GITHUB_EVENT_PATH %s: %w", path, err)
	}
	if o.PR > 0 {
		// The event is of another pull request, or of none: its commit
		// is not this one's.
		if ev.PullRequest != nil && ev.PullRequest.Number == o.PR && commitSHA.MatchString(ev.PullRequest.Head.SHA) {
			return o.PR, cmp.Or(o.Commit, ev.PullRequest.Head.SHA), nil
		}
		return o.PR, o.Commit, nil
	}
	if ev.PullRequest == nil || ev.PullRequest.Number <= 0 {
		return 0, "", fmt.Errorf("no pull request: the event of GITHUB_EVENT_PATH is not a pull request's; give --pr NUMBER")
	}
	commit = o.Commit
	if commit == "" && commitSHA.MatchString(ev.PullRequest.Head.SHA) {
		commit = ev.PullRequest.Head.SHA
	}
	return ev.PullRequest.Number, commit, nil
}

// A forge is a request to review, with its head commit.
type forge struct {
	review.Forge
	head   string
	flavor review.Flavor
	name   string // "pull request 42 of o/r", for messages
}

func run(ctx context.Context, o *Options) int {
	cmd := o.cmd
	log, err := cmd.ReadLog(ctx, o.Log, nil)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	defer log.Close()
	st, _ := states(o.States)
	ropts := &review.Options{States: st, Mode: review.FilterMode(o.Mode), MaxComments: o.MaxComments}
	if o.MaxComments == 0 {
		ropts.MaxComments = -1
	}
	root, given := o.SourceRoot, cmd.Set("source-root")
	if !given {
		root = o.defaultRoot()
	}
	if root != "" {
		sr, err := cli.ParseSourceRoot(root)
		if err != nil {
			if !given {
				return cmd.Fail("the checkout %s (the default of --source-root): %v", root, err)
			}
			return cmd.Fail("--source-root: %v", err)
		}
		ropts.Root = sr.URI
		if sr.Dir != "" {
			files, err := sr.Files("--source-root")
			if err != nil {
				return cmd.Errorf(cli.ExitUsage, "--source-root: %v", err)
			}
			defer files.Close()
			if _, err := sarif.AddLineHashesFrom(ctx, log, files, sr.Dir); err != nil {
				return cmd.Errorf(cli.ExitUsage, "--source-root: %v", err)
			}
			if r := files.Refused(); r.Total() > 0 && given {
				cmd.Warnf("--source-root: %s", r)
			}
		}
	}
	var f *forge
	if o.GitLab {
		fg, head, err := gitlabForge(ctx, o)
		if err != nil {
			return failure(cmd, err)
		}
		f = &forge{Forge: fg, head: head, flavor: review.GitLab, name: "the merge request"}
	} else {
		n, commit, err := o.target()
		if err != nil {
			return cmd.Fail("%v", err)
		}
		repo, client, err := o.GitHub.Connect(ctx)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		gf, err := client.PullRequests.Forge(ctx, repo.Owner, repo.Name, n)
		if err != nil {
			return cmd.Errorf(cli.ExitRemote, "%v", err)
		}
		if commit != "" {
			gf.SetCommit(commit)
		}
		f = &forge{Forge: gf, head: gf.Head(), flavor: review.GitHub, name: fmt.Sprintf("pull request %d of %s", n, repo)}
	}
	ropts.Flavor, ropts.Commit = f.flavor, f.head
	files, err := f.Files(ctx)
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	posted, err := f.Posted(ctx)
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	plan, err := review.Build(ctx, log, files, posted, ropts)
	if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	cmd.WarnLenient(o.Log, log)
	err = plan.Apply(ctx, f, posted)
	if errors.Is(err, review.ErrReadOnly) {
		fmt.Fprint(o.IO.Out, safetext.Lines(plan.Markdown()))
		cmd.Warnf("the token may not comment on %s (%v): the review is printed on standard output instead", f.name, err)
		return cli.ExitOK
	}
	var refused *review.RefusedError
	if errors.As(err, &refused) {
		cmd.Warnf("%s refused %d inline comment(s), listed in the summary instead: %v", f.name, len(refused.Comments), refused.Err)
	} else if err != nil {
		return cmd.Errorf(cli.ExitRemote, "%v", err)
	}
	cmd.Infof("%s: %d inline comment(s) posted, %d summary comment(s) written, %d fixed result(s) replied to",
		f.name, len(plan.Comments), len(plan.Groups), len(plan.Resolve))
	return cli.ExitOK
}

// defaultRoot is the checkout when --source-root does not name it: the
// CI's workspace (GITHUB_WORKSPACE, or CI_PROJECT_DIR with --gitlab),
// else the working directory.
func (o *Options) defaultRoot() string {
	v := "GITHUB_WORKSPACE"
	if o.GitLab {
		v = "CI_PROJECT_DIR"
	}
	return cmp.Or(o.IO.Getenv(v), ".")
}

// failure is the exit of an error in reaching the forge: a usage error
// when it is one ([cli.ExitUsage] wrapped in a usageError), else 3.
func failure(cmd *cli.Command, err error) int {
	var ue *UsageError
	if errors.As(err, &ue) {
		return cmd.Fail("%v", err)
	}
	return cmd.Errorf(cli.ExitRemote, "%v", err)
}

// A UsageError is an error in what the flags or the environment give the
// forge (a variable missing): exit 2, not 3.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }
