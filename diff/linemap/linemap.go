package linemap

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// A LineMap says where the lines of base's files are in head, as a line
// diff of the two revisions does: a line the diff left alone maps to its
// place in head (shifted by the lines inserted and deleted above it, in
// the file's new name when it was renamed); a line the diff changed or
// deleted maps nowhere. Files the diff does not mention are unchanged.
// Paths are slash-separated and relative to the repository's root, as
// package sarif normalises relative URIs.
//
// [ReadGitDiff] builds one from the output of git diff (what a reviewer
// sees), [DiffFiles] from two trees of files, [LineMap.AddFile] from
// hunks found otherwise. With a LineMap, diff.Compare pairs a base
// result with the head result of the same rule on the line its line maps
// to (its pass "line-map"), whatever its message now says.
type LineMap struct {
	files map[string]*fileChange // by base path
	// extra are the changes that share their base path with another:
	// copies (their source keeps its own entry in files), and a file
	// rewritten in place while its old content was renamed away (the
	// rename is in files: it is where the base lines went).
	extra []extraChange
	added map[string]bool // files new in head
	// binaryAdded are the files of added that are binary: no line of
	// theirs is an added line.
	binaryAdded map[string]bool
	// seed hashes the text of the lines removed and added (see
	// fileChange), so that no diff can be made whose lines collide.
	seed maphash.Seed
	// tracked, when set (Track), are the files of each revision: a file
	// outside them is not known to be unchanged.
	tracked [2]map[string]bool
	heads   map[string]*fileChange // by head path, made on first use
	bases   map[string]string      // base path by head path, of heads' files
	once    sync.Once
}

// A Hunk is one change of a file: OldLines lines from OldStart (1-based)
// of the base file became NewLines lines from NewStart of the head file.
// An insertion has OldLines 0 and OldStart the line it follows; a
// deletion has NewLines 0.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
}

// end is the first base line after the hunk.
func (h Hunk) end() int {
	if h.OldLines == 0 {
		return h.OldStart + 1
	}
	return h.OldStart + h.OldLines
}

// covers tells whether the hunk changed base line line.
func (h Hunk) covers(line int) bool {
	return h.OldLines > 0 && line >= h.OldStart && line < h.OldStart+h.OldLines
}

// A fileChange is one file's change: its hunks in order, and, when the
// diff gave the lines' text, a hash of each line removed and added, so
// that a file costs a few bytes a line of diff whatever its lines hold.
type fileChange struct {
	// hunks are by OldStart, each with the lines the hunks before it
	// added (less those they removed) and removed, once indexed;
	// shiftAll and beforeAll are those of all the hunks.
	hunks               chunked[packedHunk]
	indexed             bool
	shiftAll, beforeAll int
	head                string // the file's path in head, "" when deleted
	binary              bool   // a binary file: no line maps
	deleted             bool
	rewritten           bool // git diff -B broke it: "dissimilarity index"
	// removed and added hold the hash (lineHash) of each line the hunks
	// removed and added, in the hunks' order: hunk k's removed lines from
	// removed[before(k)], its added lines from added[before(k)+shift(k)].
	// They are empty when the diff did not give the text.
	removed, added chunked[uint32]
}

// A packedHunk is a Hunk in 32-bit numbers, with what index computes.
type packedHunk struct {
	oldStart, oldLines, newStart, newLines int32
	shift, before                          int32
}

// maxLine bounds the line numbers and counts of a hunk, so that they
// and their sums fit a packedHunk.
const maxLine = 1<<30 - 1

func clampLine(v int) int32 { return int32(min(max(v, -maxLine), maxLine)) }

// addHunk appends h (its numbers within ±maxLine) to the hunks.
func (fc *fileChange) addHunk(h Hunk) {
	fc.hunks.add(packedHunk{
		oldStart: clampLine(h.OldStart), oldLines: clampLine(h.OldLines),
		newStart: clampLine(h.NewStart), newLines: clampLine(h.NewLines),
	})
}

// hunk returns hunk k.
func (fc *fileChange) hunk(k int) Hunk {
	p := fc.hunks.at(k)
	return Hunk{int(p.oldStart), int(p.oldLines), int(p.newStart), int(p.newLines)}
}

