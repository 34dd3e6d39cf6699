package linemap

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/aymanbagabas/go-udiff/lcs"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/lis"
	"github.com/sarifkit/sarifkit/internal/parallel"
)

// DiffFiles builds the [LineMap] of two checkouts of the same code
// (base and head, each rooted where its log's relative URIs are
// relative to) for the files paths names, slash-separated and relative:
// each file both checkouts have is compared line by line, by git's
// patience diff over the Myers diff gopls uses (see patience), which on
// source files marks the lines git diff --histogram marks, give or take
// where an ambiguous hunk is placed. A file
// with a NUL byte in its first 8000 (git's test for binary) maps no line
// when it changed.
//
// Renames are found as git finds them, by content: a file only base has
// is the file only head has that keeps the most of its lines, when that
// is at least half of the larger file's (among at most [MaxRenames]
// files of each side, read one at a time within [MaxRenameBytes] in
// all, of which only their lines are kept). A file one checkout lacks otherwise, or cannot
// read, is left out of the map: its results are left to the passes that
// read the logs alone. Only regular files are read, up to 32 MiB each;
// base and head should confine the paths they resolve to their checkouts
// (a checkout.FS does).
//
// Its only error is ctx's.
func DiffFiles(ctx context.Context, base, head fs.FS, paths []string) (*LineMap, error) {
	return diffFiles(ctx, base, head, paths, MaxRenameBytes)
}

// diffFiles is [DiffFiles] with budget for [MaxRenameBytes].
func diffFiles(ctx context.Context, base, head fs.FS, paths []string, budget int64) (*LineMap, error) {
	paths = slices.Compact(slices.Sorted(slices.Values(paths)))
	paths = slices.DeleteFunc(paths, func(p string) bool { return !fs.ValidPath(p) || p == "." })
	type file struct {
		inBase, inHead bool
		change         *fileChange // nil when unchanged
	}
	files := make([]file, len(paths))
	m := New()
	// Most files are the same on both sides: each worker reads them into
	// its own two buffers, and keeps only what it must. A file one side
	// only has is read again below, if it may be a rename.
	bufs := make([][2][]byte, parallel.Workers())
	if err := parallel.For(ctx, len(paths), func(w, k int) error {
		var errA, errB error
		bufs[w][0], errA = readInto(bufs[w][0], base, paths[k])
		bufs[w][1], errB = readInto(bufs[w][1], head, paths[k])
		a, b := bufs[w][0], bufs[w][1]
		f := &files[k]
		f.inBase, f.inHead = errA == nil, errB == nil
		if f.inBase && f.inHead && !bytes.Equal(a, b) {
			f.change = diffLines(m.seed, a, b)
			f.change.head = paths[k]
		}
		return nil
	}); err != nil {
		return nil, err
	}
	bufs = nil
	var inBase, inHead []string
	var gone, added []string // files only base, only head has
	for k, f := range files {
		if f.inBase {
			inBase = append(inBase, paths[k])
		}
		if f.inHead {
			inHead = append(inHead, paths[k])
		}
		switch {
		case f.change != nil:
			m.files[paths[k]] = f.change
		case f.inBase && !f.inHead:
			gone = append(gone, paths[k])
		case f.inHead && !f.inBase:
			added = append(added, paths[k])
		}
	}
	// Rename candidates: the files only head names, and the files new in
	// head in the directory of each file gone (a file split in two, or
	// renamed in place, whose new name no result names). They are read
	// one at a time, within budget, and only their lines are kept.
	renamed := map[string]bool{}
	if len(gone) > 0 && len(gone) <= MaxRenames && len(added) <= MaxRenames {
		rd := &renameReader{budget: budget}
		from := rd.readAll(base, gone)
		to := rd.readAll(head, added)
		to = append(to, rd.newInDirs(base, head, gone, paths, MaxRenames-len(added))...)
		if len(to) <= MaxRenames {
			for _, r := range renames(ctx, from, to) {
				fc := diffSplit(m.seed, r[0].lines, r[1].lines)
				fc.head = r[1].path
				m.files[r[0].path] = fc
				renamed[r[1].path] = true
				if !slices.Contains(inHead, r[1].path) {
					inHead = append(inHead, r[1].path)
				}
			}
		}
	}
	for _, p := range added {
		if !renamed[p] {
			m.added[p] = true // its lines came from no line of base
		}
	}
	m.Track(inBase, inHead)
	return m, ctx.Err()
}

