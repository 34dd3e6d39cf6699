package split

import (
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

func TestSafeName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"gosec":                  "gosec",
		"../../etc/passwd":       "etc-passwd",
		".hidden":                "hidden",
		"a..b":                   "a.b",
		"a/.b":                   "a-b",
		"x\n::error::y":          "x-error-y",
		"Semgrep OSS":            "Semgrep-OSS",
		"日本語":                    "",
		"C:\\tools\\scanner.exe": "C-tools-scanner.exe",
		"--flag":                 "flag",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
	if n := len(safeName(strings.Repeat("ab", 1000))); n > 2*MaxNameLength+1 {
		t.Errorf("%d bytes", n)
	}
}

func TestNameFiles(t *testing.T) {
	t.Parallel()
	run := func(tool, id string) *sarif.Run {
		r := sarif.NewRun(tool)
		if id != "" {
			setID(r, id)
		}
		return r
	}
	files := []*plannedFile{
		{runs: []*sarif.Run{run("Tool", "")}},
		{runs: []*sarif.Run{run("tool", "")}},
		{runs: []*sarif.Run{run("tool", "web/")}},
		{runs: []*sarif.Run{run("", "")}},
		{runs: []*sarif.Run{run(strings.Repeat("x", 300), "c/")}},
	}
	nameFiles(files)
	want := []string{"Tool", "tool-2", "tool-web", "run", strings.Repeat("x", MaxNameLength-8)}
	for i, f := range files {
		if f.name != want[i] {
			t.Errorf("file %d: %q, want %q", i, f.name, want[i])
		}
	}
}

// TestUploadKey checks the key against values GitHub's upload action
// computes (sanitize(id) + "_" + sanitize(tool), src/upload-lib.ts; run
// under node).
func TestUploadKey(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ tool, id, want string }{
		{"gosec", "", "__GOSEC"},
		{"gosec", "web/", "WEB__GOSEC"},
		{"Semgrep OSS", "a-b/part-1/", "A_B_PART_1__SEMGREP_OSS"},
		{"é😀", "x", "X____"},
	} {
		r := sarif.NewRun(c.tool)
		if c.id != "" {
			setID(r, c.id)
		}
		if got := uploadKey(r); got != c.want {
			t.Errorf("uploadKey(%q, %q) = %q, want %q", c.tool, c.id, got, c.want)
		}
	}
}
