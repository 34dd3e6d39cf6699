package diff

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/sarifkit/sarifkit/internal/dirset"
	"github.com/sarifkit/sarifkit/sarif"
)

// Logs of the same code made in checkouts at different places (a Linux
// and a Windows runner, two CI workspaces) name the same file by
// different absolute URIs: file:///home/runner/work/app/app/main.go and
// file:///D:/a/app/app/main.go. Results compare such URIs relative to the
// checkout each log was made in, when something says where that was:
// Options.BaseRoot or HeadRoot, else the run's originalUriBaseIds that
// are absolute file: URIs (SRCROOT and the like), else the working
// directory of its invocations. The root-most of those that holds a URI
// wins. Diff.Notes says which roots were used.

// A checkoutRoot is a directory results' absolute URIs are relative to.
type checkoutRoot struct {
	prefix string // normalised path with a final "/"
	from   string // what says so, for the notes
	used   atomic.Int64
}

// checkoutRoots are the roots of a run, root-most first, and the same in
// a set that finds the one that holds a path without trying each: a log
// may name as many as it likes.
type checkoutRoots struct {
	list []*checkoutRoot
	dirs dirset.Set // numbered as in list
}

// runRoots returns the roots of run, root-most first: explicit (a path
// or file: URI, "" for none), then the run's own.
func runRoots(run *sarif.Run, explicit, flag string) *checkoutRoots {
	var out []*checkoutRoot
	seen := map[string]bool{}
	add := func(uri, from string) {
		p := sarif.NormalizeURI(uri)
		if !isAbsolutePath(p) {
			return
		}
		p = strings.TrimSuffix(p, "/") + "/"
		if p == "/" || len(p) == 3 && p[1] == ':' {
			return // the whole file system says nothing of a checkout
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, &checkoutRoot{prefix: p, from: from})
		}
	}
	if explicit != "" {
		add(explicit, flag)
	}
	arts := run.Artifacts()
	ids := make([]string, 0, len(run.Model.OriginalUriBaseIDs))
	for id := range run.Model.OriginalUriBaseIDs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		add(arts.Resolve("", id), "originalUriBaseIds "+id)
	}
	for _, inv := range run.Model.Invocations {
		if inv != nil && inv.WorkingDirectory != nil {
			add(arts.ArtifactLocation(inv.WorkingDirectory), "invocations[].workingDirectory")
		}
	}
	// Root-most first; explicit roots before the run's at equal length.
	slices.SortStableFunc(out, func(a, b *checkoutRoot) int { return cmp.Compare(len(a.prefix), len(b.prefix)) })
	roots := &checkoutRoots{list: out}
	for _, r := range out {
		roots.dirs.Add(r.prefix)
	}
	return roots
}

// relative returns p (normalised) relative to the first root that holds
// it, or p.
func relative(p string, roots *checkoutRoots) string {
	if !isAbsolutePath(p) {
		return p
	}
	if i, rel, ok := roots.dirs.Shortest(p); ok {
		roots.list[i].used.Add(1)
		return rel
	}
	return p
}

// isAbsolutePath tells whether a normalised URI is an absolute path:
// "/x", "//host/x", "c:/x".
func isAbsolutePath(p string) bool {
	return strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && p[2] == '/'
}

// rootNotes describes the roots that made URIs relative, when the two
// sides used different ones (the same code scanned in different places):
// worth saying, since it is what made their results comparable.
func rootNotes(base, head []*runReader) []Note {
	used := func(readers []*runReader) map[string]string {
		m := map[string]string{}
		for _, rr := range readers {
			for _, r := range rr.roots.list {
				if r.used.Load() > 0 {
					m[r.prefix] = r.from
				}
			}
		}
		return m
	}
	b, h := used(base), used(head)
	if slices.Equal(slices.Sorted(maps.Keys(b)), slices.Sorted(maps.Keys(h))) {
		return nil
	}
	var out []Note
	for _, side := range []struct {
		side Side
		m    map[string]string
	}{{SideBase, b}, {SideHead, h}} {
		for _, p := range slices.Sorted(maps.Keys(side.m)) {
			out = append(out, Note{Kind: NoteRoot, Side: side.side, Root: strings.TrimSuffix(p, "/"), From: side.m[p]})
		}
	}
	return out
}

