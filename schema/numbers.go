package schema

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// A JSON number may be written with any exponent and any number of
// digits, and the generic validator (jsonschema/v5) reads each it checks
// as a big.Rat of its text, as the checker does for any that is not a
// plain int64: 1e999999 takes a fifth of a second to read, and a number
// of a million digits longer still, so a log of a few kilobytes could
// keep a validator busy for hours. Such numbers are therefore judged by
// a stand-in that the schema's keywords cannot tell from them: of the
// same sign, an integer or not alike, and as far beyond every bound the
// schema sets (small integers) or as close to zero, with the same first
// digits. Two such numbers may then, rarely, compare equal (uniqueItems)
// where they differ; no real log has one.

// maxDigits bounds the digits and the decimal exponent of a number read
// as it is written.
const maxDigits = 400

// tameNumber returns the stand-in for the text of a JSON number that is
// too large or too long to read as it is, and whether it needs one.
func tameNumber(s string) (string, bool) {
	if len(s) <= maxDigits && !strings.ContainsAny(s, "eE") {
		return s, false
	}
	orig, sign := s, ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	// value = 0.digits × 10^point, digits without leading or trailing
	// zeros.
	digits := strings.TrimLeft(intPart, "0")
	point := int64(len(digits))
	if digits == "" {
		trimmed := strings.TrimLeft(frac, "0")
		point = -int64(len(frac) - len(trimmed))
		digits = trimmed
	} else {
		digits += frac
	}
	digits = strings.TrimRight(digits, "0")
	var e int64
	extreme := len(orig) > 2*maxDigits
	if hasExp {
		var ok bool
		if e, ok = parseExponent(exp); !ok {
			e = 1 << 40 // beyond any reading, sign kept
			if strings.HasPrefix(exp, "-") {
				e = -e
			}
		}
		extreme = extreme || e > maxDigits || e < -maxDigits
	}
	if digits == "" {
		if extreme {
			return "0", true
		}
		return orig, false
	}
	point += e
	integer := point >= int64(len(digits))
	if len(digits) > maxDigits {
		digits = digits[:maxDigits]
	}
	// Beyond maxDigits the exponent is kept modulo 1000, so that numbers
	// that differ stay different but for rare exceptions.
	switch {
	case point > maxDigits && integer:
		return sign + "0." + digits + "e" + strconv.FormatInt(maxDigits+1+point%1000, 10), true
	case point > maxDigits:
		return sign + digits + strings.Repeat("0", maxDigits+1-len(digits)) + ".5", true
	case point < -maxDigits:
		return sign + "0." + digits + "e-" + strconv.FormatInt(maxDigits+1+(-point)%1000, 10), true
	case integer:
		return orig, false
	case len(orig) > 2*maxDigits:
		// Not an integer (it would have more than maxDigits digits
		// before its point): cut, it stays between the same integers.
		return sign + "0." + digits + "1e" + strconv.FormatInt(point, 10), true
	}
	return orig, false
}

// parseExponent reads an exponent of up to 12 digits; ok is false for a
// longer one.
func parseExponent(s string) (int64, bool) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > 12 {
		return 0, false
	}
	var e int64
	for _, c := range []byte(s) {
		e = e*10 + int64(c-'0')
	}
	if neg {
		e = -e
	}
	return e, true
}

// tameNumbers returns a generic JSON value with every number that
// tameNumber would stand in for replaced: what the generic validator
// reads. v itself is left as it is, so that findings quote the numbers
// as written; only the objects and arrays on the way to a replaced
// number are copied, and none when there is none.
func tameNumbers(v any) any {
	w, _ := tamed(v)
	return w
}

// tamed is tameNumbers, telling whether anything was replaced.
func tamed(v any) (any, bool) {
	switch v := v.(type) {
	case json.Number:
		if s, ok := tameNumber(string(v)); ok {
			return json.Number(s), true
		}
	case map[string]any:
		var c map[string]any
		for k, x := range v {
			switch x.(type) {
			case json.Number, map[string]any, []any:
				if y, ok := tamed(x); ok {
					if c == nil {
						c = maps.Clone(v)
					}
					c[k] = y
				}
			}
		}
		if c != nil {
			return c, true
		}
	case []any:
		var c []any
		for i, x := range v {
			if y, ok := tamed(x); ok {
				if c == nil {
					c = slices.Clone(v)
				}
				c[i] = y
			}
		}
		if c != nil {
			return c, true
		}
	}
	return v, false
}
