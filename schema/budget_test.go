package schema

import (
	"context"
	"strings"
	"testing"
)

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
