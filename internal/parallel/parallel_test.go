package parallel

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestForVisitsEveryIndexOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 7, 1000, 100_003} {
		for _, limit := range []int{1, 2, 5} {
			seen := make([]atomic.Int32, n)
			var maxW atomic.Int32
			err := ForLimit(context.Background(), n, limit, func(w, i int) error {
				seen[i].Add(1)
				if int32(w) > maxW.Load() {
					maxW.Store(int32(w))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Fatalf("n=%d limit=%d: index %d visited %d times", n, limit, i, c)
				}
			}
			if int(maxW.Load()) >= limit {
				t.Errorf("n=%d limit=%d: worker %d", n, limit, maxW.Load())
			}
		}
	}
}

// The error is the lowest failing index's, however the work is scheduled.
func TestForLowestError(t *testing.T) {
	t.Parallel()
	for range 50 {
		err := ForLimit(context.Background(), 10_000, 4, func(_, i int) error {
			if i%997 == 500 {
				return fmt.Errorf("index %d", i)
			}
			return nil
		})
		if err == nil || err.Error() != "index 500" {
			t.Fatalf("got %v, want index 500", err)
		}
	}
}

func TestForStopsWhenCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var done atomic.Int32
	err := For(ctx, 1_000_000, func(_, i int) error {
		if done.Add(1) == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if d := done.Load(); d > 100_000 {
		t.Errorf("%d calls after cancel", d)
	}
}
