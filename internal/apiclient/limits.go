package apiclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptrace"
	"sync"
	"time"
)

// ErrTimeout is wrapped by the error of a request that exceeded one of
// its [Timeouts]. Test for it with errors.Is.
var ErrTimeout = errors.New("timed out")

// ErrTooLarge is wrapped by the error of an answer larger than its cap
// (see [Request]). Test for it with errors.Is.
var ErrTooLarge = errors.New("too large")

// A TimeoutError is the cause a request's context is cancelled with when
// one of its [Timeouts] is exceeded.
type TimeoutError struct {
	What  string // "no answer within", ...
	Limit time.Duration
	Final bool // not worth retrying: Timeouts.Request
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%v: %s %s", ErrTimeout, e.What, e.Limit)
}

func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// Timeouts bound one request in time; a zero or negative field removes
// that bound.
type Timeouts struct {
	// Header bounds the wait for the whole header of the answer, from
	// the moment the request has been written.
	Header time.Duration
	// Idle bounds the wait for the next bytes of the answer's body.
	Idle time.Duration
	// Request bounds the request from its start to the last byte of its
	// answer (a Final timeout).
	Request time.Duration
}

// Final tells whether a failed request is not worth sending again: its
// answer was too large, or took longer than Timeouts.Request.
func Final(err error) bool {
	var te *TimeoutError
	return errors.Is(err, ErrTooLarge) || errors.As(err, &te) && te.Final
}

// A Watchdog cancels one request's context when it exceeds its limits. Its
// timers start when the request is sent (the request timeout), when it
// has been written (httptrace's WroteRequest: the header timeout, which
// ends when the whole header has come), and at each read of the body that
// brings bytes (the idle timeout).
type Watchdog struct {
	cancel context.CancelCauseFunc
	lim    Timeouts

	mu             sync.Mutex
	header, idle   *time.Timer
	request        *time.Timer
	stopped        bool
	headerDeadline *TimeoutError
	idleDeadline   *TimeoutError
}

// Watch returns a context for one request that the watchdog cancels, and
// the watchdog; Stop it when the answer has been read.
func Watch(ctx context.Context, lim Timeouts) (context.Context, *Watchdog) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &Watchdog{cancel: cancel, lim: lim,
		headerDeadline: &TimeoutError{What: "no answer within", Limit: lim.Header},
		idleDeadline:   &TimeoutError{What: "nothing received for", Limit: lim.Idle}}
	if lim.Request > 0 {
		final := &TimeoutError{What: "not answered within", Limit: lim.Request, Final: true}
		w.request = time.AfterFunc(lim.Request, func() { cancel(final) })
	}
	if lim.Header > 0 {
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
func (w *Watchdog) arm(t **time.Timer, cause *TimeoutError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || cause.Limit <= 0 {
		return
	}
	if *t == nil {
		*t = time.AfterFunc(cause.Limit, func() { w.cancel(cause) })
		return
	}
	(*t).Reset(cause.Limit)
}

// Answered ends the header timeout, and starts the idle one.
func (w *Watchdog) Answered() {
	w.mu.Lock()
	if w.header != nil {
		w.header.Stop()
	}
	w.mu.Unlock()
	w.arm(&w.idle, w.idleDeadline)
}

// Body returns r, each of whose reads that brings bytes restarts the idle
// timeout.
func (w *Watchdog) Body(r io.Reader) io.Reader {
	if w.lim.Idle <= 0 {
		return r
	}
	return &idleReader{r: r, w: w}
}

// Stop stops the timers and releases the context.
func (w *Watchdog) Stop() {
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

// Cause returns the limit that cancelled ctx, if one did.
func Cause(ctx context.Context) (*TimeoutError, bool) {
	var te *TimeoutError
	ok := errors.As(context.Cause(ctx), &te)
	return te, ok
}

type idleReader struct {
	r io.Reader
	w *Watchdog
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.w.arm(&r.w.idle, r.w.idleDeadline)
	}
	return n, err
}
