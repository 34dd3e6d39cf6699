package diff

import (
	"encoding/json"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
)

// A result's fingerprints (result.fingerprints) and partial fingerprints
// (result.partialFingerprints) are maps from a key naming a method
// ("primaryLocationLineHash", "matchBasedId/v1") to a value. Two results
// that both carry a key and give it different values are, by that method,
// different results; a shared key with equal values is evidence that they
// are the same, but only as much as the key tells results apart: CodeQL's
// primaryLocationStartColumnFingerprint is a small number that most results
// of a file share, and a value that every result has says nothing.

// keyValue is one entry of a fingerprints map, its value rendered as text.
type keyValue struct{ key, value string }

// prints is a fingerprints or partialFingerprints map, sorted by key.
type prints []keyValue

func newPrints(m map[string]any) prints {
	if len(m) == 0 {
		return nil
	}
	out := make(prints, 0, len(m))
	for k, v := range m {
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case json.Number:
			s = v.String()
		default:
			b, _ := json.Marshal(v)
			s = string(b)
		}
		out = append(out, keyValue{k, s})
	}
	slices.SortFunc(out, func(a, b keyValue) int { return strings.Compare(a.key, b.key) })
	return out
}

// compare compares two sorted kv lists, 0 when equal.
func (p prints) compare(q prints) int {
	return slices.CompareFunc(p, q, func(a, b keyValue) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
}

// get returns the value of key.
func (p prints) get(key string) (string, bool) {
	i, ok := slices.BinarySearchFunc(p, key, func(kv keyValue, k string) int { return strings.Compare(kv.key, k) })
	if !ok {
		return "", false
	}
	return p[i].value, true
}

// conflicts tells whether a key present in both p and q has different
// values in each. For primaryLocationLineHash only the hash counts, not
// its ":n" occurrence suffix, which changes when the file gains an
// identical line above: the same line hash with another suffix is no
// disagreement (nor, for pairing, an agreement).
func (p prints) conflicts(q prints) bool {
	if len(p) == 0 || len(q) == 0 {
		return false
	}
	i, j := 0, 0
	for i < len(p) && j < len(q) {
		switch c := strings.Compare(p[i].key, q[j].key); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			a, b := p[i].value, q[j].value
			if a != b && (p[i].key != sarif.PrimaryLocationLineHash || lineHashPart(a) != lineHashPart(b)) {
				return true
			}
			i++
			j++
		}
	}
	return false
}

// lineHashPart is a primaryLocationLineHash value without its ":n"
// occurrence suffix.
func lineHashPart(v string) string {
	if i := strings.LastIndexByte(v, ':'); i > 0 {
		return v[:i]
	}
	return v
}

// maxSharing is the largest chance that two results of a run share a
// key's value for which the key is still evidence: a key whose value
// most results share (a constant, or CodeQL's start column, which is the
// same small number for most results) tells nothing about which results
// are the same. 1/20 is the chance for a key with twenty equally common
// values; line hashes, unique per line, are far below it.
const maxSharing = 1.0 / 20

// informativeKeys returns, of the keys found in the items' fingerprints
// (as get reads them), those that tell results apart: on each side, the
// chance that two distinct results carrying the key share its value is at
// most maxSharing.
func informativeKeys(base, head []*Item, get func(*Item) prints) map[string]bool {
	seed := maphash.MakeSeed()
	var counts [2]map[string]map[uint64]int // side -> key -> value hash -> uses
	keys := map[string]bool{}
	for side, items := range [2][]*Item{base, head} {
		counts[side] = map[string]map[uint64]int{}
		for _, it := range items {
			for _, kv := range get(it) {
				c := counts[side][kv.key]
				if c == nil {
					c = map[uint64]int{}
					counts[side][kv.key] = c
				}
				c[maphash.String(seed, kv.value)]++
				keys[kv.key] = true
			}
		}
	}
	for k := range keys {
		for side := range 2 {
			n, shared := 0, 0
			for _, uses := range counts[side][k] {
				n += uses
				shared += uses * (uses - 1)
			}
			if n > 1 && float64(shared) > maxSharing*float64(n*(n-1)) {
				delete(keys, k)
			}
		}
	}
	return keys
}

// sharedValues returns the values of the informative keys of
// result.fingerprints that more than one place of base, or of head,
// carries. Such a value is no identity: flawfinder's contextHash/v1
// hashes a line's text alone, so that every "char errbuf[30];" of a
// code base has the same; pairing on it across files, or in the order
// of the log, pairs a fixed line of one file with a new line of another.
// Results at one place (file, line and column), exact copies of one
// result, are one place: their value still names that result wherever
// its file moves.
func sharedValues(base, head []*Item, informative map[string]bool) map[keyValue]bool {
	type place struct {
		uri       string
		line, col int
	}
	var shared map[keyValue]bool
	for _, items := range [2][]*Item{base, head} {
		seen := map[keyValue]place{}
		for _, it := range items {
			at := place{it.URI, it.StartLine, it.StartColumn}
			for _, kv := range it.fingerprint() {
				if !informative[kv.key] {
					continue
				}
				if first, ok := seen[kv]; ok && first != at {
					if shared == nil {
						shared = map[keyValue]bool{}
					}
					shared[kv] = true
				} else if !ok {
					seen[kv] = at
				}
			}
		}
	}
	return shared
}
