package sarif_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

const rewriteInput = `{"ruleId":"R1","ruleIndex":3,"rule":{"id":"R1","index":3,"toolComponent":{"index":1}},` +
	`"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go","index":0},"region":{"startLine":7}},` +
	`"logicalLocations":[{"index":2,"name":"f"}]}],` +
	`"codeFlows":[{"threadFlows":[{"locations":[{"index":4},{"location":{"physicalLocation":{"artifactLocation":{"index":1}}}}]}]}],` +
	`"partialFingerprints":{"x":"1"},"properties":{"artifactLocation":{"index":9},"nested":{"uri":"p"}}}`

// Every object of a SARIF type is visited, children first; property bags
// and other free-form members are not entered.
func TestRewriteVisits(t *testing.T) {
	t.Parallel()
	var kinds []string
	out, err := sarif.Result(rewriteInput).Rewrite(func(o sarif.RawObject) { kinds = append(kinds, o.Kind()) })
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != rewriteInput {
		t.Error("a rewrite without changes changed the text")
	}
	want := []string{"toolComponentReference", "reportingDescriptorReference", "message",
		"artifactLocation", "region", "physicalLocation", "logicalLocation", "location",
		"threadFlowLocation", "artifactLocation", "physicalLocation", "location", "threadFlowLocation",
		"threadFlow", "codeFlow", "result"}
	if !slices.Equal(kinds, want) {
		t.Errorf("visited\n%v\nwant\n%v", kinds, want)
	}
}

