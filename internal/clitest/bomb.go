package clitest

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

// GzipBomb writes a gzip bomb into a temporary file and returns its path:
// prefix, then mib MiB of the byte fill, then suffix, as the gzip members
// an attacker concatenates (1 MiB of one byte compresses to about a
// kilobyte, and a reader decompresses the members one after the other).
func GzipBomb(t testing.TB, prefix string, fill byte, mib int, suffix string) string {
	t.Helper()
	member := func(data []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(data)
		zw.Close()
		return b.Bytes()
	}
	var out bytes.Buffer
	out.Write(member([]byte(prefix)))
	one := member(bytes.Repeat([]byte{fill}, 1<<20))
	for range mib {
		out.Write(one)
	}
	out.Write(member([]byte(suffix)))
	name := filepath.Join(t.TempDir(), "bomb.sarif.gz")
	if err := os.WriteFile(name, out.Bytes(), 0o644); err != nil {
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
