package diffcmd

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// A gzip bomb and endless standard input stop at the read caps, exit 2,
// as the base or as the head.
func TestReadLimits(t *testing.T) {
	t.Parallel()
	empty := filepath.Join(t.TempDir(), "empty.sarif")
	if err := os.WriteFile(empty, []byte(`{"version":"2.1.0","runs":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	clitest.CheckReadLimits(t, Run, "LOG", empty)
	clitest.CheckReadLimits(t, Run, empty, "LOG")
}
