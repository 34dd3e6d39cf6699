//go:build unix

package linemap_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/clitest"
)

// DiffFiles reads only regular files, whatever file system it is given:
// a FIFO, /dev/zero and a file over the cap are left out of the map
// instead of blocking or filling memory; given checkouts, what links
// out of them leads to does not count.
func TestDiffFilesHostile(t *testing.T) {
	t.Parallel()
	base, head := clitest.HostileCheckout(t), clitest.HostileCheckout(t)
	// Outside the head checkout, the file its links lead to changed.
	if err := os.WriteFile(head.Outside, []byte("changed\n"+head.Secret+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := append(base.Inside, base.Refused()...)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	done := make(chan *linemap.LineMap, 2)
	go func() {
		m, _ := linemap.DiffFiles(ctx, os.DirFS(base.Dir), os.DirFS(head.Dir), paths)
		done <- m
		b, err := checkout.Open(base.Dir)
		if err != nil {
			t.Error(err)
			return
		}
		defer b.Close()
		h, err := checkout.Open(head.Dir)
		if err != nil {
			t.Error(err)
			return
		}
		defer h.Close()
		m, _ = linemap.DiffFiles(ctx, b, h, paths)
		done <- m
	}()
	for _, fsys := range []string{"os.DirFS", "checkout"} {
		select {
		case m := <-done:
			if fsys == "checkout" && (m == nil || m.Files() != 0) {
				t.Errorf("%s: the line map has a file outside the checkouts", fsys)
			}
		case <-ctx.Done():
			t.Fatalf("%s: DiffFiles still running after its deadline: it opened a FIFO or reads /dev/zero", fsys)
		}
	}
}
