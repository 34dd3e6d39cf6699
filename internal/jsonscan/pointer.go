package jsonscan

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
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

// PathAt returns the path (the segments of a JSON pointer, unescaped) of
// the place at offset off of text, JSON text that is well formed up to
// off: the value that starts or lies there, the member whose name starts
// there, or, between the members or elements of a container, the
// container. It is how an error the decoder reports at an offset (a value
// nested too deep, a duplicate member name, a missing comma) gets its
// pointer, text being the value that holds it. Reading stops at off, or
// where text stops being what it expects.
func PathAt(text []byte, off int) []string {
	// A container's state: before a member's name (objects only), in a
	// member or element, or after one (before the comma).
	const (
		beforeName = iota
		inValue
		afterValue
	)
	type frame struct {
		object  bool
		state   int
		key     string
		element int // an array's
	}
	var stack []frame
	// done marks the end of a value: its container is after it.
	done := func() {
		if n := len(stack); n > 0 {
			stack[n-1].state = afterValue
		}
	}
	i := 0
scan:
	for i < off && i < len(text) {
		c := text[i]
		var top *frame
		if n := len(stack); n > 0 {
			top = &stack[n-1]
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':':
		case c == '{':
			stack = append(stack, frame{object: true, state: beforeName})
		case c == '[':
			stack = append(stack, frame{state: inValue})
		case c == '}' || c == ']':
			if top == nil {
				break scan
			}
			stack = stack[:len(stack)-1]
			done()
		case c == ',':
			if top == nil {
				break scan
			}
			if top.object {
				top.state, top.key = beforeName, ""
			} else {
				top.state = inValue
				top.element++
			}
		case c == '"':
			end := StringEnd(text, i)
			if end < 0 || end > off {
				break scan
			}
			if top != nil && top.object && top.state == beforeName {
				top.key, _ = String(text[i:end])
				top.state = inValue
			} else {
				done()
			}
			i = end
			continue
		default: // a number, true, false or null
			end := ValueEnd(text, i)
			if end < 0 || end > off {
				break scan
			}
			done()
			i = end
			continue
		}
		i++
	}
	// A member name at off is part of the path.
	if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].state == beforeName && off < len(text) && text[off] == '"' {
		if end := StringEnd(text, off); end > 0 {
			stack[n-1].key, _ = String(text[off:end])
			stack[n-1].state = inValue
		}
	}
	path := make([]string, 0, len(stack))
	for _, f := range stack {
		switch {
		case f.state != inValue:
		case f.object:
			path = append(path, f.key)
		default:
			path = append(path, strconv.Itoa(f.element))
		}
	}
	return path
}

// Pointer returns the JSON pointer (RFC 6901) of a path.
func Pointer(path []string) string {
	var b strings.Builder
	for _, seg := range path {
		b.WriteByte('/')
		if strings.ContainsAny(seg, "~/") {
			seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~", "~0"), "/", "~1")
		}
		b.WriteString(seg)
	}
	return b.String()
}

// ShortPointer returns the JSON pointer ptr cut to about max bytes for a
// message: its first segments and its last, with how many are left out
// between them ("/a/b/…(9990 more)…/y/z"). A pointer into deeply nested
// text is as long as the nesting is deep.
func ShortPointer(ptr string, max int) string {
	if len(ptr) <= max {
		return ptr
	}
	head := strings.LastIndexByte(ptr[:max*2/3], '/')
	tail := len(ptr) - max/3
	t := strings.IndexByte(ptr[tail:], '/')
	tail += t
	if head <= 0 || t < 0 || tail <= head { // a long segment: cut
		head = max
		for head > 0 && !utf8.RuneStart(ptr[head]) {
			head--
		}
		return ptr[:head] + "…"
	}
	n := strings.Count(ptr[head:tail], "/")
	return ptr[:head] + "/…(" + strconv.Itoa(n) + " more)…" + ptr[tail:]
}
