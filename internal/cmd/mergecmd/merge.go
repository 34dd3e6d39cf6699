// Package mergecmd is the command sarif-merge (sarifkit merge), which combines SARIF logs from several tools into one log
// that GitHub code scanning accepts.
package mergecmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/splitcmd"
	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/merge"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
	"github.com/sarifkit/sarifkit/split"
)

const usage = `Usage: sarif-merge [flags] INPUT...

Combines SARIF 2.1.0 logs into one, written to standard output or -o FILE.
INPUT is a file, "-" for standard input, or with --recursive a directory
searched for *.sarif, *.sarif.json and *.sarif.gz; gzip input is recognised.
Runs that are one run to GitHub (the same tool name, fullName, version,
semanticVersion and guid, and the same whole automationDetails.id) are
combined into one run, with every index into rules, extensions, taxonomies,
artifacts, logical and thread flow locations remapped; GitHub rejects an
upload with two such runs, so the output never has any. Runs that differ in
any of these (another version of the tool, another run id of a category)
are two runs to GitHub, and stay two. Identical results
(equal as JSON once their indices are remapped, whatever the order of their
members) are kept once. With --source-root, absolute file URIs under the
checkout become relative to it, and with --fingerprint results get
partialFingerprints.primaryLocationLineHash from the checkout's files, as
GitHub's upload action computes them. A one-line summary goes to standard
error.

With --split-dir DIR the merged log is written as sarif-split writes it:
files that GitHub accepts, one upload each, into DIR (empty, or created),
their paths on standard output; see sarif-split --help.

Exit status:
  0  merged (and, with --check-github, GitHub would accept the output)
  1  --check-github found reasons GitHub would reject the output (listed); the
     output is written all the same, for inspection
  2  usage error, unreadable input, or runs that cannot be combined (an
     originalUriBaseIds key defined differently, without --rename-uri-bases)

Example:
  sarif-merge --category-from-tool --source-root . --fingerprint --check-github \
      -o merged.sarif gosec.sarif eslint.sarif.gz semgrep.sarif
  sarif-merge: 3 inputs, 3 runs in, 3 out, 812 results in, 809 out, 3 identical results folded; 812 URIs rebased; 809 fingerprints added, 0 files not found

Flags:
`

// Name is the command's own program name.
const Name = "sarif-merge"

// Verb is the command as sarifkit lists it.
func Verb() cli.Verb {
	return cli.Verb{Name: "merge", Summary: "combine logs from several tools into one log GitHub accepts",
		Cmd: func(ios *cli.IO, prog string) *cli.Command { return NewCmd(ios, prog, nil) }}
}

// Options are what one run merges and how, as the flags set them.
type Options struct {
	IO     *cli.IO
	Inputs []string // files, "-" for standard input, or directories
	// Recursive searches directories given as Inputs (--recursive).
	Recursive bool
	// Merge are the library's options: --category, --force,
	// --category-from-tool, --keep-duplicates, --rename-uri-bases.
	Merge merge.Options
	// SourceRoot is the checkout root (--source-root): a directory or
	// file:// URI; "" for none. BaseID is --uri-base-id.
	SourceRoot, BaseID string
	// Fingerprint adds line hashes (--fingerprint); CheckGitHub validates
	// the output with GitHub's upload checks (--check-github).
	Fingerprint, CheckGitHub bool
	Output                   *cli.LogOutput // -o, --indent, --gzip
	// SplitDir writes the split of the merged log into this directory
	// instead (--split-dir; see package split).
	SplitDir string

	cmd *cli.Command // messages
}

