// Package apiclient is the transport under sarifkit's API clients (package
// fetch for GitHub, package gitlab): what keeps a request bounded and the
// token at home, whatever the API. [Send] sends one request and reads its
// whole answer, bounded in time ([Timeouts], a [Watchdog]) and in bytes;
// [HTTPClient] gives the token only to the API root's origin, never on a
// redirect elsewhere; [Secrets] keep the token, and a server's control
// characters, out of what is printed. Retries, rate limits and the API's
// error shapes are the clients' own.
package apiclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// A Request is one HTTP request of an API client.
type Request struct {
	Method string
	URL    *url.URL
	// Header holds the request's headers (Accept, User-Agent, ...); the
	// token is the transport's to add (see [HTTPClient]).
	Header http.Header
	// Body is sent when not nil.
	Body     []byte
	Timeouts Timeouts
	// Limit bounds the answer of a status in bytes (0 or less: no bound);
	// what names the limit in the error ("JSON answers").
	Limit func(status int) (limit int64, what string)
}

// A Response is an answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send sends r through hc and reads the whole answer, within r's
// timeouts and limit. Its errors name the method and the URL as s
// displays them, their text cleaned of credentials and control
// characters; they wrap [ErrTimeout] or [ErrTooLarge] when a bound was
// exceeded.
func Send(ctx context.Context, hc *http.Client, s Secrets, r Request) (*Response, error) {
	ctx, dog := Watch(ctx, r.Timeouts)
	defer dog.Stop()
	where := r.Method + " " + s.DisplayURL(r.URL)
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, s.Clean(err))
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		if te, ok := Cause(ctx); ok {
			err = te
		} else {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // it names the URL, userinfo included; the URL is added below, once
			}
			err = s.Clean(err)
		}
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	defer resp.Body.Close()
	dog.Answered()
	var limit int64
	var what string
	if r.Limit != nil {
		limit, what = r.Limit(resp.StatusCode)
	}
	tooLarge := func() error {
		return fmt.Errorf("%s: answer %w: more than %d bytes, the limit for %s", where, ErrTooLarge, limit, what)
	}
	var in io.Reader = dog.Body(resp.Body)
	if limit > 0 {
		if resp.ContentLength > limit {
			return nil, tooLarge()
		}
		in = io.LimitReader(in, limit+1)
	}
	data, err := io.ReadAll(in)
	if err != nil {
		if te, ok := Cause(ctx); ok {
			err = te
		} else {
			err = s.Clean(err)
		}
		return nil, fmt.Errorf("%s: reading the answer: %w", where, err)
	}
	if limit > 0 && int64(len(data)) > limit {
		return nil, tooLarge()
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}
