package fetch

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/internal/safetext"
)

// Text from the server (error messages, documentation URLs, processing
// errors) and URLs are printed by the commands: what is printed never
// holds a credential (the token, a password in the API URL) nor a control
// character a terminal or a CI log would act on.

// redacted is what a credential is replaced with.
const redacted = "***"

// maxServerText bounds a server's message as kept in an error.
const maxServerText = 1000

// secrets are the credentials a client must never print.
type secrets []string

func newSecrets(token string, base *url.URL) secrets {
	var s secrets
	add := func(v string) {
		if len(v) >= 4 { // shorter ones would mask ordinary text; no real credential is so short
			s = append(s, v)
		}
	}
	add(token)
	if base.User != nil {
		if pw, ok := base.User.Password(); ok {
			add(pw)
			add(url.PathEscape(pw))
			add(url.QueryEscape(pw))
		}
	}
	return s
}

// redact replaces every credential in text.
func (s secrets) redact(text string) string {
	for _, v := range s {
		text = strings.ReplaceAll(text, v, redacted)
	}
	return text
}

// serverText makes a server's text printable: credentials redacted,
// control characters escaped, at most maxServerText bytes. Credentials
// are redacted before the text is cut, so that a cut cannot leave most
// of one in place.
func (s secrets) serverText(text string) string {
	return sanitize(cut(s.redact(text), maxServerText))
}

// cut returns text cut to at most n bytes, on a character boundary, with
// "..." after what was cut.
func cut(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n] + "..."
}

// serverURL makes a URL the server sent printable, as [secrets.displayURL]
// prints the client's own: credentials redacted, without its userinfo
// and query, at most maxServerText bytes.
func (s secrets) serverURL(raw string) string {
	return s.serverText(displayRawURL(s.redact(raw)))
}

// displayURL is u as printed: without its userinfo, query and fragment,
// and with the credentials redacted from its path (a hostile pagination
// link may carry them).
func (s secrets) displayURL(u *url.URL) string {
	v := *u
	v.User = nil
	v.RawQuery, v.ForceQuery = "", false
	v.Fragment, v.RawFragment = "", ""
	return sanitize(s.redact(v.String()))
}

// displayRawURL is a URL that may not parse, as printed: without what
// lies between its scheme and the last "@" of its authority.
func displayRawURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return secrets(nil).displayURL(u)
	}
	rest, scheme := raw, ""
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme, rest = raw[:i+3], raw[i+3:]
	}
	auth, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		auth, path = rest[:i], rest[i:]
	}
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		auth = auth[i+1:]
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	return sanitize(scheme + auth + path)
}

// sanitize escapes what would act on a terminal or start a line in a CI
// log, as every text output of sarifkit does ([safetext.Escape]: C0 and
// C1 controls, DEL, line and paragraph separators, bidirectional
// controls, bytes that are not UTF-8), and writes a U+FFFD the server
// sent as \ufffd too.
func sanitize(s string) string {
	return strings.ReplaceAll(safetext.Escape(s), "\uFFFD", `\ufffd`)
}
