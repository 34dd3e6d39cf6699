//go:build unix

package report_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// The source shown beside findings is read from regular files only,
// whatever file system holds it: a FIFO, /dev/zero and a file over the
// cap show no source instead of blocking or filling memory.
func TestSourceNotRegular(t *testing.T) {
	t.Parallel()
	h := clitest.HostileCheckout(t)
	paths := []string{"a.go", "fifo.go", "zero.go", "big.go"}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	l, err := sarif.ReadFile(ctx, clitest.Log(t, paths...), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan []*report.Finding, 1)
	go func() {
		var findings []*report.Finding
		for f, err := range report.Findings(ctx, []sarif.Input{{Name: "scan.sarif", Log: l}}, &report.Options{Source: os.DirFS(h.Dir)}) {
			if err != nil {
				t.Error(err)
				break
			}
			findings = append(findings, f)
		}
		done <- findings
	}()
	select {
	case findings := <-done:
		if len(findings) != len(paths) {
			t.Errorf("%d findings", len(findings))
		}
		for _, f := range findings {
			if (f.Path == "a.go") != (f.LineText == "package a") {
				t.Errorf("%s: line %q", f.Path, f.LineText)
			}
		}
	case <-ctx.Done():
		t.Fatal("Findings still running after its deadline: it opened a FIFO or reads /dev/zero")
	}
}
