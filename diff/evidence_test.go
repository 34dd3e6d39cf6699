package diff

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// jsonLog reads a fixture as a generic JSON tree, for tests that edit it.
func jsonLog(t testing.TB, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// logFrom turns a generic JSON tree into a log.
func logFrom(t testing.TB, v any) *sarif.Log {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, string(data))
}

// clone deep-copies a generic JSON tree.
func clone(t testing.TB, v map[string]any) map[string]any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// at walks a generic JSON tree: keys for objects, ints for arrays.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func obj(v any, path ...any) map[string]any { return at(v, path...).(map[string]any) }

// The CodeQL run of GitHub's codeql-action test data: its results carry
// primaryLocationLineHash beside primaryLocationStartColumnFingerprint, a
// small number that many results share. A result moved 40 lines down,
// with another line hash and another message, is not the result it was:
// it is new, and the old one absent. (Before: shared column fingerprint
// "4", so "1 updated", and the gate passed a new alert.)
func TestPartialFingerprintsMustAllAgree(t *testing.T) {
	t.Parallel()
	src := jsonLog(t, "../testdata/diff/codeql-action-valid-sarif.sarif")
	src["runs"] = []any{at(src, "runs", 1)} // the CodeQL command-line toolchain run
	head := clone(t, src)
	r := obj(head, "runs", 0, "results", 0)
	region := obj(r, "locations", 0, "physicalLocation", "region")
	region["startLine"] = region["startLine"].(float64) + 40
	obj(r, "partialFingerprints")["primaryLocationLineHash"] = "8d3f2b1c0a9e7d65:1"
	obj(r, "message")["text"] = "Unused variable bar."

	d := compare(t, logFrom(t, src), logFrom(t, head))
	if got := counts(d); got != [4]int{1, 1, 0, 1} {
		t.Fatalf("new/absent/updated/unchanged %v, want [1 1 0 1]", got)
	}
	gate := Gate{FailOn: FailOnNew}
	if n := len(gate.Failures(d)); n != 1 {
		t.Errorf("the gate counts %d new results, want 1", n)
	}

	// The same line hash with another occurrence count (an identical line
	// was added above) is no disagreement: the location pass pairs them.
	head = clone(t, src)
	obj(head, "runs", 0, "results", 0, "partialFingerprints")["primaryLocationLineHash"] = "39fa2ee980eb94b0:2"
	if got := counts(compare(t, logFrom(t, src), logFrom(t, head))); got != [4]int{0, 0, 0, 2} {
		t.Errorf("occurrence count changed: %v, want [0 0 0 2]", got)
	}
}

// sarif-sdk's baselining test data (elfie-arriba.sarif: five results of
// one rule in five files). When the only partial fingerprint the results
// share is constant across the run, it is no evidence: results that moved
// 100 lines, with other snippets and other messages, are all new and
// absent. (Before: all five "updated" by that constant key.) sarif-sdk's
// V2ResultMatcher_IgnoresConstantPartialFingerprint makes the same point.
func TestConstantPartialFingerprintIgnored(t *testing.T) {
	t.Parallel()
	src := jsonLog(t, "../testdata/diff/sarif-sdk-elfie-arriba.sarif")
	base, head := clone(t, src), clone(t, src)
	for side, l := range []map[string]any{base, head} {
		for i, r := range at(l, "runs", 0, "results").([]any) {
			rm := r.(map[string]any)
			rm["partialFingerprints"] = map[string]any{"Useless/v1": "Constant"}
			words := [2]string{"before", "after"}[side]
			obj(rm, "message")["text"] = fmt.Sprintf("finding %c %s", 'a'+i, words)
			region := obj(rm, "locations", 0, "physicalLocation", "region")
			obj(region, "snippet")["text"] = fmt.Sprintf("snippet %c %s", 'a'+i, words)
			if side == 1 {
				region["startLine"] = region["startLine"].(float64) + 100
			}
		}
	}
	if got := counts(compare(t, logFrom(t, base), logFrom(t, head))); got != [4]int{5, 5, 0, 0} {
		t.Errorf("new/absent/updated/unchanged %v, want [5 5 0 0]", got)
	}

	// A key that tells the results apart still pairs them.
	for _, l := range []map[string]any{base, head} {
		for i, r := range at(l, "runs", 0, "results").([]any) {
			obj(r, "partialFingerprints")["SecretHash/v1"] = fmt.Sprintf("hash-%d", i)
		}
	}
	if got := counts(compare(t, logFrom(t, base), logFrom(t, head))); got != [4]int{0, 0, 5, 0} {
		t.Errorf("with a distinct key: %v, want [0 0 5 0]", got)
	}
}

