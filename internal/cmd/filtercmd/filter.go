// Package filtercmd is the command sarif-filter (sarifkit filter), which
// keeps the results of SARIF logs that patterns (advanced-security/filter-sarif's)
// and selectors choose, leaving the rest of each log as it was.
package filtercmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/filter"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/ctxio"
	"github.com/sarifkit/sarifkit/internal/gitrepo"
	"github.com/sarifkit/sarifkit/sarif"
)

const usage = `Usage: sarif-filter [flags] INPUT...

Keeps the results of a SARIF 2.1.0 log that the patterns and selectors
choose, and writes the log to standard output or -o FILE, every other member
as it was. INPUT is a file or "-" for standard input; gzip input is
recognised. Several INPUTs need --output-dir DIR: each is filtered on its own
and written there under its own base name.

Patterns are advanced-security/filter-sarif's, so its users' patterns give
the same log: "[+|-]FILE_GLOB[:RULE_GLOB]", one per -p (a value with line
breaks is several, as the action's multi-line input) or per line of
--patterns FILE (read first). Each location of a result is decided alone, by
its artifactLocation.uri as written (--resolve-uris: the file it resolves
to), the last pattern matching both file and rule deciding, none meaning
kept; a result whose locations are all excluded is dropped, a kept one loses
its excluded locations. Globs match a component at a time ("*" and "?"
within one, "**" whole components, "\" escaping); a rule glob matches the
rule id the same way, so "js/*" matches js/xss and "*" does not. A "-" or
"+" starting a line is its sign, ":" separates the globs, "\" escapes
"+ - \ :"; nothing is trimmed, "#" is no comment, empty lines are skipped.
--severity LIST is filter-sarif's severity option.

The selectors combine with the patterns: a result is kept when all hold.
--changed-lines keeps, as codeql-action does on a pull request, the results
with a location or related location starting on a line the diff adds (paths
relative to the repository root; absolute file URIs are made relative to
--source-root).

A summary goes to standard error: results kept and dropped, by reason.

Exit status:
  0  filtered
  2  usage error, unreadable input or pattern

Examples:
  sarif-filter -p '-**/test/**' -p '-**/*_test.go' -o app.sarif scan.sarif
  sarif-filter: 812 results: 790 kept (3 with fewer locations, 4 locations dropped), 22 dropped (patterns 22)
  sarif-filter --git . --base-ref origin/main --min-level warning -o pr.sarif scan.sarif

Flags:
`

