package cmd

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

// TestByName checks which program the sarifkit binary is under each name.
func TestByName(t *testing.T) {
	for _, tc := range []struct{ argv0, goos, want string }{
		{"sarifkit", "linux", "sarifkit"},
		{"/usr/local/bin/sarif-diff", "linux", "sarif-diff"},
		{"./sarif-review", "darwin", "sarif-review"},
		{"sarif-diff.exe", "linux", "sarifkit"}, // .exe means nothing there
		{`C:\tools\sarif-merge.exe`, "windows", "sarif-merge"},
		{`C:\tools\sarif-merge.EXE`, "windows", "sarif-merge"},
		{`sarif-merge`, "windows", "sarif-merge"},
		{"sarif-completion", "linux", "sarifkit"},
		{"sarif-man", "linux", "sarifkit"},
		{"sarif-", "linux", "sarifkit"},
		{"sarifkit-diff", "linux", "sarifkit"},
		{"", "linux", "sarifkit"},
	} {
		var out bytes.Buffer
		ios := &cli.IO{In: strings.NewReader(""), Out: &out, Err: &out, Getenv: func(string) string { return "" }}
		byName(tc.argv0, tc.goos)(context.Background(), ios, []string{"--version"})
		if got, _, _ := strings.Cut(out.String(), " "); got != tc.want {
			t.Errorf("byName(%q, %s) runs %q, want %s", tc.argv0, tc.goos, got, tc.want)
		}
	}
}

func TestSourceDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{{"", ""}, {"0", "1970-01-01"}, {"1767225600", "2026-01-01"}, {"1767225599", "2025-12-31"}} {
		if got, err := sourceDate(tc.in); got != tc.want || err != nil {
			t.Errorf("sourceDate(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"x", "-1", "1.5", "99999999999999", " 1"} {
		if got, err := sourceDate(in); err == nil {
			t.Errorf("sourceDate(%q) = %q, want an error", in, got)
		}
	}
}
