package cmd_test

import (
	"flag"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sarifkit/sarifkit/internal/cmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

var update = flag.Bool("update", false, "rewrite the scripts' expected files (cmp) from what the commands print: check the change by hand before committing it")

// TestMain makes the test binary the commands too: a script's "exec
// sarif-diff" runs this binary as sarif-diff, in a process of its own, so
// that exit codes, signals and standard streams are the real ones.
func TestMain(m *testing.M) {
	mains := map[string]func(){}
	for name, run := range cmd.Programs() {
		mains[name] = func() { cli.Main(run) }
	}
	testscript.Main(m, mains)
}

// TestScripts runs the scripts of testdata/script: each is a txtar
// archive whose comment is a script of commands and expectations (see
// [testscript]), with exact standard output, standard error and exit
// codes. Every script starts in a directory holding a copy of the
// repository's testdata, so that it names the bundled logs as the README
// does: testdata/diff/base.sarif.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:   "testdata/script",
		Setup: copyTestdata,
		// The GitHub context of the machine running the tests must not
		// leak into the scripts.
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Cmds:                scriptCmds(githubCmds(), gitlabCmds()), // github_script_test.go, gitlab_script_test.go
	})
}

// scriptCmds are the script commands of sets, in one map.
func scriptCmds(sets ...map[string]func(ts *testscript.TestScript, neg bool, args []string)) map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	all := map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	for _, s := range sets {
		maps.Copy(all, s)
	}
	return all
}

// copyTestdata copies the repository's testdata into the script's work
// directory: the scripts may write beside it, never into the repository.
// Copies, not hard links: a link changes the file's status (its link
// count and change time), and a command reading the same file in
// another script would rightly take it for a file changed under it.
func copyTestdata(env *testscript.Env) error {
	src := filepath.Join("..", "..", "testdata")
	dst := filepath.Join(env.WorkDir, "testdata")
	for _, k := range append([]string{"GH_TOKEN", "GITHUB_TOKEN", "GH_REPO", "GITHUB_REPOSITORY", "GH_HOST", "GITHUB_API_URL", "NO_COLOR"}, gitlabEnv...) {
		env.Setenv(k, "")
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(to)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
