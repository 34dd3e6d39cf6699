//go:build unix

package reportcmd

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// The checkout is a boundary: the HTML page shows the source of files
// inside it, links inside it included, and nothing of a file a link
// leads to outside it; a FIFO, /dev/zero and a file over the cap do not
// stop it; the summary says once what was refused.
func TestSourceRootConfined(t *testing.T) {
	t.Parallel()
	h := clitest.HostileCheckout(t)
	log := clitest.Log(t, append(h.Inside, h.Refused()...)...)
	r := clitest.RunWithin(t, 30*time.Second, Run, clitest.Env{}, "--format", "html", "--source-root", h.Dir, log)
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	if strings.Contains(r.Stdout, h.Secret) {
		t.Errorf("the page shows a file outside the checkout")
	}
	if n := strings.Count(r.Stdout, `"src":[1,["package a"]]`); n != len(h.Inside) {
		t.Errorf("the page shows the source of %d files inside the checkout, want %d", n, len(h.Inside))
	}
	if strings.Count(r.Stderr, "refused") != 1 || !strings.Contains(r.Stderr, "; --source-root: "+h.Summary()+"\n") {
		t.Errorf("stderr does not say once %q:\n%s", h.Summary(), r.Stderr)
	}
}

// Code Quality fingerprints are the same whatever the files outside the
// checkout hold.
func TestCodeClimateConfined(t *testing.T) {
	t.Parallel()
	h := clitest.HostileCheckout(t)
	log := clitest.Log(t, append(h.Inside, h.Refused()...)...)
	first := clitest.RunWithin(t, 30*time.Second, Run, clitest.Env{}, "--format", "codeclimate", "--source-root", h.Dir, log)
	if first.Code != 0 || !strings.Contains(first.Stderr, h.Summary()) {
		t.Fatalf("exit %d: %s", first.Code, first.Stderr)
	}
	if err := os.WriteFile(h.Outside, []byte("something else\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := clitest.RunWithin(t, 30*time.Second, Run, clitest.Env{}, "--format", "codeclimate", "--source-root", h.Dir, log)
	if first.Stdout != second.Stdout {
		t.Errorf("fingerprints change with a file outside the checkout:\n%s\n%s", first.Stdout, second.Stdout)
	}
}
