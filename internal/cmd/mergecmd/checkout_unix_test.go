//go:build unix

package mergecmd

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// --fingerprint reads the checkout as a boundary: line hashes of the
// files inside it (links inside it included), none from a file outside
// it, /dev/zero, a FIFO or a file over the cap, which do not stop it;
// the summary says once what was refused.
func TestFingerprintConfined(t *testing.T) {
	t.Parallel()
	h := clitest.HostileCheckout(t)
	paths := append(h.Inside, h.Refused()...)
	out := filepath.Join(t.TempDir(), "out.sarif")
	r := clitest.RunWithin(t, 30*time.Second, Run, clitest.Env{}, "--fingerprint", "--source-root", h.Dir, "-o", out, clitest.Log(t, paths...))
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	want := fmt.Sprintf("sarif-merge: 1 inputs, 1 runs in, 1 out, %d results in, %[1]d out, 0 identical results folded; 0 URIs rebased; %d fingerprints added, %d files not found (%s)\n",
		len(paths), len(h.Inside), len(h.Refused()), h.Summary())
	if r.Stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.Stderr, want)
	}
	l, err := sarif.ReadFile(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	hash := sarif.LineHashes([]byte("package a\n"))[0]
	for i, res := range sariftest.Results(t, l.Runs[0]) {
		got := res.PartialFingerprints["primaryLocationLineHash"]
		switch inside := i < len(h.Inside); {
		case inside && got != hash:
			t.Errorf("%s: hash %v, want %v", paths[i], got, hash)
		case !inside && got != nil:
			t.Errorf("%s: hash %v of a file refused", paths[i], got)
		}
	}
}
