package linemap

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// DiffFiles' map is checked against git's own (git diff --no-index
// --histogram -U0 on the same files, read by ReadGitDiff) on the gin files
// of testdata/diff/gin-v1.9.0 and gin-v1.10.0 that both releases have:
// every line maps to a line of the same text or nowhere, and the two maps
// agree on almost every line (they may place an ambiguous hunk
// differently).
func TestDiffFilesAgainstGit(t *testing.T) {
	t.Parallel()
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed: the line diff of two trees cannot be checked against git's here")
	}
	dir := filepath.Join("..", "..", "testdata", "diff")
	baseDir, headDir := filepath.Join(dir, "gin-v1.9.0"), filepath.Join(dir, "gin-v1.10.0")
	var paths []string
	err = fs.WalkDir(os.DirFS(baseDir), "gin", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			if _, err := os.Stat(filepath.Join(headDir, p)); err == nil {
				paths = append(paths, p)
			}
		}
		return err
	})
	if err != nil || len(paths) < 50 {
		t.Fatalf("%d files in both trees: %v", len(paths), err)
	}
	ours, err := DiffFiles(context.Background(), os.DirFS(baseDir), os.DirFS(headDir), paths)
	if err != nil {
		t.Fatal(err)
	}
	var agree, total int
	for _, p := range paths {
		baseText, _ := os.ReadFile(filepath.Join(baseDir, p))
		headText, _ := os.ReadFile(filepath.Join(headDir, p))
		cmd := exec.Command(gitPath, "diff", "--no-index", "--histogram", "-U0", "gin-v1.9.0/"+p, "gin-v1.10.0/"+p)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err == nil {
			continue // the same file in both
		}
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 { // 1: the files differ
			t.Fatalf("git diff %s: %v", p, err)
		}
		theirs, err := ReadGitDiff(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		baseLines, headLines := strings.Split(string(baseText), "\n"), strings.Split(string(headText), "\n")
		fileAgree := agree
		for line := 1; line < len(baseLines); line++ {
			total++
			hp, hl, ok := ours.Map(p, line)
			if ok && (hp != p || headLines[hl-1] != baseLines[line-1]) {
				t.Errorf("%s:%d maps to %s:%d, whose text differs", p, line, hp, hl)
			}
			_, gl, gok := theirs.Map("gin-v1.9.0/"+p, line)
			if ok == gok && (!ok || hl == gl) {
				agree++
			}
			checkOrigin(t, ours, p, line)
			checkOrigin(t, theirs, "gin-v1.9.0/"+p, line)
		}
		for line := 1; line < len(headLines); line++ {
			if bp, bl, ok := ours.Origin(p, line); ok == ours.HeadChanged(p, line) || ok && (bp != p || baseLines[bl-1] != headLines[line-1]) {
				t.Errorf("head %s:%d: origin %s:%d %v, changed %v", p, line, bp, bl, ok, ours.HeadChanged(p, line))
			}
		}
		if d := len(baseLines) - 1 - (agree - fileAgree); d > 0 {
			t.Logf("%s: %d of %d lines mapped otherwise", p, d, len(baseLines)-1)
		}
	}
	t.Logf("DiffFiles agrees with git diff --histogram on %d of %d lines (%.4f)", agree, total, float64(agree)/float64(total))
	if float64(agree) < 0.995*float64(total) {
		t.Errorf("DiffFiles agrees with git on %d of %d lines, want at least 99.5%%", agree, total)
	}
}

