package split

import (
	"strings"
	"testing"

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
