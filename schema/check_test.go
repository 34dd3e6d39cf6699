package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/sarifkit/sarifkit/internal/longtest"
)

// genericSchemas are the generic validator's compilation of the embedded
// schema, with region.anyOf in the result definition too: what the
// generated checker must agree with.
func genericSchemas(t testing.TB) (log, result *jsonschema.Schema, check *checker) {
	t.Helper()
	log, result, err := compileDoc(SchemaJSON())
	if err != nil {
		t.Fatal(err)
	}
	s, err := compileEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if s.check == nil {
		t.Fatal("the embedded schema has no generated checker")
	}
	return log, result, s.check
}

// agree reports where the checker and the generic validator judge a
// value differently.
func agree(t *testing.T, what string, s *jsonschema.Schema, check func(any) bool, v any) bool {
	t.Helper()
	want := s.Validate(v) == nil
	if got := check(v); got != want {
		b, _ := json.Marshal(v)
		if len(b) > 400 {
			b = append(b[:400], "..."...)
		}
		t.Errorf("%s: checker says valid=%v, generic validator %v, on %s", what, got, want, b)
		return false
	}
	return true
}

// resultsOf returns the results of a log, by run.
func resultsOf(doc any) [][]any {
	root, _ := doc.(map[string]any)
	runs, _ := root["runs"].([]any)
	var out [][]any
	for _, r := range runs {
		run, _ := r.(map[string]any)
		rs, _ := run["results"].([]any)
		out = append(out, rs)
	}
	return out
}

// The generated checker accepts exactly what the generic validator
// accepts, on every fixture and corpus file: the whole log and each of
// its results.
func TestCheckerAgreesOnFiles(t *testing.T) {
	t.Parallel()
	log, result, check := genericSchemas(t)
	var invalidLogs, invalidResults, results int
	for _, f := range jsonFiles(t) {
		if !agree(t, f.name, log, check.log, f.doc) {
			continue
		}
		if log.Validate(f.doc) != nil {
			invalidLogs++
		}
		for run, rs := range resultsOf(f.doc) {
			for i, r := range rs {
				results++
				if result.Validate(r) != nil {
					invalidResults++
				}
				agree(t, f.name+":"+resultPointer(run, i), result, check.result, r)
			}
		}
	}
	t.Logf("%d invalid logs; %d results, %d of them invalid", invalidLogs, results, invalidResults)
	// Both verdicts occur, or the comparison proves little.
	if invalidLogs < 10 || invalidResults < 10 || results < 1000 {
		t.Errorf("%d invalid logs, %d invalid results of %d: too few to compare", invalidLogs, invalidResults, results)
	}
}

// mutations are the values put in place of each value of a document:
// each JSON type, and the strings and numbers schemas tell apart.
func mutations() []any {
	return []any{nil, true, "x", "", "error", "file:///a b", "2020-01-01T00:00:00Z",
		json.Number("0"), json.Number("-1"), json.Number("1.5"), json.Number("2.0"), json.Number("101"),
		[]any{}, []any{"x", "x"}, []any{map[string]any{}}, map[string]any{}, map[string]any{"text": "x"}}
}

// each calls fn for every value inside v (not v itself) and for a
// member added to every object, with a setter that puts another value
// there; the document is restored after each call.
func each(v any, fn func(set func(any))) {
	switch c := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(c))
		for k := range c {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			orig := c[k]
			fn(func(x any) { c[k] = x })
			c[k] = orig
			each(orig, fn)
		}
		fn(func(x any) { c["zzUnknown"] = x })
		delete(c, "zzUnknown")
	case []any:
		for i := range c {
			orig := c[i]
			fn(func(x any) { c[i] = x })
			c[i] = orig
			each(orig, fn)
		}
	}
}

// clone deep-copies a JSON tree.
func clone(v any) any {
	switch c := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(c))
		for k, x := range c {
			m[k] = clone(x)
		}
		return m
	case []any:
		a := make([]any, len(c))
		for i, x := range c {
			a[i] = clone(x)
		}
		return a
	}
	return v
}

// The checker agrees with the generic validator on every value of the
// fixtures replaced by each of a set of values of every type: every
// keyword on the paths the fixtures reach is exercised, both ways. Each
// file's run skeleton (the runs without their results) is mutated as a
// log, and a few of its results as results.
//
// That is 10^5 comparisons, 25 s on two cores: they all run with
// SARIFKIT_LONG_TESTS=1 (package internal/longtest), as CI runs them. By
// default every value is still replaced, by every 9th mutation in turn
// (about 11,000 comparisons), so that each value meets one or two of the
// mutations and each mutation about a ninth of the values; -short skips
// the test.
func TestCheckerAgreesOnMutations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("10^5 comparisons; go test without -short runs a ninth of them, SARIFKIT_LONG_TESTS=1 all")
	}
	log, result, check := genericSchemas(t)
	// Of the mutations in turn, one in every stride is compared: the 17
	// mutations and a stride of 9 have no common divisor, so the
	// mutations a value meets change from one value to the next.
	stride := longtest.Size(9, 1)
	compared, turn := 0, 0
	for _, f := range jsonFiles(t) {
		doc := clone(f.doc)
		var sample []any
		root, _ := doc.(map[string]any)
		runs, _ := root["runs"].([]any)
		for _, r := range runs {
			run, _ := r.(map[string]any)
			rs, _ := run["results"].([]any)
			for i := 0; i < len(rs) && len(sample) < 6; i += 1 + len(rs)/3 {
				sample = append(sample, rs[i])
			}
			if len(rs) > 0 {
				run["results"] = []any{}
			}
		}
		if b, _ := json.Marshal(doc); len(b) > 64<<10 {
			continue // a large skeleton (a rule catalogue) costs much and adds little
		}
		mutate := func(what string, s *jsonschema.Schema, check func(any) bool, v any) {
			n := 0
			each(v, func(set func(any)) {
				for _, m := range mutations() {
					turn++
					if turn%stride != 0 {
						continue
					}
					set(clone(m))
					if !agree(t, f.name+": "+what+" mutation "+strconv.Itoa(n), s, check, v) {
						return
					}
					n++
				}
			})
			compared += n
		}
		mutate("log", log, check.log, doc)
		for i, r := range sample {
			mutate("result "+strconv.Itoa(i), result, check.result, r)
		}
	}
	t.Logf("%d mutations compared", compared)
	if compared < 10000 {
		t.Errorf("only %d mutations compared", compared)
	}
}

