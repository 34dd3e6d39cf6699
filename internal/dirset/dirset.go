// Package dirset finds which of a set of directories holds a path, in
// time proportional to the path's length whatever the number of
// directories. Logs name the directories their paths are relative to
// (originalUriBaseIds, working directories), as many as they like: trying
// each for each path would make reading a log quadratic in their number.
package dirset

import "strings"

// A Set is a set of directories, each a path that ends in "/" ("/src/",
// "c:/a/", "//host/share/"), numbered in the order they were added. Paths
// are compared as strings, segment by segment. The zero value is an empty
// set.
type Set struct {
	root node
	n    int
}

// node is one segment of a directory's path.
type node struct {
	next map[string]*node
	dir  int // 1 + the number of the directory that ends here; 0 for none
}

// Add adds dir, a path that ends in "/", and returns its number; new is
// false when the set already held it (under that number). A dir that
// does not end in "/" is not added: n is -1.
func (s *Set) Add(dir string) (n int, new bool) {
	if !strings.HasSuffix(dir, "/") {
		return -1, false
	}
	at := &s.root
	for start := 0; start < len(dir); {
		i := start + strings.IndexByte(dir[start:], '/')
		seg := dir[start:i]
		next := at.next[seg]
		if next == nil {
			if at.next == nil {
				at.next = map[string]*node{}
			}
			next = &node{}
			at.next[seg] = next
		}
		at, start = next, i+1
	}
	if at.dir > 0 {
		return at.dir - 1, false
	}
	at.dir = s.n + 1
	s.n++
	return s.n - 1, true
}

// Len is the number of directories in the set.
func (s *Set) Len() int { return s.n }

// Shortest returns the number of the shortest directory of the set that
// holds p with something after it (p is not the directory itself), and
// what follows it in p; ok is false when no directory does.
func (s *Set) Shortest(p string) (n int, rel string, ok bool) {
	s.walk(p, func(d int, r string) bool {
		n, rel, ok = d, r, true
		return false
	})
	return n, rel, ok
}

// Longest is Shortest for the longest directory that holds p.
func (s *Set) Longest(p string) (n int, rel string, ok bool) {
	s.walk(p, func(d int, r string) bool {
		n, rel, ok = d, r, true
		return true
	})
	return n, rel, ok
}

// walk calls found for each directory that holds p, shortest first,
// while it returns true.
func (s *Set) walk(p string, found func(n int, rel string) bool) {
	at := &s.root
	for start := 0; start < len(p); {
		j := strings.IndexByte(p[start:], '/')
		if j < 0 {
			return
		}
		i := start + j
		if at = at.next[p[start:i]]; at == nil {
			return
		}
		start = i + 1
		if at.dir > 0 && start < len(p) && !found(at.dir-1, p[start:]) {
			return
		}
	}
}
