package fetch

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The token goes only where the user sent it: to the scheme and host
// (with its port) of the API root. The client sets Authorization itself,
// in its transport, on each request to that origin, and on no other:
// a redirect to another host, or to the same host on another port, is
// followed without it. net/http's own rule for headers set on a request
// is looser (it compares host names without ports, and lets a domain's
// token go to its subdomains), which is why the token is never set on the
// request the client follows redirects from. A redirect from https to
// http is refused outright when the client has a token.

// origin is a URL's scheme and host, as compared for the token.
type origin struct{ scheme, host string }

func originOf(u *url.URL) origin {
	return origin{strings.ToLower(u.Scheme), strings.ToLower(u.Host)}
}

// authTransport adds the token to the requests to one origin.
type authTransport struct {
	next   http.RoundTripper
	origin origin
	token  string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if originOf(req.URL) != t.origin {
		if req.Header.Get("Authorization") == "" {
			return t.next.RoundTrip(req)
		}
		req = req.Clone(req.Context())
		req.Header.Del("Authorization")
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context()) // a RoundTripper must not change its request
	req.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(req)
}

// httpClient returns the client the requests go through: hc (or
// net/http's default) with the token added by the transport, and
// redirects checked.
func httpClient(hc *http.Client, base *url.URL, token string) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if token != "" {
		c.Transport = &authTransport{next: next, origin: originOf(base), token: token}
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