// shift returns the lines the hunks before hunk k added, less those they
// removed; k may be the number of hunks.
func (fc *fileChange) shift(k int) int {
	if k >= fc.hunks.n {
		return fc.shiftAll
	}
	return int(fc.hunks.at(k).shift)
}

// before returns the lines the hunks before hunk k removed.
func (fc *fileChange) before(k int) int {
	if k >= fc.hunks.n {
		return fc.beforeAll
	}
	return int(fc.hunks.at(k).before)
}

// chunked is a list in chunks of at most chunkLen: a long list grows by
// a chunk at a time, never by copying itself.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

const chunkLen = 1 << 12

func (l *chunked[T]) add(v T) {
	switch {
	case len(l.chunks) == 0:
		l.chunks = append(l.chunks, nil) // grows as a slice: most lists are short
	case len(l.chunks[len(l.chunks)-1]) == chunkLen:
		l.chunks = append(l.chunks, make([]T, 0, chunkLen))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, v)
	l.n++
}

// at returns element i, the zero value when there is none (no text, for
// a hash).
func (l *chunked[T]) at(i int) T {
	if i < 0 || i >= l.n {
		var zero T
		return zero
	}
	return l.chunks[i/chunkLen][i%chunkLen]
}

// ptr returns a pointer to element i, which exists.
func (l *chunked[T]) ptr(i int) *T { return &l.chunks[i/chunkLen][i%chunkLen] }

// An extraChange is a change recorded beside the one of its base path.
type extraChange struct {
	base string
	fc   *fileChange
	copy bool
}

// lineHash is the hash of a line's text, trimmed of white space: 0 for
// a blank line (one that says nothing of where it went), never 0
// otherwise. With the map's random seed, two lines of different text
// have the same hash with a chance of one in 2³², whatever the diff.
func lineHash(seed maphash.Seed, text []byte) uint32 {
	text = bytes.TrimSpace(text)
	if len(text) == 0 {
		return 0
	}
	return max(uint32(maphash.Bytes(seed, text)), 1)
}

// lineHashString is lineHash of a string.
func lineHashString(seed maphash.Seed, text string) uint32 {
	text = strings.TrimSpace(text)
	if len(text) == 0 {
		return 0
	}
	return max(uint32(maphash.String(seed, text)), 1)
}

// removedHash returns the hash of base line line, which hunk k removed
// (0 without the text).
func (fc *fileChange) removedHash(k, line int) uint32 {
	return fc.removed.at(fc.before(k) + line - fc.hunk(k).OldStart)
}

// addedHash returns the hash of head line line, which hunk k added (0
// without the text).
func (fc *fileChange) addedHash(k, line int) uint32 {
	return fc.added.at(fc.before(k) + fc.shift(k) + line - fc.hunk(k).NewStart)
}

// New returns an empty map: every file unchanged.
func New() *LineMap {
	return &LineMap{files: map[string]*fileChange{}, added: map[string]bool{}, binaryAdded: map[string]bool{}, seed: maphash.MakeSeed()}
}

// record records change fc of base file path. A copy, or a second change
// of the same base file, goes beside the first (see LineMap.extra): of
// two, the one that moved the file's lines elsewhere keeps the base
// path, as its lines went there.
func (m *LineMap) record(path string, fc *fileChange, copied bool) {
	prev, dup := m.files[path]
	switch {
	case copied || dup && (prev.head != path || fc.head == path):
		m.extra = append(m.extra, extraChange{path, fc, copied})
	case dup:
		m.extra = append(m.extra, extraChange{path, prev, false})
		m.files[path] = fc
	default:
		m.files[path] = fc
	}
}

// AddFile records that base file path is head file headPath in head
// ("" when it was deleted), changed by hunks. Path "" records a file new
// in head. Line numbers and counts are taken within ±(2³⁰−1), more lines
// than any file has.
func (m *LineMap) AddFile(path, headPath string, hunks []Hunk) {
	if path == "" {
		m.added[headPath] = true
		return
	}
	h := slices.Clone(hunks)
	slices.SortFunc(h, func(a, b Hunk) int { return a.OldStart - b.OldStart })
	fc := &fileChange{head: headPath, deleted: headPath == ""}
	for _, x := range h {
		fc.addHunk(x)
	}
	fc.index()
	m.files[path] = fc
}

