package lis

import (
	"slices"
	"testing"
)

// The run returned increases strictly in both lines and is taken from
// the list; where no two pairs share a line, it is a longest one.
func TestIncreasing(t *testing.T) {
	for _, c := range []struct {
		in   []Pair
		want int // the longest run's length; 0: only checked to be valid
	}{
		{nil, 0},
		{[]Pair{{1, 1}}, 1},
		{[]Pair{{3, 1}, {1, 2}, {2, 3}}, 2}, // a line moved up
		{[]Pair{{1, 5}, {2, 6}, {3, 1}, {4, 7}}, 3},
		{[]Pair{{5, 1}, {4, 2}, {3, 3}}, 1},
		{[]Pair{{1, 2}, {2, 1}, {3, 4}, {4, 3}, {5, 5}}, 3},
		{[]Pair{{1, 1}, {1, 2}, {2, 2}, {3, 3}}, 0}, // shared lines
	} {
		got := Increasing(slices.Clone(c.in))
		for i, p := range got {
			if !slices.Contains(c.in, p) {
				t.Errorf("Increasing(%v) = %v: %v is not in the list", c.in, got, p)
			}
			if i > 0 && (p.Base <= got[i-1].Base || p.Head <= got[i-1].Head) {
				t.Errorf("Increasing(%v) = %v: not increasing at %d", c.in, got, i)
			}
		}
		if c.want > 0 && len(got) != c.want {
			t.Errorf("Increasing(%v) = %v, want %d pairs", c.in, got, c.want)
		}
		if len(c.in) > 0 && len(got) == 0 {
			t.Errorf("Increasing(%v) is empty", c.in)
		}
	}
}
