package schema

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestTameNumber(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("7", 1000)
	for _, c := range []struct {
		in, want string
		tamed    bool
	}{
		{"12", "12", false},
		{"1e10", "1e10", false},
		{"-2.5E-3", "-2.5E-3", false},
		{"1e399", "1e399", false},
		{"0e5", "0e5", false},
		{"1e400", "0.1e802", true}, // 401 + 401 mod 1000
		{"1e999999", "0.1e401", true},
		{"25e999999", "0.25e402", true},
		{"-1E+999999", "-0.1e401", true},
		{"1e-999999", "0.1e-1399", true},
		{"0e999999", "0", true},
		{"-0.000e-99999999999999999999", "0", true},
		{"1e99999999999999999999", "0.1e1178", true}, // 2^40+1 mod 1000 = 777
		{long, "0." + long[:400] + "e401", true},
		{"-" + long + ".5", "-" + long[:400] + "0.5", true},
		{"0." + long, "0." + long[:400] + "1e0", true},
		{"1." + long + "e2", "0.1" + long[:399] + "1e3", true},
	} {
		got, tamed := tameNumber(c.in)
		if got != c.want || tamed != c.tamed {
			t.Errorf("tameNumber(%.40s) = %.60s, %v; want %.60s, %v", c.in, got, tamed, c.want, c.tamed)
		}
	}
}

// A number with a huge exponent or a million digits is judged as the
// schema judges it (startLine is an integer of 1 or more, and of 64 bits:
// a larger one is a json/number-range finding that quotes it as written),
// by the checker and by the generic validator, without reading it as a
// big.Rat: that took a fifth of a second and half a megabyte for each
// 1e999999.
func TestHugeNumbers(t *testing.T) {
	v, err := New(&Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	log := func(lines []string, level string) []byte {
		var b strings.Builder
		b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{` + level + `"message":{"text":"x"},"relatedLocations":[`)
		for i, n := range lines {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":` + n + `}}}`)
		}
		b.WriteString(`]}]}]}`)
		return []byte(b.String())
	}
	valid := []string{"1e999999", "2e999998", "3e999997", "1" + strings.Repeat("0", 100_000), "15e999999"}
	invalid := []string{"-1e999999", "1e-999999", "0e999999", "1." + strings.Repeat("5", 100_000)}
	for _, level := range []string{"", `"level":"critical",`} { // the checker, then the generic validator
		var findings []Finding
		var err error
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		findings, err = v.ValidateBytes(context.Background(), log(append(valid, invalid...), level), "huge.sarif")
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		var bad, ranges []string
		for _, f := range findings {
			if f.ID != "schema/enum" {
				bad = append(bad, f.Pointer)
			}
			if f.ID == "json/number-range" {
				ranges = append(ranges, strings.Fields(f.Message)[0])
			}
		}
		var want []string
		for i := range len(valid) + len(invalid) {
			want = append(want, fmt.Sprintf("/runs/0/results/0/relatedLocations/%d/physicalLocation/region/startLine", i))
		}
		if strings.Join(bad, " ") != strings.Join(want, " ") {
			t.Errorf("%s: findings at %v, want %v", level, bad, want)
		}
		// The integers beyond 64 bits, as written (long ones cut).
		if got := strings.Join(ranges, " "); !strings.HasPrefix(got, "1e999999 2e999998 3e999997 10000") || !strings.HasSuffix(got, " 15e999999 -1e999999") {
			t.Errorf("%s: json/number-range findings quote %q", level, got)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
			t.Errorf("%s: allocated %d MiB validating a log of 200 KB", level, n>>20)
		}
	}
}
