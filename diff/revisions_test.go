package diff_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/diff"
	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/internal/gitrepo/gittest"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// The line map of two revisions agrees with the files: every line it maps holds the same
// text on both sides, in the same order, and it maps as many lines of a
// file as git counts unchanged (its lines less those git --numstat counts
// deleted). Edits, insertions, deletions, a moved block, a renamed and
// edited file, a deleted file, CRLF, a binary file and unusual names.
func TestLineMapAgainstContent(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	var long strings.Builder
	for i := range 200 {
		long.WriteString("line " + strings.Repeat("x", i%7) + " " + string(rune('a'+i%26)) + "\n")
	}
	base := map[string]string{
		"main.go":                    "package main\n\nfunc a() {}\n\nfunc b() {\n\tx := 1\n\t_ = x\n}\n\nfunc c() {}\n",
		"long.txt":                   long.String(),
		"old name.go":                "package p\n\nvar one = 1\nvar two = 2\nvar three = 3\nvar four = 4\nvar five = 5\n",
		"gone.go":                    "package gone\n",
		"crlf.txt":                   "a\r\nb\r\nc\r\n",
		"bin.dat":                    "\x00\x01\x02",
		"caf\u00e9/\u00e9t\u00e9.go": "package x\n\nvar a = 1\n",
	}
	for name, content := range base {
		r.Write(name, content)
	}
	baseID := r.Commit("base")
	moved := strings.Split(long.String(), "\n")
	moved = append(append(append([]string{}, moved[100:150]...), moved[:100]...), moved[150:]...) // a block moved up
	head := map[string]string{
		"main.go":                    "package main\n\nimport \"fmt\"\n\nfunc a() { fmt.Println() }\n\nfunc b() {\n\tx := 1\n\t_ = x\n}\n",
		"long.txt":                   strings.Join(moved, "\n"),
		"new name.go":                "package p\n\nvar one = 1\nvar two = 2\nvar three = 33\nvar four = 4\nvar five = 5\n",
		"crlf.txt":                   "a\r\nB\r\nc\r\n",
		"bin.dat":                    "\x00\x01\x03",
		"added.go":                   "package added\n",
		"caf\u00e9/\u00e9t\u00e9.go": "package x\n\nvar b = 2\nvar a = 1\n",
	}
	os.Remove(filepath.Join(r.Dir, "old name.go"))
	os.Remove(filepath.Join(r.Dir, "gone.go"))
	for name, content := range head {
		r.Write(name, content)
	}
	headID := r.Commit("head")

	ctx := t.Context()
	revs, err := diff.OpenRevisions(ctx, r.Dir, baseID, headID)
	if err != nil {
		t.Fatal(err)
	}
	lm, err := revs.LineMap()
	if err != nil {
		t.Fatal(err)
	}
	deleted := map[string]int{}
	for _, l := range strings.Split(r.Git("-c", "core.quotePath=false", "diff", "--numstat", "--histogram", "-M", baseID, headID), "\n") {
		f := strings.SplitN(l, "\t", 3)
		if len(f) == 3 && f[1] != "-" {
			name := f[2]
			if i := strings.Index(name, " => "); i >= 0 {
				name = name[:i]
			}
			n := 0
			for _, c := range f[1] {
				n = n*10 + int(c-'0')
			}
			deleted[name] = n
		}
	}
	for name, content := range base {
		lines := strings.Split(strings.TrimSuffix(content, "\n"), "\n")
		mapped, last := 0, 0
		for i := range lines {
			hp, hl, ok := lm.Map(name, i+1)
			if !ok {
				continue
			}
			mapped++
			hlines := strings.Split(strings.TrimSuffix(head[hp], "\n"), "\n")
			if hl < 1 || hl > len(hlines) || hlines[hl-1] != lines[i] {
				t.Errorf("%s:%d (%q) maps to %s:%d, which holds something else", name, i+1, lines[i], hp, hl)
				continue
			}
			if hl <= last {
				t.Errorf("%s:%d maps to %d, not after %d", name, i+1, hl, last)
			}
			last = hl
		}
		want := len(lines) - deleted[name]
		switch name {
		case "gone.go", "bin.dat":
			want = 0 // deleted; binary
		}
		if mapped != want {
			t.Errorf("%s: %d lines mapped, want %d", name, mapped, want)
		}
	}
	// The same diff with context lines reads as the same map.
	withContext, err := linemap.ReadGitDiff(strings.NewReader(r.Git("-c", "core.quotePath=true", "diff", "--histogram", "-M", "-U5",
		"--src-prefix=a/", "--dst-prefix=b/", baseID, headID)))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range base {
		for i := range strings.Count(content, "\n") + 1 {
			a1, a2, a3 := lm.Map(name, i+1)
			b1, b2, b3 := withContext.Map(name, i+1)
			if a1 != b1 || a2 != b2 || a3 != b3 {
				t.Errorf("%s:%d: -U0 maps to %s:%d %v, -U5 to %s:%d %v", name, i+1, a1, a2, a3, b1, b2, b3)
			}
		}
	}
	if hp, hl, ok := lm.Map("old name.go", 7); !ok || hp != "new name.go" || hl != 7 {
		t.Errorf("renamed file: %s:%d %v", hp, hl, ok)
	}
	if !lm.HeadChanged("added.go", 1) || !lm.HeadChanged("main.go", 3) || lm.HeadChanged("main.go", 1) || !lm.HeadChanged("new name.go", 5) {
		t.Error("HeadChanged disagrees with the diff")
	}
}

