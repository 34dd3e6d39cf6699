package linehash

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
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

// Bytes that are not UTF-8 hash as node decodes them, which the upload
// action reads files with: one U+FFFD for each maximal ill-formed
// subsequence (the WHATWG Encoding Standard; the Unicode Standard,
// chapter 3, "U+FFFD Substitution of Maximal Subparts"), not one for each
// byte. Each replacement text was written by hand and checked against
// node's Buffer.toString("utf8").
func TestInvalidUTF8AsNodeDecodes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, as string }{
		{"a\xF1\x80\x80\xE1\x80\xC2b\x80c\x80\xBFd", "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd"}, // the Unicode Standard's Table 3-8
		{"x\xC3\n", "x\uFFFD\n"},                         // truncated 2-byte sequence
		{"\xE2\x82\n", "\uFFFD\n"},                       // truncated 3-byte sequence
		{"\xF0\x9F\x98", "\uFFFD"},                       // truncated 4-byte sequence at the end
		{"\xE2\x82A", "\uFFFDA"},                         // truncated, then ASCII
		{"\xF0\x9F\x98\xE2\x82\xAC", "\uFFFD\u20AC"},     // truncated, then a valid sequence
		{"caf\xE9 na\xEFve", "caf\uFFFD na\uFFFDve"},     // Latin-1
		{"\x80\xBF", "\uFFFD\uFFFD"},                     // lone continuation bytes
		{"\xC0\xAF", "\uFFFD\uFFFD"},                     // overlong "/"
		{"\xE0\x80\xAF", "\uFFFD\uFFFD\uFFFD"},           // overlong "/"
		{"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"},           // a surrogate, U+D800
		{"\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"}, // above U+10FFFF
		{"\xF5\x80\xFF", "\uFFFD\uFFFD\uFFFD"},           // bytes that start nothing
		{"\xEF\xBF\xBD\xFF", "\uFFFD\uFFFD"},             // U+FFFD itself, then an invalid byte
		{"\xEF\xBB\xBFa", "\uFEFFa"},                     // a byte order mark is kept
	} {
		if got, want := Of([]byte(c.in)), Of([]byte(c.as)); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q hashes %v, want %v (those of %q)", c.in, got, want, c.as)
		}
	}
}

// BenchmarkOfInvalidUTF8 is BenchmarkOf with Latin-1 bytes and
// truncated sequences in its source (the slower path).
func BenchmarkOfInvalidUTF8(b *testing.B) {
	content := source(rand.New(rand.NewPCG(1, 2)), 2000)
	content = bytes.ReplaceAll(content, []byte("\u00e9"), []byte("\xE9"))
	content = bytes.ReplaceAll(content, []byte("\U0001F600"), []byte("\xF0\x9F\x98"))
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		Of(content)
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

// At gives the lines Of gives for files of short lines too (hashed in
// two passes): line breaks alone, CRs, CRLFs, and short lines mixed.
func TestAtAgreesWithOfShortLines(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	parts := []string{"\n", "\r", "\r\n", "a\n", "}\n", " \n", "\t\r\n", "x"}
	for range 50 {
		var b strings.Builder
		for range 1 + rng.IntN(2000) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		content := []byte(b.String())
		all := Of(content)
		lines := []int{0, -1, len(all), len(all) + 1}
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

// At keeps the values of the lines asked for only: the hashes of two
// lines of a file of 4 MiB of line breaks (4 Mi lines, 8 bytes each to
// keep them all, and as much again to count them) cost little.
func TestAtMemoryBounded(t *testing.T) {
	content := bytes.Repeat([]byte("\n"), 4<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := At(content, []int{5, 4<<20 + 1})
	runtime.ReadMemStats(&after)
	if got[0] == "" || got[1] == "" {
		t.Fatalf("no hash for lines 5 and %d: %q", 4<<20+1, got)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("%d MiB allocated to hash two lines of a file of 4 MiB", alloc>>20)
	}
}
