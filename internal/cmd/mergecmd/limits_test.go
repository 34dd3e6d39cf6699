package mergecmd

import (
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// A gzip bomb and endless standard input stop at the read caps, exit 2.
func TestReadLimits(t *testing.T) {
	t.Parallel()
	clitest.CheckReadLimits(t, Run, "LOG")
}
