package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// A log with a duplicate member name is refused (exit 2), naming the
// file and the pointer of the second member; it is never fused.
func TestDuplicateNameRefused(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "dup.sarif")
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"A"}},"results":[{"message":{"text":"a"},"properties":{"k":1,"k":2}}]}]}`
	if err := os.WriteFile(name, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, run, clitest.Env{}, name)
	if r.Code != 2 || !strings.Contains(r.Stderr, name+":1:") || !strings.Contains(r.Stderr, "/runs/0/results/0/properties/k: duplicate member name \"k\"") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
}

// Results whose members have the wrong type are read, with one warning
// per kind of problem: the pointer of the first, and how many more.
func TestWrongTypesSaid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "wrong.sarif")
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"A"}},"results":[` +
		`{"message":{"text":"ok"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`
	for i := range 42 { // distinct results: merge folds identical ones
		log += fmt.Sprintf(`,{"message":{"text":"m%d"},"level":{"x":1},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1e20}}}]}`, i)
	}
	log += `,{"message":{"text":"m"},"locations":"a.go:1"}]}]}`
	if err := os.WriteFile(name, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, run, clitest.Env{}, name)
	for _, want := range []string{name + ": /runs/0/results/1/level: not a string but an object (and 41 more results); read as absent: the rule's level, else warning", name + ": /runs/0/results/1/locations/0/physicalLocation/region/startLine: beyond the range of a 64-bit integer (and 41 more results); read as absent", name + ": /runs/0/results/43/locations: not an array but a string; read as absent: no location"} {
		if r.Code != 0 || strings.Count(r.Stderr, want) != 1 {
			t.Errorf("exit %d, stderr %q; want one %q", r.Code, r.Stderr, want)
		}
	}
}
