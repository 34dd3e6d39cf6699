package fetch

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
	"github.com/sarifkit/sarifkit/internal/sariftest"

	"github.com/sarifkit/sarifkit/sarif"
)

// These tests talk to hostile servers: they redirect elsewhere, echo the
// token, answer with terminal escapes. The client must keep the token on
// the host and scheme it was given, and print nothing it should not.

const secret = "ghs_hostileTokenValue1234"

// recorder is a server that records the Authorization header of each
// request it sees and answers an analysis.
type recorder struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
}

func newRecorder(t *testing.T, tls bool) *recorder {
	r := &recorder{}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.auths = append(r.auths, req.Header.Get("Authorization"))
		r.mu.Unlock()
		io.WriteString(w, `{"id":1,"ref":"refs/heads/main"}`)
	})
	if tls {
		r.Server = httptest.NewTLSServer(h)
	} else {
		r.Server = httptest.NewServer(h)
	}
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.auths...)
}

// redirector is an API host that redirects every request to target (its
// path appended) with status code, and serves /here itself.
func redirector(t *testing.T, tls bool, code int, target func() string) *httptest.Server {
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get("Authorization") != "Bearer "+secret {
			http.Error(w, `{"message":"Bad credentials"}`, 401)
			return
		}
		if req.URL.Path == "/here" {
			io.WriteString(w, `{"id":1,"ref":"refs/heads/main"}`)
			return
		}
		http.Redirect(w, req, target(), code)
	})
	var s *httptest.Server
	if tls {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func TestRedirectsKeepTheTokenHome(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			// Another host: the same loopback address on another port is
			// another origin, which net/http's own rule (host names
			// without ports) would not see.
			other := newRecorder(t, false)
			api := redirector(t, false, code, func() string { return other.URL + "/elsewhere" })
			c, err := NewClient(&Options{BaseURL: api.URL, Token: secret, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Analyses.Get(t.Context(), "o", "r", 1); err != nil {
				t.Fatalf("a redirect to another host without the token: %v", err)
			}
			if got := other.seen(); len(got) != 1 || got[0] != "" {
				t.Errorf("the other host saw Authorization %q", got)
			}

			// A redirect back to the API host keeps the token.
			var self *httptest.Server
			self = redirector(t, false, code, func() string { return self.URL + "/here" })
			c, err = NewClient(&Options{BaseURL: self.URL, Token: secret, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Analyses.Get(t.Context(), "o", "r", 1); err != nil {
				t.Errorf("a redirect on the API host: %v", err)
			}

			// https to http, on any host, is refused with a token.
			plain := newRecorder(t, false)
			secure := redirector(t, true, code, func() string { return plain.URL + "/downgraded" })
			c, err = NewClient(&Options{BaseURL: secure.URL, Token: secret, HTTPClient: secure.Client(), MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Analyses.Get(t.Context(), "o", "r", 1)
			if err == nil || !strings.Contains(err.Error(), "https to http") {
				t.Errorf("a downgrade: want a refusal, got %v", err)
			}
			if got := plain.seen(); len(got) != 0 {
				t.Errorf("the plain HTTP host was asked, with Authorization %q", got)
			}
		})
	}
}

// A password in the API URL and a token the server echoes are never
// printed: not in API errors, retry lines or network errors.
func TestCredentialsAreRedacted(t *testing.T) {
	t.Parallel()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(500)
		fmt.Fprintf(w, `{"message":"you sent %s","documentation_url":"https://docs.example/%s"}`, req.Header.Get("Authorization"), secret)
	}))
	t.Cleanup(echo.Close)
	var logged strings.Builder
	base := strings.Replace(echo.URL, "http://", "http://user:hunter2pw@", 1)
	c, err := NewClient(&Options{BaseURL: base, Token: secret, Backoff: time.Millisecond, MaxRetries: 1,
		Logf: func(f string, a ...any) { fmt.Fprintf(&logged, f+"\n", a...) }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Analyses.Get(t.Context(), "o", "r", 1)
	var api *APIError
	if !errors.As(err, &api) || api.StatusCode != 500 {
		t.Fatalf("want the 500, got %v", err)
	}
	for what, s := range map[string]string{"error": err.Error(), "log": logged.String(), "message": api.Message, "URL": api.URL, "doc": api.DocumentationURL} {
		if strings.Contains(s, secret) || strings.Contains(s, "hunter2pw") {
			t.Errorf("the %s shows a credential: %s", what, s)
		}
	}
	if !strings.Contains(logged.String(), "retrying") || !strings.Contains(err.Error(), "you sent Bearer") {
		t.Errorf("want the server's message redacted, not dropped: %s / %s", err, logged.String())
	}

	// A network error (url.Error carries the URL, userinfo included).
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := strings.Replace(dead.URL, "http://", "http://user:hunter2pw@", 1)
	dead.Close()
	logged.Reset()
	c, err = NewClient(&Options{BaseURL: deadURL, Token: secret, Backoff: time.Millisecond, MaxRetries: 1,
		Logf: func(f string, a ...any) { fmt.Fprintf(&logged, f+"\n", a...) }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Analyses.Get(t.Context(), "o", "r", 1)
	if err == nil || strings.Contains(err.Error(), "hunter2pw") || strings.Contains(logged.String(), "hunter2pw") {
		t.Errorf("a network error shows the password: %v / %s", err, logged.String())
	}

	// An API URL the client cannot use is named without its password.
	for _, bad := range []string{"ftp://user:hunter2pw@example.com/", "https://user:hunter2pw@exa mple.com:x/", "http://user:hunter2pw@example.com/"} {
		_, err := NewClient(&Options{BaseURL: bad, Token: secret})
		if err == nil || strings.Contains(err.Error(), "hunter2pw") {
			t.Errorf("NewClient(%q): %v", bad, err)
		}
	}
}

// What a hostile server says is printed as text: no terminal escapes, no
// line that starts a workflow command.
func TestServerTextIsEscaped(t *testing.T) {
	t.Parallel()
	const hostile = "bad\x1b[2J\x07 thing\r\n::error::pwned\u2028::warning::x\u009b31m"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"message": hostile, "documentation_url": "https://docs\x1b]8;;x\x07/\n::error::y"})
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(&Options{BaseURL: srv.URL, Token: secret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Analyses.Get(t.Context(), "o", "r", 1)
	if err == nil {
		t.Fatal("want the 400")
	}
	msg := err.Error()
	for _, r := range msg {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			t.Fatalf("the error holds control character %U: %q", r, msg)
		}
	}
	if !strings.Contains(msg, `bad\x1b[2J\a thing\r\n::error::pwned`) {
		t.Errorf("want the control characters escaped, visibly: %q", msg)
	}
}

// hangingServer runs handler and releases whatever it still blocks when
// the test ends, before the server is closed.
func hangingServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, stop <-chan struct{})) (*httptest.Server, func() int) {
	stop := make(chan struct{})
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		handler(w, r, stop)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) }) // runs first
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func wait(r *http.Request, stop <-chan struct{}, d time.Duration) bool {
	select {
	case <-r.Context().Done():
		return false
	case <-stop:
		return false
	case <-time.After(d):
		return true
	}
}