// promoteCopies gives the base path of a file git diff -B rewrote in
// place to the first copy of it: git prints a file renamed away and
// replaced by new content (-B -M) as the file rewritten and a copy of
// it, and its base lines went to the copy.
func (m *LineMap) promoteCopies() {
	for i, e := range m.extra {
		prev := m.files[e.base]
		if e.copy && prev != nil && prev.rewritten && prev.head == e.base && e.fc.head != "" {
			m.files[e.base], m.extra[i] = e.fc, extraChange{e.base, prev, false}
		}
	}
}

// Track records the files of the two revisions (repository paths): with
// them, a file the diff does not mention is unchanged only when both have
// it, and lines of other files map nowhere (results of files outside the
// repository, or untracked, are left to the other passes).
func (m *LineMap) Track(base, head []string) {
	for i, list := range [][]string{base, head} {
		m.tracked[i] = make(map[string]bool, len(list))
		for _, p := range list {
			m.tracked[i][p] = true
		}
	}
}

// Map returns where line of base file path is in head; ok is false when
// the diff changed or deleted it.
func (m *LineMap) Map(path string, line int) (headPath string, headLine int, ok bool) {
	fc, changed := m.files[path]
	if !changed {
		if m.tracked[0] != nil && (!m.tracked[0][path] || !m.tracked[1][path]) {
			return "", 0, false
		}
		return path, line, line > 0
	}
	if fc.deleted || fc.binary || line <= 0 {
		return "", 0, false
	}
	// The hunks before line, by binary search: hunks are in order and do
	// not overlap; the shift is the sum of theirs.
	k := sort.Search(fc.hunks.n, func(k int) bool { return fc.hunk(k).end() > line })
	if k < fc.hunks.n && fc.hunk(k).covers(line) {
		return "", 0, false
	}
	shift := fc.shift(k)
	return fc.head, line + shift, true
}

// HeadChanged tells whether line of head file path is one the diff
// added or changed (or the file is new or binary): a line that came
// from no line of base.
func (m *LineMap) HeadChanged(path string, line int) bool {
	m.indexHeads()
	fc, changed := m.heads[path]
	if !changed {
		return m.added[path] || m.tracked[1] != nil && !m.tracked[1][path]
	}
	if fc.binary || fc.deleted {
		return true
	}
	_, covered := fc.headHunk(line)
	return covered
}

// Added tells whether line of head file path is one the diff added (a
// "+" line of a hunk), or the file is new in head: the lines a pull
// request adds, to which codeql-action restricts its results. A file
// deleted, binary, or renamed without a change has none.
func (m *LineMap) Added(path string, line int) bool {
	if line <= 0 {
		return false
	}
	m.indexHeads()
	fc, changed := m.heads[path]
	if !changed {
		return m.added[path] && !m.binaryAdded[path]
	}
	if fc.binary || fc.deleted {
		return false
	}
	_, covered := fc.headHunk(line)
	return covered
}

// indexHeads makes, once, the index of the changed files by head path.
func (m *LineMap) indexHeads() {
	m.once.Do(func() {
		m.heads, m.bases = map[string]*fileChange{}, map[string]string{}
		for old, fc := range m.files {
			if fc.head != "" {
				m.heads[fc.head], m.bases[fc.head] = fc, old
			}
		}
		for _, e := range m.extra {
			if e.fc.head != "" && m.heads[e.fc.head] == nil {
				m.heads[e.fc.head], m.bases[e.fc.head] = e.fc, e.base
			}
		}
		for old, fc := range m.files {
			if fc.head != old && m.heads[old] == nil && !m.added[old] {
				// The name is gone from head, unless another file took it.
				m.heads[old] = &fileChange{deleted: true}
			}
		}
	})
}

