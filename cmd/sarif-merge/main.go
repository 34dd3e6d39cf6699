// Command sarif-merge combines SARIF logs from several tools into one log
// that GitHub code scanning accepts.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/sarifkit/sarifkit/internal/cli"
	"github.com/sarifkit/sarifkit/merge"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
)

const usage = `Usage: sarif-merge [flags] -o OUTPUT INPUT...

Combines SARIF 2.1.0 logs into one. INPUT is a file, "-" for standard input,
or with --recursive a directory searched for *.sarif, *.sarif.json and
*.sarif.gz; gzip input is recognised. Runs of the same tool and category
(automationDetails.id) are combined into one run, with every index into
rules, extensions, taxonomies, artifacts, logical and thread flow locations
remapped; GitHub rejects an upload with two runs of one tool and category, so
the output never has any. Identical results (equal as JSON once their indices
are remapped, whatever the order of their members) are kept once. A one-line
summary goes to standard error.

Exit status:
  0  merged (and, with --check-github, GitHub would accept the output)
  1  --check-github found reasons GitHub would reject the output (listed)
  2  usage error, unreadable input, or runs that cannot be combined

Example:
  sarif-merge --category-from-tool --fingerprint --source-root . --rebase-uris "$PWD" \
      --check-github -o merged.sarif gosec.sarif eslint.sarif.gz semgrep.sarif
  sarif-merge: 3 inputs, 3 runs in, 3 out, 812 results in, 809 out, 3 identical results folded, 809 fingerprints added

Flags:
`

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr) })
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := cli.New("sarif-merge", usage, stdout, stderr)
	fl := cmd.Flags
	output := fl.StringP("output", "o", "", "output file (written atomically); - for standard output (required)")
	recursive := fl.BoolP("recursive", "r", false, "search directories given as INPUT for SARIF files")
	gz := fl.Bool("gzip", false, "gzip the output (.sarif.gz)")
	category := fl.String("category", "", "set automationDetails.id (GitHub's category) on runs that have none")
	categoryFromTool := fl.Bool("category-from-tool", false, "use the tool name as the category of runs that have none")
	keepDup := fl.Bool("keep-duplicates", false, "keep identical results instead of folding them into one (identical: equal as JSON once indices are remapped, members in any order, naming the same rule; results that differ in anything else, a property or a suppression, are never folded)")
	renameBases := fl.Bool("rename-uri-bases", false, "rename conflicting originalUriBaseIds instead of failing")
	fingerprint := fl.Bool("fingerprint", false, "compute partialFingerprints.primaryLocationLineHash where missing (needs --source-root)")
	sourceRoot := fl.String("source-root", "", "checkout root for --fingerprint")
	rebase := fl.String("rebase-uris", "", "make absolute file:// URIs under this directory relative to it")
	rebaseBase := fl.String("rebase-uri-base-id", "", "with --rebase-uris, give rebased URIs this uriBaseId")
	checkGitHub := fl.Bool("check-github", false, "validate the output with GitHub's upload checks; exit 1 if GitHub would reject it")
	checkout := fl.String("checkout-uri", "", "with --check-github, the file:// URI of the checkout root")
	indent := fl.Bool("indent", false, "pretty-print the output")
	if code, done := cmd.Parse(args); done {
		return code
	}
	fail := cmd.Fail
	if *output == "" {
		return fail("-o OUTPUT is required; see --help")
	}
	if fl.NArg() == 0 {
		return fail("no INPUT given; see --help")
	}
	if *fingerprint && *sourceRoot == "" {
		return fail("--fingerprint needs --source-root")
	}
	names, err := expand(fl.Args(), *recursive)
	if err != nil {
		return fail("%v", err)
	}
	inputs, err := readAll(ctx, names, stdin)
	if err != nil {
		return fail("%v", err)
	}
	out, st, err := merge.Merge(inputs, &merge.Options{
		Category: *category, CategoryFromTool: *categoryFromTool, KeepDuplicates: *keepDup, RenameURIBases: *renameBases,
	})
	if err != nil {
		return fail("%v", err)
	}
	for _, w := range st.Warnings {
		fmt.Fprintln(stderr, "sarif-merge: warning:", w)
	}
	if *rebase != "" {
		if _, err := merge.RebaseURIs(out, *rebase, *rebaseBase); err != nil {
			return fail("--rebase-uris: %v", err)
		}
	}
	added := 0
	if *fingerprint {
		fst, err := sarif.AddLineHashes(ctx, out, *sourceRoot)
		if err != nil {
			return fail("--fingerprint: %v", err)
		}
		added = fst.Added
	}
	code := cli.ExitOK
	if *checkGitHub {
		v, err := schema.New(&schema.Options{GitHub: true, CheckoutURI: *checkout})
		if err != nil {
			return fail("%v", err)
		}
		findings, err := v.ValidateLog(ctx, out, *output)
		if err != nil {
			return fail("%v", err)
		}
		for _, f := range findings {
			fmt.Fprintln(stderr, f)
		}
		if schema.HasErrors(findings) {
			code = cli.ExitFindings
		}
	}
	opts := &sarif.WriteOptions{Gzip: *gz}
	if *indent {
		opts.Indent = "  "
	}
	if *output == sarif.Stdin {
		err = out.Write(stdout, opts)
	} else {
		err = out.WriteFile(*output, opts)
	}
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stderr, "sarif-merge: %d inputs, %d runs in, %d out, %d results in, %d out, %d identical results folded, %d fingerprints added\n",
		st.Inputs, st.RunsIn, st.RunsOut, st.ResultsIn, st.ResultsOut, st.Duplicates, added)
	if code == cli.ExitFindings {
		fmt.Fprintln(stderr, "sarif-merge: GitHub would reject the output (see above)")
	}
	return code
}

// expand turns directory arguments into the SARIF files under them.
func expand(args []string, recursive bool) ([]string, error) {
	var names []string
	for _, a := range args {
		if a == sarif.Stdin {
			names = append(names, a)
			continue
		}
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			names = append(names, a)
			continue
		}
		if !recursive {
			return nil, fmt.Errorf("%s is a directory; use --recursive to search it", a)
		}
		found := 0
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			n := strings.ToLower(d.Name())
			if !d.IsDir() && (strings.HasSuffix(n, ".sarif") || strings.HasSuffix(n, ".sarif.json") || strings.HasSuffix(n, ".sarif.gz")) {
				names = append(names, p)
				found++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if found == 0 {
			return nil, fmt.Errorf("no *.sarif, *.sarif.json or *.sarif.gz file under %s", a)
		}
	}
	return names, nil
}

// readAll reads the inputs, as many at once as there are cores, and
// returns them in order; the first error wins.
func readAll(ctx context.Context, names []string, stdin io.Reader) ([]merge.Input, error) {
	inputs := make([]merge.Input, len(names))
	errs := make([]error, len(names))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			// Results are merged as text, without decoding them.
			opts := &sarif.ReadOptions{RawResults: true}
			var l *sarif.Log
			var err error
			if name == sarif.Stdin {
				var in *sarif.Input
				if in, err = sarif.NewInput(stdin, "<stdin>", opts); err == nil {
					l, err = sarif.ReadInput(ctx, in, opts)
				}
			} else {
				l, err = sarif.ReadFile(ctx, name, opts)
			}
			inputs[i], errs[i] = merge.Input{Name: name, Log: l}, err
		})
	}
	wg.Wait()
	return inputs, errors.Join(errs...)
}
