package linemap

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes a repository in a temporary directory with two commits:
// base's files, then head's (a nil content removes a file; moves, map
// old name to new, are done with git mv first), and returns the output
// of git diff args... between them.
func gitRepo(t *testing.T, base, head map[string]string, moves map[string]string, args ...string) string {
	t.Helper()
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed: no real diff to read")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(dir, ".none"))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	write := func(files map[string]string) {
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	git("init", "-q")
	write(base)
	git("add", "-A")
	git("commit", "-qm", "base")
	for from, to := range moves {
		git("mv", from, to)
	}
	write(head)
	git("add", "-A")
	git("commit", "-qm", "head")
	return git(append(append([]string{"diff"}, args...), "HEAD~1", "HEAD")...)
}

// numbered returns n lines "prefix 1".."prefix n", long enough for git
// to find copies and breaks.
func numbered(prefix string, n int, edit map[int]string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if e, ok := edit[i]; ok {
			b.WriteString(e + "\n")
			continue
		}
		fmt.Fprintf(&b, "%s, line number %d of a file long enough to be compared\n", prefix, i)
	}
	return b.String()
}

type lookup struct {
	path     string
	line     int
	mapPath  string // Map's answer, "" when the line maps nowhere
	mapLine  int
	origPath string // Origin's of (path, line) read as a head line
	origLine int
	added    bool
}

func checkLookups(t *testing.T, m *LineMap, diff string, want []lookup) {
	t.Helper()
	for _, w := range want {
		p, l, ok := m.Map(w.path, w.line)
		if !ok {
			p, l = "", 0
		}
		if p != w.mapPath || l != w.mapLine {
			t.Errorf("Map(%s, %d) = %q %d, want %q %d", w.path, w.line, p, l, w.mapPath, w.mapLine)
		}
		p, l, ok = m.Origin(w.path, w.line)
		if !ok {
			p, l = "", 0
		}
		if p != w.origPath || l != w.origLine {
			t.Errorf("Origin(%s, %d) = %q %d, want %q %d", w.path, w.line, p, l, w.origPath, w.origLine)
		}
		if got := m.Added(w.path, w.line); got != w.added {
			t.Errorf("Added(%s, %d) = %v", w.path, w.line, got)
		}
		// A line that came from no line of base is changed in head.
		if got := m.HeadChanged(w.path, w.line); got != (w.origPath == "") {
			t.Errorf("HeadChanged(%s, %d) = %v", w.path, w.line, got)
		}
	}
	if t.Failed() {
		t.Log(diff)
	}
}