// headHunk returns the index of the first hunk that does not end above
// head line line, and whether that hunk added or changed the line.
func (fc *fileChange) headHunk(line int) (k int, covered bool) {
	k = sort.Search(fc.hunks.n, func(k int) bool {
		h := fc.hunk(k)
		return h.NewStart+max(h.NewLines, 1) > line
	})
	if k < fc.hunks.n {
		h := fc.hunk(k)
		covered = h.NewLines > 0 && line >= h.NewStart && line < h.NewStart+h.NewLines
	}
	return k, covered
}

// Origin is Map the other way: the line of base that line of head file
// headPath was, when the diff left it alone; ok is false when the diff
// added or changed it (or the file is new in head, or binary).
func (m *LineMap) Origin(headPath string, line int) (path string, baseLine int, ok bool) {
	if line <= 0 {
		return "", 0, false
	}
	m.indexHeads()
	fc, changed := m.heads[headPath]
	if !changed {
		if m.added[headPath] || m.tracked[0] != nil && (!m.tracked[0][headPath] || !m.tracked[1][headPath]) {
			return "", 0, false
		}
		return headPath, line, true
	}
	if fc.binary || fc.deleted {
		return "", 0, false
	}
	k, covered := fc.headHunk(line)
	if covered {
		return "", 0, false
	}
	return m.bases[headPath], line - fc.shift(k), true
}

// index computes the shifts of the hunks (in order); ReadGitDiff and
// AddFile call it when they record a file.
func (fc *fileChange) index() {
	if fc.indexed {
		return
	}
	fc.indexed = true
	shift, before := 0, 0
	for k := range fc.hunks.n {
		p := fc.hunks.ptr(k)
		p.shift, p.before = clampLine(shift), clampLine(before)
		shift += int(p.newLines) - int(p.oldLines)
		before += int(p.oldLines)
	}
	fc.shiftAll, fc.beforeAll = shift, before
}

// sortHunks puts the hunks (and their lines' hashes) in the order of
// their base lines, as a diff gives them unless written by hand.
func (fc *fileChange) sortHunks() {
	sorted := true
	for k := 1; k < fc.hunks.n && sorted; k++ {
		sorted = fc.hunks.at(k-1).oldStart <= fc.hunks.at(k).oldStart
	}
	if sorted {
		return
	}
	type span struct {
		h    Hunk
		o, n int // where its removed and added lines' hashes start
	}
	spans := make([]span, fc.hunks.n)
	o, n := 0, 0
	for k := range spans {
		h := fc.hunk(k)
		spans[k] = span{h, o, n}
		o, n = o+h.OldLines, n+h.NewLines
	}
	slices.SortStableFunc(spans, func(a, b span) int { return a.h.OldStart - b.h.OldStart })
	var removed, added chunked[uint32]
	fc.hunks = chunked[packedHunk]{}
	for _, s := range spans {
		fc.addHunk(s.h)
		for i := range s.h.OldLines {
			if fc.removed.n > 0 {
				removed.add(fc.removed.at(s.o + i))
			}
		}
		for i := range s.h.NewLines {
			if fc.added.n > 0 {
				added.add(fc.added.at(s.n + i))
			}
		}
	}
	fc.removed, fc.added = removed, added
}

// MayBecome tells whether head line headLine of headPath can be what
// base line line of path became, when the diff changed that line: it is
// in the new lines of the same hunk (the line was edited), or it is an
// added line whose text is the removed line's (the line moved). For a
// file the base revision does not have, anything can be. A line the
// diff left alone became only the line [LineMap.Map] gives.
func (m *LineMap) MayBecome(path string, line int, headPath string, headLine int) bool {
	fc, ok := m.files[path]
	if !ok {
		// Unchanged files' results are settled; a file the revisions do
		// not have (untracked, outside the repository), or that head
		// lacks with nothing saying where it went, says nothing.
		return m.tracked[0] != nil && (!m.tracked[0][path] || !m.tracked[1][path])
	}
	if fc.binary {
		return false
	}
	k := sort.Search(fc.hunks.n, func(k int) bool { return fc.hunk(k).end() > line })
	if k == fc.hunks.n || !fc.hunk(k).covers(line) {
		return false
	}
	h := fc.hunk(k)
	if headPath == fc.head && h.NewLines > 0 && headLine >= h.NewStart && headLine < h.NewStart+h.NewLines {
		return true
	}
	old := fc.removedHash(k, line)
	if old == 0 {
		return false
	}
	m.indexHeads()
	hc := m.heads[headPath]
	if hc == nil || hc.binary || hc.deleted {
		return false
	}
	k, covered := hc.headHunk(headLine)
	return covered && hc.addedHash(k, headLine) == old
}