// A server that never answers, stalls or trickles its answer is given up
// on within the limits of Options, whatever the context allows.
func TestSlowServers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		limits  Limits
		handler func(w http.ResponseWriter, r *http.Request, stop <-chan struct{})
		err     string
	}{
		{"no headers", Limits{HeaderTimeout: 50 * time.Millisecond},
			func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) { wait(r, stop, time.Minute) },
			"no answer within 50ms"},
		{"a body that stops", Limits{IdleTimeout: 50 * time.Millisecond},
			func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
				io.WriteString(w, `{"id":`)
				w.(http.Flusher).Flush()
				wait(r, stop, time.Minute)
			},
			"nothing received for 50ms"},
		{"a body that trickles", Limits{IdleTimeout: time.Second, RequestTimeout: 200 * time.Millisecond},
			func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
				io.WriteString(w, `{"id":1,"ref":"`)
				for wait(r, stop, 5*time.Millisecond) {
					io.WriteString(w, "a")
					w.(http.Flusher).Flush()
				}
			},
			"not answered within 200ms"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := hangingServer(t, c.handler)
			client, err := NewClient(&Options{BaseURL: srv.URL, Token: secret, MaxRetries: -1, Limits: c.limits})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = client.Analyses.Get(t.Context(), "o", "r", 1)
			if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("want ErrTimeout (%s), got %v", c.err, err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("gave up after %s", d)
			}
		})
	}
	// A request that timed out on its headers is retried; one whose whole
	// answer took too long is not (it would trickle again).
	srv, count := hangingServer(t, func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) { wait(r, stop, time.Minute) })
	client, err := NewClient(&Options{BaseURL: srv.URL, Token: secret, MaxRetries: 2, Backoff: time.Millisecond,
		Limits: Limits{HeaderTimeout: 20 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Analyses.Get(t.Context(), "o", "r", 1); !errors.Is(err, ErrTimeout) || count() != 3 {
		t.Errorf("header timeouts: %d requests, %v", count(), err)
	}
	srv, count = hangingServer(t, func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) { wait(r, stop, time.Minute) })
	client, err = NewClient(&Options{BaseURL: srv.URL, Token: secret, MaxRetries: 2, Backoff: time.Millisecond,
		Limits: Limits{RequestTimeout: 20 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Analyses.Get(t.Context(), "o", "r", 1); !errors.Is(err, ErrTimeout) || count() != 1 {
		t.Errorf("request timeout: %d requests, %v", count(), err)
	}
}

// An answer larger than its cap is refused while it is read, and not
// asked for again. JSON answers and SARIF downloads have their own caps;
// the caps count decompressed bytes.
func TestAnswerCaps(t *testing.T) {
	t.Parallel()
	big := `{"id":1,"ref":"` + strings.Repeat("a", 4096) + `"}`
	cases := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request, stop <-chan struct{})
		limits  Limits
		sarif   bool
		tooBig  bool
	}{
		{"JSON with a length", func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			io.WriteString(w, big)
		}, Limits{MaxJSONBytes: 1024}, false, true},
		{"JSON streamed", func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
			for range 100 {
				io.WriteString(w, strings.Repeat(" ", 1000))
				w.(http.Flusher).Flush()
			}
			io.WriteString(w, big)
		}, Limits{MaxJSONBytes: 64 << 10}, false, true},
		{"JSON gzip-encoded", func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			for range 1000 {
				zw.Write([]byte(strings.Repeat(" ", 1000)))
			}
			io.WriteString(zw, big)
			zw.Close()
		}, Limits{MaxJSONBytes: 64 << 10}, false, true},
		{"JSON within its cap", func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) { io.WriteString(w, big) },
			Limits{MaxJSONBytes: 8192, MaxSARIFBytes: 10}, false, false},
		{"SARIF over its cap", func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
			io.WriteString(w, `{"version":"2.1.0","runs":[]}`+strings.Repeat(" ", 4096))
		}, Limits{MaxJSONBytes: 1 << 20, MaxSARIFBytes: 1024}, true, true},
		{"SARIF within its cap", func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
			io.WriteString(w, `{"version":"2.1.0","runs":[]}`+strings.Repeat(" ", 4096))
		}, Limits{MaxJSONBytes: 1024, MaxSARIFBytes: 8192}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, count := hangingServer(t, c.handler)
			client, err := NewClient(&Options{BaseURL: srv.URL, Token: secret, Backoff: time.Millisecond, Limits: c.limits})
			if err != nil {
				t.Fatal(err)
			}
			if c.sarif {
				_, err = client.Analyses.Download(t.Context(), "o", "r", 1)
			} else {
				_, err = client.Analyses.Get(t.Context(), "o", "r", 1)
			}
			if !c.tooBig {
				if err != nil {
					t.Errorf("within the cap: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than") {
				t.Errorf("want ErrTooLarge, got %v", err)
			}
			if n := count(); n != 1 {
				t.Errorf("asked %d times for an answer too large", n)
			}
		})
	}
}

