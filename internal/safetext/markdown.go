package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordJoiner is an invisible character that joins nothing: put after "@"
// or "#", or inside "://" and "www.", it keeps GitHub from reading a
// mention, an issue reference or an autolink there, where a backslash
// cannot (GitHub finds those in the rendered text).
const wordJoiner = "\u2060"

// Markdown returns s as Markdown (GitHub Flavored Markdown, as GitHub
// renders comments and step summaries) that shows s as text, in a table
// cell or a paragraph, on one line:
//
//   - a line break is written <br>, and every other special character
//     [Escape]d (with its backslash escaped, so that it shows);
//   - the ASCII punctuation Markdown reads inline (\ ` * _ [ ] | ~ $ #)
//     is backslash-escaped, and < > & are written as entities: no
//     emphasis, code span, link or image (which need a bare [), table
//     cell break, math, entity or HTML;
//   - "@" and "#" before a letter or digit, "://" and "www." get an
//     invisible word joiner: no @mention, issue reference or autolink.
//
// It is made for text that follows text of the caller's on its line (a
// table cell, a quote's "> "): a line it started could still read as a
// list item ("- x", "1. x").
func Markdown(s string) string { return markdown(s, false) }

// markdown is [Markdown]; for GitLab, it also backslash-escapes "!",
// "%" and "&" (a merge request's, a milestone's and an epic's
// reference: GitLab's MarkdownPreEscapeFilter keeps a reference it finds
// escaped as text, https://gitlab.com/gitlab-org/gitlab/-/blob/master/lib/banzai/filter/markdown_pre_escape_filter.rb)
// and splits GitLab's inline diff markers ("{+", "+}", "[-", "-]"...)
// with a word joiner.
func markdown(s string, gitlab bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		next := s[i+n:]
		switch {
		case r == '\r' && strings.HasPrefix(next, "\n"):
			b.WriteString("<br>")
			n++
		case r == '\n' || r == '\r':
			b.WriteString("<br>")
		case r == utf8.RuneError && n == 1 || special(r):
			// The escaped form, its backslash escaped in turn.
			b.WriteString(`\`)
			b.Write(appendEscaped(nil, s[i:i+n]))
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case gitlab && (r == '!' || r == '%' || r == '&'):
			b.WriteByte('\\')
			b.WriteRune(r)
		case gitlab && (r == '+' || r == '-') && (strings.HasPrefix(next, "}") || strings.HasPrefix(next, "]")):
			b.WriteString(string(r) + wordJoiner)
		case r == '&':
			b.WriteString("&amp;")
		case r == '@' || r == '#':
			if r == '#' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
			if follows(next) {
				b.WriteString(wordJoiner)
			}
		case r == ':' && strings.HasPrefix(next, "//"):
			b.WriteString(`\:` + wordJoiner)
		case (r == 'w' || r == 'W') && len(next) >= 3 && strings.EqualFold(next[:3], "ww."):
			b.WriteString(s[i : i+3])
			b.WriteString(wordJoiner)
			n = 3
		case r < utf8.RuneSelf && strings.ContainsRune("\\`*_[]|~$", r):
			b.WriteByte('\\')
			b.WriteRune(r)
			if gitlab && r == '[' && (strings.HasPrefix(next, "+") || strings.HasPrefix(next, "-")) {
				b.WriteString(wordJoiner)
			}
		case gitlab && r == '{' && (strings.HasPrefix(next, "+") || strings.HasPrefix(next, "-")):
			b.WriteString("{" + wordJoiner)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// follows tells whether s starts with a letter or digit: what an
// @mention or #reference needs after its sign.
func follows(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// MarkdownCode returns s as a Markdown code span (between backticks) fit
// for a table cell: shown in a fixed font, never a link, mention or HTML.
// Special characters are [Escape]d, backticks become ' (a code span
// cannot hold them), and | is written \| (a table cell ends at a bare |;
// GitHub shows \| inside a code span as |).
func MarkdownCode(s string) string {
	s = strings.NewReplacer("`", "'", "|", `\|`).Replace(Escape(s))
	return "`" + s + "`"
}

// MarkdownLines returns s as Markdown (CommonMark, as GitLab renders a
// vulnerability's description) that shows s as text, keeping its lines:
// each line is [Markdown] (no inline structure, mention, autolink or
// HTML), a line that would start a block (a list item, a heading, a
// thematic break, a setext underline, a quote) has its first character
// backslash-escaped and its leading white space written as character
// references (no indented code block), and a line break is a hard one
// (a backslash before it); an empty line stays a paragraph break. Line
// ends are "\n", "\r\n" or "\r". GitLab's own references ("!45",
// "%milestone", "&12") are escaped and its inline diff markers ("{+ +}",
// "[- -]") split, as it would render them.
func MarkdownLines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, line := range lines {
		rest := strings.TrimLeft(line, " \t")
		for _, c := range line[:len(line)-len(rest)] {
			if c == '\t' {
				b.WriteString("&#9;")
			} else {
				b.WriteString("&#32;")
			}
		}
		if rest != "" && strings.IndexByte("-+=>*#_~`0123456789", rest[0]) >= 0 {
			// Markdown escapes some of these itself; the others only
			// start a block here. A run of digits is an ordered list's
			// number only when "." or ")" follows.
			if n := len(rest) - len(strings.TrimLeft(rest, "0123456789")); n > 0 {
				if n < len(rest) && (rest[n] == '.' || rest[n] == ')') {
					b.WriteString(rest[:n] + `\`)
					rest = rest[n:]
				}
			} else if strings.IndexByte("-+=", rest[0]) >= 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteString(markdown(rest, true))
		if i < len(lines)-1 {
			if line != "" && lines[i+1] != "" {
				b.WriteByte('\\')
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}
