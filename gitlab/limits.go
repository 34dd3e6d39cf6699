package gitlab

import (
	"cmp"
	"time"

	"github.com/sarifkit/sarifkit/internal/apiclient"
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
	// HeaderTimeout bounds the wait for the answer's header once the
	// request has been sent: DefaultHeaderTimeout when zero. A read
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
	l.HeaderTimeout = cmp.Or(l.HeaderTimeout, DefaultHeaderTimeout)
	l.IdleTimeout = cmp.Or(l.IdleTimeout, DefaultIdleTimeout)
	l.RequestTimeout = cmp.Or(l.RequestTimeout, DefaultRequestTimeout)
	l.MaxBytes = cmp.Or(l.MaxBytes, DefaultMaxBytes)
	return l
}

// ErrTimeout is wrapped by the error of a request that exceeded a time
// limit of [Limits]. Test for it with errors.Is. (It is package fetch's
// too.)
var ErrTimeout = apiclient.ErrTimeout

// ErrTooLarge is wrapped by the error of an answer larger than
// [Limits.MaxBytes]. Test for it with errors.Is. (It is package fetch's
// too.)
var ErrTooLarge = apiclient.ErrTooLarge
