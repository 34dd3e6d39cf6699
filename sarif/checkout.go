package sarif

import (
	"cmp"
	"context"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/internal/parallel"
)

// A log whose results name files by absolute URIs (ESLint writes
// file:///home/runner/work/app/app/lib/router.js) names them under the
// checkout of the machine that made it. Read against the same code
// elsewhere (a clone at another path, a revision of a repository), those
// URIs lead to no file until that checkout's path is known. The log may
// say it (originalUriBaseIds, an invocation's working directory); when
// nothing says, the files at hand tell: the checkout is the directory
// above the longest tail of the URIs' paths that names files here.

// A Checkout says where the checkout was that a log's absolute file URIs
// point into, and how many of the files the log names are at hand.
type Checkout struct {
	// Root is the checkout's path on the machine that made the log,
	// normalised (see [NormalizeURI]), with a final "/"; "" when no
	// absolute URI leads to a file at hand.
	Root string
	// From says what told Root: "given" (the root FindCheckout was
	// given), "originalUriBaseIds ID", "invocations[].workingDirectory"
	// or "inferred".
	From string
	// Files counts the distinct files the results' primary locations
	// name by relative URIs or absolute file URIs; Found, those of them
	// at hand: relative ones as they are, absolute ones under Root.
	Files, Found int
}

// Bounds on the look-ups FindCheckout makes for a log, whatever it holds:
// it infers a root from at most maxInferPaths absolute paths (a larger
// log's are sampled evenly), trying tails of at most maxTailSegments
// segments of each, and tries at most maxDeclaredRoots of the roots the
// runs declare.
const (
	maxInferPaths    = 1000
	maxTailSegments  = 32
	maxDeclaredRoots = 16
)

// FindCheckout says where the checkout was that l was made in, as the
// files at hand tell (exists reports whether a slash-separated path
// relative to their root names a file): root (a path or a file: URI;
// "" for none), when absolute URIs of the results under it name files at
// hand; else the run's originalUriBaseIds and invocations' working
// directories that are absolute file URIs, the one under which the most
// do. When none does, the checkout is inferred: each absolute URI's
// longest path tail that names a file at hand votes for the directory
// above it, and the directory with the most votes wins, when it has at
// least half of them and no other has half as many. Only the results'
// primary locations are read. Its only error is ctx's.
func FindCheckout(ctx context.Context, l *Log, root string, exists func(rel string) bool) (Checkout, error) {
	abs, rel := map[string]bool{}, map[string]bool{}
	type candidate struct{ root, from string }
	var declared []candidate
	for _, run := range l.Runs {
		if run == nil || run.Model == nil {
			continue
		}
		arts := run.Artifacts()
		ids := slices.Sorted(maps.Keys(run.Model.OriginalUriBaseIDs))
		for _, id := range ids {
			declared = append(declared, candidate{arts.Resolve("", id), "originalUriBaseIds " + id})
		}
		for _, inv := range run.Model.Invocations {
			if inv != nil && inv.WorkingDirectory != nil {
				declared = append(declared, candidate{arts.ArtifactLocation(inv.WorkingDirectory), "invocations[].workingDirectory"})
			}
		}
		seen := make([]map[string]bool, parallel.Workers())
		if err := run.EachResult(ctx, func(w, _ int, r Result) error {
			if p := primaryFile(arts, r); p != "" {
				if seen[w] == nil {
					seen[w] = map[string]bool{}
				}
				seen[w][p] = true
			}
			return nil
		}); err != nil {
			return Checkout{}, err
		}
		for _, s := range seen {
			for p := range s {
				if isAbsolutePath(p) {
					abs[p] = true
				} else {
					rel[p] = true
				}
			}
		}
	}
	c := Checkout{Files: len(abs) + len(rel)}
	for p := range rel {
		if exists(p) {
			c.Found++
		}
	}
	paths := slices.Sorted(maps.Keys(abs))
	known := map[string]bool{} // exists' answers so far
	has := func(p string) bool {
		v, ok := known[p]
		if !ok {
			v = fs.ValidPath(p) && p != "." && exists(p)
			known[p] = v
		}
		return v
	}
	// found counts the paths under prefix (with a final "/") that name
	// files at hand.
	found := func(prefix string) int {
		n := 0
		for _, p := range paths {
			if r, ok := strings.CutPrefix(p, prefix); ok && has(r) {
				n++
			}
		}
		return n
	}
	if len(paths) == 0 {
		return c, nil
	}
	if root != "" {
		if p, ok := FilePath(root); ok {
			root = p
		} else {
			root = NormalizeURI(filepath.ToSlash(root))
		}
		if prefix := strings.TrimSuffix(root, "/") + "/"; isAbsolutePath(root) {
			if n := found(prefix); n > 0 {
				c.Root, c.From, c.Found = prefix, "given", c.Found+n
				return c, nil
			}
		}
	}
	best, bestN := candidate{}, 0
	tried := map[string]bool{}
	for _, d := range declared {
		p := strings.TrimSuffix(NormalizeURI(d.root), "/") + "/"
		if tried[p] || len(tried) == maxDeclaredRoots || !isAbsolutePath(p) || !checkoutLike(p) {
			continue
		}
		tried[p] = true
		if n := found(p); n > bestN {
			best, bestN = candidate{p, d.from}, n
		}
	}
	if bestN > 0 {
		c.Root, c.From, c.Found = best.root, best.from, c.Found+bestN
		return c, nil
	}
	// Nothing says: infer, from a sample of the paths.
	sample := paths
	if len(sample) > maxInferPaths {
		sample = make([]string, maxInferPaths)
		for i := range sample {
			sample[i] = paths[i*len(paths)/maxInferPaths]
		}
	}
	votes := map[string]int{}
	voters := 0
	for _, p := range sample {
		if err := ctx.Err(); err != nil {
			return Checkout{}, err
		}
		// The directories above p, as the tail each leaves: the longest
		// tail (of at most maxTailSegments segments) that names a file
		// votes.
		var dirs []int
		for i := len(p) - 1; i >= 0 && len(dirs) < maxTailSegments; i-- {
			if p[i] == '/' {
				dirs = append(dirs, i)
			}
		}
		for _, i := range slices.Backward(dirs) {
			if checkoutLike(p[:i+1]) && has(p[i+1:]) {
				votes[p[:i+1]]++
				voters++
				break
			}
		}
	}
	ranked := slices.SortedFunc(maps.Keys(votes), func(x, y string) int {
		return cmp.Or(cmp.Compare(votes[y], votes[x]), strings.Compare(x, y))
	})
	if len(ranked) == 0 {
		return c, nil
	}
	win, second := ranked[0], 0
	if len(ranked) > 1 {
		second = votes[ranked[1]]
	}
	if 2*votes[win] < voters || 2*second >= votes[win] {
		return c, nil
	}
	c.Root, c.From, c.Found = win, "inferred", c.Found+found(win)
	return c, nil
}

