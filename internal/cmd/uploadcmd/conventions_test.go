package uploadcmd

import (
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

func TestConventions(t *testing.T) {
	t.Parallel()
	clitest.CheckConventions(t, Run, "sarif-upload")
}
