package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptrace"
	"sync"
	"time"
)

// Default limits of a request; see [Limits].
const (
	DefaultHeaderTimeout  = time.Minute
	DefaultIdleTimeout    = 30 * time.Second
	DefaultRequestTimeout = 10 * time.Minute
	DefaultMaxJSONBytes   = 32 << 20  // 32 MiB
	DefaultMaxSARIFBytes  = 512 << 20 // 512 MiB
)

// Limits bound each request in time and the answer in bytes, so that a
// server that never answers, stalls, trickles its answer or sends a huge
// one cannot hang a command or exhaust its memory. A zero field takes its
// default; a negative one removes that bound. The context of a call
// bounds it as a whole besides.
type Limits struct {
	// HeaderTimeout bounds the wait for an answer once the request has
	// been sent: DefaultHeaderTimeout (1 minute) when zero. A request that
	// timed out so is retried as a network error is.
	HeaderTimeout time.Duration
	// IdleTimeout bounds the wait for the next bytes of an answer's body:
	// DefaultIdleTimeout (30 seconds) when zero. Retried as HeaderTimeout.
	IdleTimeout time.Duration
	// RequestTimeout bounds one request from its start to the last byte
	// of its answer, however slowly the bytes come: DefaultRequestTimeout
	// (10 minutes) when zero. Such a request is not retried.
	RequestTimeout time.Duration
	// MaxJSONBytes bounds a JSON answer (a page of a listing, an alert, an
	// upload's status, an error): DefaultMaxJSONBytes (32 MiB) when zero.
	MaxJSONBytes int64
	// MaxSARIFBytes bounds a SARIF download: DefaultMaxSARIFBytes (512
	// MiB) when zero. GitHub takes uploads of at most 10 MB gzip-compressed.
	MaxSARIFBytes int64
}

func (l Limits) withDefaults() Limits {
	pick := func(v, def time.Duration) time.Duration {
		if v == 0 {
			return def
		}
		return v
	}
	l.HeaderTimeout = pick(l.HeaderTimeout, DefaultHeaderTimeout)
	l.IdleTimeout = pick(l.IdleTimeout, DefaultIdleTimeout)
	l.RequestTimeout = pick(l.RequestTimeout, DefaultRequestTimeout)
	if l.MaxJSONBytes == 0 {
		l.MaxJSONBytes = DefaultMaxJSONBytes
	}
	if l.MaxSARIFBytes == 0 {
		l.MaxSARIFBytes = DefaultMaxSARIFBytes
	}
	return l
}

// ErrTimeout is wrapped by the error of a request that exceeded a time
// limit of [Limits]. Test for it with errors.Is.
var ErrTimeout = errors.New("timed out")

// ErrTooLarge is wrapped by the error of an answer larger than its cap in
// [Limits], and of an upload larger than GitHub takes. Test for it with
// errors.Is.
var ErrTooLarge = errors.New("too large")

// timeoutError is the cause a request's context is cancelled with when a
// limit is exceeded.
type timeoutError struct {
	what  string // "no answer within", ...
	limit time.Duration
	final bool // not worth retrying
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("%v: %s %s", ErrTimeout, e.what, e.limit)
}

func (e *timeoutError) Unwrap() error { return ErrTimeout }

// watchdog cancels one request's context when it exceeds its limits. Its
// timers start when the request is sent (the request timeout), when it
// has been written (httptrace's WroteRequest: the header timeout, which
// ends when the whole header has come), and at each read of the body that
// brings bytes (the idle timeout).
type watchdog struct {
	cancel context.CancelCauseFunc
	lim    Limits

	mu             sync.Mutex
	header, idle   *time.Timer
	request        *time.Timer
	stopped        bool
	headerDeadline *timeoutError
	idleDeadline   *timeoutError
}

// watch returns a context for one request that the watchdog cancels, and
// the watchdog; stop it when the answer has been read.
func watch(ctx context.Context, lim Limits) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{cancel: cancel, lim: lim,
		headerDeadline: &timeoutError{what: "no answer within", limit: lim.HeaderTimeout},
		idleDeadline:   &timeoutError{what: "nothing received for", limit: lim.IdleTimeout}}
	if lim.RequestTimeout > 0 {
		final := &timeoutError{what: "not answered within", limit: lim.RequestTimeout, final: true}
		w.request = time.AfterFunc(lim.RequestTimeout, func() { cancel(final) })
	}
	if lim.HeaderTimeout > 0 {
		// Until the whole header has come (answered), not only its first
		// byte: headers can trickle too.
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { w.arm(&w.header, w.headerDeadline) },
		})
	}
	return ctx, w
}

// arm (re)starts the timer *t to cancel the request with cause after its
// limit.
func (w *watchdog) arm(t **time.Timer, cause *timeoutError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || cause.limit <= 0 {
		return
	}
	if *t == nil {
		*t = time.AfterFunc(cause.limit, func() { w.cancel(cause) })
		return
	}
	(*t).Reset(cause.limit)
}

// answered ends the header timeout, and starts the idle one.
func (w *watchdog) answered() {
	w.mu.Lock()
	if w.header != nil {
		w.header.Stop()
	}
	w.mu.Unlock()
	w.arm(&w.idle, w.idleDeadline)
}

// body returns r, each of whose reads that brings bytes restarts the idle
// timeout.
func (w *watchdog) body(r io.Reader) io.Reader {
	if w.lim.IdleTimeout <= 0 {
		return r
	}
	return &idleReader{r: r, w: w}
}

// stop stops the timers and releases the context.
func (w *watchdog) stop() {
	w.mu.Lock()
	w.stopped = true
	for _, t := range []*time.Timer{w.header, w.idle, w.request} {
		if t != nil {
			t.Stop()
		}
	}
	w.mu.Unlock()
	w.cancel(nil)
}

// cause returns the limit that cancelled ctx, if one did.
func cause(ctx context.Context) (*timeoutError, bool) {
	var te *timeoutError
	ok := errors.As(context.Cause(ctx), &te)
	return te, ok
}

type idleReader struct {
	r io.Reader
	w *watchdog
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.w.arm(&r.w.idle, r.w.idleDeadline)
	}
	return n, err
}
