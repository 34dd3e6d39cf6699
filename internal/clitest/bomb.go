package clitest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/sariftest"
)

// GzipBomb writes a gzip bomb ([sariftest.GzipBomb]) into a temporary
// file and returns its path.
func GzipBomb(t testing.TB, prefix string, fill byte, mib int, suffix string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "bomb.sarif.gz")
	if err := os.WriteFile(name, sariftest.GzipBomb(t, prefix, fill, mib, suffix), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// CheckReadLimits checks that a command that reads logs stops at the caps
// of --max-value-size and --max-decompressed-size: on a gzip bomb of one
// huge string and on endless white space on standard input, it exits 2
// with a message that names the input and the cap. args are the
// command's other arguments; each "LOG" among them is replaced by the
// input under test.
func CheckReadLimits(t *testing.T, run func(context.Context, *cli.IO, []string) int, args ...string) {
	t.Helper()
	with := func(input string, flags ...string) []string {
		out := append([]string(nil), flags...)
		for _, a := range args {
			if a == "LOG" {
				a = input
			}
			out = append(out, a)
		}
		return out
	}
	bomb := GzipBomb(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"`, 'a', 8, `"}}]}]}`)
	r := Run(t, run, Env{}, with(bomb, "--max-value-size", "1048576")...)
	if r.Code != cli.ExitUsage || !strings.Contains(r.Stderr, bomb+": ") || !strings.Contains(r.Stderr, "exceeds the limit of 1048576 bytes (1 MiB) on one value (--max-value-size sets the limit)") {
		t.Errorf("a string of 8 MiB, --max-value-size 1048576: exit %d, stderr %q", r.Code, r.Stderr)
	}
	r = Run(t, run, Env{Stdin: strings.Repeat(" ", 2<<20)}, with(cli.Stdin, "--max-decompressed-size", "1048576")...)
	if r.Code != cli.ExitUsage || !strings.Contains(r.Stderr, cli.StdinName+": input from a stream exceeds the limit of 1048576 bytes (1 MiB) (--max-decompressed-size sets the limit)") {
		t.Errorf("2 MiB of white space on standard input, --max-decompressed-size 1048576: exit %d, stderr %q", r.Code, r.Stderr)
	}
}