func TestInformativeKeys(t *testing.T) {
	t.Parallel()
	items := func(values ...string) []*Item {
		var out []*Item
		for i, v := range values {
			out = append(out, &Item{RuleID: "R", URI: fmt.Sprint("f", i), partial: prints{{"k", v}}})
		}
		return out
	}
	get := func(it *Item) prints { return it.partial }
	cases := []struct {
		base, head []string
		want       bool
	}{
		{[]string{"a"}, []string{"a"}, true},            // one use a side: nothing to tell
		{[]string{"a", "b"}, []string{"a", "b"}, true},  // all distinct
		{[]string{"c", "c"}, []string{"a", "b"}, false}, // constant in base
		{[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u"}, nil, true},
		{[]string{"0", "0", "0", "4", "4", "8", "0", "0", "4", "0"}, []string{"0", "4"}, false}, // CodeQL's start column
	}
	for _, c := range cases {
		got := informativeKeys(items(c.base...), items(c.head...), get)["k"]
		if got != c.want {
			t.Errorf("base %q head %q: informative %v, want %v", c.base, c.head, got, c.want)
		}
	}
}

func TestPrintsConflict(t *testing.T) {
	t.Parallel()
	p := func(kv ...string) prints {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return newPrints(m)
	}
	cases := []struct {
		a, b prints
		want bool
	}{
		{p("a", "1"), p("a", "1"), false},
		{p("a", "1"), p("a", "2"), true},
		{p("a", "1"), p("b", "2"), false}, // no shared key
		{p("a", "1", "b", "2"), p("b", "3", "c", "1"), true},
		{p("a", "1", "b", "2"), p("a", "1", "c", "1"), false},
		{p("primaryLocationLineHash", "abc:1"), p("primaryLocationLineHash", "abc:3"), false},
		{p("primaryLocationLineHash", "abc:1"), p("primaryLocationLineHash", "abd:1"), true},
		{nil, p("a", "1"), false},
	}
	for _, c := range cases {
		if got := c.a.conflicts(c.b); got != c.want {
			t.Errorf("%v conflicts %v: %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// result.fingerprints are a tool's identity for a result: two results
// whose shared fingerprint disagrees are different, whatever weaker
// evidence says (here: same rule, file, line and message).
func TestFingerprintVeto(t *testing.T) {
	t.Parallel()
	base := logOf(t, []string{
		result("R", "a.go", 10, "same", `,"fingerprints":{"id/v1":"one"}`),
		result("R", "a.go", 20, "other", `,"fingerprints":{"id/v1":"two"}`),
	}, nil)
	head := logOf(t, []string{
		result("R", "a.go", 10, "same", `,"fingerprints":{"id/v1":"three"}`),
		result("R", "a.go", 25, "other", `,"fingerprints":{"id/v1":"two","extra/v1":"x"}`),
	}, nil)
	d := compare(t, base, head)
	var got []string
	for _, m := range d.Matches {
		got = append(got, fmt.Sprint(m.State, " ", m.Pass, " ", m.Item().Location()))
	}
	want := "[new  a.go:10 updated fingerprint a.go:25 absent  a.go:10]"
	if fmt.Sprint(got) != want {
		t.Errorf("got %v\nwant %s", got, want)
	}
}

// The renamed-file pass needs the message to agree beside the snippet: a
// snippet may be as short as "err".
func TestRenamedFileNeedsMessage(t *testing.T) {
	t.Parallel()
	snippet := func(s string) string {
		return `,"locations":[{"physicalLocation":{"artifactLocation":{"uri":"%s"},"region":{"startLine":3,"snippet":{"text":"` + s + `"}}}}]`
	}
	res := func(uri, msg, snip string) string {
		return `{"ruleId":"R","message":{"text":"` + msg + `"}` + fmt.Sprintf(snippet(snip), uri) + `}`
	}
	base := logOf(t, []string{res("old.go", "error return value not checked", "err"), res("old.go", "kept", "x := 1")}, nil)
	head := logOf(t, []string{res("new.go", "possible nil dereference", "err"), res("new.go", "kept", "x := 1")}, nil)
	d := compare(t, base, head)
	if got := counts(d); got != [4]int{1, 1, 1, 0} {
		t.Errorf("new/absent/updated/unchanged %v, want [1 1 1 0]", got)
	}
	for _, m := range d.Matches {
		if m.State == StateUpdated && (m.Pass != PassRenamedFile || m.Head.Message != "kept") {
			t.Errorf("unexpected pair %s %s: %s", m.Pass, m.Head.Location(), m.Head.Message)
		}
	}
}
