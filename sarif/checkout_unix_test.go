//go:build unix

package sarif_test

import (
	"context"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// AddLineHashes reads its source root as a boundary: no hash from a
// file outside it, /dev/zero, a FIFO or a file over the cap; links
// inside it are followed.
func TestAddLineHashesConfined(t *testing.T) {
	t.Parallel()
	h := clitest.HostileCheckout(t)
	paths := append(h.Inside, h.Refused()...)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	l, err := sarif.ReadFile(ctx, clitest.Log(t, paths...), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type result struct {
		st  sarif.FingerprintStats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := sarif.AddLineHashes(ctx, l, h.Dir)
		done <- result{st, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		t.Fatal("AddLineHashes still running after its deadline: it opened a FIFO or reads /dev/zero")
	}
	if r.err != nil || r.st.Added != len(h.Inside) || r.st.MissingFiles != len(h.Refused()) {
		t.Errorf("%+v, %v; want %d added, %d missing", r.st, r.err, len(h.Inside), len(h.Refused()))
	}
	want := sarif.LineHashes([]byte("package a\n"))[0]
	for i, res := range sariftest.Results(t, l.Runs[0]) {
		got := res.PartialFingerprints["primaryLocationLineHash"]
		if inside := i < len(h.Inside); inside && got != want || !inside && got != nil {
			t.Errorf("%s: hash %v", paths[i], got)
		}
	}
}
