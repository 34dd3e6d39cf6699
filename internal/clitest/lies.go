package clitest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// DuplicateNameLog writes dup.sarif in dir: a log whose one result has a
// property bag with two members named "k", which JSON leaves undefined
// and every command but sarif-validate refuses. It returns the path.
func DuplicateNameLog(t testing.TB, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "dup.sarif")
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"A"}},"results":[{"message":{"text":"a"},"properties":{"k":1,"k":2}}]}]}`
	if err := os.WriteFile(name, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// CheckDuplicateNameRefused checks that a run refused the log that
// [DuplicateNameLog] wrote at name: exit 2, naming the file, its line and
// the pointer of the second member.
func CheckDuplicateNameRefused(t testing.TB, r Result, name string) {
	t.Helper()
	if r.Code != 2 || !strings.Contains(r.Stderr, name+":1:") || !strings.Contains(r.Stderr, `/runs/0/results/0/properties/k: duplicate member name "k"`) {
		t.Errorf("exit %d, stderr %q; want 2 and the duplicate named", r.Code, r.Stderr)
	}
}

// WrongTypesLog writes wrong.sarif in dir, and a.go beside it: a log of
// 44 results, of which 42 (distinct, so that a merge folds none) have a
// level that is an object and a startLine beyond 64 bits, and the last
// a locations member that is a string. It returns the path.
func WrongTypesLog(t testing.TB, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "wrong.sarif")
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"A"}},"results":[` +
		`{"message":{"text":"ok"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`
	for i := range 42 {
		log += fmt.Sprintf(`,{"message":{"text":"m%d"},"level":{"x":1},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1e20}}}]}`, i)
	}
	log += `,{"message":{"text":"m"},"locations":"a.go:1"}]}]}`
	if err := os.WriteFile(name, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// CheckWarnedOnce checks that a run succeeded and said each of want once
// on standard error.
func CheckWarnedOnce(t testing.TB, r Result, want ...string) {
	t.Helper()
	for _, w := range want {
		if r.Code != 0 || strings.Count(r.Stderr, w) != 1 {
			t.Errorf("exit %d, stderr %q; want one %q", r.Code, r.Stderr, w)
		}
	}
}
