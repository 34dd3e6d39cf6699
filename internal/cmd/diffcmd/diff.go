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
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/ctxio"
	"github.com/sarifkit/sarifkit/internal/gitrepo"
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
		Run: func(ctx context.Context, ios *cli.IO, prog string, args []string) int {
			return Run(ctx, ios, args) // TODO(one house): NewCmd(ios, prog, nil).Exec(ctx, args)
		}}
}

// Run runs diff with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	cmd := cli.New("sarif-diff", usage, ios)
	cmd.ReadLimitFlags()
	fs := cmd.Flags
	format := fs.String("format", "text", "report `FORMAT`: text, json, sarif, markdown or github")
	output := fs.StringP("output", "o", "", "write the report to `FILE` (atomically; with --format sarif a name ending in .gz is gzip-compressed) instead of standard output")
	indent := fs.Bool("indent", false, "with --format sarif: pretty-print the log")
	gz := fs.Bool("gzip", false, "with --format sarif: gzip-compress the log (implied by -o FILE.gz)")
	explain := fs.Bool("explain", false, "with --format text: list every match with the pass that made it")
	failOn := fs.String("fail-on", "", "fail (exit 1) on head results that are `STATE`: new, updated (new or updated) or any")
	minLevel := fs.String("min-level", "", "with --fail-on: count only results of `LEVEL` or above: error, warning or note")
	minSec := fs.String("min-security-severity", "", "with --fail-on: count only results whose rule's security-severity is in `BAND` or above: critical, high, medium or low")
	changed := fs.String("only-changed-files", "", "with --fail-on: count only results in the files listed in `FILE`, one path per line (e.g. git diff --name-only)")
	maxRows := fs.Int("max-rows", 50, "with --format markdown or --markdown-summary: list at most `N` new results")
	summaryFile := fs.String("markdown-summary", "", "also append the markdown report to `FILE` (e.g. $GITHUB_STEP_SUMMARY)")
	outputsFile := fs.String("github-output", "", "also append the counts as step outputs to `FILE` (e.g. $GITHUB_OUTPUT): new-count, absent-count, updated-count, unchanged-count")
	headRoot := fs.String("head-source-root", "", "checkout of HEAD, a `DIR`: compute partialFingerprints.primaryLocationLineHash for head results that lack it from their files there, as GitHub's upload does")
	sourceRoot := fs.String("source-root", "", "the same as --head-source-root (`DIR`), as the other commands name it")
	gitDir := fs.String("git", "", "the git repository (`DIR`, a work tree) both logs scanned: each side's results get primaryLocationLineHash from their own revision, and results are paired through git's line diff of the two revisions (pass line-map); needs --base-ref")
	baseRef := fs.String("base-ref", "", "with --git: the `REV`ISION BASE scanned (a commit, branch or tag)")
	headRef := fs.String("head-ref", "", "with --git: the `REV`ISION HEAD scanned (default: the work tree)")
	inherit := fs.Bool("inherit-suppressions", true, "a head result matched to a suppressed base result (dismissed on GitHub: sarif-fetch --alert-states) is suppressed too, and never counts in the gate; =false counts the head's own suppressions only")
	baseRoot := fs.String("base-source-root", "", "checkout of BASE, a `DIR`: compute primaryLocationLineHash for base results that lack it (logs fetched from GitHub carry theirs)")
	if code, done := cmd.Parse(args); done {
		return code
	}
	if fs.NArg() != 2 {
		return cmd.Fail("want two arguments, BASE and HEAD, got %d", fs.NArg())
	}
	if fs.Arg(0) == cli.Stdin && fs.Arg(1) == cli.Stdin {
		return cmd.Fail("BASE and HEAD cannot both be standard input")
	}
	switch *format {
	case "text", "json", "sarif", "markdown", "github":
	default:
		return cmd.Fail("--format must be text, json, sarif, markdown or github, not %q", *format)
	}
	for flag, formats := range map[string]string{"explain": "text", "indent": "sarif", "gzip": "sarif"} {
		if cmd.Set(flag) && *format != formats {
			return cmd.Fail("--%s applies to --format %s only", flag, formats)
		}
	}
	if *format != "sarif" && strings.HasSuffix(*output, ".gz") {
		return cmd.Fail("-o %s: only --format sarif is written gzip-compressed", *output)
	}
	if cmd.Set("max-rows") && *format != "markdown" && *summaryFile == "" {
		return cmd.Fail("--max-rows applies to --format markdown and --markdown-summary only")
	}
	for _, flag := range []string{"min-level", "min-security-severity", "only-changed-files"} {
		if err := cmd.Requires(flag, "fail-on"); err != nil {
			return cmd.Fail("%v", err)
		}
	}
	gate := diff.Gate{FailOn: diff.FailOn(*failOn), MinLevel: *minLevel, MinSecuritySeverity: *minSec}
	if err := gate.Validate(); err != nil {
		return cmd.Fail("%v", err)
	}
	if err := cmd.CheckOutput(*output); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	if *changed != "" {
		files, err := readLines(ctx, *changed)
		if err != nil {
			return cmd.Fail("--only-changed-files: %v", err)
		}
		gate.ChangedFiles = files
	}
	if *sourceRoot != "" && *headRoot != "" {
		return cmd.Fail("--source-root and --head-source-root name the same thing: give one")
	}
	headFlag := "--head-source-root"
	if *sourceRoot != "" {
		*headRoot, headFlag = *sourceRoot, "--source-root"
	}
	for _, flag := range []string{"base-ref", "head-ref"} {
		if err := cmd.Requires(flag, "git"); err != nil {
			return cmd.Fail("%v", err)
		}
	}
	if *gitDir != "" {
		if *baseRef == "" {
			return cmd.Fail("--git needs --base-ref, the revision BASE scanned")
		}
		if *baseRoot != "" || *headRoot != "" {
			return cmd.Fail("--git reads both sides' files from the repository: give it or the source roots, not both")
		}
	}
	var roots [2]cli.SourceRoot // base, head
	var files [2]*checkout.FS   // their files, confined to them
	rootFlags := [2]string{"--base-source-root", headFlag}
	for i, value := range []string{*baseRoot, *headRoot} {
		if value == "" {
			continue
		}
		var err error
		if roots[i], err = cli.ParseSourceRoot(value); err == nil {
			files[i], err = roots[i].Files(rootFlags[i])
		}
		if err != nil {
			return cmd.Fail("%s: %v", rootFlags[i], err)
		}
		defer files[i].Close()
	}

	// The repository first: a revision it lacks fails before the logs are
	// read, and git computes the line map while they are.
	var git *gitSource
	if *gitDir != "" {
		var err error
		if git, err = openGit(ctx, *gitDir, *baseRef, *headRef); err != nil {
			return cmd.Errorf(cli.ExitUsage, "--git: %v", err)
		}
	}

	// Read both logs at once: on two cores this halves the wait. Their
	// results stay on disk: the comparison holds what matching needs of
	// each, and the SARIF output reads the rest back as it is written.
	type read struct {
		log *sarif.Log
		err error
	}
	results := [2]chan read{make(chan read, 1), make(chan read, 1)}
	for i, name := range fs.Args() {
		go func() {
			l, err := cmd.ReadLog(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
			results[i] <- read{l, err}
		}()
	}
	base, head := <-results[0], <-results[1]
	for _, r := range []read{base, head} {
		if r.log != nil {
			defer r.log.Close()
		}
	}
	for _, r := range []read{base, head} {
		if r.err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", r.err)
		}
	}

	diffOpts := &diff.Options{BaseRoot: roots[0].URI, HeadRoot: roots[1].URI, OwnSuppressionsOnly: !*inherit}
	var found [2]string // where each side was scanned, as its files at hand say (see locate)
	if git != nil {
		lines, sideRoots, err := git.fingerprint(ctx, cmd, base.log, head.log)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "--git: %v", err)
		}
		diffOpts.LineMap = lines
		// Both sides were scanned in this work tree, unless their URIs
		// say otherwise.
		diffOpts.BaseRoot, diffOpts.HeadRoot = git.checkout, git.checkout
		found = sideRoots
	}
	for i, side := range []struct {
		name, flag string
		log        *sarif.Log
	}{{"base", "--base-source-root", base.log}, {"head", headFlag, head.log}} {
		if files[i] == nil {
			continue
		}
		var err error
		found[i], err = locate(ctx, cmd, rootFlags[i], side.name, side.log, files[i].Dir(), files[i].Dir(), func(p string) bool {
			info, err := files[i].Stat(p)
			return err == nil && info.Mode().IsRegular()
		})
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%s: %v", side.flag, err)
		}
		root := files[i].Dir()
		if found[i] != "" {
			root = found[i]
		}
		st, err := sarif.AddLineHashesFrom(ctx, side.log, files[i], root)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%s: %v", side.flag, err)
		}
		cmd.Infof("%s: %d fingerprints added to %s results, %d kept, %d results without a file in the checkout (%d files not found)",
			side.flag, st.Added, side.name, st.Kept, st.Skipped, st.MissingFiles)
	}
	// A side whose files are not at hand, or do not say where it was
	// scanned, was likely scanned where the other was.
	for i, root := range []*string{&diffOpts.BaseRoot, &diffOpts.HeadRoot} {
		switch {
		case found[i] != "":
			*root = found[i]
		case found[1-i] != "":
			*root = found[1-i]
		}
	}
	if files[0] != nil && files[1] != nil {
		// Both checkouts at hand: their line diff is the evidence.
		diffOpts.BaseFiles, diffOpts.HeadFiles = files[0], files[1]
	}
	d, err := diff.Compare(ctx, base.log, head.log, diffOpts)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	// What the checkouts' files refused, once for each (not once per file).
	for i, f := range files {
		if f != nil && f.Refused().Total() > 0 {
			cmd.Warnf("%s: %s", rootFlags[i], f.Refused())
		}
	}
	for _, n := range d.Notes() {
		cmd.Warnf("%s", n)
	}
	cmd.WarnLenient(fs.Arg(0), base.log)
	cmd.WarnLenient(fs.Arg(1), head.log)
	var failures []*diff.Match
	if gate.FailOn != diff.FailOnNone {
		failures = gate.Failures(d)
	}

	write := func(w io.Writer) error {
		switch *format {
		case "json":
			return diff.WriteJSON(w, d, failures)
		case "sarif":
			if err := diff.Annotate(ctx, d, head.log); err != nil {
				return err
			}
			wo := &sarif.WriteOptions{}
			if *indent {
				wo.Indent = "  "
			}
			return head.log.Write(w, wo)
		case "markdown":
			return diff.WriteMarkdown(w, d, &diff.MarkdownOptions{MaxRows: *maxRows})
		case "github":
			hidden, err := diff.WriteGitHub(w, d, failures)
			if hidden > 0 {
				cmd.Infof("GitHub shows %d annotations of each kind per step: %d of these will not be displayed (the most severe come first; the step summary lists them)",
					diff.GitHubAnnotationsPerKind, hidden)
			}
			return err
		}
		return diff.WriteText(w, d, &diff.TextOptions{Explain: *explain})
	}
	if err := cmd.WriteOutput(ctx, *output, *gz, write); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	if *format != "text" || !cli.IsStdio(*output) {
		cmd.Infof("%s", diff.Summarize(d))
	}
	if *summaryFile != "" {
		if err := appendTo(*summaryFile, func(w io.Writer) error { return diff.WriteMarkdown(w, d, &diff.MarkdownOptions{MaxRows: *maxRows}) }); err != nil {
			return cmd.Errorf(cli.ExitUsage, "--markdown-summary: %v", err)
		}
	}
	if *outputsFile != "" {
		if err := appendTo(*outputsFile, func(w io.Writer) error { return diff.WriteGitHubOutput(w, d) }); err != nil {
			return cmd.Errorf(cli.ExitUsage, "--github-output: %v", err)
		}
	}
	if gate.FailOn != diff.FailOnNone {
		if len(failures) > 0 {
			return cmd.Errorf(cli.ExitFailed, "gate failed: %d result(s) %s", len(failures), describeGate(&gate))
		}
		cmd.Infof("gate passed: no result %s", describeGate(&gate))
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
		parts = append(parts, "at level "+g.MinLevel+" or above")
	}
	if g.MinSecuritySeverity != "" {
		parts = append(parts, "with security severity "+g.MinSecuritySeverity+" or above")
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

// gitSource is what --git reads: the repository, the two revisions, and
// git's line map between them, computed while the logs are read.
type gitSource struct {
	repo               *gitrepo.Repo
	sub                string // dir relative to the repository's root
	checkout           string // dir as the user named it, absolute
	baseID, headID     string // headID "" for the work tree
	baseName, headName string
	lines              chan lineMapResult
}

type lineMapResult struct {
	lines *diff.LineMap
	err   error
}

// openGit opens the repository at dir, resolves the revisions, and starts
// computing the line map.
func openGit(ctx context.Context, dir, baseRev, headRev string) (*gitSource, error) {
	repo, err := gitrepo.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	g := &gitSource{repo: repo, baseName: baseRev, headName: "the work tree", lines: make(chan lineMapResult, 1)}
	// Relative URIs are relative to dir, which may be below the root;
	// absolute ones are under dir as the user names it (through a
	// symbolic link, say), as the scans saw it.
	if g.sub, err = repo.Rel(dir); err != nil {
		return nil, err
	}
	if g.checkout, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	if g.baseID, err = repo.Resolve(ctx, baseRev); err != nil {
		return nil, err
	}
	if headRev != "" {
		if g.headID, err = repo.Resolve(ctx, headRev); err != nil {
			return nil, err
		}
		g.headName = headRev
	}
	go func() {
		lines, err := repo.LineMap(ctx, g.baseID, g.headID)
		if err == nil {
			lines = lines.Sub(g.sub)
		}
		g.lines <- lineMapResult{lines, err}
	}()
	return g, nil
}

// fingerprint gives each side's results that lack one a
// primaryLocationLineHash from its revision, and returns the line map
// and where each side was scanned, when its files say (see locate).
func (g *gitSource) fingerprint(ctx context.Context, cmd *cli.Command, base, head *sarif.Log) (*diff.LineMap, [2]string, error) {
	var roots [2]string
	for i, side := range []struct {
		name, rev, shown string
		log              *sarif.Log
	}{{"base", g.baseID, g.baseName, base}, {"head", g.headID, g.headName, head}} {
		files, err := g.repo.Files(ctx, side.rev)
		if err != nil {
			return nil, roots, err
		}
		var fsys fs.FS = files
		if g.sub != "." {
			if fsys, err = fs.Sub(files, g.sub); err != nil {
				files.Close()
				return nil, roots, err
			}
		}
		roots[i], err = locate(ctx, cmd, "--git", side.name, side.log, g.checkout, side.shown, func(p string) bool {
			return files.Has(path.Join(g.sub, p))
		})
		var st sarif.FingerprintStats
		if err == nil {
			root := g.checkout
			if roots[i] != "" {
				root = roots[i]
			}
			st, err = sarif.AddLineHashesFrom(ctx, side.log, fsys, root)
		}
		refused := files.Refused()
		files.Close()
		if err != nil {
			return nil, roots, err
		}
		cmd.Infof("--git: %d fingerprints added to %s results from %s, %d kept, %d results without a file there (%d files not found)",
			st.Added, side.name, side.shown, st.Kept, st.Skipped, st.MissingFiles)
		if refused.Total() > 0 {
			cmd.Warnf("--git: %s: %s", side.shown, refused)
		}
	}
	r := <-g.lines
	if r.err != nil {
		return nil, roots, r.err
	}
	cmd.Infof("--git: %d files changed between %s and %s", r.lines.Files(), g.baseName, g.headName)
	return r.lines, roots, nil
}

// locate says where side's log was scanned (see [sarif.FindCheckout]):
// in the checkout the flag gives (given, a path), unless its absolute
// URIs name no file there and the log says, or the paths of its files
// tell, that it was scanned elsewhere (a CI runner's workspace); has
// tells whether the files at hand (where, for the messages) have a path.
// It returns the path the log's absolute URIs are relative to, "" when
// none of them names a file at hand; says so when it is not given; and
// warns when none of the files the log names is at hand: the comparison
// then reads the logs alone.
func locate(ctx context.Context, cmd *cli.Command, flag, side string, log *sarif.Log, given, where string, has func(string) bool) (string, error) {
	c, err := sarif.FindCheckout(ctx, log, given, has)
	if err != nil {
		return "", err
	}
	if c.Files > 0 && c.Found == 0 {
		cmd.Warnf("%s: none of the %d files %s's results name is in %s: %s's results are compared without their code", flag, c.Files, side, where, side)
	}
	if c.Root == "" || c.From == "given" {
		return c.Root, nil
	}
	from := "inferred from the paths of its files"
	if c.From != "inferred" {
		from = "as its " + c.From + " says"
	}
	cmd.Infof("%s: %s's absolute URIs are relative to %s (%s): %d of its %d files are in %s",
		flag, side, strings.TrimSuffix(c.Root, "/"), from, c.Found, c.Files, where)
	return c.Root, nil
}
