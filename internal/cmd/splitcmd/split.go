// Package splitcmd is the command sarif-split (sarifkit split), which cuts
// SARIF logs into files that GitHub code scanning accepts, one upload
// each; sarif-merge --split-dir writes its merged log so too ([WriteSplit]).
package splitcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/merge"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
	"github.com/sarifkit/sarifkit/split"
)

const usage = `Usage: sarif-split --github -o DIR [flags] INPUT...

Writes SARIF 2.1.0 logs as files that GitHub code scanning accepts, each its
own upload, which together hold every result of the inputs, once:

  - at most 20 runs per file, and at most 10,000,000 bytes per file once
    gzip-compressed (each file is measured as written);
  - no two runs of one tool and category in the whole split, since each file
    is an upload of its own: the inputs are combined first, as sarif-merge
    combines them (runs that are one run to GitHub become one; identical
    results are all kept), and two runs left with one tool and category
    (another version of the tool, another run id) are an error;
  - a run over 25,000 results or 25,000 rules, or too large for a file alone,
    becomes parts, whose automationDetails.id get "/part-K" after the
    category ("cat/" gives "cat/part-K/", no id "part-K/"): K is a hash of
    the rule id modulo the number of parts, a power of two, so that the next
    scan puts the same result in the same category (a rule with too many
    results for a part alone is divided by file). Runs that fit keep their
    automationDetails.id;
  - per-result arrays GitHub cuts short anyway are trimmed (locations over
    1,000, thread flow locations over 10,000, rule tags over 20), most
    relevant first, and thread flow locations referred to by index are
    inlined.

DIR must be empty, or is created. The files are named after the tool and
category of their first run, NAME.sarif (NAME.sarif.gz with --gzip), and
written atomically; their paths go to standard output, one a line, for a
workflow to upload each; a summary goes to standard error. --github, the
only target today, is required, so that a later target cannot change what a
script gets.

Exit status:
  0  the split is written
  1  no split is acceptable: two runs of one tool and category that are not
     one run, or a result too large alone (named); nothing is written
  2  usage error, unreadable input, or a DIR that is not empty

Example:
  sarif-split --github -o split big.sarif
  split/semgrep.sarif
  split/semgrep-2.sarif

Flags:
`

// Name is the command's own program name.
const Name = "sarif-split"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "split", Summary: "cut logs into files GitHub accepts, one upload each",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run splits and how, as the flags set them.
type Options struct {
	IO     *cli.IO
	Inputs []string // files, "-" for standard input
	// GitHub is the target (--github), the only one.
	GitHub bool
	// Dir is the directory the files go to (-o); Gzip compresses them.
	Dir  string
	Gzip bool
	// Merge are the library's options: --category, --force,
	// --category-from-tool, --rename-uri-bases.
	Merge merge.Options

	cmd *cli.Command
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs the split, or
// runF instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	opts := &Options{IO: ios, cmd: cmd}
	cmd.ReadLimitFlags()
	fl := cmd.Flags
	fl.BoolVar(&opts.GitHub, "github", false, "split for GitHub code scanning's upload limits (required: the only target)")
	fl.StringVarP(&opts.Dir, "output", "o", "", "write the files into `DIR`, which must be empty or is created (required)")
	fl.BoolVar(&opts.Gzip, "gzip", false, "gzip-compress the files, named *.sarif.gz")
	fl.StringVar(&opts.Merge.Category, "category", "", "set automationDetails.id (GitHub's `CATEGORY`) on runs that have no automationDetails; a run with another category is an error unless --force")
	fl.BoolVar(&opts.Merge.ReplaceCategory, "force", false, "with --category: replace the automationDetails.id of every run")
	fl.BoolVar(&opts.Merge.CategoryFromTool, "category-from-tool", false, "use the tool name as the category of runs that have no automationDetails")
	fl.BoolVar(&opts.Merge.RenameURIBases, "rename-uri-bases", false, "rename an originalUriBaseIds key that two inputs define differently instead of failing")
	cmd.Run = func(ctx context.Context, args []string) int {
		if !opts.GitHub {
			return cmd.Fail("give --github: GitHub code scanning is the only target")
		}
		if opts.Dir == "" {
			return cmd.Fail("give -o DIR, the directory the files go to")
		}
		if len(args) == 0 {
			return cmd.Fail("no INPUT given")
		}
		if cli.StdinTwice(args...) {
			return cmd.Fail("standard input can be read once: give - once")
		}
		if err := cmd.Requires("force", "category"); err != nil {
			return cmd.Fail("%v", err)
		}
		opts.Inputs = args
		if runF != nil {
			return runF(ctx, opts)
		}
		return splitRun(ctx, opts)
	}
	return cmd
}