// A copy (git diff -C -C) is a file of its own: its lines map back to
// its source's (Origin), its "+" lines are added, and the source keeps
// its own change; a base line of the source still maps to the source.
func TestCopy(t *testing.T) {
	a := numbered("a", 30, nil)
	diff := gitRepo(t, map[string]string{"a.txt": a},
		map[string]string{"a.txt": numbered("a", 30, map[int]string{10: "a changed"}), "b.txt": numbered("a", 30, map[int]string{5: "b changed"})},
		nil, "-C", "-C")
	if !strings.Contains(diff, "copy from a.txt") {
		t.Skipf("git found no copy:\n%s", diff)
	}
	m, err := ReadGitDiff(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	checkLookups(t, m, diff, []lookup{
		{path: "a.txt", line: 5, mapPath: "a.txt", mapLine: 5, origPath: "a.txt", origLine: 5},
		{path: "a.txt", line: 10, added: true},
		{path: "a.txt", line: 11, mapPath: "a.txt", mapLine: 11, origPath: "a.txt", origLine: 11},
		{path: "b.txt", line: 4, mapPath: "b.txt", mapLine: 4, origPath: "a.txt", origLine: 4},
		{path: "b.txt", line: 5, mapPath: "b.txt", mapLine: 5, added: true},
		{path: "b.txt", line: 10, mapPath: "b.txt", mapLine: 10, origPath: "a.txt", origLine: 10},
	})
	// Base line 10 of a.txt was changed in a.txt; its text is in b.txt,
	// which no line of base became by the diff's account but a copy.
	if !m.MayBecome("a.txt", 10, "a.txt", 10) || m.MayBecome("a.txt", 10, "b.txt", 10) {
		t.Error("MayBecome of a.txt's changed line")
	}
	if m.Files() != 2 {
		t.Errorf("%d files", m.Files())
	}
}

// git mv a.txt b.txt, then a new a.txt: with -B -M git prints a.txt
// rewritten ("dissimilarity index") and b.txt a copy of it. The base
// lines of a.txt went to b.txt; every line of the new a.txt is added.
func TestBrokenRename(t *testing.T) {
	diff := gitRepo(t, map[string]string{"a.txt": numbered("a", 40, nil)},
		map[string]string{"a.txt": numbered("other", 40, nil), "b.txt": numbered("a", 40, map[int]string{5: "b changed"})},
		map[string]string{"a.txt": "b.txt"}, "-B", "-M")
	if !strings.Contains(diff, "dissimilarity index") {
		t.Skipf("git broke no pair:\n%s", diff)
	}
	m, err := ReadGitDiff(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	checkLookups(t, m, diff, []lookup{
		{path: "a.txt", line: 1, mapPath: "b.txt", mapLine: 1, added: true},
		{path: "a.txt", line: 5, added: true},
		{path: "a.txt", line: 40, mapPath: "b.txt", mapLine: 40, added: true},
		{path: "b.txt", line: 4, mapPath: "b.txt", mapLine: 4, origPath: "a.txt", origLine: 4},
		{path: "b.txt", line: 5, mapPath: "b.txt", mapLine: 5, added: true},
	})
	if !m.MayBecome("a.txt", 5, "b.txt", 5) || m.MayBecome("a.txt", 5, "a.txt", 5) {
		t.Error("MayBecome of a.txt's changed line")
	}
}

// The same from fixed text, as git prints a rename with -B -M when the
// copy comes as a rename, and a hand-written rename followed by a new
// file of the old name.
func TestRenameAndNewFile(t *testing.T) {
	for _, tc := range []struct{ name, diff string }{{
		name: "rename then new file",
		diff: `diff --git a/a.txt b/b.txt
similarity index 90%
rename from a.txt
rename to b.txt
index 1111111..2222222 100644
--- a/a.txt
+++ b/b.txt
@@ -2,3 +2,3 @@
 two
-three
+THREE
 four
diff --git a/a.txt b/a.txt
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/a.txt
@@ -0,0 +1,2 @@
+new one
+new two
`,
	}, {
		name: "rename and rewrite",
		diff: `diff --git a/a.txt b/a.txt
dissimilarity index 100%
index 1111111..3333333 100644
--- a/a.txt
+++ b/a.txt
@@ -1,5 +1,2 @@
-one
-two
-three
-four
-five
+new one
+new two
diff --git a/a.txt b/b.txt
similarity index 90%
rename from a.txt
rename to b.txt
index 1111111..2222222 100644
--- a/a.txt
+++ b/b.txt
@@ -2,3 +2,3 @@
 two
-three
+THREE
 four
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ReadGitDiff(strings.NewReader(tc.diff))
			if err != nil {
				t.Fatal(err)
			}
			checkLookups(t, m, tc.diff, []lookup{
				{path: "a.txt", line: 1, mapPath: "b.txt", mapLine: 1, added: true},
				{path: "a.txt", line: 2, mapPath: "b.txt", mapLine: 2, added: true},
				{path: "b.txt", line: 2, mapPath: "b.txt", mapLine: 2, origPath: "a.txt", origLine: 2},
				{path: "b.txt", line: 3, mapPath: "b.txt", mapLine: 3, added: true},
			})
			if !m.MayBecome("a.txt", 3, "b.txt", 3) {
				t.Error("a.txt:3 may not become b.txt:3")
			}
		})
	}
}

// A new binary file has no added line (codeql-action gives it no
// range), but its lines came from no line of base.
func TestNewBinaryFile(t *testing.T) {
	diff := `diff --git a/x.png b/x.png
new file mode 100644
index 0000000..1111111
Binary files /dev/null and b/x.png differ
diff --git a/y.bin b/y.bin
new file mode 100644
index 0000000..1111111
GIT binary patch
literal 3
KcmZQzWB>pF00031

literal 0
HcmV?d00001

diff --git a/t.txt b/t.txt
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/t.txt
@@ -0,0 +1 @@
+text
`
	m, err := ReadGitDiff(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"x.png", "y.bin"} {
		if m.Added(p, 1) || !m.HeadChanged(p, 1) {
			t.Errorf("%s: Added %v, HeadChanged %v", p, m.Added(p, 1), m.HeadChanged(p, 1))
		}
		if _, _, ok := m.Origin(p, 1); ok {
			t.Errorf("%s:1 has an origin", p)
		}
	}
	if !m.Added("t.txt", 1) || !m.Sub(".").Added("t.txt", 1) {
		t.Error("t.txt:1 not added")
	}
	// Sub keeps it binary.
	m.added["d/z.png"], m.binaryAdded["d/z.png"] = true, true
	if s := m.Sub("d"); s.Added("z.png", 1) || !s.HeadChanged("z.png", 1) {
		t.Error("Sub: d/z.png")
	}
}

// Hand-written diffs: an added line before a removed one is a change of
// the removed line (not of the context line before it), and hunks out
// of order keep their lines' text with them.
func TestHandWrittenOrder(t *testing.T) {
	diff := `--- a/x
+++ b/x
@@ -10,3 +10,3 @@
 j
-k
+K
 l
@@ -1,3 +1,3 @@
 a
+B
-b
 c
`
	m, err := ReadGitDiff(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	checkLookups(t, m, diff, []lookup{
		{path: "x", line: 1, mapPath: "x", mapLine: 1, origPath: "x", origLine: 1},
		{path: "x", line: 2, added: true},
		{path: "x", line: 3, mapPath: "x", mapLine: 3, origPath: "x", origLine: 3},
		{path: "x", line: 10, mapPath: "x", mapLine: 10, origPath: "x", origLine: 10},
		{path: "x", line: 11, added: true},
	})
	if !m.MayBecome("x", 2, "x", 2) || !m.MayBecome("x", 11, "x", 11) || m.MayBecome("x", 2, "x", 11) {
		t.Error("MayBecome")
	}
	// k moved to line 2: a line of the same text.
	moved := strings.Replace(diff, "+B", "+ k ", 1)
	if m, err = ReadGitDiff(strings.NewReader(moved)); err != nil {
		t.Fatal(err)
	}
	if !m.MayBecome("x", 11, "x", 2) || m.MayBecome("x", 2, "x", 11) {
		t.Errorf("MayBecome of a moved line:\n%s", moved)
	}
	for _, bad := range []string{"@@ -1,1 +1,2000000000 @@", "@@ --1,1 +1,1 @@"} {
		if _, err := ReadGitDiff(strings.NewReader("--- a/x\n+++ b/x\n" + bad + "\n")); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
