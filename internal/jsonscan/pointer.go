package jsonscan

import (
	"bytes"
	"strconv"
	"strings"
)

// PointerOffset returns the byte offset in the JSON text data of the value
// that the JSON pointer ptr (RFC 6901, "" for the whole text) names, and
// whether it was found. data must be valid JSON (as a reader checked it);
// each value on the way is skipped, not parsed.
func PointerOffset(data []byte, ptr string) (int, bool) {
	i := SkipSpace(data, 0)
	if ptr == "" {
		return i, i < len(data)
	}
	if ptr[0] != '/' {
		return 0, false
	}
	for _, seg := range strings.Split(ptr[1:], "/") {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		if i >= len(data) {
			return 0, false
		}
		switch data[i] {
		case '{':
			i = SkipSpace(data, i+1)
			found := false
			for i < len(data) && data[i] == '"' {
				ke := StringEnd(data, i)
				if ke < 0 {
					return 0, false
				}
				key := data[i+1 : ke-1]
				i = SkipSpace(data, ke)
				if i >= len(data) || data[i] != ':' {
					return 0, false
				}
				i = SkipSpace(data, i+1)
				if KeyIs(key, seg) {
					found = true
					break
				}
				if i = ValueEnd(data, i); i < 0 {
					return 0, false
				}
				i = SkipSpace(data, i)
				if i < len(data) && data[i] == ',' {
					i = SkipSpace(data, i+1)
				}
			}
			if !found {
				return 0, false
			}
		case '[':
			n, err := strconv.Atoi(seg)
			if err != nil || n < 0 {
				return 0, false
			}
			i = SkipSpace(data, i+1)
			for k := 0; k < n; k++ {
				if i >= len(data) || data[i] == ']' {
					return 0, false
				}
				if i = ValueEnd(data, i); i < 0 {
					return 0, false
				}
				i = SkipSpace(data, i)
				if i < len(data) && data[i] == ',' {
					i = SkipSpace(data, i+1)
				}
			}
			if i >= len(data) || data[i] == ']' {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	return i, true
}

// Advance returns the line and column (1-based; columns count bytes) of
// the byte at offset off of text, given the line and column of text's
// first byte.
func Advance(text []byte, off, line, col int) (int, int) {
	upto := text[:min(off, len(text))]
	if n := bytes.Count(upto, []byte{'\n'}); n > 0 {
		return line + n, len(upto) - bytes.LastIndexByte(upto, '\n')
	}
	return line, col + len(upto)
}