// Name is the command's own program name.
const Name = "sarif-filter"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "filter", Summary: "keep the results patterns and selectors choose (filter-sarif's patterns)",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run filters and how, as the flags set them.
type Options struct {
	IO     *cli.IO
	Inputs []string // files, "-" for standard input
	// Patterns are the -p values, each split into lines; PatternsFile
	// is --patterns.
	Patterns     []string
	PatternsFile string
	// Severity is --severity; Rule, MinLevel, MinSecuritySeverity, States,
	// Suppressed, Tools and Categories the selectors.
	Severity, Rule, MinLevel, MinSecuritySeverity, Suppressed string
	States, Tools, Categories                                 []string
	ResolveURIs                                               bool
	// SourceRoot is --source-root, a directory or file:// URI.
	SourceRoot string
	// ChangedLines is --changed-lines, a diff file or "-"; Git, BaseRef
	// and HeadRef name revisions whose diff to read instead.
	ChangedLines, Git, BaseRef, HeadRef string
	Prune                               bool
	// OutputDir is --output-dir; Output is -o, --indent, --gzip.
	OutputDir string
	Output    *cli.LogOutput
	Read      *sarif.ReadOptions

	cmd *cli.Command // messages
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs filter, or
// runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	opts := &Options{IO: ios, cmd: cmd}
	opts.Read = cmd.ReadLimitFlags()
	fl := cmd.Flags
	opts.Output = cmd.LogOutputFlags()
	fl.StringArrayVarP(&opts.Patterns, "pattern", "p", nil, "keep or drop locations by `PATTERN`, filter-sarif's [+|-]FILE_GLOB[:RULE_GLOB] (repeatable; a value with line breaks is one pattern a line)")
	fl.StringVar(&opts.PatternsFile, "patterns", "", "read patterns from `FILE`, one a line, before those of -p")
	fl.StringVar(&opts.Severity, "severity", "", "keep results whose level or rule's security-severity band is in `LIST`, as filter-sarif's severity option (comma-separated: error, warning, note, none, critical, high, medium, low)")
	fl.BoolVar(&opts.ResolveURIs, "resolve-uris", false, "match patterns against the file a location resolves to (uriBaseId and artifact index followed, percent-decoded, absolute file URIs relative to --source-root) rather than its uri as written")
	fl.StringVar(&opts.SourceRoot, "source-root", "", "checkout root, a `DIR` or file:// URI, for --resolve-uris and --changed-lines (default with --git: its DIR)")
	fl.StringVar(&opts.Rule, "rule", "", "keep results whose rule id matches `GLOB` (the patterns' glob syntax)")
	fl.StringVar(&opts.MinLevel, "min-level", "", "keep results of `LEVEL` or above (error, warning or note), the effective level: none for a kind other than fail, the rule's configured level when the result has none")
	fl.StringVar(&opts.MinSecuritySeverity, "min-security-severity", "", "keep results whose rule's security-severity is in `BAND` or above: critical, high, medium or low")
	fl.StringArrayVar(&opts.States, "state", nil, "keep results whose baselineState is in `LIST` (new, unchanged, updated, absent; comma-separated or repeated)")
	fl.StringVar(&opts.Suppressed, "suppressed", "include", "what to do with suppressed results: `MODE` include, exclude or only")
	fl.StringArrayVar(&opts.Tools, "tool", nil, "keep the results of runs of the tool `NAME` (the driver's name; repeatable)")
	fl.StringArrayVar(&opts.Categories, "category", nil, "keep the results of runs of the category `CAT` (automationDetails.id up to its last /, \"\" for none; repeatable)")
	fl.StringVar(&opts.ChangedLines, "changed-lines", "", "keep results with a location or related location starting on a line that the unified diff `FILE` adds (- for standard input)")
	fl.StringVar(&opts.Git, "git", "", "keep results on the lines added from the merge base of --base-ref and --head-ref to --head-ref (a pull request's diff, base...head) in the git work tree `DIR`, as --changed-lines")
	fl.StringVar(&opts.BaseRef, "base-ref", "", "with --git: the base `REV`ISION (a commit, branch or tag)")
	fl.StringVar(&opts.HeadRef, "head-ref", "", "with --git: the head `REV`ISION (default: the work tree)")
	fl.BoolVar(&opts.Prune, "prune", false, "drop the rules, taxa, artifacts and thread flow locations no kept result uses, renumbering every index")
	fl.StringVar(&opts.OutputDir, "output-dir", "", "write each filtered INPUT to `DIR` under its base name (needed for several INPUTs)")
	cmd.Run = func(ctx context.Context, args []string) int {
		if len(args) == 0 {
			return cmd.Fail("no INPUT given")
		}
		for _, f := range []string{"base-ref", "head-ref"} {
			if err := cmd.Requires(f, "git"); err != nil {
				return cmd.Fail("%v", err)
			}
		}
		if err := cmd.Requires("resolve-uris", "pattern", "patterns"); err != nil {
			return cmd.Fail("%v", err)
		}
		if err := cmd.Requires("source-root", "resolve-uris", "changed-lines", "git"); err != nil {
			return cmd.Fail("%v", err)
		}
		// An empty value would turn its selector off, or name no file.
		for _, f := range []string{"rule", "min-level", "min-security-severity", "patterns", "output-dir", "base-ref", "head-ref", "source-root"} {
			if cmd.Set(f) && cmd.Flags.Lookup(f).Value.String() == "" {
				return cmd.Fail("--%s: an empty value", f)
			}
		}
		switch {
		case cmd.Set("changed-lines") && opts.ChangedLines == "":
			return cmd.Fail("--changed-lines: an empty value: give a diff file or -")
		case cmd.Set("git") && opts.Git == "":
			return cmd.Fail("--git: an empty value: give a directory")
		case opts.Git != "" && opts.BaseRef == "":
			return cmd.Fail("--git needs --base-ref, the base revision")
		case opts.Git != "" && cmd.Set("changed-lines"):
			return cmd.Fail("--changed-lines and --git both give the diff: give one")
		case len(args) > 1 && opts.OutputDir == "":
			return cmd.Fail("%d INPUTs: give --output-dir DIR to write each filtered log there", len(args))
		case opts.OutputDir != "" && cmd.Set("output"):
			return cmd.Fail("-o and --output-dir both name the output: give one")
		}
		if cli.StdinTwice(append([]string{opts.PatternsFile, opts.ChangedLines}, args...)...) {
			return cmd.Fail("standard input (-) given twice")
		}
		if opts.OutputDir != "" {
			if slices.Contains(args, cli.Stdin) {
				return cmd.Fail("--output-dir names outputs after their INPUT: standard input has no name")
			}
			if info, err := os.Stat(opts.OutputDir); err != nil || !info.IsDir() {
				return cmd.Fail("--output-dir: %s is not a directory", opts.OutputDir)
			}
			seen := map[string]string{}
			for _, a := range args {
				b := filepath.Base(a)
				if prev, dup := seen[b]; dup {
					return cmd.Fail("--output-dir: %s and %s would both be written to %s", prev, a, filepath.Join(opts.OutputDir, b))
				}
				seen[b] = a
			}
		}
		// Every output is checked (and --gzip's name warned of) before
		// anything is read.
		for _, out := range outputs(opts.OutputDir, *opts.Output.Name, args) {
			*opts.Output.Name = out
			if err := opts.Output.Check(); err != nil {
				return cmd.Errorf(cli.ExitUsage, "%v", err)
			}
		}
		opts.Inputs = args
		if runF != nil {
			return runF(ctx, opts)
		}
		return filterRun(ctx, opts)
	}
	return cmd
}

