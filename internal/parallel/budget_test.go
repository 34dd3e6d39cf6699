package parallel

import (
	"sync"
	"testing"
)

// The budget lets through one item larger than itself, and otherwise
// never more than itself at once, however many take from it.
func TestBudget(t *testing.T) {
	t.Parallel()
	b := NewBudget(10)
	b.Acquire(25) // alone: let through
	b.Release(25)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			n := int64(i%4 + 1)
			b.Acquire(n)
			b.Acquire(0) // free
			b.Release(n)
		})
	}
	wg.Wait()
	if b.peak != 25 || b.used != 0 {
		t.Fatalf("peak %d, used %d", b.peak, b.used)
	}
	b.peak = 0
	for i := range 64 {
		wg.Go(func() {
			n := int64(i%4 + 1)
			b.Acquire(n)
			b.Release(n)
		})
	}
	wg.Wait()
	if b.peak > 10 {
		t.Errorf("peak %d over a budget of 10", b.peak)
	}
}
