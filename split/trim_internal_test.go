package split

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/sarif"
)

// flowsText writes a result whose code flows hold thread flows whose
// steps are named: [][][]string{{{"a","b"}},{{"c"}}} is two code flows of
// one thread flow each.
func flowsText(flows [][][]string) string {
	var b strings.Builder
	b.WriteString(`{"message":{"text":"m"},"codeFlows":[`)
	for c, cf := range flows {
		if c > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"threadFlows":[`)
		for t, tf := range cf {
			if t > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"locations":[`)
			for s, step := range tf {
				if s > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"module":"` + step + `"}`)
			}
			b.WriteString(`]}`)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`],"properties":{"locations":[1,2,3]}}`)
	return b.String()
}

// TestTrimFlowsByHand checks which steps are kept, on small budgets
// where the answer was worked out by hand from the rule in Trimmer's
// documentation.
func TestTrimFlowsByHand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		budget int
		in     [][][]string
		want   [][][]string // nil: unchanged
	}{
		{
			name: "whole flows, then the middle of the first that does not fit, later flows dropped", budget: 5,
			// 2 fit (3 left); 4 do not: first 2 and last 1; g dropped.
			in:   [][][]string{{{"a", "b"}}, {{"c", "d", "e", "f"}}, {{"g"}}},
			want: [][][]string{{{"a", "b"}}, {{"c", "d", "f"}}},
		},
		{
			name: "budget used up by whole flows", budget: 5,
			in:   [][][]string{{{"a", "b", "c"}}, {{"d", "e"}}, {{"f"}}},
			want: [][][]string{{{"a", "b", "c"}}, {{"d", "e"}}},
		},
		{
			name: "thread flows of one code flow", budget: 5,
			// tf0 fits (3 left); tf1 of 4: c, d and f; tf2 dropped.
			in:   [][][]string{{{"a", "b"}, {"c", "d", "e", "f"}, {"g"}}},
			want: [][][]string{{{"a", "b"}, {"c", "d", "f"}}},
		},
		{
			name: "budget used up by whole thread flows", budget: 5,
			in:   [][][]string{{{"a", "b", "c", "d", "e"}, {"f"}}, {{"g"}}},
			want: [][][]string{{{"a", "b", "c", "d", "e"}}},
		},
		{
			name: "one step kept is the first", budget: 1,
			in:   [][][]string{{{"a", "b", "c"}}, {{"d"}}},
			want: [][][]string{{{"a"}}},
		},
		{
			name: "two steps kept are the source and the sink", budget: 2,
			in:   [][][]string{{{"a", "b", "c", "d"}}},
			want: [][][]string{{{"a", "d"}}},
		},
		{
			name: "an even budget splits evenly", budget: 4,
			in:   [][][]string{{{"a", "b", "c", "d", "e", "f", "g"}}},
			want: [][][]string{{{"a", "b", "f", "g"}}},
		},
		{
			name: "an odd budget keeps one more at the start", budget: 5,
			in:   [][][]string{{{"a", "b", "c", "d", "e", "f", "g"}}},
			want: [][][]string{{{"a", "b", "c", "f", "g"}}},
		},
		{
			name: "at the budget: unchanged", budget: 5,
			in: [][][]string{{{"a", "b"}, {"c"}}, {{"d", "e"}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &Trimmer{limits: Limits{Locations: 1000, ThreadFlowLocations: tc.budget}}
			in := sarif.Result(flowsText(tc.in))
			got, trims, err := tr.Result(7, in)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if &got[0] != &in[0] || len(trims) != 0 {
					t.Errorf("got %s, trims %v; want the result itself and no trims", got, trims)
				}
				return
			}
			if want := flowsText(tc.want); string(got) != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			n := 0
			for _, cf := range tc.in {
				for _, tf := range cf {
					n += len(tf)
				}
			}
			want := Trim{Kind: TrimThreadFlowLocations, Result: 7, Pointer: "/runs/0/results/7/codeFlows", Before: n, After: tc.budget}
			if len(trims) != 1 || trims[0] != want {
				t.Errorf("trims %v, want [%v]", trims, want)
			}
		})
	}
}

func TestTrimLocationsByHand(t *testing.T) {
	tr := &Trimmer{run: 3, limits: Limits{Locations: 2, ThreadFlowLocations: 10}}
	in := sarif.Result(`{"locations":[{"id":0},{"id":1},{"id":2,"message":{"text":"]"}}],"properties":{"locations":[1,2,3]},"relatedLocations":[{"id":0},{"id":1},{"id":2}]}`)
	got, trims, err := tr.Result(4, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"locations":[{"id":0},{"id":1}],"properties":{"locations":[1,2,3]},"relatedLocations":[{"id":0},{"id":1},{"id":2}]}`; string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	want := Trim{Kind: TrimLocations, Run: 3, Result: 4, Pointer: "/runs/3/results/4/locations", Before: 3, After: 2}
	if len(trims) != 1 || trims[0] != want {
		t.Errorf("trims %v, want [%v]", trims, want)
	}
}