// NewCmd returns the command named prog with its flags bound to a new
// [Options]. Once the flags are parsed and checked it runs merge, or runF
// instead when runF is not nil (tests of the flags).
func NewCmd(ios *cli.IO, prog string, runF func(context.Context, *Options) int) *cli.Command {
	cmd := cli.New(prog, usage, ios)
	opts := &Options{IO: ios, cmd: cmd}
	cmd.ReadLimitFlags()
	fl := cmd.Flags
	opts.Output = cmd.LogOutputFlags()
	fl.BoolVarP(&opts.Recursive, "recursive", "r", false, "search directories given as INPUT for SARIF files")
	fl.StringVar(&opts.Merge.Category, "category", "", "set automationDetails.id (GitHub's `CATEGORY`) on runs that have no automationDetails, as the upload action's category does; a run with another category is an error unless --force")
	fl.BoolVar(&opts.Merge.ReplaceCategory, "force", false, "with --category: replace the automationDetails.id of every run")
	fl.BoolVar(&opts.Merge.CategoryFromTool, "category-from-tool", false, "use the tool name as the category of runs that have no automationDetails")
	fl.BoolVar(&opts.Merge.KeepDuplicates, "keep-duplicates", false, "keep identical results instead of folding them into one (identical: equal as JSON once indices are remapped, members in any order, naming the same rule; results that differ in anything else, a property or a suppression, are never folded)")
	fl.BoolVar(&opts.Merge.RenameURIBases, "rename-uri-bases", false, "rename an originalUriBaseIds key that two inputs define differently instead of failing")
	fl.StringVar(&opts.SourceRoot, "source-root", "", "checkout root, a `DIR` or file:// URI: make absolute file URIs under it relative to it (and the checkout of --check-github)")
	fl.StringVar(&opts.BaseID, "uri-base-id", "", "with --source-root: give rebased URIs this uriBaseId, defined in originalUriBaseIds as the checkout root")
	fl.BoolVar(&opts.Fingerprint, "fingerprint", false, "with --source-root DIR: add partialFingerprints.primaryLocationLineHash where missing, from the checkout's files")
	fl.BoolVar(&opts.CheckGitHub, "check-github", false, "validate the output with GitHub's upload checks; exit 1 if GitHub would reject it")
	fl.StringVar(&opts.SplitDir, "split-dir", "", "write the merged log as files GitHub accepts, one upload each, into `DIR` (empty or new), as sarif-split does, and list them on standard output")
	cmd.Run = func(ctx context.Context, args []string) int {
		if len(args) == 0 {
			return cmd.Fail("no INPUT given")
		}
		for _, f := range []string{"uri-base-id", "fingerprint"} {
			if err := cmd.Requires(f, "source-root"); err != nil {
				return cmd.Fail("%v", err)
			}
		}
		if err := cmd.Requires("force", "category"); err != nil {
			return cmd.Fail("%v", err)
		}
		if opts.SplitDir != "" {
			for _, f := range []string{"output", "indent"} {
				if cmd.Set(f) {
					return cmd.Fail("--%s cannot apply with --split-dir, which writes the files (compact, for their size)", f)
				}
			}
		} else if err := opts.Output.Check(); err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		opts.Inputs = args
		if runF != nil {
			return runF(ctx, opts)
		}
		return mergeRun(ctx, opts)
	}
	return cmd
}

// Run runs sarif-merge with the command-line arguments args.
func Run(ctx context.Context, ios *cli.IO, args []string) int {
	return NewCmd(ios, Name, nil).Exec(ctx, args)
}

// mergeRun reads opts.Inputs, merges them, rebases and fingerprints the
// result as asked, checks it with GitHub's rules if asked, writes it and
// a summary.
func mergeRun(ctx context.Context, opts *Options) int {
	cmd, ios, out := opts.cmd, opts.IO, opts.Output
	var root cli.SourceRoot
	if opts.SourceRoot != "" {
		var err error
		if root, err = cli.ParseSourceRoot(opts.SourceRoot); err == nil && opts.Fingerprint {
			_, err = root.LocalDir("--fingerprint")
		}
		if err != nil {
			return cmd.Fail("--source-root: %v", err)
		}
	}
	names, skipped, err := expand(opts.Inputs, opts.Recursive)
	if err != nil {
		return cmd.Fail("%v", err)
	}
	if opts.SplitDir != "" {
		created, err := splitcmd.PrepareDir(opts.SplitDir)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "--split-dir: %v", err)
		}
		if created {
			defer func() {
				os.Remove(opts.SplitDir) // when empty: the split failed
			}()
		}
	}
	if len(skipped) > 0 {
		cmd.Warnf("%d file(s) named like SARIF skipped, not regular files (a symbolic link, a FIFO, a device), the first %s", len(skipped), skipped[0])
	}
	inputs, err := readAll(ctx, cmd, names)
	for _, in := range inputs {
		if in.Log != nil {
			defer in.Log.Close() // the merged log takes the files: closed once
		}
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() { // an input's error a line
			cmd.Errorf(cli.ExitUsage, "%v", e)
		}
		return cli.ExitUsage
	}
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	merged, st, err := merge.Merge(ctx, inputs, &opts.Merge)
	var cerr *merge.CategoryError
	var uerr *merge.ConflictError
	switch {
	case errors.As(err, &cerr):
		return cmd.Errorf(cli.ExitUsage, "--category: %v (give --force to replace it)", err)
	case errors.As(err, &uerr):
		return cmd.Errorf(cli.ExitUsage, "%v; give --rename-uri-bases to rename the second", err)
	}
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	for _, w := range st.Warnings {
		cmd.Warnf("%s", w)
	}
	summary := fmt.Sprintf("%d inputs, %d runs in, %d out, %d results in, %d out, %d identical results folded",
		st.Inputs, st.RunsIn, st.RunsOut, st.ResultsIn, st.ResultsOut, st.Duplicates)
	if root.URI != "" {
		n, err := merge.RebaseURIs(ctx, merged, root.URI, opts.BaseID)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "--source-root: %v", err)
		}
		summary += fmt.Sprintf("; %d URIs rebased", n)
	}
	// The output's name in messages.
	name := *out.Name
	if cli.IsStdio(name) {
		name = "<output>"
	}
	if opts.Fingerprint {
		files, err := root.Files("--fingerprint")
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "--source-root: %v", err)
		}
		defer files.Close()
		fst, err := sarif.AddLineHashesFrom(ctx, merged, files, files.Dir())
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "--fingerprint: %v", err)
		}
		summary += fmt.Sprintf("; %d fingerprints added, %d files not found", fst.Added, fst.MissingFiles)
		if fst.Outside > 0 {
			// GitHub's action would hash these; the checkout is a boundary.
			summary += fmt.Sprintf(", %d results whose file is outside the checkout (not read)", fst.Outside)
		}
		if r := files.Refused(); r.Total() > 0 {
			summary += fmt.Sprintf(" (%s)", r)
		}
		// What the hashing read as absent, by the pointers of the output.
		cmd.WarnLenient(name, merged)
	}
	if opts.SplitDir != "" {
		return writeSplit(ctx, opts, merged, root.URI, summary)
	}
	code := cli.ExitOK
	if opts.CheckGitHub {
		v, err := schema.New(&schema.Options{GitHub: true, CheckoutURI: root.URI})
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		findings, err := v.ValidateLog(ctx, merged, name)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		for _, g := range schema.Groups(findings) {
			fmt.Fprintln(ios.Err, g)
		}
		if schema.HasErrors(findings) {
			code = cli.ExitFailed
		}
	}
	if err := out.Write(ctx, merged); err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	cmd.Infof("%s", summary)
	if code == cli.ExitFailed {
		// A failed check, not a failed run: the merged log is written,
		// for the user to see what GitHub would reject.
		if cli.IsStdio(*out.Name) {
			cmd.Infof("GitHub would reject the output (see above)")
		} else {
			cmd.Infof("GitHub would reject the output, written to %s for inspection (see above)", *out.Name)
		}
	}
	return code
}

