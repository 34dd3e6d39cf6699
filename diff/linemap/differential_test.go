package linemap

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The differential test builds random git diffs together with what they
// say, line by line (refFile), and checks that a LineMap read from each
// answers every question as that reference, built the plain way (the
// text of every line in maps), does.

// refFile is one file of a random diff, and the reference answers.
type refFile struct {
	path, head         string // head "" when deleted; path "" when new
	binary             bool
	base, headLines    []string
	baseToHead         []int       // by base line (from 1): head line, 0 when removed
	headToBase         []int       // by head line: base line, 0 when added
	blockOf            []int       // by base line: the change block that removed it, -1 if none
	newFrom, newTo     []int       // by block: the head lines it added, [from, to)
	addedBlock         map[int]int // by head line added: its block
	removedT, addedT   map[int]string
	renamed, unchanged bool
}

var refTexts = []string{"", "  ", "a", "b", "c", " a", "a\t", "d", "e()", "\tf := g"}

func randLines(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = refTexts[r.IntN(len(refTexts))]
	}
	return out
}

// edit changes base at random, in blocks of removed then added lines
// with at least one line left alone between two blocks.
func (f *refFile) edit(r *rand.Rand) {
	f.removedT, f.addedT, f.addedBlock = map[int]string{}, map[int]string{}, map[int]int{}
	f.baseToHead = make([]int, len(f.base)+1)
	f.blockOf = make([]int, len(f.base)+1)
	f.headToBase = []int{0}
	f.headLines = nil
	for i := 0; i <= len(f.base); {
		if (i == 0 || f.blockOf[i] < 0) && r.IntN(4) == 0 {
			del, ins := r.IntN(4), r.IntN(4)
			del = min(del, len(f.base)-i)
			if del+ins > 0 {
				b := len(f.newFrom)
				for j := range del {
					f.blockOf[i+1+j] = b
					f.removedT[i+1+j] = strings.TrimSpace(f.base[i+j])
				}
				f.newFrom = append(f.newFrom, len(f.headLines)+1)
				for _, t := range randLines(r, ins) {
					f.headLines = append(f.headLines, t)
					f.headToBase = append(f.headToBase, 0)
					f.addedT[len(f.headLines)] = strings.TrimSpace(t)
					f.addedBlock[len(f.headLines)] = b
				}
				f.newTo = append(f.newTo, len(f.headLines)+1)
				i += del
				if i == len(f.base) {
					break
				}
			}
		}
		if i == len(f.base) {
			break
		}
		// Line i+1 is left alone.
		i++
		f.blockOf[i] = -1
		f.headLines = append(f.headLines, f.base[i-1])
		f.headToBase = append(f.headToBase, i)
		f.baseToHead[i] = len(f.headLines)
	}
}

