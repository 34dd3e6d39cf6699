package apiclient

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Retry says how a client sends a request again: on server and network
// errors (idempotent requests only) with exponential backoff and jitter,
// and on rate limits after the wait the API asks for.
type Retry struct {
	// MaxRetries bounds the retries on server and network errors.
	MaxRetries int
	// MaxWait bounds one rate limit's wait.
	MaxWait time.Duration
	// Backoff is the first retry's delay, doubled on each retry, plus up
	// to as much jitter.
	Backoff time.Duration
	// Sleep waits for d or until ctx is done ([Sleep]; tests record the
	// waits instead).
	Sleep func(ctx context.Context, d time.Duration) error
	// Logf, when set, receives a line on each wait; its text is printable.
	Logf func(format string, args ...any)
}

// A Failure is how a client reads an answer that is no success.
type Failure struct {
	// Err is the API's error for the answer.
	Err error
	// Limited tells that the answer is a rate limit, to wait Wait for;
	// TooLong is the error when that is more than Retry.MaxWait, or the
	// context ends first.
	Limited bool
	Wait    time.Duration
	TooLong error
}

// Do calls send until it answers with a status below 300, and returns
// that answer; fail reads any other. where ("GET URL", printable) names
// the request in errors and lines. A request that is not idempotent is
// sent again only after a rate limit, which the API did not act on. More
// than 10 rate limits in a row end it too.
func (p Retry) Do(ctx context.Context, where string, idempotent bool, send func() (*Response, error), fail func(*Response) Failure) (*Response, error) {
	attempt, waits := 0, 0
	for {
		resp, err := send()
		if err == nil && resp.Status < 300 {
			return resp, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s: %w", where, ctxErr)
		}
		if err == nil {
			f := fail(resp)
			if f.Limited {
				waits++
				if f.Wait > p.MaxWait || waits > 10 {
					return nil, f.TooLong
				}
				p.logf("rate limited on %s: waiting %s", where, f.Wait.Round(time.Second))
				if err := p.Sleep(ctx, f.Wait); err != nil {
					return nil, f.TooLong
				}
				continue
			}
			if resp.Status < 500 || !idempotent || attempt >= p.MaxRetries {
				return nil, f.Err
			}
			err = f.Err
		} else if !idempotent || attempt >= p.MaxRetries || Final(err) {
			return nil, err
		}
		d := p.Backoff<<attempt + time.Duration(rand.Int64N(int64(p.Backoff)))
		p.logf("%v; retrying in %s", err, d.Round(time.Millisecond))
		if err := p.Sleep(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		attempt++
	}
}

func (p Retry) logf(format string, args ...any) {
	if p.Logf != nil {
		p.Logf(format, args...)
	}
}
