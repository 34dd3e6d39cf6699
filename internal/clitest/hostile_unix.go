//go:build unix

package clitest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

// A HostileTree is a checkout such as a pull request's author can commit to
// make a command read outside the checkout, or block: symbolic links out of it
// (to a file holding Secret, to a directory, to /dev/zero), a FIFO, and a
// sparse file over the cap on a source file, beside files and links that
// stay inside it.
type HostileTree struct {
	Dir string
	// Secret is the text of the file outside the checkout, at Outside,
	// that links lead to.
	Secret, Outside string
	// Inside are the files to read, regular or links inside the
	// checkout, each "package a\n" (one line).
	Inside []string
	// Refused are the paths to refuse, by reason.
	Outsiders, NotRegular, TooLarge []string
}

// Refused is every path to refuse.
func (h *HostileTree) Refused() []string {
	return append(append(append([]string(nil), h.Outsiders...), h.NotRegular...), h.TooLarge...)
}

// Summary is the line a command says once of what it refused.
func (h *HostileTree) Summary() string {
	return checkout.Refusals{Outside: len(h.Outsiders), NotRegular: len(h.NotRegular), TooLarge: len(h.TooLarge), MaxFileSize: checkout.DefaultMaxFileSize}.String()
}

// HostileCheckout builds a hostile checkout in a temporary directory.
// FIFOs need a Unix system.
func HostileCheckout(t testing.TB) *HostileTree {
	t.Helper()
	outside := t.TempDir()
	h := &HostileTree{
		Secret:     "SECRET-" + filepath.Base(outside),
		Outside:    filepath.Join(outside, "secret.go"),
		Inside:     []string{"a.go", "in.go", "sub/up.go", "sublink/up.go"},
		Outsiders:  []string{"abs.go", "rel.go", "dirlink/secret.go", "zero.go"},
		NotRegular: []string{"fifo.go"},
		TooLarge:   []string{"big.go"},
	}
	parent := t.TempDir()
	h.Dir = filepath.Join(parent, "repo")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(h.Outside, []byte(strings.Repeat(h.Secret+"\n", 5)), 0o644))
	must(os.Symlink(outside, filepath.Join(parent, "outside")))
	must(os.MkdirAll(filepath.Join(h.Dir, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(h.Dir, "a.go"), []byte("package a\n"), 0o644))
	for link, target := range map[string]string{
		"abs.go":    h.Outside,              // absolute, out
		"rel.go":    "../outside/secret.go", // relative, out
		"dirlink":   "../outside",           // a directory out
		"zero.go":   "/dev/zero",            // a device, out
		"in.go":     "a.go",                 // inside
		"sub/up.go": "../a.go",              // inside, through ..
		"sublink":   "sub",                  // a directory inside
	} {
		must(os.Symlink(target, filepath.Join(h.Dir, link)))
	}
	must(syscall.Mkfifo(filepath.Join(h.Dir, "fifo.go"), 0o644))
	big, err := os.Create(filepath.Join(h.Dir, "big.go"))
	must(err)
	must(big.Truncate(checkout.DefaultMaxFileSize + 1)) // sparse: no disk space
	must(big.Close())
	return h
}

// Log writes a SARIF log with one result on line 1 of each path, rule
// R1, message "m <path>", and returns its name.
func Log(t testing.TB, paths ...string) string {
	t.Helper()
	var rs []string
	for _, p := range paths {
		rs = append(rs, fmt.Sprintf(`{"ruleId":"R1","level":"warning","message":{"text":"m %s"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":1}}}]}`, p, p))
	}
	name := filepath.Join(t.TempDir(), "scan.sarif")
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint","rules":[{"id":"R1"}]}},"results":[` + strings.Join(rs, ",") + `]}]}`
	if err := os.WriteFile(name, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// RunWithin runs the command like Run, and fails the test when it has not
// ended within d on its own (it blocks on a FIFO, or reads /dev/zero
// forever): its context is cancelled then, and the test does not wait
// for it.
func RunWithin(t testing.TB, d time.Duration, run func(context.Context, *cli.IO, []string) int, env Env, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	done := make(chan Result, 1)
	go func() { done <- RunContext(ctx, run, env, args...) }()
	select {
	case r := <-done:
		if ctx.Err() != nil {
			t.Fatalf("%v: ended only when its context was cancelled after %v", args, d)
		}
		return r
	case <-ctx.Done():
		t.Fatalf("%v: still running after %v", args, d)
		return Result{}
	}
}