// Files is the number of files the map says changed, renamed, copied or
// deleted.
func (m *LineMap) Files() int { return len(m.files) + len(m.extra) }

// ReadGitDiff reads the output of git diff (a unified diff with git's
// extended headers, any number of context lines, renames detected with
// -M) into a LineMap. Binary files map no line; a deleted file maps none.
//
// A copy (git diff -C: "copy from", "copy to") is read like a rename on
// the head side: the copy's lines map back to its source's
// ([LineMap.Origin]), its "+" lines are added ([LineMap.Added]); but a
// base line has one place in head, and the source kept its name, so
// [LineMap.Map] maps the source's lines into the source, which keeps its
// own change. A file git diff -B rewrote in place ("dissimilarity
// index") and copied is a file renamed away and replaced: its base lines
// map into the copy, and every line of the new content is added. Two
// changes of one base file do not overwrite each other: the one that
// moved its lines elsewhere serves Map, both serve the head side.
//
// The map keeps of each file its hunks and a 32-bit hash of each line
// they remove and add (for [LineMap.MayBecome]), a few bytes a line of
// diff, never the lines' text. A hunk header with a number past 2³⁰−1
// is an error.
//
// A plain unified diff (diff -u, a patch file) is read too: a file starts
// at its "--- " header, which may end in a tab and a time stamp, and a
// "--- /dev/null" marks a new file. Paths lose git's "a/" and "b/"
// prefixes, and only those. Lines may end in "\r\n".
func ReadGitDiff(r io.Reader) (*LineMap, error) {
	m := New()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	var (
		cur         *fileChange
		oldPath     string
		oldLine     int // next old line in the hunk body
		newLine     int
		left, right int  // old and new lines left in the hunk body
		block       Hunk // the change being read, when inBlock
		inBlock     bool
		lineNo      int
		inHunk      bool
		newFile     bool
		copied      bool // the file is a copy ("copy from", "copy to")
		sawOld      bool // the file's "--- " header was read
		plain       bool // the file began at its "--- " header, no "diff --git"
	)
	flush := func() {
		if inBlock {
			cur.addHunk(block)
			inBlock = false
		}
	}
	finishFile := func() {
		flush()
		if plain && cur != nil && cur.hunks.n == 0 && !inHunk {
			// "--- " and "+++ " lines with no hunk after them: text
			// before a diff (a commit message), not a file.
			cur = nil
		}
		if cur != nil && newFile && cur.head != "" {
			m.added[cur.head] = true
			if cur.binary {
				m.binaryAdded[cur.head] = true
			}
		}
		if cur != nil && oldPath != "" && !newFile {
			if cur.head == "" && !cur.deleted {
				cur.head = oldPath
			}
			if copied || cur.deleted || cur.binary || cur.hunks.n > 0 || cur.head != oldPath {
				cur.sortHunks()
				cur.index()
				m.record(oldPath, cur, copied)
			}
		}
		cur, oldPath, newFile, copied, inHunk, sawOld, plain = nil, "", false, false, false, false, false
	}
	for sc.Scan() {
		lineNo++
		line := sc.Bytes() // without its "\r\n" or "\n"
		if inHunk && (left > 0 || right > 0) {
			var kind byte
			if len(line) > 0 {
				kind = line[0]
			}
			switch kind {
			case ' ', 0:
				flush()
				oldLine++
				newLine++
				left--
				right--
				continue
			case '-':
				if !newFile {
					cur.removed.add(lineHash(m.seed, line[1:]))
				}
				if !inBlock {
					block, inBlock = Hunk{OldStart: oldLine, NewStart: newLine - 1}, true
				}
				if block.OldLines == 0 {
					// Removed lines after added ones (a diff written
					// by hand): the change starts here in base.
					block.OldStart = oldLine
				}
				block.OldLines++
				oldLine++
				left--
				continue
			case '+':
				if !newFile {
					cur.added.add(lineHash(m.seed, line[1:]))
				}
				if !inBlock {
					block, inBlock = Hunk{OldStart: oldLine - 1, NewStart: newLine}, true
				}
				if block.NewLines == 0 {
					block.NewStart = newLine
				}
				block.NewLines++
				newLine++
				right--
				continue
			case '\\': // "\ No newline at end of file"
				continue
			}
			return nil, fmt.Errorf("line %d: hunk ends early: %q", lineNo, line)
		}
		text := string(line)
		if strings.HasPrefix(text, "--- ") && (cur == nil || inHunk || sawOld) {
			// The next file of a plain unified diff, which has no
			// "diff --git" line.
			finishFile()
			cur, plain = &fileChange{}, true
		}
		switch {
		case strings.HasPrefix(text, "diff --git "):
			finishFile()
			cur = &fileChange{}
			a, b, ok := splitGitPaths(strings.TrimPrefix(text, "diff --git "))
			if ok {
				oldPath, cur.head = a, b
			}
		case cur == nil:
			// Text before the first file (a commit message): skipped.
		case strings.HasPrefix(text, `\`):
		case strings.HasPrefix(text, "@@"):
			flush()
			os, oc, ns, nc, err := parseHunkHeader(text)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", lineNo, err)
			}
			if min(os, oc, ns, nc) < 0 || max(os, oc, ns, nc) > maxLine {
				return nil, fmt.Errorf("line %d: hunk header %q: a line number or count out of range", lineNo, text)
			}
			oldLine, newLine, left, right, inHunk = os, ns, oc, nc, true
			if oc == 0 {
				oldLine = os + 1
			}
			if nc == 0 {
				newLine = ns + 1
			}
		case inHunk:
			// A header line of the next file without "diff --git".
			flush()
		case strings.HasPrefix(text, "new file mode"):
			newFile = true
		case strings.HasPrefix(text, "dissimilarity index "):
			cur.rewritten = true
		case strings.HasPrefix(text, "copy from "):
			oldPath, copied = unquotePath(strings.TrimPrefix(text, "copy from ")), true
		case strings.HasPrefix(text, "copy to "):
			cur.head = unquotePath(strings.TrimPrefix(text, "copy to "))
		case strings.HasPrefix(text, "rename from "):
			oldPath = unquotePath(strings.TrimPrefix(text, "rename from "))
		case strings.HasPrefix(text, "rename to "):
			cur.head = unquotePath(strings.TrimPrefix(text, "rename to "))
		case strings.HasPrefix(text, "deleted file mode"):
			cur.deleted, cur.head = true, ""
		case strings.HasPrefix(text, "Binary files "), text == "GIT binary patch":
			cur.binary = true
		case strings.HasPrefix(text, "--- "):
			sawOld = true
			// git ends a name with a space in it with a tab, diff -u
			// with a tab and a time stamp.
			if p := headerPath(text); p != "/dev/null" {
				oldPath = strings.TrimPrefix(unquotePath(p), "a/")
			} else {
				oldPath, newFile = "", true
			}
		case strings.HasPrefix(text, "+++ "):
			if p := headerPath(text); p == "/dev/null" {
				cur.deleted, cur.head = true, ""
			} else {
				cur.head = strings.TrimPrefix(unquotePath(p), "b/")
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if inHunk && (left > 0 || right > 0) {
		return nil, fmt.Errorf("line %d: the diff ends inside a hunk", lineNo)
	}
	finishFile()
	m.promoteCopies()
	return m, nil
}

// headerPath returns the path of a "--- " or "+++ " line: up to a tab,
// which ends a name with a space in git's diffs and comes before the
// time stamp in diff -u's.
func headerPath(line string) string {
	p, _, _ := strings.Cut(line[4:], "\t")
	return p
}

// parseHunkHeader reads "@@ -os,oc +ns,nc @@ ..." (a count of 1 may be
// left out).
func parseHunkHeader(s string) (os, oc, ns, nc int, err error) {
	f := strings.Fields(s)
	if len(f) < 3 || !strings.HasPrefix(f[1], "-") || !strings.HasPrefix(f[2], "+") {
		return 0, 0, 0, 0, fmt.Errorf("not a hunk header: %q", s)
	}
	parse := func(r string) (int, int, error) {
		start, count, found := strings.Cut(r, ",")
		a, err := strconv.Atoi(start)
		if err != nil {
			return 0, 0, err
		}
		b := 1
		if found {
			if b, err = strconv.Atoi(count); err != nil {
				return 0, 0, err
			}
		}
		return a, b, nil
	}
	if os, oc, err = parse(f[1][1:]); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("hunk header %q: %w", s, err)
	}
	if ns, nc, err = parse(f[2][1:]); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("hunk header %q: %w", s, err)
	}
	return os, oc, ns, nc, nil
}

// splitGitPaths splits the "a/X b/Y" of a "diff --git" line. Quoted paths
// (git quotes those with unusual characters) are unquoted; unquoted paths
// with spaces are split where both halves agree, as they do unless the
// file was renamed (then the rename lines say).
func splitGitPaths(s string) (a, b string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		if end := quotedEnd(s); end > 0 {
			a = unquotePath(s[:end])
			b = unquotePath(strings.TrimSpace(s[end:]))
			return strings.TrimPrefix(a, "a/"), strings.TrimPrefix(b, "b/"), true
		}
	}
	if i := strings.Index(s, ` "b/`); i >= 0 {
		return strings.TrimPrefix(s[:i], "a/"), strings.TrimPrefix(unquotePath(s[i+1:]), "b/"), true
	}
	// "a/P b/P": the halves are the same length when unrenamed.
	if n := len(s); n%2 == 1 {
		x, y := s[:n/2], s[n/2+1:]
		if strings.HasPrefix(x, "a/") && strings.HasPrefix(y, "b/") && x[2:] == y[2:] {
			return x[2:], y[2:], true
		}
	}
	if i := strings.Index(s, " b/"); i >= 0 {
		return strings.TrimPrefix(s[:i], "a/"), s[i+3:], true
	}
	return "", "", false
}

func quotedEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// unquotePath undoes git's C-style quoting of a path ("\"a\\303\\251.go\"").
func unquotePath(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}

// Sub returns the map of the files under the directory dir (a path
// relative to the repository root, "" or "." for all), with paths relative
// to it: for logs whose relative URIs are relative to a subdirectory of
// the repository. A file moved out of dir maps no line.
func (m *LineMap) Sub(dir string) *LineMap {
	dir = strings.Trim(dir, "/")
	if dir == "" || dir == "." {
		return m
	}
	out := New()
	out.seed = m.seed // the hashes of the lines are m's
	prefix := dir + "/"
	sub := func(p string, fc *fileChange) (string, *fileChange, bool) {
		rel, ok := strings.CutPrefix(p, prefix)
		if !ok {
			return "", nil, false
		}
		c := *fc
		if c.head != "" {
			if h, inside := strings.CutPrefix(c.head, prefix); inside {
				c.head = h
			} else {
				c.deleted, c.head = true, ""
			}
		}
		return rel, &c, true
	}
	for p, fc := range m.files {
		if rel, c, ok := sub(p, fc); ok {
			out.files[rel] = c
		}
	}
	for _, e := range m.extra {
		if rel, c, ok := sub(e.base, e.fc); ok && c.head != "" {
			out.extra = append(out.extra, extraChange{rel, c, e.copy})
		}
	}
	for p := range m.added {
		if rel, ok := strings.CutPrefix(p, prefix); ok {
			out.added[rel] = true
			out.binaryAdded[rel] = m.binaryAdded[p]
		}
	}
	for i, t := range m.tracked {
		if t == nil {
			continue
		}
		out.tracked[i] = map[string]bool{}
		for p := range t {
			if rel, ok := strings.CutPrefix(p, prefix); ok {
				out.tracked[i][rel] = true
			}
		}
	}
	return out
}
