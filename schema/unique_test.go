package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"strings"
	"testing"
)

// Numbers hash by value: items that differ only in a number (related
// locations on the lines of one file) fall in different buckets, which
// keeps uniqueItems linear; numbers that equal compares alike hash alike.
func TestUniqueHashesNumbersByValue(t *testing.T) {
	t.Parallel()
	c := newChecker()
	hash := func(v any) uint64 {
		var h maphash.Hash
		h.SetSeed(c.seed)
		writeHash(&h, v)
		return h.Sum64()
	}
	line := func(n string) any {
		return map[string]any{"physicalLocation": map[string]any{"region": map[string]any{"startLine": json.Number(n)}}}
	}
	for _, same := range [][2]string{{"2", "2.0"}, {"2", "20e-1"}, {"-0", "0"}, {"1e2", "100"}, {"0.5", "5e-1"}, {"1e400", "1e400"}} {
		if hash(line(same[0])) != hash(line(same[1])) {
			t.Errorf("%s and %s are equal but hash differently", same[0], same[1])
		}
	}
	distinct := map[uint64]string{}
	for i := range 1000 {
		n := fmt.Sprint(i)
		if i%2 == 1 {
			n += ".5"
		}
		h := hash(line(n))
		if prev, dup := distinct[h]; dup {
			t.Fatalf("%s and %s hash alike", prev, n)
		}
		distinct[h] = n
	}
}

// relatedLog is a log of one result with n related locations in one file,
// each on its own line, and a copy of the first at the end with dup.
func relatedLog(n int, dup bool) []byte {
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"m"},"relatedLocations":[`)
	loc := func(i int) string {
		return fmt.Sprintf(`{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":%d}}}`, i+1)
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(loc(i))
	}
	if dup {
		b.WriteString("," + loc(0))
	}
	b.WriteString(`]}]}]}`)
	return []byte(b.String())
}

// A result with 20,000 related locations is validated in linear time
// (BenchmarkUniqueRelatedLocations), and a duplicate among them is still
// found, by the checker and by the generic validator.
func TestUniqueRelatedLocations(t *testing.T) {
	t.Parallel()
	v, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	findings, err := v.ValidateBytes(ctx, relatedLog(20_000, false), "ok.sarif")
	if err != nil || len(findings) != 0 {
		t.Fatalf("distinct related locations: %v %v", findings, err)
	}
	findings, err = v.ValidateBytes(ctx, relatedLog(20_000, true), "dup.sarif")
	if err != nil || len(findings) != 1 || findings[0].ID != "schema/uniqueItems" || findings[0].Pointer != "/runs/0/results/0/relatedLocations" {
		t.Fatalf("a duplicate related location: %v %v", findings, err)
	}
}

// BenchmarkUniqueRelatedLocations validates a result with 20,000 related
// locations in one file: 3.5 s for 5,000 when every number hashed alike.
func BenchmarkUniqueRelatedLocations(b *testing.B) {
	v, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	data := relatedLog(20_000, false)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := v.ValidateBytes(context.Background(), data, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
