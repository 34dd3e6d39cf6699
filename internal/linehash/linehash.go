// Package linehash computes partialFingerprints.primaryLocationLineHash,
// the hash of a source line by which GitHub code scanning tracks alerts
// across commits, exactly as GitHub's upload action (github/codeql-action)
// computes it.
package linehash

import (
	"strconv"
	"unicode/utf8"
)

// Of returns the primaryLocationLineHash of every line of a source
// file, computed as GitHub's upload action computes it: element i is the
// value for line i+1. The file is read as UTF-8 and hashed as UTF-16 code
// units; spaces and tabs are ignored, CR and CRLF count as LF; each line's
// hash is a rolling polynomial hash (base 37, 64-bit wrapping) of the 100
// kept code units starting at the line, in hex, followed by ":n" where n
// counts the occurrences of that hex value so far. There is always one
// more line than there are line breaks.
func Of(content []byte) []string {
	const window = 100
	var firstMod uint64 = 1 // 37^100, wrapping
	for range window {
		firstMod *= 37
	}
	var (
		hash       uint64
		ring       [window]uint64
		lineAt     [window]int // line starting at this ring slot, or 0
		index      int
		lineStart  = true
		prevCR     bool
		lineNumber int
		counts     = map[uint64]int{}
		out        []string
	)
	emit := func(line int) {
		counts[hash]++
		for len(out) < line {
			out = append(out, "")
		}
		out[line-1] = strconv.FormatUint(hash, 16) + ":" + strconv.Itoa(counts[hash])
	}
	update := func(c uint64) {
		begin := ring[index]
		ring[index] = c
		hash = 37*hash + c - firstMod*begin
		index = (index + 1) % window
	}
	process := func(c uint64) {
		if c == ' ' || c == '\t' || (prevCR && c == '\n') {
			prevCR = false
			return
		}
		if c == '\r' {
			c = '\n'
			prevCR = true
		} else {
			prevCR = false
		}
		if lineAt[index] != 0 {
			emit(lineAt[index])
			lineAt[index] = 0
		}
		if lineStart {
			lineStart = false
			lineNumber++
			lineAt[index] = lineNumber
		}
		if c == '\n' {
			lineStart = true
		}
		update(c)
	}
	for len(content) > 0 {
		r, size := utf8.DecodeRune(content)
		content = content[size:]
		if r >= 0x10000 { // a surrogate pair in UTF-16
			r -= 0x10000
			process(uint64(0xD800 + (r >> 10)))
			process(uint64(0xDC00 + (r & 0x3FF)))
			continue
		}
		process(uint64(r))
	}
	process(65535) // end of file
	for range window {
		if lineAt[index] != 0 {
			emit(lineAt[index])
		}
		update(0)
	}
	return out
}
