package apiclient

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The token goes only where the user sent it: to the scheme and host
// (with its port) of the API root. The client sets its header itself
// (Authorization, PRIVATE-TOKEN), in its transport, on each request to
// that origin, and on no other:
// a redirect to another host, or to the same host on another port, is
// followed without it. net/http's own rule for headers set on a request
// is looser (it compares host names without ports, and lets a domain's
// token go to its subdomains), which is why the token is never set on the
// request the client follows redirects from. A redirect from https to
// http is refused outright when the client has a token.

// An Origin is a URL's scheme and host, as compared for the token.
type Origin struct{ scheme, host string }

// OriginOf returns the origin of u.
func OriginOf(u *url.URL) Origin {
	return Origin{strings.ToLower(u.Scheme), strings.ToLower(u.Host)}
}

// authTransport adds the token to the requests to one origin.
type authTransport struct {
	next          http.RoundTripper
	origin        Origin
	header, value string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if OriginOf(req.URL) != t.origin {
		if req.Header.Get(t.header) == "" {
			return t.next.RoundTrip(req)
		}
		req = req.Clone(req.Context())
		req.Header.Del(t.header)
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context()) // a RoundTripper must not change its request
	req.Header.Set(t.header, t.value)
	return t.next.RoundTrip(req)
}

// HTTPClient returns the client the requests of an API client go
// through: hc (or net/http's default) whose transport sets header to
// value (the token: "Authorization: Bearer TOKEN") on the requests to
// base's origin, and only there, and whose redirects are checked. An
// empty value sets no header.
func HTTPClient(hc *http.Client, base *url.URL, header, value string) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if value != "" {
		c.Transport = &authTransport{next: next, origin: OriginOf(base), header: http.CanonicalHeaderKey(header), value: value}
	}
	check := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if value != "" && base.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("refusing to follow a redirect from https to http (to %s) with the token", Sanitize(req.URL.Host))
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

// IsLoopback tells whether host is this machine: a token may go there
// over plain HTTP.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
