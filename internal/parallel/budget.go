package parallel

import "sync"

// A Budget is a number of bytes that goroutines share, so that what they
// hold at once stays bounded whatever the number of workers: [Budget.Acquire]
// waits until what is in use, if anything, leaves room. An amount larger
// than the whole budget is let through alone, so that nothing waits for
// ever.
type Budget struct {
	mu          sync.Mutex
	cond        *sync.Cond
	used, limit int64
	peak        int64 // the most used at once, for the tests
}

// NewBudget returns a budget of limit bytes.
func NewBudget(limit int64) *Budget {
	b := &Budget{limit: limit}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Acquire takes n bytes of the budget, waiting until they fit (or nothing
// else is taken). Acquiring 0 bytes never waits.
func (b *Budget) Acquire(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.limit {
		b.cond.Wait()
	}
	b.used += n
	b.peak = max(b.peak, b.used)
	b.mu.Unlock()
}

// Release gives back n bytes that Acquire took.
func (b *Budget) Release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}
