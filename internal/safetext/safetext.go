// Package safetext makes text taken from a log (a file name, a message, a
// rule id, a tool name, anything a pull request can choose) safe to print
// where a machine reads the output as structure: a terminal, the GitHub
// Actions runner (which executes the workflow commands it finds in a job's
// output), a Markdown renderer, a CSV reader.
//
// One escaping is used in every text output: a character that would
// drive a terminal or break a line or its direction is written as Go
// writes it in a string literal: \n, \r, \t, \a, \x1b, \x7f, \u0085,
// \u2028, \u202e, and a byte that is not UTF-8 as \xff. The other
// characters, backslashes included, are left as they are: the escaped form
// is for reading, not to be decoded again. [Text] adds what keeps a field
// from starting a workflow command; [Markdown] and [MarkdownCode] what
// keeps it from becoming Markdown structure.
//
// The package imports nothing of sarifkit: every layer can use it.
package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// special tells whether r is a character that escapes write in escaped
// form: C0 controls (tab, line feed and carriage return among them), DEL,
// C1 controls, the Unicode line and paragraph separators, and the
// characters that change the direction of the text around them (bidi
// embeddings, overrides and isolates, and the marks LRM, RLM and ALM),
// which can make a line read other than it is.
func special(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r < 0x61c:
		return false
	}
	switch r {
	case 0x61c, 0x200e, 0x200f, 0x2028, 0x2029,
		0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x2066, 0x2067, 0x2068, 0x2069:
		return true
	}
	return false
}

// clean tells whether s needs no escaping at all: every byte printable
// ASCII, or a multi-byte character that is not special. It is the fast
// path: most fields are clean.
func clean(s string) bool {
	// Eight bytes at a time while all are printable ASCII: a byte under
	// 0x20 or over 0x7e sets its high bit in one of the two words below.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if ((x-0x20*ones)&^x|(x+ones)|x)&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f {
			return cleanFrom(s, i)
		}
	}
	return true
}

// cleanFrom is clean for s from i on, where a byte that is not printable
// ASCII is.
func cleanFrom(s string, i int) bool {
	for i < len(s) {
		b := s[i]
		if b < utf8.RuneSelf {
			if b < 0x20 || b == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || special(r) {
			return false
		}
		i += n
	}
	return true
}

// appendEscaped appends s to b, each special character (and each byte
// that is not UTF-8) in escaped form.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\x`...)
			b = appendHex(b, uint32(s[i]), 2)
		case special(r):
			b = appendRune(b, r)
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

// appendRune appends the escaped form of a special character.
func appendRune(b []byte, r rune) []byte {
	switch r {
	case '\a':
		return append(b, `\a`...)
	case '\b':
		return append(b, `\b`...)
	case '\f':
		return append(b, `\f`...)
	case '\n':
		return append(b, `\n`...)
	case '\r':
		return append(b, `\r`...)
	case '\t':
		return append(b, `\t`...)
	case '\v':
		return append(b, `\v`...)
	}
	if r < 0x80 {
		return appendHex(append(b, `\x`...), uint32(r), 2)
	}
	return appendHex(append(b, `\u`...), uint32(r), 4)
}

func appendHex(b []byte, v uint32, digits int) []byte {
	s := strconv.FormatUint(uint64(v), 16)
	for range digits - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// Escape returns s with each control character, line or paragraph
// separator, bidi control and byte that is not UTF-8 in escaped form
// (\n, \x1b, \u202e, \xff), and the rest as it is. It returns s itself
// when there is nothing to escape.
func Escape(s string) string {
	if clean(s) {
		return s
	}
	return string(appendEscaped(make([]byte, 0, len(s)+16), s))
}

// Text returns s fit to print as (part of) a line of text output, to a
// terminal or to a CI log: [Escape]d, and kept from being read as a
// GitHub Actions workflow command. The runner executes a line that
// starts, after any white space, with "::" (as "::error::x"), and one
// that holds "##[" anywhere (the older "##[error]x"): a leading "::" is
// written "\x3a:" and every "##[" "##\x5b". Give Text each field taken
// from outside, or the whole line.
func Text(s string) string {
	if clean(s) && !command(s) {
		return s
	}
	s = Escape(s)
	if strings.Contains(s, "##[") {
		s = strings.ReplaceAll(s, "##[", `##\x5b`)
	}
	if command(s) {
		lead := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
		s = s[:lead] + `\x3a` + s[lead+1:]
	}
	return s
}

// command tells whether s would be read as a workflow command: it starts
// with "::" after white space (as the runner trims it), or holds "##[".
func command(s string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(s, unicode.IsSpace), "::") || strings.Contains(s, "##[")
}

// Lines returns s made [Text] line by line, for a format that keeps a
// message's lines (a JUnit failure's text): its line feeds stay, every
// other special character is escaped, and no line starts a workflow
// command.
func Lines(s string) string {
	same := true
	for rest := s; same && rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		same = clean(line) && !command(line)
	}
	if same {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Text(l)
	}
	return strings.Join(lines, "\n")
}