// Run runs sarif-filter with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// maxPatternBytes and maxDiffBytes bound what is read of a patterns file
// and of a diff: far more than any real one holds (a diff is held in
// memory as its line map, with the text of its changed lines).
const (
	maxPatternBytes = 16 << 20
	maxDiffBytes    = 256 << 20
)

// libraryOptions turns the flags into the library's options, reading
// the patterns and the diff.
func libraryOptions(ctx context.Context, opts *Options) (*filter.Options, error) {
	fo := &filter.Options{ResolveURIs: opts.ResolveURIs, MinLevel: opts.MinLevel,
		MinSecuritySeverity: opts.MinSecuritySeverity, Prune: opts.Prune, Tools: opts.Tools, Categories: opts.Categories}
	if opts.PatternsFile != "" {
		data, err := readBounded(ctx, opts, opts.PatternsFile, maxPatternBytes)
		if err != nil {
			return nil, fmt.Errorf("--patterns: %w", err)
		}
		for i, line := range filter.SplitLines(string(data)) {
			if line == "" {
				continue
			}
			p, err := filter.ParsePattern(line)
			if err != nil {
				return nil, fmt.Errorf("--patterns: %s:%d: %w", displayName(opts.PatternsFile), i+1, err)
			}
			fo.Patterns = append(fo.Patterns, p)
		}
	}
	for _, v := range opts.Patterns {
		ps, err := filter.ParsePatterns(filter.SplitLines(v))
		if err != nil {
			return nil, fmt.Errorf("-p: %w", err)
		}
		fo.Patterns = append(fo.Patterns, ps...)
	}
	var err error
	if fo.Severity, err = filter.ParseSeverity(opts.Severity); err != nil {
		return nil, fmt.Errorf("--severity: %w", err)
	}
	if opts.Rule != "" {
		if fo.Rule, err = filter.CompileGlob(opts.Rule); err != nil {
			return nil, fmt.Errorf("--rule: %w", err)
		}
	}
	for _, list := range opts.States {
		states, err := filter.ParseStates(list)
		if err != nil {
			return nil, flagError("state", err)
		}
		fo.States = append(fo.States, states...)
	}
	if fo.Suppressed, err = filter.ParseSuppressed(opts.Suppressed); err != nil {
		return nil, flagError("suppressed", err)
	}
	// The library checks the values (once, for every caller); its
	// errors name its options, said here as the flags.
	if err := fo.Check(); err != nil {
		var oe *filter.OptionsError
		if errors.As(err, &oe) && optionFlags[oe.Option] != "" {
			return nil, flagError(optionFlags[oe.Option], err)
		}
		return nil, err
	}
	if opts.SourceRoot != "" {
		root, err := cli.ParseSourceRoot(opts.SourceRoot)
		if err != nil {
			return nil, fmt.Errorf("--source-root: %w", err)
		}
		fo.SourceRoot = root.URI
	}
	switch {
	case opts.ChangedLines != "":
		var dc diffCounter
		err := withInput(ctx, opts, opts.ChangedLines, func(r io.Reader) error {
			dc.r = &capReader{r: r, max: maxDiffBytes}
			var err error
			fo.ChangedLines, err = linemap.ReadGitDiff(&dc)
			return err
		})
		name := displayName(opts.ChangedLines)
		if err == nil && dc.files == 0 && fo.ChangedLines.Files() == 0 {
			err = errors.New("names no file: not a diff")
		}
		if err != nil {
			return nil, fmt.Errorf("--changed-lines: %s: %w", name, err)
		}
		if dc.added == 0 {
			opts.cmd.Infof("--changed-lines: %s adds no line: no result is on one", name)
		}
	case opts.Git != "":
		// A pull request's diff is from the merge base (base...head):
		// what the base branch did since the head forked is no change of
		// the head's.
		repo, err := gitrepo.Open(ctx, opts.Git)
		if err != nil {
			return nil, fmt.Errorf("--git: %w", err)
		}
		base, err := repo.MergeBase(ctx, opts.BaseRef, opts.HeadRef)
		if err != nil {
			return nil, fmt.Errorf("--git: --base-ref: %w", err)
		}
		revs, err := diff.OpenRevisions(ctx, opts.Git, base, opts.HeadRef)
		if err == nil {
			fo.ChangedLines, err = revs.LineMap()
		}
		if err != nil {
			return nil, fmt.Errorf("--git: %w", err)
		}
		if fo.SourceRoot == "" {
			if fo.SourceRoot, err = sarif.FileURI(revs.Dir()); err != nil {
				return nil, fmt.Errorf("--git: %w", err)
			}
		}
	}
	return fo, nil
}

