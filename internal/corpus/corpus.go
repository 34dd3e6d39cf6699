// Package corpus locates the shared corpus of real SARIF logs that tests
// read: the folder shared/corpus beside the repository (see its README for
// which tool made each file). Tests skip, with a message saying so, when
// the folder is absent.
package corpus

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// Dir returns the corpus folder, or skips the test when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SKIP: shared corpus not found at %s: tests on real tool output did not run", dir)
	}
	return dir
}

// Files returns the paths of the files in the corpus subfolder sub ("real"
// or "invalid"), sorted, skipping README files.
func Files(t testing.TB, sub string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(Dir(t), sub))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() || e.Name() == "README.md" {
			continue
		}
		files = append(files, filepath.Join(Dir(t), sub, e.Name()))
	}
	slices.Sort(files)
	if len(files) == 0 {
		t.Fatalf("no files in corpus folder %s", sub)
	}
	return files
}

// Path returns the path of one corpus file, e.g. Path(t, "real", "x.sarif").
func Path(t testing.TB, sub, name string) string {
	t.Helper()
	return filepath.Join(Dir(t), sub, name)
}
