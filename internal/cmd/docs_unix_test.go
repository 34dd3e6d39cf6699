//go:build unix

package cmd_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sarifkit/sarifkit/internal/cmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

// TestManFileModes checks the modes of the pages written: a new page gets
// 0666 less the umask, a page replaced keeps its mode, and no temporary
// file is left.
func TestManFileModes(t *testing.T) {
	umask := syscall.Umask(0o027)
	defer syscall.Umask(umask)
	dir := t.TempDir()
	kept := filepath.Join(dir, "sarifkit-diff.1")
	if err := os.WriteFile(kept, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	ios := &cli.IO{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	if code := cmd.Sarifkit(context.Background(), ios, []string{"man", "--output-dir", dir}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 2*len(cmd.Verbs()) + 2; len(entries) != want {
		t.Errorf("%d files, want %d", len(entries), want)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o640)
		if e.Name() == "sarifkit-diff.1" {
			want = 0o600
		}
		if !strings.HasSuffix(e.Name(), ".1") || info.Mode() != want {
			t.Errorf("%s: mode %v, want a page of mode %v", e.Name(), info.Mode(), want)
		}
	}
	if data, _ := os.ReadFile(kept); !strings.HasPrefix(string(data), `.\" Made by`) {
		t.Errorf("sarifkit-diff.1 not replaced: %.20q", data)
	}
}