// optionFlags are the flags of the library's options, by the names an
// OptionsError gives them.
var optionFlags = map[string]string{
	"MinLevel": "min-level", "MinSecuritySeverity": "min-security-severity", "States": "state", "Suppressed": "suppressed",
}

// flagError says a library's *filter.OptionsError as one of the named
// flag; other errors are prefixed with the flag.
func flagError(flag string, err error) error {
	var oe *filter.OptionsError
	if !errors.As(err, &oe) {
		return fmt.Errorf("--%s: %w", flag, err)
	}
	return errors.New(oe.Named("--" + flag))
}

func displayName(name string) string {
	if name == cli.Stdin {
		return cli.StdinName
	}
	return name
}

// withInput calls read with the named file ("-": standard input).
func withInput(ctx context.Context, opts *Options, name string, read func(io.Reader) error) error {
	if name == cli.Stdin {
		return read(ctxio.NewReader(ctx, opts.IO.In))
	}
	f, err := ctxio.Open(ctx, name)
	if err != nil {
		return err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a directory", name)
	}
	return read(ctxio.FileReader(ctx, f))
}

// readBounded reads the named file ("-": standard input), up to max
// bytes.
func readBounded(ctx context.Context, opts *Options, name string, max int64) ([]byte, error) {
	var data []byte
	err := withInput(ctx, opts, name, func(r io.Reader) error {
		var err error
		data, err = io.ReadAll(&capReader{r: r, max: max})
		return err
	})
	return data, err
}

