package diffcmd

import (
	"context"
	"testing"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/sarif"
)

// The flags fill the Options the run function is given: the operands,
// the gate with its typed settings, --source-root as the head's checkout
// under its own name.
func TestNewCmdOptions(t *testing.T) {
	t.Parallel()
	var got *Options
	run := func(ctx context.Context, ios *cli.IO, args []string) int {
		return NewCmd(ios, "sarifkit diff", func(_ context.Context, o *Options) int { got = o; return 7 }).Exec(ctx, args)
	}
	r := clitest.Run(t, run, clitest.Env{}, "--fail-on", "updated", "--min-level", "warning", "--min-security-severity", "high",
		"--source-root", "src", "--format", "markdown", "--max-rows", "3", "--inherit-suppressions=false", "base.sarif", "head.sarif")
	if r.Code != 7 || got == nil {
		t.Fatalf("exit %d, %s", r.Code, r.Stderr)
	}
	want := diff.Gate{FailOn: diff.FailOnUpdated, MinLevel: sarif.LevelWarning, MinSecuritySeverity: diff.SecurityHigh}
	if got.Base != "base.sarif" || got.Head != "head.sarif" || got.Gate.FailOn != want.FailOn || got.Gate.MinLevel != want.MinLevel ||
		got.Gate.MinSecuritySeverity != want.MinSecuritySeverity || got.HeadSourceRoot != "src" || got.HeadRootFlag != "--source-root" ||
		got.Format != "markdown" || got.MaxRows != 3 || got.InheritSuppressions || got.Read == nil {
		t.Errorf("options %+v", got)
	}
	// A usage error does not reach the run function, and names the
	// program as it was called.
	got = nil
	r = clitest.Run(t, run, clitest.Env{}, "--fail-on", "new", "--min-level", "fatal", "base.sarif", "head.sarif")
	if r.Code != 2 || got != nil || r.Stderr != "sarifkit diff: min-level must be error, warning or note, not \"fatal\"\nRun 'sarifkit diff --help' for usage.\n" {
		t.Errorf("exit %d, %q", r.Code, r.Stderr)
	}
}
