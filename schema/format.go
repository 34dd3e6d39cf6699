package schema

import (
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// formatFunc returns the check of a schema "format": jsonschema/v5's,
// but for "uri-reference" (see isURIReference). The compiled schema and
// the generated checker both take their checks from here, so that they
// agree.
func formatFunc(name string) func(any) bool {
	if name == "uri-reference" {
		return isURIReference
	}
	return jsonschema.Formats[name]
}

// isURIReference tells whether v, when it is a string, is a URI
// reference by the grammar of RFC 3986 (§4.1: a URI or a relative
// reference). jsonschema/v5 asks only that Go's url.Parse take the
// string, which takes spaces, non-ASCII letters and most other
// characters that RFC 3986 requires percent-encoded; GitHub's upload
// action checks the grammar, and warns on the artifactLocation.uri of
// "src/my file.c". Like the action, it checks an IP literal ("[...]" in
// the authority) for its characters only.
func isURIReference(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	return validURIReference(s)
}

// validURIReference is the grammar of RFC 3986 §4.1, URI-reference.
func validURIReference(s string) bool {
	if plainURIReference(s) {
		return true // the common case, at the cost of one pass
	}
	rest, hasScheme := s, false
	if i := schemeEnd(s); i > 0 {
		rest, hasScheme = s[i+1:], true
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		if !every(rest[i+1:], isQueryChar) {
			return false
		}
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		if !every(rest[i+1:], isQueryChar) {
			return false
		}
		rest = rest[:i]
	}
	if authority, ok := strings.CutPrefix(rest, "//"); ok {
		path := ""
		if i := strings.IndexByte(authority, '/'); i >= 0 {
			authority, path = authority[:i], authority[i:]
		}
		return validAuthority(authority) && every(path, isPathChar)
	}
	if !hasScheme {
		// A relative path's first segment has no ":" (path-noscheme),
		// which would make it a scheme.
		first, _, _ := strings.Cut(rest, "/")
		if strings.IndexByte(first, ':') >= 0 {
			return false
		}
	}
	return every(rest, isPathChar)
}

// plainURIReference tells whether s is an optional scheme followed by
// unreserved characters and slashes only ("src/main.go",
// "file:///home/x/main.go"), which is always a URI reference: after
// "//" an authority of a registered name and a path, else a path.
func plainURIReference(s string) bool {
	if i := schemeEnd(s); i > 0 {
		s = s[i+1:]
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '/' && !isUnreserved(c) {
			return false
		}
	}
	return true
}

// schemeEnd returns the index of the ":" that ends the scheme s begins
// with (RFC 3986 §3.1: a letter, then letters, digits, "+", "-", "."),
// or -1.
func schemeEnd(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i
		default:
			return -1
		}
	}
	return -1
}

// validAuthority is RFC 3986 §3.2: [ userinfo "@" ] host [ ":" port ].
func validAuthority(a string) bool {
	if i := strings.IndexByte(a, '@'); i >= 0 {
		if !every(a[:i], func(c byte) bool { return isRegNameChar(c) || c == ':' }) {
			return false
		}
		a = a[i+1:]
	}
	port := ""
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 || !validIPLiteral(a[1:end]) {
			return false
		}
		if rest := a[end+1:]; rest != "" {
			var ok bool
			if port, ok = strings.CutPrefix(rest, ":"); !ok {
				return false
			}
		}
	} else {
		var host string
		host, port, _ = strings.Cut(a, ":")
		if !every(host, isRegNameChar) {
			return false
		}
	}
	return all(port, func(c byte) bool { return '0' <= c && c <= '9' })
}

// validIPLiteral checks what is between the brackets of an IP literal:
// an IPvFuture ("v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )),
// or the characters of an IPv6 address, or nothing, as the upload
// action's check does.
func validIPLiteral(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == 'v' || s[0] == 'V' {
		ver, addr, ok := strings.Cut(s[1:], ".")
		return ok && ver != "" && addr != "" && all(ver, isHex) &&
			all(addr, func(c byte) bool { return isUnreserved(c) || isSubDelim(c) || c == ':' })
	}
	return all(s, func(c byte) bool { return isHex(c) || c == ':' || c == '.' })
}

// all tells whether every byte of s satisfies ok.
func all(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

// every tells whether every byte of s satisfies ok, percent-encoded
// octets ("%" 2HEXDIG) counting as one allowed character.
func every(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
			continue
		}
		if !ok(c) {
			return false
		}
	}
	return true
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isSubDelim(c byte) bool { return strings.IndexByte("!$&'()*+,;=", c) >= 0 }

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// isRegNameChar: a character of a registered name (and, with ":", of
// userinfo), percent-encoding aside.
func isRegNameChar(c byte) bool { return isUnreserved(c) || isSubDelim(c) }

// isPathChar: pchar, or "/" between segments.
func isPathChar(c byte) bool { return isRegNameChar(c) || c == ':' || c == '@' || c == '/' }

// isQueryChar: a character of a query or a fragment.
func isQueryChar(c byte) bool { return isPathChar(c) || c == '?' }
