// Package parallel runs independent pieces of work on a bounded number of
// goroutines: the one worker pool of the packages that spread work over
// the cores (diff, merge, schema, fetch and the commands), and the one
// [Budget] that bounds the bytes those workers hold at once.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers is the number of goroutines [For] uses: one per core that Go
// may use (runtime.GOMAXPROCS).
func Workers() int { return runtime.GOMAXPROCS(0) }

// For calls fn(w, i) for every 0 <= i < n, on at most [Workers]
// goroutines; w, below Workers(), tells the goroutines apart (to give
// each its own scratch memory). It is [ForLimit] with that limit.
func For(ctx context.Context, n int, fn func(w, i int) error) error {
	return ForLimit(ctx, n, Workers(), fn)
}

// ForLimit calls fn(w, i) for every 0 <= i < n on at most limit
// goroutines, handing out indices in small batches, in order, so that
// uneven work spreads evenly.
//
// The error returned is the one of the lowest index that failed, the
// same whatever the scheduling: after a failure no index above it is
// started, and every index below it is still done. When ctx is done
// first, no more indices are started and ctx's error is returned.
func ForLimit(ctx context.Context, n, limit int, fn func(w, i int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	limit = max(1, min(limit, n))
	batch := max(1, min(256, n/(limit*8)))
	var (
		next   atomic.Int64 // the next index to hand out
		failed atomic.Int64 // the lowest index that failed, n if none
		mu     sync.Mutex
		err    error
	)
	failed.Store(int64(n))
	work := func(w int) {
		for ctx.Err() == nil {
			from := int(next.Add(int64(batch))) - batch
			if from >= n {
				return
			}
			for i := from; i < min(from+batch, n); i++ {
				if int64(i) >= failed.Load() {
					return
				}
				if e := fn(w, i); e != nil {
					mu.Lock()
					if int64(i) < failed.Load() {
						failed.Store(int64(i))
						err = e
					}
					mu.Unlock()
					return
				}
			}
		}
	}
	if limit == 1 {
		work(0)
	} else {
		var wg sync.WaitGroup
		for w := range limit {
			wg.Go(func() { work(w) })
		}
		wg.Wait()
	}
	if err != nil {
		return err
	}
	return ctx.Err()
}