// Validation with the generated checker gives exactly the findings of
// the generic validator alone, with every option, on every fixture and
// corpus file.
func TestCheckerKeepsFindings(t *testing.T) {
	t.Parallel()
	for _, opts := range []*Options{nil, {GitHub: true, CheckoutURI: "file:///repo"}, {Strict: true}} {
		fast, generic := newValidator(t, opts), newValidator(t, opts)
		generic.generic = true
		for _, f := range jsonFiles(t) {
			a, errA := fast.ValidateFile(t.Context(), f.path)
			b, errB := generic.ValidateFile(t.Context(), f.path)
			if !reflect.DeepEqual(a, b) || (errA == nil) != (errB == nil) {
				t.Errorf("%s (%+v): with the checker %v, %v; generic %v, %v", f.name, opts, a, errA, b, errB)
			}
		}
	}
}

// The checker and the generic validator agree on any JSON document, as a
// log and as each of its results.
func FuzzChecker(f *testing.F) {
	for _, file := range fuzzSeeds() {
		f.Add(file)
	}
	log, result, check := genericSchemas(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) != nil {
			return
		}
		agree(t, "log", log, check.log, doc)
		for _, rs := range resultsOf(doc) {
			for _, r := range rs {
				agree(t, "result", result, check.result, r)
			}
		}
	})
}

// uniqueItems on arrays past the size where the checker hashes: JSON
// equality, numbers by value and members in any order.
func TestCheckerUniqueItems(t *testing.T) {
	t.Parallel()
	c := jsonschema.NewCompiler()
	if err := c.AddResource("u.json", bytes.NewReader([]byte(`{"uniqueItems": true}`))); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("u.json")
	if err != nil {
		t.Fatal(err)
	}
	check := newChecker()
	for _, n := range []int{3, 40} {
		base := func() []any {
			var a []any
			for i := range n {
				a = append(a, map[string]any{"i": json.Number(strconv.Itoa(i)), "s": "v"})
			}
			return a
		}
		for _, dup := range []any{
			json.Number("2.0"), json.Number("2"), json.Number("20e-1"), "2",
			map[string]any{"s": "v", "i": json.Number("1")}, map[string]any{"i": json.Number("1.0"), "s": "v"},
			map[string]any{"i": json.Number("1")}, []any{nil}, nil, false,
		} {
			a := append(base(), json.Number("2"), []any{nil}, false, dup)
			agree(t, "uniqueItems "+strconv.Itoa(n), s, func(v any) bool { return check.unique(v.([]any)) }, a)
		}
	}
}

// A log whose references are too many to keep in memory has them
// written to a temporary file and read back, with the same findings, on
// every fixture and corpus file under every option, from a file and
// from a stream.
func TestSpilledReferencesKeepFindings(t *testing.T) {
	t.Parallel()
	spilled := 0
	for _, opts := range []*Options{nil, {GitHub: true, CheckoutURI: "file:///repo"}, {GitHub: true}} {
		memory, spill := newValidator(t, opts), newValidator(t, opts)
		spill.keep = 1
		for _, f := range jsonFiles(t) {
			a, errA := memory.ValidateFile(t.Context(), f.path)
			b, errB := spill.ValidateFile(t.Context(), f.path)
			if !reflect.DeepEqual(a, b) || (errA == nil) != (errB == nil) {
				t.Errorf("%s (%+v): in memory %v, %v; spilled %v, %v", f.name, opts, a, errA, b, errB)
			}
			data, err := os.ReadFile(f.path)
			if err != nil {
				t.Fatal(err)
			}
			a, errA = memory.ValidateReader(t.Context(), bytes.NewReader(data), f.name)
			b, errB = spill.ValidateReader(t.Context(), bytes.NewReader(data), f.name)
			if !reflect.DeepEqual(a, b) || (errA == nil) != (errB == nil) {
				t.Errorf("%s (%+v), as a stream: in memory %v, %v; spilled %v, %v", f.name, opts, a, errA, b, errB)
			}
			if rs := resultsOf(f.doc); len(rs) > 0 && len(rs[0]) > 1 {
				spilled++
			}
		}
	}
	if spilled < 30 {
		t.Errorf("only %d validations spilled references", spilled)
	}
}
