package linehash

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// source returns a file of n lines of Go-like text, some repeated (so
// that occurrence counts exceed 1), with tabs, CRLF and non-ASCII.
func source(rng *rand.Rand, n int) []byte {
	var b strings.Builder
	for i := range n {
		switch rng.IntN(5) {
		case 0:
			b.WriteString("\t}\n")
		case 1:
			b.WriteString("\treturn nil\r\n")
		case 2:
			b.WriteString("\tx := \"caf\u00e9 \U0001F600\"\n")
		default:
			b.WriteString("\tcall" + strings.Repeat("x", i%13) + "(a, b)\n")
		}
	}
	return []byte(b.String())
}

// At gives the lines Of gives, occurrence counts included.
func TestAtAgreesWithOf(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		content := source(rng, 1+rng.IntN(400))
		all := Of(content)
		lines := []int{0, -1, len(all) + 1}
		for range 20 {
			lines = append(lines, 1+rng.IntN(len(all)))
		}
		for k, got := range At(content, lines) {
			want := ""
			if l := lines[k]; l >= 1 && l <= len(all) {
				want = all[l-1]
			}
			if got != want {
				t.Fatalf("line %d: At %q, Of %q", lines[k], got, want)
			}
		}
	}
}

func BenchmarkOf(b *testing.B) {
	content := source(rand.New(rand.NewPCG(1, 2)), 2000)
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		Of(content)
	}
}

func BenchmarkAt(b *testing.B) {
	content := source(rand.New(rand.NewPCG(1, 2)), 2000)
	lines := []int{10, 500, 1500}
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		At(content, lines)
	}
}
