// Package corpus locates the test data of the repository for tests in any
// package: the real SARIF logs of testdata/corpus (see testdata/README.md
// for which tool made each file) and the rest of testdata/.
package corpus

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// Testdata returns the path of elem under the repository's testdata
// folder.
func Testdata(elem ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", "..", "testdata"}, elem...)...)
}

// Dir returns the corpus folder, testdata/corpus.
func Dir(t testing.TB) string {
	t.Helper()
	dir := Testdata("corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("corpus folder: %v", err)
	}
	return dir
}

// Files returns the paths of the files in the corpus subfolder sub ("real"
// or "invalid"), sorted.
func Files(t testing.TB, sub string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(Dir(t), sub))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() {
			files = append(files, filepath.Join(Dir(t), sub, e.Name()))
		}
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