// The files of one side only, binary files, CRLF line ends and bytes that
// are not UTF-8.
func TestDiffFilesEdges(t *testing.T) {
	t.Parallel()
	base := fstest.MapFS{
		"gone.go":      {Data: []byte("a\nb\n")},
		"bin.dat":      {Data: []byte("x\x00y\n1\n")},
		"crlf.go":      {Data: []byte("one\r\ntwo\r\nthree\r\n")},
		"latin1.go":    {Data: []byte("caf\xe9\nsecond\nthird\n")},
		"same.go":      {Data: []byte("same\n")},
		"noeol.go":     {Data: []byte("first\nlast")},
		"pkg/split.go": {Data: []byte("package p\n\nfunc a() {}\n\nfunc b() {}\n")},
	}
	head := fstest.MapFS{
		"new.go":    {Data: []byte("n\n")},
		"bin.dat":   {Data: []byte("x\x00z\n1\n")},
		"crlf.go":   {Data: []byte("zero\r\none\r\ntwo\r\nthree\r\n")},
		"latin1.go": {Data: []byte("added\ncaf\xe9\nsecond\nthird\n")},
		"same.go":   {Data: []byte("same\n")},
		"noeol.go":  {Data: []byte("inserted\nfirst\nlast\n")},
		// split.go became two files: git's rename detection takes the one
		// that kept the most lines, which no result names.
		"pkg/split_new.go": {Data: []byte("package p\n\nfunc a() { x() }\n\nfunc c() {}\n")},
		"pkg/split_old.go": {Data: []byte("//go:build old\n\npackage p\n\nfunc a() {}\n\nfunc b() {}\n")},
	}
	m, err := DiffFiles(context.Background(), base, head, []string{"gone.go", "new.go", "bin.dat", "crlf.go", "latin1.go", "same.go", "noeol.go", "../escape.go", "missing.go", "pkg/split.go", "pkg/split_new.go"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path     string
		line     int
		wantLine int // 0: maps nowhere
	}{
		{"gone.go", 1, 0},   // only in base: left to the other passes
		{"bin.dat", 2, 0},   // binary and changed: no line maps
		{"crlf.go", 1, 2},   // "\r" is part of the line, as for git
		{"crlf.go", 3, 4},   //
		{"latin1.go", 1, 2}, // bytes compared as they are
		{"same.go", 1, 1},   // unchanged
		{"noeol.go", 1, 2},  //
		{"noeol.go", 2, 0},  // "last" gained its newline: a changed line, as git says
		{"missing.go", 1, 0},
	} {
		_, got, ok := m.Map(c.path, c.line)
		if !ok {
			got = 0
		}
		if got != c.wantLine {
			t.Errorf("Map(%s, %d) = %d, want %d", c.path, c.line, got, c.wantLine)
		}
	}
	if p, l, ok := m.Map("pkg/split.go", 3); p != "pkg/split_old.go" || l != 5 || !ok {
		t.Errorf("Map(pkg/split.go, 3) = %s, %d, %v, want pkg/split_old.go, 5, true", p, l, ok)
	}
	for _, c := range []struct {
		path    string
		line    int
		changed bool
	}{
		{"new.go", 1, true}, {"crlf.go", 1, true}, {"crlf.go", 2, false}, {"bin.dat", 1, true}, {"same.go", 1, false},
		{"pkg/split_new.go", 3, true}, {"pkg/split_old.go", 5, false},
	} {
		if got := m.HeadChanged(c.path, c.line); got != c.changed {
			t.Errorf("HeadChanged(%s, %d) = %v, want %v", c.path, c.line, got, c.changed)
		}
	}
}

// checkOrigin checks that Origin undoes Map for base line line of path.
func checkOrigin(t *testing.T, m *LineMap, path string, line int) {
	t.Helper()
	hp, hl, ok := m.Map(path, line)
	if !ok {
		return
	}
	if bp, bl, ok := m.Origin(hp, hl); !ok || bp != path || bl != line {
		t.Errorf("%s:%d maps to %s:%d, whose origin is %s:%d (%v)", path, line, hp, hl, bp, bl, ok)
	}
}

// Origin is Map the other way, for lines the diff left alone; lines it
// added or changed, and files new in head, have none.
func TestLineMapOrigin(t *testing.T) {
	t.Parallel()
	m := New()
	// a.go: line 3 changed into two, 7-8 deleted, 2 lines inserted after 10.
	m.AddFile("a.go", "a.go", []Hunk{{3, 1, 3, 2}, {7, 2, 7, 0}, {10, 0, 10, 2}})
	m.AddFile("old.go", "new.go", []Hunk{{0, 0, 1, 1}}) // renamed, a line added on top
	m.AddFile("gone.go", "", nil)
	m.AddFile("", "added.go", nil)
	for line := 1; line <= 20; line++ {
		for _, p := range []string{"a.go", "old.go", "same.go"} {
			checkOrigin(t, m, p, line)
		}
	}
	for _, c := range []struct {
		path string
		line int
		want string
	}{
		{"a.go", 2, "a.go:2"}, {"a.go", 3, "-"}, {"a.go", 4, "-"}, {"a.go", 5, "a.go:4"}, {"a.go", 7, "a.go:6"},
		{"a.go", 8, "a.go:9"}, {"a.go", 9, "a.go:10"}, {"a.go", 10, "-"}, {"a.go", 11, "-"}, {"a.go", 12, "a.go:11"},
		{"new.go", 1, "-"}, {"new.go", 2, "old.go:1"}, {"old.go", 1, "-"}, {"gone.go", 1, "-"}, {"added.go", 1, "-"},
		{"same.go", 5, "same.go:5"}, {"same.go", 0, "-"},
	} {
		got := "-"
		if p, l, ok := m.Origin(c.path, c.line); ok {
			got = fmt.Sprintf("%s:%d", p, l)
		}
		if got != c.want {
			t.Errorf("Origin(%s, %d) = %s, want %s", c.path, c.line, got, c.want)
		}
		if (got == "-") != m.HeadChanged(c.path, c.line) && c.line > 0 {
			t.Errorf("%s:%d: Origin %s but HeadChanged %v", c.path, c.line, got, m.HeadChanged(c.path, c.line))
		}
	}
}
