package jsonscan

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Values equal as JSON have one canonical form; values that differ do not.
func TestAppendCanonical(t *testing.T) {
	t.Parallel()
	same := [][]string{
		{`{"a":1,"b":[true,null,"x"]}`, ` { "b" : [ true , null , "\u0078" ] , "a" : 1 } `},
		{`{"k":{"z":"\"","y":"é\n"}}`, `{"k":{"y":"\u00e9\u000a","z":"\""}}`},
		{`"a/b"`, `"a\/b"`},
		{`{}`, ` {  } `},
		// Bytes that are not UTF-8 read as U+FFFD, escaped or not.
		{"{\"\xf0\":[\"\xff\"]}", `{"\ufffd":["\ufffd"]}`, "{\"\uFFFD\":[\"\xef\xbf\xbd\"]}"},
		{"{\"\xf0\":1,\"\xef\xbf\xbc\":2}", "{\"\uFFFC\":2,\"\uFFFD\":1}"},
	}
	// Each byte is parsed once: deep nesting (as deep as the reader
	// allows) does not take time in proportion to depth times size.
	deep := `{"z":0,"a":` + strings.Repeat(`{"a":`, 10000) + "0" + strings.Repeat("}", 10001)
	if c, err := AppendCanonical(nil, []byte(deep)); err != nil || !strings.HasPrefix(string(c), `{"a":{"a":`) || !strings.HasSuffix(string(c), `},"z":0}`) {
		t.Errorf("deep nesting: %v %.40s", err, c)
	}
	for _, group := range same {
		a, err := AppendCanonical(nil, []byte(group[0]))
		if again, err2 := AppendCanonical(nil, a); err != nil || err2 != nil || !bytes.Equal(a, again) {
			t.Errorf("%q: canonical form %q, then %q (%v %v)", group[0], a, again, err, err2)
		}
		for _, other := range group[1:] {
			b, err2 := AppendCanonical(nil, []byte(other))
			if err != nil || err2 != nil || !bytes.Equal(a, b) {
				t.Errorf("%q and %q: %q / %q (%v %v)", group[0], other, a, b, err, err2)
			}
		}
	}
	var c Canonicalizer
	omitting := [][3]string{ // input, canonical form without "ruleIndex" and "b", the same by Append
		{`{"ruleIndex":3,"z":1,"a":{"ruleIndex":2}}`, `{"a":{"ruleIndex":2},"z":1}`, `{"a":{"ruleIndex":2},"ruleIndex":3,"z":1}`},
		{`{"b":1,"ruleIndex":0}`, `{}`, `{"b":1,"ruleIndex":0}`},
		{`{ "z" : [1] , "b" : {"x":[{}]} , "a" : "b" }`, `{"a":"b","z":[1]}`, `{"a":"b","b":{"x":[{}]},"z":[1]}`},
		{`["b"]`, `["b"]`, `["b"]`},
	}
	for _, o := range omitting {
		got, err := c.AppendOmitting(nil, []byte(o[0]), "ruleIndex", "b")
		if err != nil || string(got) != o[1] {
			t.Errorf("AppendOmitting(%s) = %s, %v; want %s", o[0], got, err, o[1])
		}
		if got, err := c.Append(nil, []byte(o[0])); err != nil || string(got) != o[2] {
			t.Errorf("Append(%s) after AppendOmitting = %s, %v; want %s", o[0], got, err, o[2])
		}
	}
	differ := [][]string{{`{"a":1}`, `{"a":1.0}`}, {`[1,2]`, `[2,1]`}, {`{"a":"x"}`, `{"a":"X"}`}, {`{"a":1}`, `{"a":1,"b":1}`}}
	for _, pair := range differ {
		a, _ := AppendCanonical(nil, []byte(pair[0]))
		b, _ := AppendCanonical(nil, []byte(pair[1]))
		if bytes.Equal(a, b) {
			t.Errorf("%s and %s share a canonical form", pair[0], pair[1])
		}
	}
}

// Whatever the input, AppendCanonical does not panic; on JSON the
// canonical form is JSON equal to the input and its own canonical form.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":{"c":[1,2,{"d":"\u0041"}]}}`, `{"locations":[{"physicalLocation":{}}]}`, `{`, `{"a":"\`, `{"ruleIndex":1,"a":2,"z":[]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := AppendCanonical(nil, data)
		if err != nil || !json.Valid(data) {
			return
		}
		a, errA := decodeNumbers(data)
		b, errB := decodeNumbers(c)
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("canonical form %s of %s differs", c, data)
		}
		if c2, _ := AppendCanonical(nil, c); !bytes.Equal(c, c2) {
			t.Fatalf("canonical form not stable: %s then %s", c, c2)
		}
		// Omitting top-level members gives the canonical form of the
		// object without them.
		var cz Canonicalizer
		om, err := cz.AppendOmitting(nil, data, "a", "ruleIndex")
		if m, ok := a.(map[string]any); ok {
			delete(m, "a")
			delete(m, "ruleIndex")
			b, _ := json.Marshal(m)
			want, _ := AppendCanonical(nil, b)
			got, _ := decodeNumbers(om)
			wantTree, _ := decodeNumbers(want)
			if err != nil || !reflect.DeepEqual(got, wantTree) {
				t.Fatalf("omitting a and ruleIndex from %s gave %s (%v), want %s", data, om, err, want)
			}
		}
	})
}

// decodeNumbers decodes JSON text with numbers kept as their text.
func decodeNumbers(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}