// readInto reads file name of fsys into buf's memory (grown as needed)
// and returns it.
func readInto(buf []byte, fsys fs.FS, name string) ([]byte, error) {
	f, err := checkout.OpenFile(fsys, name)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return buf[:0], err
	}
	if !st.Mode().IsRegular() {
		return buf[:0], fmt.Errorf("%s: not a regular file", name)
	}
	buf = slices.Grow(buf[:0], int(st.Size())+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf[:0], err
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096) // the file grew
		}
	}
}

// MaxRenames is the most files only one checkout has, on either side,
// among which [DiffFiles] looks for renames: each such pair is diffed.
const MaxRenames = 200

// MaxRenameBytes bounds what [DiffFiles] reads and holds of the files
// it looks for renames among: each file's bytes, plus 16 per line for
// its lines, counted when it is read, in path order (the files gone,
// then those new), until the budget is spent: a file past it is no
// candidate, and its results are left to the passes that read the logs
// alone. 256 MiB: a few hundred source files of any ordinary size.
const MaxRenameBytes = 256 << 20

// A renameFile is a file only one checkout has, by its lines (nil for
// a binary or empty file, which is no rename candidate).
type renameFile struct {
	path  string
	lines []string
}

// A renameReader reads rename candidates one at a time into one buffer,
// keeping their lines while its budget lasts.
type renameReader struct {
	budget int64
	buf    []byte
}

// read reads file name of fsys, reporting false when it cannot be read
// or the budget does not cover it (then no more is read).
func (r *renameReader) read(fsys fs.FS, name string) (renameFile, bool) {
	if r.budget <= 0 {
		return renameFile{}, false
	}
	if st, err := fs.Stat(fsys, name); err != nil || st.Size() > r.budget {
		if err == nil {
			r.budget = 0
		}
		return renameFile{}, false
	}
	var err error
	if r.buf, err = readInto(r.buf, fsys, name); err != nil {
		return renameFile{}, false
	}
	cost := int64(len(r.buf)) + 16*int64(bytes.Count(r.buf, []byte("\n"))+1)
	if cost > r.budget {
		r.budget = 0
		return renameFile{}, false
	}
	r.budget -= cost
	f := renameFile{path: name}
	if len(r.buf) > 0 && !isBinary(r.buf) {
		f.lines = splitLines(r.buf) // a copy
	}
	return f, true
}

// readAll reads the files names of fsys that it can.
func (r *renameReader) readAll(fsys fs.FS, names []string) []renameFile {
	var out []renameFile
	for _, p := range names {
		if f, ok := r.read(fsys, p); ok {
			out = append(out, f)
		}
	}
	return out
}

// newInDirs returns the files of head, in the directories of the files
// gone, that base lacks and paths (sorted) does not name; when there
// are more than most, it stops at most+1.
func (r *renameReader) newInDirs(base, head fs.FS, gone []string, paths []string, most int) []renameFile {
	var out []renameFile
	seen := map[string]bool{}
	for _, g := range gone {
		dir := path.Dir(g)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		entries, err := fs.ReadDir(head, dir)
		if err != nil || len(entries) > MaxRenames {
			continue
		}
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			if _, named := slices.BinarySearch(paths, p); !e.Type().IsRegular() || named {
				continue
			}
			if _, err := fs.Stat(base, p); err == nil {
				continue
			}
			if f, ok := r.read(head, p); ok {
				out = append(out, f)
				if len(out) > most {
					return out
				}
			}
		}
	}
	return out
}

// renames pairs files of gone with files of added whose lines are at
// least half the same (of the larger file's), the most similar first.
func renames(ctx context.Context, gone, added []renameFile) [][2]renameFile {
	type candidate struct {
		from, to int
		score    float64
	}
	lines := func(files []renameFile) [][]string {
		out := make([][]string, len(files))
		for i, f := range files {
			out[i] = f.lines
		}
		return out
	}
	goneLines, addedLines := lines(gone), lines(added)
	var cands []candidate
	for i, a := range goneLines {
		for j, b := range addedLines {
			if ctx.Err() != nil {
				return nil
			}
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			changed := 0
			for _, d := range patience(a, b, 0, 0, nil) {
				changed += d.End - d.Start
			}
			score := float64(len(a)-changed) / float64(max(len(a), len(b)))
			if score >= 0.5 {
				cands = append(cands, candidate{i, j, score})
			}
		}
	}
	slices.SortStableFunc(cands, func(x, y candidate) int { return -cmp.Compare(x.score, y.score) })
	usedFrom, usedTo := map[int]bool{}, map[int]bool{}
	var out [][2]renameFile
	for _, c := range cands {
		if !usedFrom[c.from] && !usedTo[c.to] {
			usedFrom[c.from], usedTo[c.to] = true, true
			out = append(out, [2]renameFile{gone[c.from], added[c.to]})
		}
	}
	return out
}

