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
