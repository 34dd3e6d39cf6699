package main

import (
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
