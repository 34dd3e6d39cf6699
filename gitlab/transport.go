package gitlab

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/internal/safetext"
)

// The token goes only where the user sent it: to the scheme and host
// (with its port) of the API root. The client's transport sets the
// token's header on each request to that origin and removes it from any
// other, so that a redirect elsewhere goes without it (net/http's own
// rule would keep a header set on the request for a subdomain, or for the
// same host name on another port).

// origin is a URL's scheme and host, as compared for the token.
type origin struct{ scheme, host string }

func originOf(u *url.URL) origin {
	return origin{strings.ToLower(u.Scheme), strings.ToLower(u.Host)}
}

// authTransport adds the token to the requests to one origin.
type authTransport struct {
	next          http.RoundTripper
	origin        origin
	header, token string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context()) // a RoundTripper must not change its request
	for _, h := range []string{"PRIVATE-TOKEN", "JOB-TOKEN", "Authorization"} {
		req.Header.Del(h)
	}
	if originOf(req.URL) == t.origin {
		req.Header.Set(t.header, t.token)
	}
	return t.next.RoundTrip(req)
}

// httpClient returns the client the requests go through: hc (or
// net/http's default) with the token added by the transport, and
// redirects checked.
func httpClient(hc *http.Client, base *url.URL, header, token string) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if token != "" {
		c.Transport = &authTransport{next: next, origin: originOf(base), header: header, token: token}
	}
	check := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if token != "" && base.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("refusing to follow a redirect from https to http (to %s) with the token", sanitize(req.URL.Host))
		}
		if check != nil {
			return check(req, via)
		}
		if len(via) >= 10 {
			return fmt.Errorf("stopped after %d redirects", len(via))
		}
		return nil
	}
	return c
}

// redacted is what the token is replaced with in what is printed.
const redacted = "***"

// maxServerText bounds a server's message as kept in an error.
const maxServerText = 1000

// secrets are the credentials a client must never print.
type secrets []string

func newSecrets(token string) secrets {
	if len(token) < 4 { // shorter would mask ordinary text; no real token is so short
		return nil
	}
	return secrets{token, url.QueryEscape(token)}
}

// redact replaces every credential in text.
func (s secrets) redact(text string) string {
	for _, v := range s {
		text = strings.ReplaceAll(text, v, redacted)
	}
	return text
}

// serverText makes a server's text printable: credentials redacted (before
// the text is cut, so that a cut leaves no part of one), control
// characters escaped, at most maxServerText bytes.
func (s secrets) serverText(text string) string {
	text = s.redact(text)
	if len(text) > maxServerText {
		n := maxServerText
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n] + "..."
	}
	return sanitize(text)
}

// displayURL is u as printed: without its userinfo, query and fragment,
// the credentials redacted.
func (s secrets) displayURL(u *url.URL) string {
	v := *u
	v.User = nil
	v.RawQuery, v.ForceQuery = "", false
	v.Fragment, v.RawFragment = "", ""
	return sanitize(s.redact(v.String()))
}

// displayRawURL is a URL that may not parse, as printed: without what
// lies between its scheme and the last "@" before its path.
func displayRawURL(raw string) string {
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
// log ([safetext.Escape]).
func sanitize(s string) string { return safetext.Escape(s) }
