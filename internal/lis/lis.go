// Package lis finds the longest increasing subsequence of pairs of
// lines: the lines two versions of a file keep in the same order. The
// line diff of two files (package linemap's patience diff) keeps the
// lines found once in each that it returns; the comparison of two logs
// (package diff) trusts the results it returns to say how lines moved.
//
// The package imports nothing of sarifkit's.
package lis

import (
	"cmp"
	"slices"
	"sort"
)

// A Pair is a line of a base file and a line of a head file taken to be
// the same line.
type Pair struct{ Base, Head int }

// Increasing returns the longest subsequence of list whose Base and
// Head both increase, in that order (where pairs share a line, a long
// one). It sorts list.
func Increasing(list []Pair) []Pair {
	slices.SortFunc(list, func(x, y Pair) int { return cmp.Or(cmp.Compare(x.Base, y.Base), cmp.Compare(x.Head, y.Head)) })
	// tails[k] is the index of the smallest last head line of an
	// increasing run of length k+1; prev links the runs.
	var tails []int
	prev := make([]int, len(list))
	for i, x := range list {
		k := sort.Search(len(tails), func(k int) bool {
			t := list[tails[k]]
			return t.Head >= x.Head || t.Base >= x.Base
		})
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	if len(tails) == 0 {
		return nil
	}
	out := make([]Pair, len(tails))
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i, k = i-1, prev[k] {
		out[i] = list[k]
	}
	return out
}
