package dirset

import (
	"strconv"
	"strings"
	"testing"
)

func TestSet(t *testing.T) {
	var s Set
	for i, d := range []string{"/a/b/", "/a/", "c:/x/", "//host/s/", "/a/b/c/"} {
		if n, isNew := s.Add(d); n != i || !isNew {
			t.Errorf("Add(%q) = %d, %v", d, n, isNew)
		}
	}
	if n, isNew := s.Add("/a/"); n != 1 || isNew {
		t.Errorf("Add again = %d, %v", n, isNew)
	}
	if n, _ := s.Add("/no-slash"); n != -1 || s.Len() != 5 {
		t.Errorf("a path that is not a directory was added")
	}
	for _, c := range []struct {
		p                 string
		short, long       int
		shortRel, longRel string
	}{
		{"/a/b/c/d.go", 1, 4, "b/c/d.go", "d.go"},
		{"/a/b/x.go", 1, 0, "b/x.go", "x.go"},
		{"/a/x.go", 1, 1, "x.go", "x.go"},
		{"/a/b/", 1, 1, "b/", "b/"}, // a directory does not hold itself
		{"c:/x/y", 2, 2, "y", "y"},
		{"//host/s/f", 3, 3, "f", "f"},
		{"/ab/x", -1, -1, "", ""},
		{"/a", -1, -1, "", ""},
		{"a/b/c", -1, -1, "", ""},
		{"", -1, -1, "", ""},
	} {
		n, rel, ok := s.Shortest(c.p)
		if !ok {
			n = -1
		}
		if n != c.short || rel != c.shortRel {
			t.Errorf("Shortest(%q) = %d, %q; want %d, %q", c.p, n, rel, c.short, c.shortRel)
		}
		n, rel, ok = s.Longest(c.p)
		if !ok {
			n = -1
		}
		if n != c.long || rel != c.longRel {
			t.Errorf("Longest(%q) = %d, %q; want %d, %q", c.p, n, rel, c.long, c.longRel)
		}
	}
}

// Finding the directory of a path costs the same with 100,000 directories
// as with one: no directory is tried that the path does not start with.
func TestSetLinear(t *testing.T) {
	var s Set
	for i := range 100_000 {
		s.Add("/srv/scan/r" + strconv.Itoa(i) + "/")
	}
	deep := strings.Repeat("d/", 1000) + "f.go"
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, ok := s.Shortest("/srv/scan/" + deep); ok {
			t.Fatal("found")
		}
		if _, rel, ok := s.Longest("/srv/scan/r99999/" + deep); !ok || rel != deep {
			t.Fatal("not found")
		}
	})
	if allocs > 2 {
		t.Errorf("%v allocations a lookup", allocs)
	}
}

func BenchmarkSetLongest(b *testing.B) {
	var s Set
	for i := range 100_000 {
		s.Add("/srv/scan/r" + strconv.Itoa(i) + "/")
	}
	for b.Loop() {
		s.Longest("/srv/scan/r5000/src/main.go")
	}
}
