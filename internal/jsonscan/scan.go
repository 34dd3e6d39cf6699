// Package jsonscan reads and writes JSON text that is known to be valid
// (package sarif's reader checked it), fast and without decoding what is
// not asked for: the members of an object and the elements of an array as
// text, strings and integers decoded, a generic tree (Tree), a canonical
// form to compare values by (Canonicalizer), and the one string escaper
// every writer of sarifkit uses (AppendString).
//
// Functions that take an offset return -1 (or false) on text that is not
// what they expect, rather than panicking; they do not check syntax.
package jsonscan

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
)

// ErrMalformed is the error on text that is not the JSON expected.
var ErrMalformed = errors.New("malformed JSON text")

// KeyIs tells whether a key's text between its quotes is name.
func KeyIs(key []byte, name string) bool {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key) == name
	}
	s, ok := Unescape(key)
	return ok && s == name
}

// String decodes JSON text that is a string.
func String(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	raw := b[1 : len(b)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw), true
	}
	return Unescape(raw)
}

// Int decodes JSON text that is an integer: written as one, or as a
// number with an integral value in the range of int64 (2.0, 1e3).
func Int(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// SkipSpace returns the offset of the first byte at or after i that is
// not JSON white space.
func SkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// StringEnd returns the offset just past the string literal that starts at
// b[i] (a '"'), or -1 when it does not end.
func StringEnd(b []byte, i int) int {
	for i++; i < len(b); {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return -1
		}
		q += i
		// The quote is escaped when an odd number of backslashes
		// precede it.
		n := 0
		for q-1-n > i-1 && b[q-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		i = q + 1
	}
	return -1
}

// ValueEnd returns the offset just past the JSON value that starts at
// b[i], or -1. It finds the end without checking the value's syntax.
func ValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return StringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				e := StringEnd(b, i)
				if e < 0 {
					return -1
				}
				i = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	start := i
	for i < len(b) && !strings.ContainsRune(",}] \t\n\r", rune(b[i])) {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// Members sets values[k] to the JSON text of the member names[k] of the
// object obj, for each k; values[k] stays nil when obj has no such member
// (or obj is not an object). A name given twice gets the first member.
// obj is read once.
func Members(obj []byte, names []string, values [][]byte) {
	r := obj
	i := SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' {
		return
	}
	i = SkipSpace(r, i+1)
	for i < len(r) && r[i] == '"' {
		ke := StringEnd(r, i)
		if ke < 0 {
			return
		}
		key := r[i+1 : ke-1]
		i = SkipSpace(r, ke)
		if i >= len(r) || r[i] != ':' {
			return
		}
		vs := SkipSpace(r, i+1)
		ve := ValueEnd(r, vs)
		if ve < 0 {
			return
		}
		for k, name := range names {
			if values[k] == nil && KeyIs(key, name) {
				values[k] = r[vs:ve]
			}
		}
		i = SkipSpace(r, ve)
		if i < len(r) && r[i] == ',' {
			i = SkipSpace(r, i+1)
		}
	}
}

// Elems calls fn with the index and JSON text of each element of the
// array arr, in order, until fn returns false; nothing when arr is not an
// array.
func Elems(arr []byte, fn func(i int, v []byte) bool) {
	i := SkipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return
	}
	i = SkipSpace(arr, i+1)
	for k := 0; i < len(arr) && arr[i] != ']'; k++ {
		e := ValueEnd(arr, i)
		if e < 0 || !fn(k, arr[i:e]) {
			return
		}
		i = SkipSpace(arr, e)
		if i < len(arr) && arr[i] == ',' {
			i = SkipSpace(arr, i+1)
		}
	}
}

// Object calls fn with the key (unescaped) and the JSON text of the value
// of each member of the object obj, in order, until fn returns false;
// nothing when obj is not an object.
func Object(obj []byte, fn func(key string, v []byte) bool) {
	i := SkipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i = SkipSpace(obj, i+1)
	for i < len(obj) && obj[i] == '"' {
		ke := StringEnd(obj, i)
		if ke < 0 {
			return
		}
		key, ok := String(obj[i:ke])
		i = SkipSpace(obj, ke)
		if !ok || i >= len(obj) || obj[i] != ':' {
			return
		}
		vs := SkipSpace(obj, i+1)
		ve := ValueEnd(obj, vs)
		if ve < 0 || !fn(key, obj[vs:ve]) {
			return
		}
		i = SkipSpace(obj, ve)
		if i < len(obj) && obj[i] == ',' {
			i = SkipSpace(obj, i+1)
		}
	}
}