// Reads see the original text; nested objects and array elements are
// reached from their parent.
func TestRewriteReads(t *testing.T) {
	t.Parallel()
	_, err := sarif.Result(rewriteInput).Rewrite(func(o sarif.RawObject) {
		if o.Kind() != "result" {
			return
		}
		if id, ok := o.String("ruleId"); !ok || id != "R1" {
			t.Errorf("ruleId %q %v", id, ok)
		}
		if n, ok := o.Object("rule").Object("toolComponent").Int("index"); !ok || n != 1 {
			t.Errorf("rule.toolComponent.index %d %v", n, ok)
		}
		pl := o.Elem("locations", 0).Object("physicalLocation")
		if pl.Kind() != "physicalLocation" {
			t.Errorf("kind %q", pl.Kind())
		}
		if line, ok := pl.Object("region").Int("startLine"); !ok || line != 7 {
			t.Errorf("startLine %d %v", line, ok)
		}
		if els := o.Elems("locations"); len(els) != 1 || els[0].Kind() != "location" {
			t.Errorf("Elems: %d", len(els))
		}
		if o.Elem("locations", 1).Exists() || o.Object("nothing").Object("deeper").Exists() {
			t.Error("absent objects exist")
		}
		if pf := o.Object("partialFingerprints"); pf.Kind() != "" || string(pf.Raw("x")) != `"1"` {
			t.Errorf("partialFingerprints: kind %q, x %s", pf.Kind(), pf.Raw("x"))
		}
		if _, ok := o.Int("message"); ok {
			t.Error("an object read as an integer")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func rewrite(t *testing.T, in string, fn func(o sarif.RawObject)) string {
	t.Helper()
	out, err := sarif.Result(in).Rewrite(fn)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatalf("not JSON: %s", out)
	}
	return string(out)
}

// Edits: replacing, adding and deleting members, with the commas right in
// every position; the last change to a member wins; a change to a value
// wins over changes inside it. Each expected text was checked by hand.
func TestRewriteEdits(t *testing.T) {
	t.Parallel()
	at := func(kind string, fn func(o sarif.RawObject)) func(sarif.RawObject) {
		return func(o sarif.RawObject) {
			if o.Kind() == kind {
				fn(o)
			}
		}
	}
	cases := []struct {
		name, in string
		fn       func(sarif.RawObject)
		want     string
	}{
		{"replace", `{"ruleIndex":3,"message":{"text":"m"}}`,
			at("result", func(o sarif.RawObject) { o.Set("ruleIndex", 5) }),
			`{"ruleIndex":5,"message":{"text":"m"}}`},
		{"add to empty", `{"message":{}}`,
			at("message", func(o sarif.RawObject) { o.Set("text", "a\"b") }),
			`{"message":{"text":"a\"b"}}`},
		{"add two", `{"message":{"text":"m"}}`,
			at("result", func(o sarif.RawObject) { o.Set("level", "note"); o.Set("kind", "fail") }),
			`{"message":{"text":"m"},"level":"note","kind":"fail"}`},
		{"delete first", `{"a":1,"b":2,"c":3}`,
			at("result", func(o sarif.RawObject) { o.Delete("a") }), `{"b":2,"c":3}`},
		{"delete middle", `{"a":1,"b":2,"c":3}`,
			at("result", func(o sarif.RawObject) { o.Delete("b") }), `{"a":1,"c":3}`},
		{"delete last two", `{"a":1,"b":2,"c":3}`,
			at("result", func(o sarif.RawObject) { o.Delete("c"); o.Delete("b") }), `{"a":1}`},
		{"delete first two", `{"a":1,"b":2,"c":3}`,
			at("result", func(o sarif.RawObject) { o.Delete("a"); o.Delete("b") }), `{"c":3}`},
		{"delete all, add one", `{"a":1,"b":2}`,
			at("result", func(o sarif.RawObject) { o.Delete("a"); o.Delete("b"); o.Set("c", true) }), `{"c":true}`},
		{"delete absent", `{"a":1}`,
			at("result", func(o sarif.RawObject) { o.Delete("zz") }), `{"a":1}`},
		{"last change wins", `{"a":1}`,
			at("result", func(o sarif.RawObject) { o.Delete("a"); o.Set("a", 2); o.Set("a", 3) }), `{"a":3}`},
		{"outer wins", `{"locations":[{"physicalLocation":{"artifactLocation":{"index":1}}}]}`,
			func(o sarif.RawObject) {
				switch o.Kind() {
				case "artifactLocation":
					o.Set("index", 7)
				case "location":
					o.Set("physicalLocation", map[string]any{"artifactLocation": map[string]any{"uri": "x"}})
				}
			},
			`{"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x"}}}]}`},
		{"free-form object", `{"partialFingerprints":{"a":"1"}}`,
			at("result", func(o sarif.RawObject) { o.Object("partialFingerprints").Set("b", "2") }),
			`{"partialFingerprints":{"a":"1","b":"2"}}`},
		{"escaped key", `{"rule\u0049ndex":1}`,
			at("result", func(o sarif.RawObject) { o.Set("ruleIndex", 2) }), `{"rule\u0049ndex":2}`},
		{"nested edits", rewriteInput,
			func(o sarif.RawObject) {
				switch o.Kind() {
				case "artifactLocation", "logicalLocation", "threadFlowLocation":
					if n, ok := o.Int("index"); ok {
						o.Set("index", n+10)
					}
				}
			},
			strings.NewReplacer(`"index":0`, `"index":10`, `"index":2`, `"index":12`, `"index":4`, `"index":14`,
				`{"index":1}}}}]`, `{"index":11}}}}]`).Replace(rewriteInput)},
	}
	for _, c := range cases {
		if got := rewrite(t, c.in, c.fn); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.name, got, c.want)
		}
	}
	// An absent object cannot be changed.
	rewrite(t, `{}`, func(o sarif.RawObject) {
		if err := o.Object("rule").Set("index", 1); err == nil {
			t.Error("setting on an absent object did not fail")
		}
	})
}

func TestRewriteMalformed(t *testing.T) {
	t.Parallel()
	for _, in := range []string{``, `[]`, `{`, `{"a"}`, `{"a":1,}`, `{"a":"x`, `{"a":1} x`, `{"locations":[{]}`} {
		if _, err := sarif.Result(in).Rewrite(func(sarif.RawObject) {}); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestMember(t *testing.T) {
	t.Parallel()
	r := sarif.Result(`{"a":{"b":[1,"}"]},"c":"x\"y","d":null}`)
	for name, want := range map[string]string{"a": `{"b":[1,"}"]}`, "c": `"x\"y"`, "d": "null", "b": ""} {
		if got := string(r.Member(name)); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if got := r.Members("d", "zz", "a"); string(got[0]) != "null" || got[1] != nil || string(got[2]) != `{"b":[1,"}"]}` {
		t.Errorf("Members: %q", got)
	}
}

// Whatever the input, Rewrite does not panic; on JSON objects an edited
// result is JSON.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{rewriteInput, `{"a":1,"b":{"c":[1,2,{"d":"\u0041"}]}}`, `{"locations":[{"physicalLocation":{}}]}`, `{`, `{"a":"\`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		edited, err := sarif.Result(data).Rewrite(func(o sarif.RawObject) {
			o.Set("index", 1)
			o.Delete("uri")
			o.Object("partialFingerprints").Set("h", "x")
		})
		var v any
		isObject := json.Unmarshal(data, &v) == nil && reflect.TypeOf(v) == reflect.TypeFor[map[string]any]()
		if err == nil && isObject && !json.Valid(edited) {
			t.Fatalf("edited %s into invalid JSON %s", data, edited)
		}
	})
}

// BenchmarkRewriteManyEdits renumbers every step of a code flow of
// 20,000 steps: the cost grows with the number of edits, not its square
// (before: each edit looked through every earlier one, and each edited
// object through all of them, 25 s for 10,000 steps).
func BenchmarkRewriteManyEdits(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"message":{"text":"m"},"codeFlows":[{"threadFlows":[{"locations":[`)
	for i := range 20000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"index":%d,"location":{"physicalLocation":{"artifactLocation":{"index":%d}}}}`, i, i%50)
	}
	sb.WriteString(`]}]}]}`)
	res := sarif.Result(sb.String())
	b.SetBytes(int64(len(res)))
	for b.Loop() {
		out, err := res.Rewrite(func(o sarif.RawObject) {
			if i, ok := o.Int("index"); ok {
				o.Set("index", i+1)
			}
		})
		if err != nil || len(out) <= len(res) {
			b.Fatal(err, len(out))
		}
	}
}
