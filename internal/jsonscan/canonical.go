package jsonscan

import (
	"bytes"
	"slices"
)

// AppendCanonical appends to dst a canonical form of the JSON text v (a
// member of a Result, say), so that two values compare equal as bytes
// when they are equal as JSON: no white space, the members of objects in
// order of their names (as the form writes them), strings escaped one
// way, each byte that is not UTF-8 as the U+FFFD readers replace it with.
// Numbers are kept as written (1.0 and 1 differ). It fails when v is not
// JSON text. A
// Canonicalizer does the same reusing its memory.
func AppendCanonical(dst, v []byte) ([]byte, error) {
	var c Canonicalizer
	return c.Append(dst, v)
}

// Canonicalizer computes canonical forms as AppendCanonical does,
// reusing its memory from one call to the next. The zero value is ready
// to use; it is not safe for concurrent use.
type Canonicalizer struct {
	data []byte
	// members of the objects being written, above those of the objects
	// that contain them.
	stack   []canonicalMember
	scratch []byte
	// omit names members of the outermost object left out of the form;
	// depth is the nesting of the object being written.
	omit  []string
	depth int
}

// Append appends the canonical form of v to dst; see AppendCanonical.
func (c *Canonicalizer) Append(dst, v []byte) ([]byte, error) {
	return c.AppendOmitting(dst, v)
}

// AppendOmitting is Append, leaving out of the form the named members of
// v's outermost object (when v is an object): two results that differ
// only in those compare equal.
func (c *Canonicalizer) AppendOmitting(dst, v []byte, omit ...string) ([]byte, error) {
	c.data = v
	c.stack = c.stack[:0]
	c.omit, c.depth = omit, 0
	defer func() { c.data, c.omit = nil, nil }()
	i := SkipSpace(v, 0)
	out, end, err := c.value(dst, i)
	if err != nil {
		return dst, err
	}
	if SkipSpace(v, end) != len(v) {
		return dst, ErrMalformed
	}
	return out, nil
}

// canonicalMember is a member of an object already written to dst: its
// canonical text dst[start:end], "key":value, the key being
// dst[start:keyEnd]. Members are ordered by their keys as written, which
// are one text for one name.
type canonicalMember struct {
	start, keyEnd, end int
}

// value appends the canonical form of the value at data[i] and returns
// where the value ends. Each byte of the input is read once; members of
// an object are written as they come and put in order afterwards, when
// they were not.
func (c *Canonicalizer) value(dst []byte, i int) ([]byte, int, error) {
	data := c.data
	if i >= len(data) {
		return dst, 0, ErrMalformed
	}
	switch data[i] {
	case '"':
		end := StringEnd(data, i)
		if end < 0 {
			return dst, 0, ErrMalformed
		}
		s, ok := rawString(data[i+1 : end-1])
		if !ok {
			return dst, 0, ErrMalformed
		}
		return appendCanonicalString(dst, s), end, nil
	case '{':
		open := len(dst)
		dst = append(dst, '{')
		i = SkipSpace(data, i+1)
		if i < len(data) && data[i] == '}' {
			return append(dst, '}'), i + 1, nil
		}
		base := len(c.stack)
		sorted := true
		omitting := c.depth == 0 && len(c.omit) > 0
		c.depth++ // errors leave it off: AppendOmitting resets it
		for {
			if i >= len(data) || data[i] != '"' {
				return dst, 0, ErrMalformed
			}
			ke := StringEnd(data, i)
			if ke < 0 {
				return dst, 0, ErrMalformed
			}
			key, ok := rawString(data[i+1 : ke-1])
			i = SkipSpace(data, ke)
			if !ok || i >= len(data) || data[i] != ':' {
				return dst, 0, ErrMalformed
			}
			if omitting && slices.Contains(c.omit, string(key)) {
				if i = ValueEnd(data, SkipSpace(data, i+1)); i < 0 {
					return dst, 0, ErrMalformed
				}
			} else {
				start := len(dst)
				dst = appendCanonicalString(dst, key)
				keyEnd := len(dst)
				if n := len(c.stack); n > base && bytes.Compare(dst[c.stack[n-1].start:c.stack[n-1].keyEnd], dst[start:keyEnd]) > 0 {
					sorted = false
				}
				dst = append(dst, ':')
				var err error
				if dst, i, err = c.value(dst, SkipSpace(data, i+1)); err != nil {
					return dst, 0, err
				}
				c.stack = append(c.stack, canonicalMember{start, keyEnd, len(dst)})
				dst = append(dst, ',')
			}
			i = SkipSpace(data, i)
			if i < len(data) && data[i] == ',' {
				i = SkipSpace(data, i+1)
				continue
			}
			if i < len(data) && data[i] == '}' {
				i++
				break
			}
			return dst, 0, ErrMalformed
		}
		c.depth--
		if len(c.stack) == base { // every member omitted
			return append(dst, '}'), i, nil
		}
		dst[len(dst)-1] = '}'
		if !sorted {
			members := c.stack[base:]
			slices.SortStableFunc(members, func(a, b canonicalMember) int {
				return bytes.Compare(dst[a.start:a.keyEnd], dst[b.start:b.keyEnd])
			})
			c.scratch = c.scratch[:0]
			for k, m := range members {
				if k > 0 {
					c.scratch = append(c.scratch, ',')
				}
				c.scratch = append(c.scratch, dst[m.start:m.end]...)
			}
			copy(dst[open+1:], c.scratch)
		}
		c.stack = c.stack[:base]
		return dst, i, nil
	case '[':
		dst = append(dst, '[')
		i = SkipSpace(data, i+1)
		if i < len(data) && data[i] == ']' {
			return append(dst, ']'), i + 1, nil
		}
		for n := 0; ; n++ {
			if n > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, i, err = c.value(dst, i); err != nil {
				return dst, 0, err
			}
			i = SkipSpace(data, i)
			if i < len(data) && data[i] == ',' {
				i = SkipSpace(data, i+1)
				continue
			}
			if i < len(data) && data[i] == ']' {
				return append(dst, ']'), i + 1, nil
			}
			return dst, 0, ErrMalformed
		}
	}
	end := ValueEnd(data, i)
	if end < 0 {
		return dst, 0, ErrMalformed
	}
	return append(dst, data[i:end]...), end, nil
}

// rawString returns the content of a string literal, unescaped.
func rawString(raw []byte) ([]byte, bool) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw, true
	}
	s, ok := Unescape(raw)
	return []byte(s), ok
}

// appendCanonicalString writes s as AppendString does, but each byte that
// is not UTF-8 as the U+FFFD it reads as, unescaped as a valid U+FFFD is:
// "\xff" and "\ufffd" are one string, with one canonical form (and one
// place among an object's members).
func appendCanonicalString(dst, s []byte) []byte {
	return appendString(dst, s, "\uFFFD")
}