// An upload's processing errors are printed: they are made printable too.
func TestUploadErrorsAreEscaped(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.Final, f.Errors = "failed", []string{"bad\x1b[2J\n::error::pwned " + f.Token}
	c := client(t, f)
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}`)
	up, err := c.SARIF.Upload(t.Context(), "o", "r", l, &UploadOptions{CommitSHA: strings.Repeat("b", 40), Ref: "refs/heads/main"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.SARIF.Wait(t.Context(), "o", "r", up.ID, &WaitOptions{Interval: time.Millisecond})
	if err != nil || len(st.Errors) != 1 {
		t.Fatalf("%+v %v", st, err)
	}
	if got := st.Errors[0]; got != `bad\x1b[2J\n::error::pwned ***` {
		t.Errorf("error %q", got)
	}
}

// Headers that trickle, a byte at a time, are bounded by HeaderTimeout.
func TestTricklingHeaders(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.Read(make([]byte, 4096))
		for _, b := range []byte("HTTP/1.1 200 OK\r\nX-Slow: " + strings.Repeat("a", 1000)) {
			if _, err := conn.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	c, err := NewClient(&Options{BaseURL: "http://" + ln.Addr().String(), Token: secret, MaxRetries: -1,
		Limits: Limits{HeaderTimeout: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Analyses.Get(t.Context(), "o", "r", 1); !errors.Is(err, ErrTimeout) || time.Since(start) > 3*time.Second {
		t.Errorf("after %s: %v", time.Since(start), err)
	}
}

// A server that echoes the token where the message is cut (at
// maxServerText bytes, or 200 for an upload answer without an id) gets
// it redacted whole: a cut before redaction would print all of it but
// its last characters, which no log masker recognises.
func TestEchoedTokenAtTheCut(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		tok := strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
		if req.Method == http.MethodPost {
			w.WriteHeader(202)
			// No id; the token again where the answer is cut to 200 bytes.
			prefix := `{"url":"http://` + req.Host + `/status?token=` + tok + `","pad":"`
			fmt.Fprintf(w, `%s%s%s"}`, prefix, strings.Repeat("A", 200-len(prefix)-len(tok)+1), tok)
			return
		}
		w.WriteHeader(403)
		fmt.Fprintf(w, `{"message":"%s%s"}`, strings.Repeat("A", maxServerText-len(tok)+1), tok)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(&Options{BaseURL: srv.URL, Token: secret, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	partial := secret[:len(secret)-1]
	_, err = c.Analyses.Get(t.Context(), "o", "r", 1)
	if err == nil || strings.Contains(err.Error(), partial) || !strings.Contains(err.Error(), redacted) {
		t.Errorf("a token cut at %d bytes: %v", maxServerText, err)
	}
	_, err = c.SARIF.Upload(t.Context(), "o", "r", sarif.New(), &UploadOptions{CommitSHA: strings.Repeat("a", 40), Ref: "refs/heads/main"})
	if err == nil || strings.Contains(err.Error(), partial) {
		t.Errorf("an upload answer without an id: %v", err)
	}
}

// URLs the server sends (an upload's status URL) are printed without
// their query, as the client's own are.
func TestServerURLWithoutQuery(t *testing.T) {
	t.Parallel()
	s := newSecrets(secret, &url.URL{})
	for raw, want := range map[string]string{
		"https://api.example/repos/o/r/code-scanning/sarifs/1?token=" + secret: "https://api.example/repos/o/r/code-scanning/sarifs/1",
		"https://user:pw@api.example/x#frag":                                   "https://api.example/x",
		"https://api.example/" + secret + "/x":                                 "https://api.example/***/x",
	} {
		if got := s.serverURL(raw); got != want {
			t.Errorf("serverURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