// The git workflow: each log's results get line hashes from their own
// revision (base from a commit, head from the work tree), the line map
// pairs the result whose line moved and whose message changed, and the
// errors are diff's names for them.
func TestRevisionsWorkflow(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write("a.go", "package a\n\nfunc f() {\n\tcall(1)\n}\n")
	baseID := r.Commit("base")
	r.Write("a.go", "package a\n\nimport \"fmt\"\n\nfunc f() {\n\tcall(1)\n\tfmt.Println()\n}\n")
	result := func(line int, msg string) string {
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[{"ruleId":"R1","message":{"text":"` + msg +
			`"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":` + strconv.Itoa(line) + `}}}]}]}]}`
	}
	base, head := sariftest.Parse(t, result(4, "call with 1 argument")), sariftest.Parse(t, result(6, "call of call with a constant"))

	ctx := t.Context()
	revs, err := diff.OpenRevisions(ctx, r.Dir, baseID, "")
	if err != nil {
		t.Fatal(err)
	}
	if revs.Name(diff.SideBase) != baseID || revs.Name(diff.SideHead) != "the work tree" {
		t.Errorf("names %q, %q", revs.Name(diff.SideBase), revs.Name(diff.SideHead))
	}
	for side, log := range []*sarif.Log{base, head} {
		lh, err := revs.AddLineHashes(ctx, diff.Side(side), log)
		if err != nil {
			t.Fatal(err)
		}
		if lh.Stats.Added != 1 || lh.Checkout.Files != 1 || lh.Checkout.Found != 1 || lh.Refused.Total() != 0 || lh.Where != revs.Name(diff.Side(side)) {
			t.Errorf("%s: %+v", diff.Side(side), lh)
		}
	}
	lines, err := revs.LineMap()
	if err != nil {
		t.Fatal(err)
	}
	d, err := diff.Compare(ctx, base, head, &diff.Options{LineMap: lines, BaseRoot: revs.Dir(), HeadRoot: revs.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Matches) != 1 || d.Matches[0].State != diff.StateUpdated || d.Matches[0].Pass != diff.PassLineMap {
		t.Errorf("matches %+v", d.Matches)
	}

	var re *diff.RevisionError
	if _, err := diff.OpenRevisions(ctx, r.Dir, "no-such-branch", ""); !errors.As(err, &re) || re.Rev != "no-such-branch" {
		t.Errorf("an unknown revision: %v", err)
	}
	if _, err := diff.OpenRevisions(ctx, t.TempDir(), "main", ""); !errors.Is(err, diff.ErrNotRepository) {
		t.Errorf("not a repository: %v", err)
	}
}

// A side whose files do not say where it was scanned takes the other's
// root; roots found win over those given.
func TestScannedIn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		given, found, want [2]string
	}{
		{[2]string{"/g", "/g"}, [2]string{"", ""}, [2]string{"/g", "/g"}},
		{[2]string{"/g", "/g"}, [2]string{"/b/", ""}, [2]string{"/b/", "/b/"}},
		{[2]string{"", ""}, [2]string{"", "/h/"}, [2]string{"/h/", "/h/"}},
		{[2]string{"", ""}, [2]string{"/b/", "/h/"}, [2]string{"/b/", "/h/"}},
	} {
		o := diff.Options{BaseRoot: c.given[0], HeadRoot: c.given[1]}
		o.ScannedIn(c.found[0], c.found[1])
		if got := [2]string{o.BaseRoot, o.HeadRoot}; got != c.want {
			t.Errorf("%v, found %v: %v, want %v", c.given, c.found, got, c.want)
		}
	}
}
