package schema

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// The budget lets through one item larger than itself, and otherwise
// never more than itself at once, however many take from it.
func TestBudget(t *testing.T) {
	t.Parallel()
	b := newBudget(10)
	b.acquire(25) // alone: let through
	b.release(25)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			n := int64(i%4 + 1)
			b.acquire(n)
			b.acquire(0) // free
			b.release(n)
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
			b.acquire(n)
			b.release(n)
		})
	}
	wg.Wait()
	if b.peak > 10 {
		t.Errorf("peak %d over a budget of 10", b.peak)
	}
}

// Results of several MiB each, on many workers, are all validated.
func TestBigResults(t *testing.T) {
	t.Parallel()
	v, err := New(&Options{Workers: 16})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`)
	big := strings.Repeat("x", 3<<20)
	for i := range 24 {
		if i > 0 {
			b.WriteByte(',')
		}
		level := "note"
		if i%8 == 7 {
			level = "critical"
		}
		b.WriteString(`{"level":"` + level + `","message":{"text":"` + big + `"}}`)
	}
	b.WriteString(`]}]}`)
	findings, err := v.ValidateReader(context.Background(), strings.NewReader(b.String()), "big.sarif")
	if err != nil {
		t.Fatal(err)
	}
	var ptrs []string
	for _, f := range findings {
		ptrs = append(ptrs, f.Pointer)
	}
	if got := strings.Join(ptrs, " "); got != "/runs/0/results/7/level /runs/0/results/15/level /runs/0/results/23/level" {
		t.Errorf("findings at %s", got)
	}
}
