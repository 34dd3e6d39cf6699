// Package linehash computes partialFingerprints.primaryLocationLineHash,
// the hash of a source line by which GitHub code scanning tracks alerts
// across commits, exactly as GitHub's upload action (github/codeql-action)
// computes it.
package linehash

import (
	"bytes"
	"slices"
	"strconv"
	"unicode/utf8"
)

// A Hash is the primaryLocationLineHash of one line: the rolling hash
// and the occurrence of that value in the file so far.
type Hash struct {
	Value uint64
	N     int
}

// String renders the hash as GitHub does: hex, ":", the occurrence.
func (h Hash) String() string {
	return strconv.FormatUint(h.Value, 16) + ":" + strconv.Itoa(h.N)
}

// Of returns the primaryLocationLineHash of every line of a source
// file, computed as GitHub's upload action computes it: element i is the
// value for line i+1. The file is read as UTF-8 and hashed as UTF-16 code
// units; bytes that are not UTF-8 are read as the action reads them, one
// U+FFFD for each maximal ill-formed subsequence (see illFormed). Spaces
// and tabs are ignored, CR and CRLF count as LF; each line's hash is a
// rolling polynomial hash (base 37, 64-bit wrapping) of the 100 kept code
// units starting at the line, in hex, followed by ":n" where n counts the
// occurrences of that hex value so far. There is always one more line
// than there are line breaks.
func Of(content []byte) []string {
	hashes := Lines(content)
	out := make([]string, len(hashes))
	for i, h := range hashes {
		out[i] = h.String()
	}
	return out
}

// window is the number of code units a line's hash covers.
const window = 100

// firstMod is 37^window, wrapping: the weight of the code unit that
// leaves the window.
var firstMod = func() uint64 {
	m := uint64(1)
	for range window {
		m *= 37
	}
	return m
}()

// Lines is Of without the rendering: the hashes of every line, to render
// only those needed.
func Lines(content []byte) []Hash {
	values := values(content)
	counts := make(map[uint64]int, len(values))
	out := make([]Hash, len(values))
	for i, v := range values {
		counts[v]++
		out[i] = Hash{v, counts[v]}
	}
	return out
}

// At returns the primaryLocationLineHash of the given lines (1-based) of
// a source file, as Of does, "" for lines it does not have: counting the
// occurrences of only the values asked for, it is faster than Of.
//
// Its memory is bounded by the file's size: a file of short lines (less
// than 8 bytes a line on average, up to a file of line breaks alone,
// whose every line would take a value of 8 bytes and a count) is hashed
// twice instead, keeping only the values and counts of the lines asked
// for.
func At(content []byte, lines []int) []string {
	if 8*(bytes.Count(content, []byte{'\n'})+bytes.Count(content, []byte{'\r'})) > len(content) {
		return atShortLines(content, lines)
	}
	values := values(content)
	counts := make(map[uint64]int, len(lines))
	last := 0
	for _, l := range lines {
		if l >= 1 && l <= len(values) {
			counts[values[l-1]] = 0
			last = max(last, l)
		}
	}
	n := make([]int, last+1) // the occurrence of each line's value, for lines asked for
	for i, v := range values[:last] {
		if c, ok := counts[v]; ok {
			counts[v] = c + 1
			n[i+1] = c + 1
		}
	}
	out := make([]string, len(lines))
	for k, l := range lines {
		if l >= 1 && l <= len(values) {
			out[k] = Hash{values[l-1], n[l]}.String()
		}
	}
	return out
}

// atShortLines is At in two passes over content, which keep only the
// lines asked for: the first finds their values, the second counts the
// occurrences of those values.
func atShortLines(content []byte, lines []int) []string {
	want := slices.Sorted(slices.Values(lines))
	want = slices.Compact(slices.DeleteFunc(want, func(l int) bool { return l < 1 }))
	vals := make(map[int]uint64, len(want))
	k := 0
	h := hasher{sink: func(line int, v uint64) {
		for k < len(want) && want[k] < line {
			k++
		}
		if k < len(want) && want[k] == line {
			vals[line] = v
		}
	}}
	h.run(content)
	counts := make(map[uint64]int, len(vals))
	for _, v := range vals {
		counts[v] = 0
	}
	occ := make(map[int]int, len(vals))
	h = hasher{sink: func(line int, v uint64) {
		if c, ok := counts[v]; ok {
			counts[v] = c + 1
			if _, asked := vals[line]; asked {
				occ[line] = c + 1
			}
		}
	}}
	h.run(content)
	out := make([]string, len(lines))
	for i, l := range lines {
		if v, ok := vals[l]; ok {
			out[i] = Hash{v, occ[l]}.String()
		}
	}
	return out
}