// checkoutLike tells whether an absolute directory (with a final "/") can
// be a checkout: not a file system's or a drive's root, nor a network
// host's.
func checkoutLike(dir string) bool {
	n := strings.Count(dir, "/")
	if strings.HasPrefix(dir, "//") {
		return n >= 5 // "//host/share/x/"
	}
	return n >= 2 // "/x/", "c:/x/"
}

// primaryFile returns the file the result's primary location names,
// resolved through its artifact and uriBaseId and normalised, when it is
// a relative reference or a file: URI; "" otherwise.
func primaryFile(arts *Artifacts, r Result) string {
	var locs [1][]byte
	jsonscan.Members(r, []string{"locations"}, locs[:])
	var loc []byte
	jsonscan.Elems(locs[0], func(_ int, v []byte) bool { loc = v; return false })
	var pl [1][]byte
	jsonscan.Members(loc, []string{"physicalLocation"}, pl[:])
	var al [1][]byte
	jsonscan.Members(pl[0], []string{"artifactLocation"}, al[:])
	if al[0] == nil {
		return ""
	}
	var m [3][]byte
	jsonscan.Members(al[0], []string{"uri", "uriBaseId", "index"}, m[:])
	uri, _ := jsonscan.String(m[0])
	base, _ := jsonscan.String(m[1])
	index := -1
	if i, ok := jsonscan.Int(m[2]); ok && i >= 0 {
		index = int(i)
	}
	u := arts.Location(uri, base, index)
	if sc := Scheme(u); len(sc) > 1 && sc != "file" {
		return ""
	}
	p := NormalizeURI(u)
	if p == "" || !isAbsolutePath(p) && (!fs.ValidPath(p) || p == ".") {
		return ""
	}
	return p
}

// isAbsolutePath tells whether a normalised URI is an absolute path:
// "/x", "//host/x", "c:/x".
func isAbsolutePath(p string) bool {
	return strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && p[2] == '/' && isDriveLetter(p[0])
}
