package linemap

import (
	"strings"
	"testing"
)

// added lists the lines 1..max of head file path that Added reports.
func added(m *LineMap, path string, max int) []int {
	var out []int
	for l := 1; l <= max; l++ {
		if m.Added(path, l) {
			out = append(out, l)
		}
	}
	return out
}

func TestAdded(t *testing.T) {
	tests := []struct {
		name, diff string
		want       map[string][]int // head path: the added lines among 1..20
	}{{
		name: "git, a change and an insertion",
		diff: `diff --git a/x.go b/x.go
index 1111111..2222222 100644
--- a/x.go
+++ b/x.go
@@ -1,4 +1,5 @@
 one
-two
+TWO
 three
+three and a half
 four
`,
		want: map[string][]int{"x.go": {2, 4}},
	}, {
		name: "plain diff -u with time stamps, two files",
		diff: `diff -ru old/a.c new/a.c
--- a/a.c	2024-01-01 00:00:00.000000000 +0000
+++ b/a.c	2024-01-02 00:00:00.000000000 +0000
@@ -1,2 +1,3 @@
 int a;
+int b;
 int c;
--- a/b.c	2024-01-01 00:00:00.000000000 +0000
+++ b/b.c	2024-01-02 00:00:00.000000000 +0000
@@ -3 +3 @@
-x
+y
`,
		want: map[string][]int{"a.c": {2}, "b.c": {3}},
	}, {
		name: "removed lines that look like headers, added lines that look like headers",
		diff: `--- a/m.txt
+++ b/m.txt
@@ -1,3 +1,3 @@
 a
--- b/other
+++ b/other
 c
`,
		want: map[string][]int{"m.txt": {2}, "other": nil},
	}, {
		name: "no newline at end of file",
		diff: `diff --git a/n b/n
--- a/n
+++ b/n
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+b
`,
		want: map[string][]int{"n": {2}},
	}, {
		name: "CRLF",
		diff: "diff --git a/w.txt b/w.txt\r\n--- a/w.txt\r\n+++ b/w.txt\r\n@@ -1,3 +1,3 @@\r\n a\r\n\r\n-c\r\n+C\r\n",
		want: map[string][]int{"w.txt": {3}},
	}, {
		name: "a new file, plain and git",
		diff: `--- /dev/null
+++ b/new.go
@@ -0,0 +1,2 @@
+package x
+
diff --git a/g.go b/g.go
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/g.go
@@ -0,0 +1 @@
+package g
`,
		want: map[string][]int{"new.go": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20},
			"g.go": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
	}, {
		name: "a deleted file has no added line",
		diff: `diff --git a/gone.go b/gone.go
deleted file mode 100644
--- a/gone.go
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
`,
		want: map[string][]int{"gone.go": nil},
	}, {
		name: "a rename: lines added in the new name only",
		diff: `diff --git a/old.go b/new.go
similarity index 90%
rename from old.go
rename to new.go
--- a/old.go
+++ b/new.go
@@ -2 +2,2 @@
-b
+B
+C
`,
		want: map[string][]int{"new.go": {2, 3}, "old.go": nil},
	}, {
		name: "a pure rename adds nothing",
		diff: `diff --git a/p.go b/q.go
similarity index 100%
rename from p.go
rename to q.go
`,
		want: map[string][]int{"q.go": nil, "p.go": nil},
	}, {
		name: "binary files have no added line",
		diff: `diff --git a/img.png b/img.png
index 1111111..2222222 100644
Binary files a/img.png and b/img.png differ
`,
		want: map[string][]int{"img.png": nil},
	}, {
		name: "quoted paths",
		diff: `diff --git "a/caf\303\251 x.go" "b/caf\303\251 x.go"
--- "a/caf\303\251 x.go"
+++ "b/caf\303\251 x.go"
@@ -1 +1 @@
-a
+b
`,
		want: map[string][]int{"café x.go": {1}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ReadGitDiff(strings.NewReader(tt.diff))
			if err != nil {
				t.Fatal(err)
			}
			for path, want := range tt.want {
				if got := added(m, path, 20); !equalInts(got, want) {
					t.Errorf("%s: added lines %v, want %v", path, got, want)
				}
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// "--- " and "+++ " lines with no hunk after them (a commit message
// before git's diff) are no file: nothing is renamed.
func TestHeaderLinesWithoutHunks(t *testing.T) {
	m, err := ReadGitDiff(strings.NewReader(`commit 1111111
    --- a note
--- old.go
+++ new.go
diff --git a/x.go b/x.go
--- a/x.go
+++ b/x.go
@@ -1 +1 @@
-a
+b
`))
	if err != nil {
		t.Fatal(err)
	}
	if p, l, ok := m.Map("old.go", 3); !ok || p != "old.go" || l != 3 {
		t.Errorf("old.go:3 maps to %s:%d %v", p, l, ok)
	}
	if m.Files() != 1 || !m.Added("x.go", 1) {
		t.Errorf("%d files, x.go:1 added %v", m.Files(), m.Added("x.go", 1))
	}
}
