package fetch

import (
	"cmp"
	"time"

	"github.com/sarifkit/sarifkit/internal/apiclient"
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
	l.HeaderTimeout = cmp.Or(l.HeaderTimeout, DefaultHeaderTimeout)
	l.IdleTimeout = cmp.Or(l.IdleTimeout, DefaultIdleTimeout)
	l.RequestTimeout = cmp.Or(l.RequestTimeout, DefaultRequestTimeout)
	l.MaxJSONBytes = cmp.Or(l.MaxJSONBytes, DefaultMaxJSONBytes)
	l.MaxSARIFBytes = cmp.Or(l.MaxSARIFBytes, DefaultMaxSARIFBytes)
	return l
}

// ErrTimeout is wrapped by the error of a request that exceeded a time
// limit of [Limits]. Test for it with errors.Is.
var ErrTimeout = apiclient.ErrTimeout

// ErrTooLarge is wrapped by the error of an answer larger than its cap in
// [Limits], and of an upload larger than GitHub takes. Test for it with
// errors.Is.
var ErrTooLarge = apiclient.ErrTooLarge

// timeouts are the time limits of l, as the transport takes them.
func (l Limits) timeouts() apiclient.Timeouts {
	return apiclient.Timeouts{Header: l.HeaderTimeout, Idle: l.IdleTimeout, Request: l.RequestTimeout}
}