func TestLimitsEffective(t *testing.T) {
	for _, tc := range []struct{ in, want Limits }{
		{Limits{}, Limits{1000, 10000, 20}},
		{Limits{1, 1, 1}, Limits{100, 1000, 10}},
		{Limits{500, 5000, 15}, Limits{500, 5000, 15}},
		{Limits{5000, 50000, 50}, Limits{1000, 10000, 20}},
	} {
		if got := tc.in.effective(); got != tc.want {
			t.Errorf("%+v.effective() = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// TestTrimFlowsProperties checks the trimming rule on many random shapes
// of code flows: exactly the budget is kept, in order, from the first
// step on; no code flow or thread flow is emptied; the last step of a
// cut thread flow is kept when two or more of its steps are; a second
// trim changes nothing.
func TestTrimFlowsProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var in [][][]string
		n := 0
		for range 1 + rng.IntN(4) {
			var cf [][]string
			for range 1 + rng.IntN(3) {
				var tf []string
				for range 1 + rng.IntN(6) {
					tf = append(tf, "s"+strconv.Itoa(n))
					n++
				}
				cf = append(cf, tf)
			}
			in = append(in, cf)
		}
		budget := 1 + rng.IntN(n+2)
		tr := &Trimmer{limits: Limits{Locations: 1000, ThreadFlowLocations: budget}}
		out, _, err := tr.Result(0, sarif.Result(flowsText(in)))
		if err != nil {
			t.Fatal(err)
		}
		var got [][][]string
		var doc struct {
			CodeFlows []struct {
				ThreadFlows []struct {
					Locations []struct{ Module string }
				}
			}
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var steps []string
		for _, cf := range doc.CodeFlows {
			var c [][]string
			for _, tf := range cf.ThreadFlows {
				var f []string
				for _, s := range tf.Locations {
					f = append(f, s.Module)
				}
				if len(f) == 0 {
					t.Fatalf("%v, budget %d: a thread flow emptied: %s", in, budget, out)
				}
				steps = append(steps, f...)
				c = append(c, f)
			}
			if len(c) == 0 {
				t.Fatalf("%v, budget %d: a code flow emptied: %s", in, budget, out)
			}
			got = append(got, c)
		}
		if len(steps) != min(n, budget) || steps[0] != "s0" {
			t.Fatalf("%v, budget %d: kept %v", in, budget, got)
		}
		for k := 1; k < len(steps); k++ {
			a, _ := strconv.Atoi(steps[k-1][1:])
			b, _ := strconv.Atoi(steps[k][1:])
			if b <= a {
				t.Fatalf("%v, budget %d: out of order: %v", in, budget, got)
			}
		}
		// The thread flow that was cut (the last one kept) ends with its
		// own last step when it kept two or more.
		last := got[len(got)-1]
		lastTF := last[len(last)-1]
		orig := in[len(got)-1][len(last)-1]
		if len(lastTF) >= 2 && lastTF[len(lastTF)-1] != orig[len(orig)-1] {
			t.Fatalf("%v, budget %d: the sink was lost: %v", in, budget, got)
		}
		again, trims, err := tr.Result(0, out)
		if err != nil || !bytes.Equal(again, out) || len(trims) != 0 {
			t.Fatalf("a second trim changed %s to %s (%v)", out, again, trims)
		}
	}
}

// FuzzTrimmer trims any JSON object to small limits, with one run-level
// thread-flow location to inline: the output must be JSON, and trimming
// it again must change nothing but what a second pass may still cut.
func FuzzTrimmer(f *testing.F) {
	for _, seed := range []string{
		flowsText([][][]string{{{"a", "b", "c"}, {"d"}}, {{"e", "f"}}}),
		`{"locations":[1,{},[],"x"],"codeFlows":[1,"x",{"threadFlows":{}},{"threadFlows":[{"locations":[{"index":0},{"index":-1},{"index":"0"},{"index":2e0,"properties":{}}]}]}]}`,
		`{"codeFlows":[{"threadFlows":[{"locations":[{"index":0,"properties":{"a":1,"b":{"c":[]}}},{"ind\u0065x":0}]}]}]}`,
		`{"locations":{},"codeFlows":{}}`,
	} {
		f.Add([]byte(seed))
	}
	l, err := sarif.Read(f.Context(), strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"threadFlowLocations":[{"location":{"message":{"text":"s"}},"properties":{"a":"shared","z":1}}],"results":[]}]}`), "fuzz", nil)
	if err != nil {
		f.Fatal(err)
	}
	base, err := NewTrimmer(l.Runs[0], 0, Limits{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var buf bytes.Buffer
		if !utf8.Valid(data) || json.Compact(&buf, data) != nil || buf.Len() == 0 || buf.Bytes()[0] != '{' {
			return
		}
		tr := &Trimmer{limits: Limits{Locations: 2, ThreadFlowLocations: 3}, shared: base.shared}
		out, _, err := tr.Result(0, sarif.Result(buf.Bytes()))
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("not JSON: %s\nfrom %s", out, buf.Bytes())
		}
		again, _, err := tr.Result(0, out)
		if err != nil || !json.Valid(again) {
			t.Fatalf("second trim: %v %s", err, again)
		}
	})
}

// TestTrimFlowsByImportance checks that a thread flow over the budget
// loses its unimportant steps first, then its important ones (the
// default), and keeps its essential ones, source and sink kept; an
// importance read from the run's threadFlowLocations for a step that
// refers to one.
func TestTrimFlowsByImportance(t *testing.T) {
	t.Parallel()
	step := func(m, imp string) string {
		if imp == "" {
			return `{"module":"` + m + `"}`
		}
		return `{"module":"` + m + `","importance":"` + imp + `"}`
	}
	text := func(steps ...string) string {
		return `{"message":{"text":"m"},"codeFlows":[{"threadFlows":[{"locations":[` + strings.Join(steps, ",") + `]}]}]}`
	}
	for _, tc := range []struct {
		name   string
		budget int
		in     []string
		want   []string
	}{
		{"unimportant first", 4,
			[]string{step("a", "unimportant"), step("b", ""), step("c", "unimportant"), step("d", "essential"), step("e", "unimportant"), step("f", "")},
			[]string{step("a", "unimportant"), step("b", ""), step("d", "essential"), step("f", "")}},
		{"then important, essential kept", 3,
			[]string{step("a", ""), step("b", "important"), step("c", "essential"), step("d", ""), step("e", "unimportant"), step("f", "")},
			[]string{step("a", ""), step("c", "essential"), step("f", "")}},
		{"the middle of the unimportant", 5,
			[]string{step("a", ""), step("b", "unimportant"), step("c", "unimportant"), step("d", "unimportant"), step("e", "unimportant"), step("f", ""), step("g", "")},
			[]string{step("a", ""), step("b", "unimportant"), step("e", "unimportant"), step("f", ""), step("g", "")}},
		{"essential over the budget: their middle", 3,
			[]string{step("a", "essential"), step("b", "essential"), step("c", "essential"), step("d", "essential"), step("e", "unimportant")},
			[]string{step("a", "essential"), step("b", "essential"), step("e", "unimportant")}},
		{"referred importance", 2,
			[]string{step("a", ""), `{"index":0}`, step("c", ""), step("d", "")},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &Trimmer{limits: Limits{Locations: 1000, ThreadFlowLocations: tc.budget}}
			if tc.want == nil {
				// The step referring to an essential shared location
				// and the sink are kept over c, an important one.
				tc.budget = 3
				tr.limits.ThreadFlowLocations = 3
				sh := []byte(`{"importance":"essential","module":"s"}`)
				shared := &sharedTFL{text: sh}
				eachMember(sh, span{0, len(sh)}, func(m memberSpan) bool {
					shared.all = append(shared.all, m)
					return true
				})
				tr.shared = []*sharedTFL{shared}
				tc.want = []string{step("a", ""), `{"importance":"essential","module":"s"}`, step("d", "")}
			}
			got, _, err := tr.Result(0, sarif.Result(text(tc.in...)))
			if err != nil {
				t.Fatal(err)
			}
			if want := text(tc.want...); string(got) != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}