// write prints the file's diff as git diff -U<context> does, but with a
// change's added lines before its removed ones when plusFirst.
func (f *refFile) write(b *strings.Builder, context int, plusFirst bool) {
	a, h := f.path, f.head
	if a == "" {
		a = h
	}
	if h == "" {
		h = a
	}
	fmt.Fprintf(b, "diff --git a/%s b/%s\n", a, h)
	switch {
	case f.path == "":
		b.WriteString("new file mode 100644\n")
	case f.head == "":
		b.WriteString("deleted file mode 100644\n")
	case f.renamed:
		fmt.Fprintf(b, "similarity index 90%%\nrename from %s\nrename to %s\n", f.path, f.head)
	}
	if f.unchanged {
		return
	}
	fmt.Fprintf(b, "index 1111111..2222222 100644\n")
	if f.binary {
		fmt.Fprintf(b, "Binary files a/%s and b/%s differ\n", a, h)
		return
	}
	minus, plus := "a/"+a, "b/"+h
	if f.path == "" {
		minus = "/dev/null"
	}
	if f.head == "" {
		plus = "/dev/null"
	}
	fmt.Fprintf(b, "--- %s\n+++ %s\n", minus, plus)
	// The lines of the diff, as (kind, old line, new line), then cut
	// into hunks around the changes.
	type dl struct {
		kind     byte
		old, new int
	}
	var all []dl
	o, n := 1, 1
	for o <= len(f.base) || n <= len(f.headLines) {
		switch {
		case n <= len(f.headLines) && f.headToBase[n] == 0 && (o > len(f.base) || f.blockOf[o] < 0 ||
			plusFirst && f.blockOf[o] == f.addedBlock[n]):
			// A block's added lines, after its removed ones.
			all = append(all, dl{'+', o, n})
			n++
		case o <= len(f.base) && f.blockOf[o] >= 0:
			all = append(all, dl{'-', o, n})
			o++
		default:
			all = append(all, dl{' ', o, n})
			o++
			n++
		}
	}
	for i := 0; i < len(all); {
		if all[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for end < len(all) {
			if all[end].kind != ' ' {
				end++
				continue
			}
			// A run of context: the hunk ends unless another change is
			// within 2*context lines.
			j := end
			for j < len(all) && all[j].kind == ' ' {
				j++
			}
			if j < len(all) && j-end <= 2*context {
				end = j
				continue
			}
			end = min(end+context, len(all))
			break
		}
		os, ns := all[start].old, all[start].new
		var oc, nc int
		for _, d := range all[start:end] {
			if d.kind != '+' {
				oc++
			}
			if d.kind != '-' {
				nc++
			}
		}
		if oc == 0 {
			os--
		}
		if nc == 0 {
			ns--
		}
		fmt.Fprintf(b, "@@ -%d,%d +%d,%d @@\n", os, oc, ns, nc)
		for _, d := range all[start:end] {
			switch d.kind {
			case '+':
				fmt.Fprintf(b, "+%s\n", f.headLines[d.new-1])
			case '-':
				fmt.Fprintf(b, "-%s\n", f.base[d.old-1])
			default:
				fmt.Fprintf(b, " %s\n", f.base[d.old-1])
			}
		}
		i = end
	}
}

// randDiff returns a random diff and its files.
func randDiff(r *rand.Rand) (string, []*refFile) {
	var files []*refFile
	for i := range 1 + r.IntN(5) {
		f := &refFile{path: fmt.Sprintf("f%d", i), head: fmt.Sprintf("f%d", i)}
		f.base = randLines(r, r.IntN(25))
		switch k := r.IntN(10); {
		case k == 0:
			f.path = ""
			f.base = nil
		case k == 1:
			f.head = ""
		case k == 2:
			f.binary = true
		case k <= 4:
			f.head = fmt.Sprintf("g%d", i)
			f.renamed = true
			f.unchanged = r.IntN(3) == 0
		}
		f.edit(r)
		if f.path == "" {
			f.headLines = randLines(r, 1+r.IntN(10))
			f.headToBase = make([]int, len(f.headLines)+1)
		}
		if f.head == "" {
			f.headLines, f.headToBase = nil, []int{0}
			f.baseToHead = make([]int, len(f.base)+1)
			f.blockOf = make([]int, len(f.base)+1)
			f.newFrom, f.newTo = []int{1}, []int{1}
			f.removedT, f.addedT = map[int]string{}, map[int]string{}
			for l := range f.base {
				f.removedT[l+1] = strings.TrimSpace(f.base[l])
			}
		}
		if f.unchanged || f.binary {
			f.headLines = f.base
			f.headToBase = make([]int, len(f.base)+1)
			f.baseToHead = make([]int, len(f.base)+1)
			f.blockOf = make([]int, len(f.base)+1)
			for l := range f.base {
				f.headToBase[l+1], f.baseToHead[l+1], f.blockOf[l+1] = l+1, l+1, -1
			}
			f.newFrom, f.newTo, f.removedT, f.addedT = nil, nil, map[int]string{}, map[int]string{}
		}
		files = append(files, f)
	}
	var b strings.Builder
	context, plusFirst := r.IntN(4), r.IntN(4) == 0
	for _, f := range files {
		f.write(&b, context, plusFirst)
	}
	return b.String(), files
}

// ref answers as the reference.
type ref struct{ files []*refFile }

func (x ref) byBase(p string) *refFile {
	for _, f := range x.files {
		if f.path == p && p != "" && (f.head != f.path || len(f.newFrom) > 0 || f.binary) {
			return f
		}
	}
	return nil
}

func (x ref) byHead(p string) (f *refFile, gone bool) {
	for _, f := range x.files {
		if f.head == p && p != "" {
			return f, false
		}
	}
	for _, f := range x.files {
		if f.path == p && f.head != p {
			gone = true
		}
	}
	return nil, gone
}

// extend is line l of a side of length n mapped by m, past the end too.
func extend(m []int, l, shift int) int {
	if l < len(m) {
		return m[l]
	}
	return l + shift
}

func (x ref) Map(p string, l int) (string, int, bool) {
	f := x.byBase(p)
	if f == nil {
		return p, l, l > 0
	}
	if f.head == "" || f.binary || l <= 0 {
		return "", 0, false
	}
	if hl := extend(f.baseToHead, l, len(f.headLines)-len(f.base)); hl > 0 {
		return f.head, hl, true
	}
	return "", 0, false
}

func (x ref) Origin(hp string, l int) (string, int, bool) {
	f, gone := x.byHead(hp)
	if l <= 0 || gone && f == nil || f != nil && (f.path == "" || f.binary) {
		return "", 0, false
	}
	if f == nil || f.path == f.head && len(f.newFrom) == 0 {
		return hp, l, true
	}
	if b := extend(f.headToBase, l, len(f.base)-len(f.headLines)); b > 0 {
		return f.path, b, true
	}
	return "", 0, false
}

func (x ref) HeadChanged(hp string, l int) bool {
	f, gone := x.byHead(hp)
	switch {
	case f == nil:
		return gone
	case f.path == "" || f.binary:
		return true
	}
	return l > 0 && l < len(f.headToBase) && f.headToBase[l] == 0
}

func (x ref) Added(hp string, l int) bool {
	f, _ := x.byHead(hp)
	if f == nil || f.binary || l <= 0 {
		return false
	}
	if f.path == "" {
		return true // every line of a new file
	}
	return l < len(f.headToBase) && f.headToBase[l] == 0
}

func (x ref) MayBecome(p string, l int, hp string, hl int) bool {
	f := x.byBase(p)
	if f == nil || f.binary || l <= 0 || l >= len(f.blockOf) || f.blockOf[l] < 0 {
		return false
	}
	if k := f.blockOf[l]; hp == f.head && hl >= f.newFrom[k] && hl < f.newTo[k] {
		return true
	}
	old := f.removedT[l]
	if old == "" {
		return false
	}
	h, _ := x.byHead(hp)
	if h == nil || h.path == "" {
		return false
	}
	t, ok := h.addedT[hl]
	return ok && t == old
}

func TestDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 6))
	paths := []string{"f0", "f1", "f2", "f3", "f4", "g0", "g1", "g2", "g3", "g4", "none"}
	for n := range 400 {
		diff, files := randDiff(r)
		m, err := ReadGitDiff(strings.NewReader(diff))
		if err != nil {
			t.Fatalf("diff %d: %v\n%s", n, err, diff)
		}
		x := ref{files}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("diff %d: "+format+"\n%s", append(append([]any{n}, args...), diff)...)
		}
		for _, p := range paths {
			for l := -1; l <= 32; l++ {
				wp, wl, wok := x.Map(p, l)
				if gp, gl, gok := m.Map(p, l); gp != wp || gl != wl || gok != wok {
					fail("Map(%s, %d) = %s %d %v, want %s %d %v", p, l, gp, gl, gok, wp, wl, wok)
				}
				wp, wl, wok = x.Origin(p, l)
				if gp, gl, gok := m.Origin(p, l); gp != wp || gl != wl || gok != wok {
					fail("Origin(%s, %d) = %s %d %v, want %s %d %v", p, l, gp, gl, gok, wp, wl, wok)
				}
				if g, w := m.HeadChanged(p, l), x.HeadChanged(p, l); g != w {
					fail("HeadChanged(%s, %d) = %v", p, l, g)
				}
				if g, w := m.Added(p, l), x.Added(p, l); g != w {
					fail("Added(%s, %d) = %v", p, l, g)
				}
				if l < 0 || l > 26 || !strings.HasPrefix(p, "f") {
					continue
				}
				for _, hp := range paths[:10] {
					for hl := 0; hl <= 30; hl++ {
						if g, w := m.MayBecome(p, l, hp, hl), x.MayBecome(p, l, hp, hl); g != w {
							fail("MayBecome(%s, %d, %s, %d) = %v", p, l, hp, hl, g)
						}
					}
				}
			}
		}
	}
}
