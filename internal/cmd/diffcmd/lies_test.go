package diffcmd

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// A log with a duplicate member name is refused (exit 2), naming the
// file and the pointer of the second member; it is never fused.
func TestDuplicateNameRefused(t *testing.T) {
	t.Parallel()
	name := clitest.DuplicateNameLog(t, t.TempDir())
	clitest.CheckDuplicateNameRefused(t, clitest.Run(t, Run, clitest.Env{}, name, name), name)
}

// Results whose members have the wrong type are read, with one warning
// per kind of problem: the pointer of the first, and how many more.
func TestWrongTypesSaid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := clitest.WrongTypesLog(t, dir)
	// A copy as head: each side is said of once, by its own name.
	head := filepath.Join(dir, "head.sarif")
	if err := os.Link(name, head); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, Run, clitest.Env{}, name, head)
	clitest.CheckWarnedOnce(t, r,
		name+": /runs/0/results/1/level: not a string but an object (and 41 more results); read as absent: the rule's level, else warning",
		name+": /runs/0/results/1/locations/0/physicalLocation/region/startLine: beyond the range of a 64-bit integer (and 41 more results); read as absent",
		name+": /runs/0/results/43/locations: not an array but a string; read as absent: no location")
}
