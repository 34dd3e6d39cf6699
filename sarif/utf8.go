package sarif

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// Position is a place in the decompressed text of an input (after any
// byte order mark), as syntax errors report it.
type Position struct {
	Line   int   // 1-based
	Column int   // 1-based, in bytes
	Offset int64 // 0-based byte offset
}

// String formats the position as "LINE:COLUMN".
func (p Position) String() string {
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}

// utf8Checker counts the invalid UTF-8 in the text of an input as it is
// read, chunk by chunk: JSON text must be UTF-8 (RFC 8259 §8.1), and
// encoding/json, like every reader in this package, silently replaces
// each byte that does not begin a valid encoding with U+FFFD. It counts
// such bytes the same way, one per replacement, and remembers where the
// first is. A sequence cut by a chunk boundary is carried to the next
// chunk. Valid chunks cost one utf8.Valid call.
type utf8Checker struct {
	carry  [utf8.UTFMax - 1]byte // the start of a sequence the last chunk cut
	ncarry int
	n      int
	first  Position
}

// check checks the chunk p, just read; t is the position tracker before it
// records p.
func (c *utf8Checker) check(p []byte, t *positionTracker) {
	if c.ncarry == 0 && utf8.Valid(p) {
		return
	}
	i := 0
	if c.ncarry > 0 {
		// Finish the carried sequences with the first bytes of p.
		var b [2*utf8.UTFMax - 1]byte
		k := copy(b[:], c.carry[:c.ncarry])
		k += copy(b[k:], p)
		j := 0
		for j < c.ncarry {
			if !utf8.FullRune(b[j:k]) { // p is too short to finish it
				c.ncarry = copy(c.carry[:], b[j:k])
				return
			}
			r, size := utf8.DecodeRune(b[j:k])
			if r == utf8.RuneError && size == 1 {
				c.bad(t.total-int64(c.ncarry-j), t, nil)
			}
			j += size
		}
		i, c.ncarry = j-c.ncarry, 0
	}
	for i < len(p) {
		if p[i] < utf8.RuneSelf {
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) { // cut by the end of the chunk
			c.ncarry = copy(c.carry[:], p[i:])
			return
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			c.bad(t.total+int64(i), t, p[:i])
		}
		i += size
	}
}

// end is called at the end of the text, t having recorded all of it: a
// carried sequence was never finished.
func (c *utf8Checker) end(t *positionTracker) {
	for j := range c.ncarry {
		c.bad(t.total-int64(c.ncarry-j), t, nil)
	}
	c.ncarry = 0
}

// bad counts an invalid byte at offset off. before is the part of the
// current chunk that precedes it (nil when the byte was carried from an
// earlier chunk, with no newline after it).
func (c *utf8Checker) bad(off int64, t *positionTracker, before []byte) {
	c.n++
	if c.n > 1 {
		return
	}
	line, lineStart := t.line, t.lineStart
	if n := bytes.Count(before, []byte{'\n'}); n > 0 {
		line += n
		lineStart = t.total + int64(bytes.LastIndexByte(before, '\n')) + 1
	}
	c.first = Position{Line: line, Column: int(off-lineStart) + 1, Offset: off}
}

// otherUnicode names the encoding of a text that starts with head (its
// first four bytes, or fewer) when that is UTF-16 or UTF-32 rather than
// UTF-8: by its byte order mark, or, without one, by where the NUL bytes
// of the first two characters are (JSON text starts with two ASCII
// characters, RFC 4627 §3). "" for anything else.
func otherUnicode(head []byte) string {
	nul := func(i int) bool { return i < len(head) && head[i] == 0 }
	set := func(i int) bool { return i < len(head) && head[i] != 0 }
	switch {
	case bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		return "UTF-32BE"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}):
		return "UTF-32LE"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "UTF-16BE"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "UTF-16LE"
	case len(head) < 4:
		if len(head) >= 2 && nul(0) && set(1) {
			return "UTF-16BE"
		}
		if len(head) >= 2 && set(0) && nul(1) {
			return "UTF-16LE"
		}
		return ""
	case nul(0) && nul(1) && nul(2) && set(3):
		return "UTF-32BE"
	case set(0) && nul(1) && nul(2) && nul(3):
		return "UTF-32LE"
	case nul(0) && set(1) && nul(2) && set(3):
		return "UTF-16BE"
	case set(0) && nul(1) && set(2) && nul(3):
		return "UTF-16LE"
	}
	return ""
}
