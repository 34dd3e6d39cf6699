package linemap

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Looking for a gone file's new name reads its directory's new files
// within a budget, one at a time: a directory of many large new files
// and one gone file costs the budget, not the directory.
func TestDiffFilesRenameBudget(t *testing.T) {
	baseDir, headDir := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(baseDir, "d"), 0o755)
	os.MkdirAll(filepath.Join(headDir, "d"), 0o755)
	line := "\tx := compute(a, b, c) // a line of ordinary source code here\n"
	os.WriteFile(filepath.Join(baseDir, "d", "gone.go"), []byte("package d\n"+line), 0o644)
	big := bytes.Repeat([]byte(line), (1<<20)/len(line))
	for i := range 24 {
		os.WriteFile(filepath.Join(headDir, "d", fmt.Sprintf("n%02d.go", i)), big, 0o644)
	}
	const budget = 4 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := diffFiles(t.Context(), os.DirFS(baseDir), os.DirFS(headDir), []string{"d/gone.go"}, budget)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*budget {
		t.Errorf("%d MiB allocated to look for a rename among 24 MiB with a budget of %d MiB", alloc>>20, budget>>20)
	}
	if _, ok := m.files["d/gone.go"]; ok {
		t.Error("gone.go renamed to a file that keeps one of its lines")
	}
}

// A map keeps a few bytes a line of diff, whatever the lines: a diff of
// empty added lines (two bytes each) and one of one-line changes (four
// bytes each) cost a few times their size to read, not the hundreds of
// bytes a line that keeping each line's text in maps took.
func TestReadGitDiffMemory(t *testing.T) {
	const n = 1 << 20
	alternating := []byte(fmt.Sprintf("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,%d +1,%d @@\n", n, 2*n))
	alternating = append(alternating, bytes.Repeat([]byte("+\n \n"), n)...)
	for _, tc := range []struct {
		name  string
		diff  []byte
		ratio uint64
		last  int // the last line added
	}{{"empty lines", emptyLinesDiff(2 * n), 3, 2 * n}, {"one-line changes", alternating, 10, 2*n - 1}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, err := ReadGitDiff(bytes.NewReader(tc.diff))
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Added("x", tc.last) || m.Added("x", tc.last+1) {
			t.Errorf("%s: the last line", tc.name)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > tc.ratio*uint64(len(tc.diff)) {
			t.Errorf("%s: %d MiB allocated to read a diff of %d MiB", tc.name, alloc>>20, len(tc.diff)>>20)
		}
	}
}
