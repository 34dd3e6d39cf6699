// Package internal_test holds the test of the house's layering: which
// packages of the module may import which. The rules it checks are those
// README.md's layout section describes.
package internal_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/sarifkit/sarifkit"

// imports maps each package of the module (by its path relative to the
// module root, "sarif", "internal/cmd/cli") to the module's packages its
// non-test files import.
func imports(t *testing.T) map[string]map[string]bool {
	t.Helper()
	root := filepath.Join("..")
	pkgs := map[string]map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		if pkgs[pkg] == nil {
			pkgs[pkg] = map[string]bool{}
		}
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			if dep, ok := strings.CutPrefix(ip, module+"/"); ok {
				pkgs[pkg][dep] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages; the walk went wrong", len(pkgs))
	}
	return pkgs
}

func under(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

// testSupport are the internal packages only tests import; they may
// import anything.
var testSupport = []string{"internal/sariftest", "internal/fakegithub", "internal/fakegitlab", "internal/clitest"}

func isTestSupport(pkg string) bool {
	for _, s := range testSupport {
		if under(pkg, s) {
			return true
		}
	}
	return false
}

// TestLayers checks the house: internal/ is the bottom layer (its
// packages import nothing of the module outside internal/), except the
// command runners under internal/cmd and the test support; the library
// packages never import the command runners nor test support; diff does
// not depend on report; sarif imports no other library; review
// imports no API client; the programs under cmd/ are thin mains over
// internal/cmd.
func TestLayers(t *testing.T) {
	for pkg, deps := range imports(t) {
		for dep := range deps {
			switch {
			case under(pkg, "internal/cmd") || isTestSupport(pkg):
				// The top: anything goes.
			case under(pkg, "internal"):
				if !under(dep, "internal") || under(dep, "internal/cmd") || isTestSupport(dep) {
					t.Errorf("%s imports %s: a package of the bottom layer imports only bottom-layer packages", pkg, dep)
				}
			case under(pkg, "cmd"):
				if !under(dep, "internal/cmd") {
					t.Errorf("%s imports %s: a program under cmd/ only calls a runner of internal/cmd", pkg, dep)
				}
			default: // the libraries
				if under(dep, "internal/cmd") || isTestSupport(dep) || under(dep, "cmd") {
					t.Errorf("%s imports %s: a library imports no command and no test support", pkg, dep)
				}
			}
		}
	}
	all := imports(t)
	for dep := range all["diff"] {
		if under(dep, "report") {
			t.Errorf("diff imports %s: report renders comparisons, diff makes them", dep)
		}
	}
	// sarif is the floor of the libraries: it imports none of them.
	for dep := range all["sarif"] {
		if !under(dep, "internal") {
			t.Errorf("sarif imports %s: the model and its I/O stand on the bottom layer alone", dep)
		}
	}
	// A review knows its forges only by review.Forge: the clients
	// (fetch for GitHub, gitlab) adapt to it, never the other way.
	for dep := range all["review"] {
		if dep == "fetch" || dep == "gitlab" {
			t.Errorf("review imports %s: the API clients implement review.Forge, review knows none of them", dep)
		}
	}
}

// TestThinMains checks that cmd/ holds wiring only: at most 600 lines of
// non-test Go in all.
func TestThinMains(t *testing.T) {
	n := 0
	err := filepath.WalkDir(filepath.Join("..", "cmd"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".go" || strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		n += strings.Count(string(b), "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n > 600 {
		t.Errorf("cmd/ holds %d lines of non-test Go; want 1 to 600", n)
	}
}