// Run runs sarif-split with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// splitRun reads the inputs and writes their split.
func splitRun(ctx context.Context, opts *Options) int {
	cmd := opts.cmd
	created, err := PrepareDir(opts.Dir)
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "-o: %v", err)
	}
	var inputs []sarif.Input
	for _, name := range opts.Inputs {
		// Results stay on disk: the files are written from there.
		l, err := cmd.ReadLog(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			removeDir(opts.Dir, created)
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		defer l.Close()
		inputs = append(inputs, sarif.Input{Name: name, Log: l})
	}
	_, code := WriteSplit(ctx, cmd, opts.Dir, opts.Gzip, inputs, &split.Options{Merge: &opts.Merge})
	if code != cli.ExitOK {
		removeDir(opts.Dir, created)
	}
	return code
}

// PrepareDir makes sure dir is an empty directory, creating it (and its
// parents) when it does not exist; created tells that it did.
func PrepareDir(dir string) (created bool, err error) {
	info, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return false, err
		}
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if !info.IsDir() {
		return false, fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if err != nil && err != io.EOF {
		return false, err
	}
	if len(names) > 0 {
		return false, fmt.Errorf("%s is not empty: give an empty or new directory, so that every file in it is of this split", dir)
	}
	return false, nil
}

// removeDir removes dir when the command created it (it is empty again).
func removeDir(dir string, created bool) {
	if created {
		os.Remove(dir)
	}
}

// MergedName is the name of the input of [WriteSplit] that sarif-merge
// merged (its summary then leaves out the inputs, said already).
const MergedName = "<merged>"

// WriteSplit splits the inputs (see [split.Split]), writes the files into
// dir (see [PrepareDir]), gzip-compressed when gz, lists their paths on
// standard output and a summary on standard error, and returns the paths
// and the exit status. On failure the files written are removed.
func WriteSplit(ctx context.Context, cmd *cli.Command, dir string, gz bool, inputs []sarif.Input, opts *split.Options) ([]string, int) {
	var paths []string
	o := *opts
	o.Write = func(ctx context.Context, f *split.File) error {
		name := f.Name + ".sarif"
		if gz {
			name += ".gz"
		}
		p := filepath.Join(dir, name)
		if err := cmd.WriteOutput(ctx, p, gz, func(w io.Writer) error { return f.Log.Write(w, nil) }); err != nil {
			return err
		}
		paths = append(paths, p)
		return nil
	}
	st, err := split.Split(ctx, inputs, &o)
	if err != nil {
		for _, p := range paths {
			os.Remove(p)
		}
		return nil, failure(cmd, err)
	}
	for _, p := range paths {
		fmt.Fprintln(cmd.IO.Out, p)
	}
	summarize(cmd, st, len(inputs) == 1 && inputs[0].Name == MergedName)
	return paths, cli.ExitOK
}

