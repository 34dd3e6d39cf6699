package schema

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math/big"
	"regexp"
	"slices"
	"strconv"
)

// A checker tells, without allocating, whether a value satisfies the
// embedded SARIF schema: the whole log (checker.log) or one result
// (checker.result). Its methods are generated from the schema by
// internal/gen/checkgen (check_gen.go), one per schema node.
//
// It answers only yes or no. The generic validator (jsonschema/v5),
// which builds an error tree for every value it visits, is what
// explains a refusal; a Validator calls it only for the values the
// checker refuses, which are few in a log worth uploading, and so both
// give the same findings by construction as long as the checker accepts
// exactly what the generic validator accepts. The helpers below mirror
// jsonschema/v5's semantics for that reason: its JSON equality (numbers
// compared by value) for uniqueItems, its notion of an integer, its
// number comparisons.
type checker struct {
	regexps [generatedRegexps]*regexp.Regexp
	formats [generatedFormats]func(any) bool
	seed    maphash.Seed
}

func newChecker() *checker { return &checker{seed: maphash.MakeSeed()} }

func isBoolean(v any) bool { _, ok := v.(bool); return ok }
func isString(v any) bool  { _, ok := v.(string); return ok }
func isArray(v any) bool   { _, ok := v.([]any); return ok }

// isNumber tells whether v is a JSON number, in any of the Go types
// jsonschema/v5 takes for one.
func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float32, float64, int, int8, int32, int64, uint, uint8, uint32, uint64:
		return true
	}
	return false
}

// rat is a number as jsonschema/v5 reads it: the big.Rat of its text.
func rat(v any) *big.Rat {
	// The text is that of the stand-in when it is too large to read
	// (see tameNumber), as for the generic validator.
	text, _ := tameNumber(fmt.Sprint(v))
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil
	}
	return r
}

// smallInt reads a number written as a plain int64 ("12", "-1"), the
// common case, without the big.Rat.
func smallInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

// isInteger tells whether v is a number with no fractional part (1, 1.0,
// 1e2) within the range of a 64-bit integer: the schema compiled bounds
// every integer so (see boundIntegers), and a value beyond is left to the
// generic validator to report.
func isInteger(v any) bool {
	if !isNumber(v) {
		return false
	}
	if _, ok := smallInt(v); ok {
		return true
	}
	r := rat(v)
	return r != nil && r.IsInt() && r.Num().IsInt64()
}

// atLeast and atMost compare a number with a bound ("minimum",
// "maximum"). A number whose text big.Rat cannot read fails, as it
// cannot be the JSON the library sees.
func atLeast(v any, bound int64) bool {
	if i, ok := smallInt(v); ok {
		return i >= bound
	}
	r := rat(v)
	return r != nil && r.Cmp(big.NewRat(bound, 1)) >= 0
}

func atMost(v any, bound int64) bool {
	if i, ok := smallInt(v); ok {
		return i <= bound
	}
	r := rat(v)
	return r != nil && r.Cmp(big.NewRat(bound, 1)) <= 0
}

// count is the number of true values ("oneOf").
func count(b ...bool) int {
	n := 0
	for _, t := range b {
		if t {
			n++
		}
	}
	return n
}

// unique tells that no two items of a are equal JSON values
// ("uniqueItems"). Small arrays compare each pair; larger ones compare
// only items of the same hash.
func (c *checker) unique(a []any) bool {
	if len(a) <= 16 {
		for i := 1; i < len(a); i++ {
			for j := range i {
				if equal(a[i], a[j]) {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[uint64][]int, len(a))
	var h maphash.Hash
	h.SetSeed(c.seed)
	for i, item := range a {
		h.Reset()
		writeHash(&h, item)
		k := h.Sum64()
		if slices.ContainsFunc(seen[k], func(j int) bool { return equal(a[j], item) }) {
			return false
		}
		seen[k] = append(seen[k], i)
	}
	return true
}

// equal is JSON equality as jsonschema/v5 has it: numbers by value,
// objects whatever the order of their members.
func equal(a, b any) bool {
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return ok && a == b
	case nil:
		return b == nil
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equal(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, av := range a {
			bv, ok := b[k]
			if !ok || !equal(av, bv) {
				return false
			}
		}
		return true
	}
	if !isNumber(a) || !isNumber(b) {
		return false
	}
	if x, ok := smallInt(a); ok {
		if y, ok := smallInt(b); ok {
			return x == y
		}
	}
	x, y := rat(a), rat(b)
	return x != nil && y != nil && x.Cmp(y) == 0
}

// writeHash hashes a JSON value consistently with equal: equal values
// hash alike (numbers by value, objects as the sum of their members'
// hashes, whatever their order).
func writeHash(h *maphash.Hash, v any) {
	switch v := v.(type) {
	case string:
		h.WriteByte('s')
		h.WriteString(v)
		h.WriteByte(0)
	case nil:
		h.WriteByte('z')
	case bool:
		if v {
			h.WriteByte('t')
		} else {
			h.WriteByte('f')
		}
	case []any:
		h.WriteByte('[')
		for _, item := range v {
			writeHash(h, item)
		}
		h.WriteByte(']')
	case map[string]any:
		var sum uint64
		var member maphash.Hash
		member.SetSeed(h.Seed())
		for k, x := range v {
			member.Reset()
			member.WriteString(k)
			member.WriteByte(0)
			writeHash(&member, x)
			sum += member.Sum64()
		}
		h.WriteByte('{')
		var b [8]byte
		for i := range b {
			b[i] = byte(sum >> (8 * i))
		}
		h.Write(b[:])
	default:
		writeNumberHash(h, v)
	}
}

// writeNumberHash hashes a number by its value, as equal compares it:
// "2", "2.0" and "20e-1" alike. Hashing every number alike would put
// items that differ only in numbers (related locations on the lines of
// one file) in one bucket, and make unique quadratic in their count.
func writeNumberHash(h *maphash.Hash, v any) {
	h.WriteByte('n')
	i, ok := smallInt(v)
	if !ok {
		r := rat(v)
		switch {
		case r == nil:
			return // not a number equal compares: all alike
		case r.IsInt() && r.Num().IsInt64():
			i = r.Num().Int64()
		default:
			h.Write(r.Num().Append(nil, 16))
			h.WriteByte('/')
			h.Write(r.Denom().Append(nil, 16))
			return
		}
	}
	var b [8]byte
	for k := range b {
		b[k] = byte(uint64(i) >> (8 * k))
	}
	h.Write(b[:])
}
