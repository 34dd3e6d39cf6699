package safetext

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// JSON returns JSON text, as encoding/json writes it, with what a CI log
// would act on inside its strings written as JSON escapes: "##[" (the
// Actions runner's older command syntax, which it reads anywhere in a
// line) becomes "##\u005b", and DEL, C1 controls and the bidi controls
// become \u escapes (encoding/json escapes the other [special]
// characters itself). The value is the same: outside its strings JSON
// text holds none of these, so only strings change, and only in how
// they are written. b is returned as it is when nothing needs escaping.
func JSON(b []byte) []byte {
	i := jsonStart(b)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i >= 0 {
		out = append(out, b[:i]...)
		b = b[i:]
		if b[0] == '#' { // "##["
			out = append(out, `##\u005b`...)
			b = b[3:]
		} else {
			r, n := utf8.DecodeRune(b)
			out = appendHex(append(out, `\u`...), uint32(r), 4)
			b = b[n:]
		}
		i = jsonStart(b)
	}
	return append(out, b...)
}

// jsonStart is the offset of the first thing [JSON] escapes in b, or -1.
func jsonStart(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '#':
			if bytes.HasPrefix(b[i:], []byte("##[")) {
				return i
			}
		case c == 0x7f:
			return i
		case c >= 0x80:
			r, n := utf8.DecodeRune(b[i:])
			if r != utf8.RuneError && special(r) {
				return i
			}
			i += n - 1
		}
	}
	return -1
}

// JSONWriter returns a writer that passes each write to w through
// [JSON]. Each write must hold whole JSON values, as json.Encoder's
// Encode writes them.
func JSONWriter(w io.Writer) io.Writer { return jsonWriter{w} }

type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