// failure reports why a split failed, with its exit status.
func failure(cmd *cli.Command, err error) int {
	var ce *split.ConflictError
	var re *split.ResultError
	var ke *split.CollisionError
	var mc *merge.CategoryError
	var mu *merge.ConflictError
	switch {
	case errors.As(err, &ce):
		return cmd.Errorf(cli.ExitFailed, "%v; GitHub rejects them in one upload, and in two the second replaces the first: give them distinct categories (automationDetails.id)", err)
	case errors.As(err, &re), errors.As(err, &ke):
		return cmd.Errorf(cli.ExitFailed, "%v", err)
	case errors.As(err, &mc):
		return cmd.Errorf(cli.ExitUsage, "--category: %v (give --force to replace it)", err)
	case errors.As(err, &mu):
		return cmd.Errorf(cli.ExitUsage, "%v; give --rename-uri-bases to rename the second", err)
	}
	return cmd.Errorf(cli.ExitUsage, "%v", err)
}

// summarize writes what the split did on standard error: one line, one
// more for each trim, and one more for each run divided.
// merged tells that the input is a log sarif-merge merged, whose summary
// it has written.
func summarize(cmd *cli.Command, st *split.Stats, merged bool) {
	results, runs := 0, 0
	for _, f := range st.Files {
		results += f.Results
		runs += f.Runs
	}
	out := fmt.Sprintf("%d files, %d runs, %d results out%s", len(st.Files), runs, results, trimmed(st.Trims))
	if merged {
		cmd.Infof("split: %s", out)
	} else {
		cmd.Infof("%d inputs, %d runs in, %d results; %s", st.Inputs, st.RunsIn, st.ResultsIn, out)
	}
	// Every trim, one a line, where it is in the inputs.
	for _, t := range st.Trims {
		if t.Input != "" {
			cmd.Infof("%s: %s", t.Input, t)
		} else {
			cmd.Infof("%s", t)
		}
	}
	for _, r := range st.Runs {
		if r.Parts <= 1 && r.Pruned == (sarif.Pruned{}) {
			continue
		}
		var why []string
		for _, w := range r.Reasons {
			switch w {
			case split.ReasonResults:
				why = append(why, fmt.Sprintf("over %d results", schema.GitHubMaxResultsPerRun))
			case split.ReasonRules:
				why = append(why, fmt.Sprintf("over %d rules", schema.GitHubMaxRulesPerRun))
			case split.ReasonSize:
				why = append(why, "too large for one file")
			}
		}
		line := fmt.Sprintf("run of %q, category %q, %d results: %d parts", r.Tool, r.Category, r.Results, r.Parts)
		if r.Parts <= 1 {
			line = fmt.Sprintf("run of %q, category %q, %d results: kept as one run", r.Tool, r.Category, r.Results)
		}
		if len(why) > 0 {
			line += " (" + strings.Join(why, ", ") + ")"
		}
		if n := len(r.ByLocation); n > 0 {
			line += fmt.Sprintf("; %d rules divided by file, the first %q", n, r.ByLocation[0])
		}
		if p := r.Pruned; p != (sarif.Pruned{}) {
			what := "from the parts"
			if r.Parts <= 1 {
				what = "from the run"
			}
			line += fmt.Sprintf("; pruned %s (no result uses them): %d rules, %d taxa, %d artifacts, %d thread flow locations", what, p.Rules, p.Taxa, p.Artifacts, p.ThreadFlowLocations)
		}
		cmd.Infof("%s", line)
	}
}

// trimmed says what trimming did, for the summary: how many results or
// rules each kind of trim changed.
func trimmed(trims []split.Trim) string {
	counts := map[split.TrimKind]int{}
	var kinds []split.TrimKind
	for _, t := range trims {
		if counts[t.Kind] == 0 {
			kinds = append(kinds, t.Kind)
		}
		counts[t.Kind]++
	}
	slices.Sort(kinds)
	var parts []string
	for _, k := range kinds {
		what, done := "results", "trimmed"
		switch k {
		case split.TrimTags:
			what = "rules"
		case split.InlineThreadFlowLocations, split.DanglingThreadFlowLocations:
			done = ""
		}
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("%d %s with %s %s", counts[k], what, k, done)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}