// values returns the rolling hash of every line.
func values(content []byte) []uint64 {
	h := hasher{out: make([]uint64, 0, 1+len(content)/32)}
	h.run(content)
	return h.out
}

// run hashes content, giving each line's value to emit, in line order.
func (h *hasher) run(content []byte) {
	for i := 0; i < len(content); {
		c := content[i]
		if c < utf8.RuneSelf {
			h.process(uint64(c))
			i++
			continue
		}
		r, size := utf8.DecodeRune(content[i:])
		if r == utf8.RuneError && size == 1 {
			// Not UTF-8: one U+FFFD for the longest start of a sequence
			// that could have been valid, as node decodes it.
			size = illFormed(content[i:])
		}
		i += size
		if r >= 0x10000 { // a surrogate pair in UTF-16
			r -= 0x10000
			h.process(uint64(0xD800 + (r >> 10)))
			h.process(uint64(0xDC00 + (r & 0x3FF)))
			continue
		}
		h.process(uint64(r))
	}
	h.process(65535) // end of file
	for range window {
		if h.lineAt[h.index] != 0 {
			h.emit(h.lineAt[h.index])
		}
		h.update(0)
	}
}

// illFormed returns the length of the maximal subpart of an ill-formed
// UTF-8 sequence at the start of b: its lead byte and the continuation
// bytes that follow it as long as they could still make a valid
// sequence (no overlong form, no surrogate, nothing above U+10FFFF), or 1
// for a byte that cannot start a sequence. This is how the WHATWG
// Encoding Standard's UTF-8 decoder, and so node's, which the upload
// action reads source files with, replaces what is not UTF-8: one U+FFFD
// for each maximal subpart ("\xE2\x82" truncated is one, not two), where
// Go's decoder gives one for each byte. b must not start with a valid
// sequence.
func illFormed(b []byte) int {
	lo, hi := byte(0x80), byte(0xBF)
	need := 0 // continuation bytes the lead byte asks for
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		need = 2
	case c == 0xED:
		need, hi = 2, 0x9F
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default: // a continuation byte, C0, C1, F5 to FF
		return 1
	}
	n := 1
	for n <= need && n < len(b) && b[n] >= lo && b[n] <= hi {
		lo, hi = 0x80, 0xBF
		n++
	}
	return min(n, need)
}

type hasher struct {
	hash       uint64
	ring       [window]uint64
	lineAt     [window]int // line starting at this ring slot, or 0
	index      int
	lineStart  bool
	prevCR     bool
	lineNumber int
	out        []uint64
	// sink, when set, is given each line's value instead of out.
	sink func(line int, v uint64)
}

func (h *hasher) emit(line int) {
	if h.sink != nil {
		h.sink(line, h.hash)
		return
	}
	for len(h.out) < line {
		h.out = append(h.out, 0)
	}
	h.out[line-1] = h.hash
}

func (h *hasher) update(c uint64) {
	begin := h.ring[h.index]
	h.ring[h.index] = c
	h.hash = 37*h.hash + c - firstMod*begin
	if h.index++; h.index == window {
		h.index = 0
	}
}

func (h *hasher) process(c uint64) {
	if c == ' ' || c == '\t' || (h.prevCR && c == '\n') {
		h.prevCR = false
		return
	}
	if c == '\r' {
		c = '\n'
		h.prevCR = true
	} else {
		h.prevCR = false
	}
	if h.lineAt[h.index] != 0 {
		h.emit(h.lineAt[h.index])
		h.lineAt[h.index] = 0
	}
	if h.lineNumber == 0 || h.lineStart {
		h.lineStart = false
		h.lineNumber++
		h.lineAt[h.index] = h.lineNumber
	}
	if c == '\n' {
		h.lineStart = true
	}
	h.update(c)
}