// capReader reads r, failing once more than max bytes are read.
type capReader struct {
	r         io.Reader
	max, read int64
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	if c.read > c.max {
		return n, fmt.Errorf("over %d MiB", c.max>>20)
	}
	return n, err
}

// diffCounter reads a diff from r, counting the files it names (its
// "diff --git" headers, and the "+++ " lines right after a "--- " line)
// and the lines it adds (the other lines starting with "+"): enough to
// tell a text that is no diff, and a diff that adds nothing.
type diffCounter struct {
	r            io.Reader
	head         []byte // the first bytes of the line being read
	mid          bool   // within a line, past its first bytes
	afterMinus   bool   // the line before was a "--- " line
	files, added int
}

func (d *diffCounter) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			d.line()
			continue
		}
		if len(d.head) < len("diff --git ") {
			d.head = append(d.head, c)
		} else {
			d.mid = true
		}
	}
	if err == io.EOF && (len(d.head) > 0 || d.mid) {
		d.line()
	}
	return n, err
}

// line classifies the line whose first bytes are d.head.
func (d *diffCounter) line() {
	h := string(d.head)
	switch {
	case strings.HasPrefix(h, "diff --git "):
		d.files++
	case strings.HasPrefix(h, "+++ ") && d.afterMinus:
		d.files++
	case strings.HasPrefix(h, "+"):
		d.added++
	}
	d.afterMinus = strings.HasPrefix(h, "--- ")
	d.head, d.mid = d.head[:0], false
}

// outputs returns the output of each input: -o's name, or with
// --output-dir the input's base name in dir.
func outputs(dir, name string, inputs []string) []string {
	outs := make([]string, len(inputs))
	for i, in := range inputs {
		outs[i] = name
		if dir != "" {
			outs[i] = filepath.Join(dir, filepath.Base(in))
		}
	}
	return outs
}

// filterRun reads the inputs, filters each, and writes it.
func filterRun(ctx context.Context, opts *Options) int {
	cmd := opts.cmd
	fo, err := libraryOptions(ctx, opts)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	// Every input is read before anything is written, so that an
	// unreadable one writes nothing; their results stay on disk.
	logs := make([]*sarif.Log, len(opts.Inputs))
	defer func() {
		for _, l := range logs {
			if l != nil {
				l.Close()
			}
		}
	}()
	var errs []error
	for i, name := range opts.Inputs {
		ro := *opts.Read
		ro.ResultsOnDisk = true
		logs[i], err = cmd.ReadLog(ctx, name, &ro)
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		for _, e := range errs {
			cmd.Errorf(cli.ExitUsage, "%v", e)
		}
		return cli.ExitUsage
	}
	outs := outputs(opts.OutputDir, *opts.Output.Name, opts.Inputs)
	for i, name := range opts.Inputs {
		st, err := filter.Filter(ctx, logs[i], fo)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%s: %v", displayName(name), err)
		}
		*opts.Output.Name = outs[i]
		if err := opts.Output.Write(ctx, logs[i]); err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		cmd.WarnLenient(name, logs[i])
		if len(opts.Inputs) > 1 {
			cmd.Infof("%s: %s", name, st)
		} else {
			cmd.Infof("%s", st)
		}
	}
	return cli.ExitOK
}
