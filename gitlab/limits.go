package gitlab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Default limits of a request; see [Limits].
const (
	DefaultHeaderTimeout  = time.Minute
	DefaultIdleTimeout    = 30 * time.Second
	DefaultRequestTimeout = 5 * time.Minute
	DefaultMaxBytes       = 32 << 20 // 32 MiB
)

// Limits bound each request in time and its answer in bytes, so that a
// server that never answers, stalls, trickles its answer or sends a huge
// one cannot hang a command or exhaust its memory. A zero field takes its
// default; a negative one removes that bound. The context of a call
// bounds it as a whole besides.
type Limits struct {
	// HeaderTimeout bounds the wait for the answer's header from the
	// moment the request is sent: DefaultHeaderTimeout when zero. A read
	// that timed out so is retried as on a network error.
	HeaderTimeout time.Duration
	// IdleTimeout bounds the wait for the next bytes of an answer's body:
	// DefaultIdleTimeout when zero. Retried as HeaderTimeout.
	IdleTimeout time.Duration
	// RequestTimeout bounds one request from its start to the last byte of
	// its answer: DefaultRequestTimeout when zero. Not retried.
	RequestTimeout time.Duration
	// MaxBytes bounds an answer (a page of a listing, an error):
	// DefaultMaxBytes when zero. Not asked for again when exceeded.
	MaxBytes int64
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
	if l.MaxBytes == 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	return l
}

// ErrTimeout is wrapped by the error of a request that exceeded a time
// limit of [Limits]. Test for it with errors.Is.
var ErrTimeout = errors.New("timed out")

// ErrTooLarge is wrapped by the error of an answer larger than
// [Limits.MaxBytes]. Test for it with errors.Is.
var ErrTooLarge = errors.New("too large")

// timeoutError is the cause a request's context is cancelled with when a
// limit is exceeded.
type timeoutError struct {
	what  string // "no answer within", ...
	limit time.Duration
	final bool // not worth retrying
}

func (e *timeoutError) Error() string { return fmt.Sprintf("%v: %s %s", ErrTimeout, e.what, e.limit) }

func (e *timeoutError) Unwrap() error { return ErrTimeout }

// watchdog cancels one request's context when it exceeds its limits: one
// timer runs from the start of the request to the end of its answer,
// another until the header comes, then until each next read of the body
// that brings bytes.
type watchdog struct {
	cancel context.CancelCauseFunc
	lim    Limits

	mu      sync.Mutex
	stopped bool
	whole   *time.Timer
	wait    *time.Timer // the header, then the idle timeout
	idle    *timeoutError
}

// watch returns a context for one request that the watchdog cancels, and
// the watchdog; stop it when the answer has been read.
func watch(ctx context.Context, lim Limits) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{cancel: cancel, lim: lim, idle: &timeoutError{what: "nothing received for", limit: lim.IdleTimeout}}
	if lim.RequestTimeout > 0 {
		whole := &timeoutError{what: "not answered within", limit: lim.RequestTimeout, final: true}
		w.whole = time.AfterFunc(lim.RequestTimeout, func() { cancel(whole) })
	}
	if lim.HeaderTimeout > 0 {
		header := &timeoutError{what: "no answer within", limit: lim.HeaderTimeout}
		w.wait = time.AfterFunc(lim.HeaderTimeout, func() { cancel(header) })
	}
	return ctx, w
}

// answered ends the header timeout and starts the idle one.
func (w *watchdog) answered() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.wait != nil {
		w.wait.Stop()
		w.wait = nil
	}
	if w.lim.IdleTimeout > 0 && !w.stopped {
		w.wait = time.AfterFunc(w.lim.IdleTimeout, func() { w.cancel(w.idle) })
	}
}

// body returns r, each of whose reads that brings bytes restarts the idle
// timeout.
func (w *watchdog) body(r io.Reader) io.Reader {
	if w.lim.IdleTimeout <= 0 {
		return r
	}
	return readerFunc(func(p []byte) (int, error) {
		n, err := r.Read(p)
		if n > 0 {
			w.mu.Lock()
			if w.wait != nil && !w.stopped {
				w.wait.Reset(w.lim.IdleTimeout)
			}
			w.mu.Unlock()
		}
		return n, err
	})
}

// stop stops the timers and releases the context.
func (w *watchdog) stop() {
	w.mu.Lock()
	w.stopped = true
	for _, t := range []*time.Timer{w.whole, w.wait} {
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

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