// When nothing says where the checkouts were, and both sides still have
// absolute URIs that differ, inferRoots looks for the one pair of
// directories that makes them agree: base's /home/runner/work/app/app/
// and head's d:/a/app/app/ when files of one name end the same way under
// them. It is safe because it asks much: the pair must explain at least
// half the distinct files of the side with fewer (and two at least), and
// no other pair may come close (half as many). A note says what was
// inferred.

// inferRoots returns the base and head prefixes (with a final "/") that
// make the items' absolute URIs relative, or "" and "" when no pair is
// clear, and how many distinct files it explains.
func inferRoots(base, head []*Item) (bp, hp string, files int) {
	abs := func(items []*Item) []string {
		seen := map[string]bool{}
		for _, it := range items {
			if isAbsolutePath(it.URI) {
				seen[it.URI] = true
			}
		}
		return slices.Sorted(maps.Keys(seen))
	}
	bs, hs := abs(base), abs(head)
	if len(bs) == 0 || len(hs) == 0 {
		return "", "", 0
	}
	byName := map[string][]string{}
	for _, p := range bs {
		name := p[strings.LastIndexByte(p, '/')+1:]
		byName[name] = append(byName[name], p)
	}
	type pair struct{ b, h string }
	votes := map[pair]int{}
	for _, h := range hs {
		counted := map[pair]bool{}
		for _, b := range byName[h[strings.LastIndexByte(h, '/')+1:]] {
			bd, hd := commonTail(b, h)
			if bd == hd || bd == "/" || hd == "/" {
				continue // the same place, or nothing but the file system's root
			}
			if k := (pair{bd, hd}); !counted[k] {
				counted[k] = true
				votes[k]++
			}
		}
	}
	ranked := slices.SortedFunc(maps.Keys(votes), func(x, y pair) int {
		return cmp.Or(votes[y]-votes[x], cmp.Compare(x.b+x.h, y.b+y.h))
	})
	if len(ranked) == 0 {
		return "", "", 0
	}
	win, best, second := ranked[0], votes[ranked[0]], 0
	if len(ranked) > 1 {
		second = votes[ranked[1]]
	}
	if best < 2 || 2*best < min(len(bs), len(hs)) || 2*second >= best {
		return "", "", 0
	}
	return win.b, win.h, best
}

// commonTail returns the directories of paths a and b above the longest
// tail of whole path segments they share, each with a final "/".
func commonTail(a, b string) (string, string) {
	i, j := len(a), len(b)
	for i > 0 && j > 0 {
		si := strings.LastIndexByte(a[:i], '/')
		sj := strings.LastIndexByte(b[:j], '/')
		if si < 0 || sj < 0 || a[si:i] != b[sj:j] {
			break
		}
		i, j = si, sj
	}
	return a[:i] + "/", b[:j] + "/"
}

// applyInferredRoots makes the items' absolute URIs relative to the roots
// inferRoots finds, and returns the note that says so (ok false when
// none).
func applyInferredRoots(base, head []*Item) (note Note, ok bool) {
	bp, hp, n := inferRoots(base, head)
	if bp == "" {
		return Note{}, false
	}
	for _, side := range []struct {
		items  []*Item
		prefix string
	}{{base, bp}, {head, hp}} {
		for _, it := range side.items {
			if rel, ok := strings.CutPrefix(it.URI, side.prefix); ok && rel != "" {
				it.URI = rel
			}
		}
	}
	return Note{Kind: NoteInferredRoots, Roots: [2]string{strings.TrimSuffix(bp, "/"), strings.TrimSuffix(hp, "/")}, Count: n}, true
}