// diffLines returns the change from a to b, line by line.
func diffLines(seed maphash.Seed, a, b []byte) *fileChange {
	fc := &fileChange{}
	if isBinary(a) || isBinary(b) {
		fc.binary = true
		return fc
	}
	return diffSplit(seed, splitLines(a), splitLines(b))
}

// diffSplit returns the change from lines al to lines bl.
func diffSplit(seed maphash.Seed, al, bl []string) *fileChange {
	fc := &fileChange{}
	for _, d := range patience(al, bl, 0, 0, nil) {
		h := Hunk{OldStart: d.Start, OldLines: d.End - d.Start, NewStart: d.ReplStart, NewLines: d.ReplEnd - d.ReplStart}
		// Lines are 1-based; an empty side is the line it follows.
		if h.OldLines > 0 {
			h.OldStart++
		}
		if h.NewLines > 0 {
			h.NewStart++
		}
		for i := d.Start; i < d.End; i++ {
			fc.removed.add(lineHashString(seed, al[i]))
		}
		for i := d.ReplStart; i < d.ReplEnd; i++ {
			fc.added.add(lineHashString(seed, bl[i]))
		}
		fc.addHunk(h)
	}
	fc.sortHunks()
	fc.index()
	return fc
}

// patience appends to out the changes from a to b (which start at lines
// aOff and bOff of their files), as git diff --patience finds them: the
// lines that occur once in each, in the longest run in the same order
// on both sides, are kept, and the gaps between them are diffed again;
// a gap without such lines goes to the Myers diff. The library's Myers
// gives up looking for the shortest diff past 50 changes (on a file
// that gained 350 lines, it marks 200 unchanged lines changed); the
// gaps between unique lines are far smaller.
func patience(a, b []string, aOff, bOff int, out []lcs.Diff) []lcs.Diff {
	// The lines both start and end with are kept.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	a, b = a[pre:len(a)-suf], b[pre:len(b)-suf]
	aOff, bOff = aOff+pre, bOff+pre
	switch {
	case len(a) == 0 && len(b) == 0:
		return out
	case len(a) == 0 || len(b) == 0:
		return append(out, lcs.Diff{Start: aOff, End: aOff + len(a), ReplStart: bOff, ReplEnd: bOff + len(b)})
	}
	type count struct{ a, b, ai, bi int }
	counts := map[string]*count{}
	for i, l := range a {
		c := counts[l]
		if c == nil {
			c = &count{}
			counts[l] = c
		}
		c.a, c.ai = c.a+1, i
	}
	for i, l := range b {
		if c := counts[l]; c != nil {
			c.b, c.bi = c.b+1, i
		}
	}
	var unique []lis.Pair
	for _, c := range counts {
		if c.a == 1 && c.b == 1 {
			unique = append(unique, lis.Pair{Base: c.ai, Head: c.bi})
		}
	}
	anchors := lis.Increasing(unique)
	if len(anchors) == 0 {
		for _, d := range lcs.DiffLines(a, b) {
			out = append(out, lcs.Diff{Start: aOff + d.Start, End: aOff + d.End, ReplStart: bOff + d.ReplStart, ReplEnd: bOff + d.ReplEnd})
		}
		return out
	}
	pa, pb := 0, 0
	for _, an := range anchors {
		out = patience(a[pa:an.Base], b[pb:an.Head], aOff+pa, bOff+pb, out)
		pa, pb = an.Base+1, an.Head+1
	}
	return patience(a[pa:], b[pb:], aOff+pa, bOff+pb, out)
}

// splitLines splits text into lines, each with its "\n" but the last one
// when text does not end with one, as git reads them: "\r" is part of a
// line.
func splitLines(text []byte) []string {
	s := string(text)
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// isBinary tells whether content is binary by git's test: a NUL byte in
// its first 8000 bytes.
func isBinary(content []byte) bool {
	return bytes.IndexByte(content[:min(len(content), 8000)], 0) >= 0
}
