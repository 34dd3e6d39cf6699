package apiclient

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

// Redacted is what a credential is replaced with.
const Redacted = "***"

// MaxServerText bounds a server's message as kept in an error.
const MaxServerText = 1000

// Secrets are the credentials a client must never print.
type Secrets []string

// NewSecrets returns the secrets of a client: its token, and the password
// of its API root's URL (as written, and escaped as in a path and in a
// query).
func NewSecrets(token string, base *url.URL) Secrets {
	var s Secrets
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

// Redact replaces every credential in text.
func (s Secrets) Redact(text string) string {
	for _, v := range s {
		text = strings.ReplaceAll(text, v, Redacted)
	}
	return text
}

// ServerText makes a server's text printable: credentials redacted,
// control characters escaped, at most MaxServerText bytes. Credentials
// are redacted before the text is cut, so that a cut cannot leave most
// of one in place.
func (s Secrets) ServerText(text string) string {
	return Sanitize(Cut(s.Redact(text), MaxServerText))
}

// Cut returns text cut to at most n bytes, on a character boundary, with
// "..." after what was cut.
func Cut(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n] + "..."
}

// ServerURL makes a URL the server sent printable, as [Secrets.DisplayURL]
// prints the client's own: credentials redacted, without its userinfo
// and query, at most MaxServerText bytes.
func (s Secrets) ServerURL(raw string) string {
	return s.ServerText(DisplayRawURL(s.Redact(raw)))
}

// DisplayURL is u as printed: without its userinfo, query and fragment,
// and with the credentials redacted from its path (a hostile pagination
// link may carry them).
func (s Secrets) DisplayURL(u *url.URL) string {
	v := *u
	v.User = nil
	v.RawQuery, v.ForceQuery = "", false
	v.Fragment, v.RawFragment = "", ""
	return Sanitize(s.Redact(v.String()))
}

// DisplayRawURL is a URL that may not parse, as printed: without what
// lies between its scheme and the last "@" of its authority.
func DisplayRawURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return Secrets(nil).DisplayURL(u)
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
	return Sanitize(scheme + auth + path)
}

// Sanitize escapes what would act on a terminal or start a line in a CI
// log, as every text output of sarifkit does ([safetext.Escape]: C0 and
// C1 controls, DEL, line and paragraph separators, bidirectional
// controls, bytes that are not UTF-8), and writes a U+FFFD the server
// sent as \ufffd too.
func Sanitize(s string) string {
	return strings.ReplaceAll(safetext.Escape(s), "\uFFFD", `\ufffd`)
}

// Clean returns err, or when its text holds a credential or a control
// character, an error with the same chain and the text made printable.
func (s Secrets) Clean(err error) error {
	msg := err.Error()
	if t := Sanitize(s.Redact(msg)); t != msg {
		return &cleanError{msg: t, err: err}
	}
	return err
}

// cleanError is an error whose text was made printable.
type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.err }
