package safetext

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// JSON escapes, inside strings only, what a CI log would act on, and
// the value it encodes stays the same.
func TestJSON(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"a":"x"}`, `{"a":"x"}`},
		{`{"m":"##[error]pwned"}`, `{"m":"##\u005berror]pwned"}`},
		{`["#[", "# #[", "###["]`, `["#[", "# #[", "###\u005b"]`},
		{"{\"m\":\"a\u202eb\u2066c\x7fd\u0085e\"}", `{"m":"a\u202eb\u2066c\u007fd\u0085e"}`},
		{"{\"m\":\"é漢字 🙂\"}", "{\"m\":\"é漢字 🙂\"}"},
		{"{\n  \"a\": [\n    1\n  ]\n}\n", "{\n  \"a\": [\n    1\n  ]\n}\n"},
	} {
		got := string(JSON([]byte(c.in)))
		if got != c.want {
			t.Errorf("JSON(%q) = %q, want %q", c.in, got, c.want)
		}
		var before, after any
		if err := json.Unmarshal([]byte(c.in), &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(got), &after); err != nil || !reflect.DeepEqual(before, after) {
			t.Errorf("JSON(%q) decodes as %v (%v), want %v", c.in, after, err, before)
		}
	}
	// Whatever encoding/json writes of hostile strings reads back the
	// same, and holds no "##[" nor a raw special character.
	for _, s := range []string{strings.Repeat("#", 5) + "[", "a##", "[##", "\n::error::x", "##[set-output name=x;]v",
		"\x1b[31m\a", "\u2028\u2029", "\u202e\u2066\u200f\u061c", "\x7f\u0085\u009b", "\xff\xfe", "é漢字"} {
		b, err := json.Marshal(map[string]string{s: s})
		if err != nil {
			t.Fatal(err)
		}
		out := JSON(b)
		var want, got map[string]string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: read back %q (%v), want %q", s, got, err, want)
		}
		if bytes.Contains(out, []byte("##[")) || !clean(string(out)) && strings.ContainsFunc(string(out), func(r rune) bool { return special(r) && r != '\n' }) {
			t.Errorf("%q: %q", s, out)
		}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(JSONWriter(&buf)).Encode([]string{"##[group]x"}); err != nil || buf.String() != `["##\u005bgroup]x"]`+"\n" {
		t.Errorf("JSONWriter: %q, %v", buf.String(), err)
	}
}