// writeSplit writes the split of the merged log into opts.SplitDir, and
// with --check-github checks each file as sarif-validate --check-github
// does.
func writeSplit(ctx context.Context, opts *Options, merged *sarif.Log, checkout, summary string) int {
	cmd := opts.cmd
	cmd.Infof("%s", summary)
	gz := cmd.Set("gzip")
	paths, code := splitcmd.WriteSplit(ctx, cmd, opts.SplitDir, gz, []sarif.Input{{Name: splitcmd.MergedName, Log: merged}}, &split.Options{})
	if code != cli.ExitOK || !opts.CheckGitHub {
		return code
	}
	v, err := schema.New(&schema.Options{GitHub: true, CheckoutURI: checkout})
	if err != nil {
		return cmd.Errorf(cli.ExitUsage, "%v", err)
	}
	for _, p := range paths {
		findings, err := v.ValidateFile(ctx, p)
		if err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		for _, g := range schema.Groups(findings) {
			fmt.Fprintln(opts.IO.Err, g)
		}
		if schema.HasErrors(findings) {
			code = cli.ExitFailed
		}
	}
	if code == cli.ExitFailed {
		cmd.Infof("GitHub would reject files of the split (see above)")
	}
	return code
}

// expand turns directory arguments into the SARIF files under them.
// Under a directory only regular files are taken: a symbolic link, a FIFO
// (which would block the merge waiting for a writer) or a device that a
// build step left there is skipped, and returned as such. A file named as
// an argument is read whatever it is.
func expand(args []string, recursive bool) (names, skipped []string, err error) {
	for _, a := range args {
		if a == cli.Stdin {
			names = append(names, a)
			continue
		}
		info, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("%s does not exist", a)
		}
		if !info.IsDir() {
			names = append(names, a)
			continue
		}
		if !recursive {
			return nil, nil, fmt.Errorf("%s is a directory; use --recursive to search it", a)
		}
		found := 0
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			n := strings.ToLower(d.Name())
			if d.IsDir() || !(strings.HasSuffix(n, ".sarif") || strings.HasSuffix(n, ".sarif.json") || strings.HasSuffix(n, ".sarif.gz")) {
				return nil
			}
			if !d.Type().IsRegular() {
				skipped = append(skipped, p)
				return nil
			}
			names = append(names, p)
			found++
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		if found == 0 {
			return nil, nil, fmt.Errorf("no *.sarif, *.sarif.json or *.sarif.gz file under %s", a)
		}
	}
	return names, skipped, nil
}

// readAll reads the inputs, as many at once as there are cores, and
// returns them in order; the errors are joined.
func readAll(ctx context.Context, cmd *cli.Command, names []string) ([]sarif.Input, error) {
	inputs := make([]sarif.Input, len(names))
	errs := make([]error, len(names))
	err := parallel.For(ctx, len(names), func(_, i int) error {
		// Results stay on disk: the merged log is written from there.
		l, err := cmd.ReadLog(ctx, names[i], &sarif.ReadOptions{ResultsOnDisk: true})
		inputs[i], errs[i] = sarif.Input{Name: names[i], Log: l}, err
		return nil
	})
	return inputs, errors.Join(append(errs, err)...)
}
