package split_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
	"github.com/sarifkit/sarifkit/split"
)

// shared is a run-level thread-flow location with a member of every
// sort: an object, an array, a string, numbers written as a tool wrote
// them, a property bag and a member no model field holds.
const shared = `{"location":{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},"region":{"startLine":3}}},"kinds":["source"],"importance":"essential","properties":{"p":1,"q":2.50},"x-vendor":1e2,"executionOrder":3}`

// logText returns a log of one run of tool "t" with the given
// threadFlowLocations and results (JSON text of their elements).
func logText(shared []string, results ...string) string {
	tfls := ""
	if shared != nil {
		tfls = `"threadFlowLocations":[` + strings.Join(shared, ",") + `],`
	}
	return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},` + tfls + `"results":[` + strings.Join(results, ",") + `]}]}`
}

// flow is a result whose one thread flow has the given steps.
func flow(steps ...string) string {
	return `{"message":{"text":"m"},"codeFlows":[{"threadFlows":[{"locations":[` + strings.Join(steps, ",") + `]}]}]}`
}

func trimmed(t *testing.T, log string, limits split.Limits) (in, out sarif.Result, trims []split.Trim) {
	t.Helper()
	run := sariftest.Parse(t, log).Runs[0]
	tr, err := split.NewTrimmer(run, 0, limits)
	if err != nil {
		t.Fatal(err)
	}
	in, err = run.Result(0)
	if err != nil {
		t.Fatal(err)
	}
	out, trims, err = tr.Result(0, in)
	if err != nil {
		t.Fatal(err)
	}
	return in, out, trims
}

func same(a, b sarif.Result) bool { return len(a) > 0 && len(a) == len(b) && &a[0] == &b[0] }

func TestInline(t *testing.T) {
	t.Parallel()
	// The first step has members of its own, which win (importance,
	// executionOrder), and a property bag merged with the shared one's
	// (its q wins); the second is a bare reference. Added members come
	// after the local ones, in the order the run's object is written;
	// numbers keep their text (2.50, 1e2).
	_, out, trims := trimmed(t, logText([]string{shared}, flow(
		`{"index":0,"importance":"unimportant","properties":{"q":"local"},"executionOrder":7}`,
		`{"index":0}`)), split.Limits{})
	want := flow(
		`{"importance":"unimportant","properties":{"q":"local","p":1},"executionOrder":7,"kinds":["source"],"location":{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},"region":{"startLine":3}}},"x-vendor":1e2}`,
		`{"executionOrder":3,"importance":"essential","kinds":["source"],"location":{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},"region":{"startLine":3}}},"properties":{"p":1,"q":2.50},"x-vendor":1e2}`)
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	wantTrims := []split.Trim{{Kind: split.InlineThreadFlowLocations, Result: 0, Pointer: "/runs/0/results/0/codeFlows", Before: 2}}
	if !slices.Equal(trims, wantTrims) {
		t.Errorf("trims %v, want %v", trims, wantTrims)
	}
	// Keys are compared as the names they spell: "\u0070" is "p", and
	// "kind\u0073" is "kinds".
	_, out, _ = trimmed(t, logText([]string{shared}, flow(`{"index":0,"properties":{"\u0070":"local"},"kind\u0073":[]}`)), split.Limits{})
	want = flow(`{"properties":{"\u0070":"local","q":2.50},"kind\u0073":[],"executionOrder":3,"importance":"essential","location":{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},"region":{"startLine":3}}},"x-vendor":1e2}`)
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestInlineLeavesNonReferences(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, step string
		dangling   int
	}{
		{"index -1 is no reference", `{"index":-1,"module":"m"}`, 0},
		{"index past the end", `{"index":1,"module":"m"}`, 1},
		{"negative index", `{"index":-2}`, 1},
		{"index not a number", `{"index":"0"}`, 1},
		{"index not an integer", `{"index":0.5}`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, out, trims := trimmed(t, logText([]string{shared}, flow(`{"module":"first"}`, tc.step)), split.Limits{})
			if !same(in, out) {
				t.Errorf("got\n%s\nwant the result itself", out)
			}
			var want []split.Trim
			if tc.dangling > 0 {
				want = []split.Trim{{Kind: split.DanglingThreadFlowLocations, Pointer: "/runs/0/results/0/codeFlows", Before: 1, After: 1}}
			}
			if !slices.Equal(trims, want) {
				t.Errorf("trims %v, want %v", trims, want)
			}
		})
	}
	// Without run.threadFlowLocations at all, every index dangles.
	in, out, trims := trimmed(t, logText(nil, flow(`{"index":0}`, `{"index":3}`)), split.Limits{})
	want := []split.Trim{{Kind: split.DanglingThreadFlowLocations, Pointer: "/runs/0/results/0/codeFlows", Before: 2, After: 2}}
	if !same(in, out) || !slices.Equal(trims, want) {
		t.Errorf("got %s, %v; want the result itself and %v", out, trims, want)
	}
}

// bigResult writes a result with nloc locations and code flows of the
// given numbers of steps (one thread flow each); step k of the whole
// result has module "s<k>", and refers to run.threadFlowLocations[0]
// when ref is true (else its artifactLocation has an index, which is no
// thread-flow location's). Its property bag holds arrays named locations,
// codeFlows and tags longer than any limit.
func bigResult(nloc int, ref bool, flows ...int) string {
	var b strings.Builder
	b.WriteString(`{"ruleId":"r","message":{"text":"m"},"locations":[`)
	for i := range nloc {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"physicalLocation":{"artifactLocation":{"uri":"src/f%d.c"},"region":{"startLine":%d}}}`, i, i+1)
	}
	b.WriteString(`]`)
	k := 0
	if len(flows) > 0 {
		b.WriteString(`,"codeFlows":[`)
		for c, n := range flows {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"threadFlows":[{"locations":[`)
			for s := range n {
				if s > 0 {
					b.WriteByte(',')
				}
				if ref {
					fmt.Fprintf(&b, `{"index":0,"module":"s%d"}`, k)
				} else {
					fmt.Fprintf(&b, `{"module":"s%d","location":{"physicalLocation":{"artifactLocation":{"uri":"src/g.c","index":0},"region":{"startLine":%d,"startColumn":5,"endColumn":17}},"message":{"text":"step %d"}}}`, k, k+1, k)
				}
				k++
			}
			b.WriteString(`]}]}`)
		}
		b.WriteString(`]`)
	}
	b.WriteString(`,"properties":{"locations":` + names("x", 1500) + `,"codeFlows":` + names("x", 1500) + `,"tags":` + names("x", 1500) + `}}`)
	return b.String()
}

func TestUnderTheLimitsUnchanged(t *testing.T) {
	t.Parallel()
	// At every maximum, and with long arrays in the property bag.
	in, out, trims := trimmed(t, logText(nil, bigResult(1000, false, 4000, 6000)), split.Limits{})
	if !same(in, out) || len(trims) != 0 {
		t.Errorf("got trims %v and a result of %d bytes (of %d); want the result itself", trims, len(out), len(in))
	}
}

func TestTrimBigResult(t *testing.T) {
	t.Parallel()
	// 1,500 locations; 12,000 steps in three code flows of 3,000, 6,000
	// and 3,000: the first two are kept whole (9,000), the third keeps its
	// first 500 and last 500 steps.
	in, out, trims := trimmed(t, logText(nil, bigResult(1500, false, 3000, 6000, 3000)), split.Limits{})
	want := []split.Trim{
		{Kind: split.TrimLocations, Pointer: "/runs/0/results/0/locations", Before: 1500, After: 1000},
		{Kind: split.TrimThreadFlowLocations, Pointer: "/runs/0/results/0/codeFlows", Before: 12000, After: 10000},
	}
	if !slices.Equal(trims, want) {
		t.Errorf("trims %v, want %v", trims, want)
	}
	res, err := out.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Locations); n != 1000 || *res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "src/f0.c" || *res.Locations[999].PhysicalLocation.ArtifactLocation.URI != "src/f999.c" {
		t.Errorf("%d locations kept, want the first 1000", n)
	}
	var steps []string
	for _, cf := range res.CodeFlows {
		var n int
		for _, tf := range cf.ThreadFlows {
			for _, s := range tf.Locations {
				steps = append(steps, *s.Module)
				n++
			}
		}
		if n == 0 {
			t.Error("a code flow was emptied")
		}
	}
	var wantSteps []string
	for k := range 12000 {
		if k < 9500 || k >= 11500 {
			wantSteps = append(wantSteps, "s"+strconv.Itoa(k))
		}
	}
	if len(res.CodeFlows) != 3 || !slices.Equal(steps, wantSteps) {
		t.Errorf("%d code flows, steps %d; want 3 and s0-s9499, s11500-s11999", len(res.CodeFlows), len(steps))
	}
	// The property bag is the same text.
	if !bytes.Equal(in.Member("properties"), out.Member("properties")) {
		t.Error("the property bag changed")
	}
	// Trimming to what GitHub keeps.
	_, out, trims = trimmed(t, logText(nil, bigResult(1500, false, 3000, 6000, 3000)), split.Limits{Locations: 1, ThreadFlowLocations: 1000})
	want = []split.Trim{
		{Kind: split.TrimLocations, Pointer: "/runs/0/results/0/locations", Before: 1500, After: 100},
		{Kind: split.TrimThreadFlowLocations, Pointer: "/runs/0/results/0/codeFlows", Before: 12000, After: 1000},
	}
	if !slices.Equal(trims, want) {
		t.Errorf("trims %v, want %v", trims, want)
	}
	if res, err = out.Decode(); err != nil || len(res.Locations) != 100 || len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows[0].Locations) != 1000 {
		t.Errorf("trimmed to GitHub's kept numbers: %v", err)
	}
}

// names returns a JSON array of n distinct strings.
func names(prefix string, n int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%s%d"`, prefix, i)
	}
	b.WriteByte(']')
	return b.String()
}

// bigLog is a log over every per-result and per-rule limit GitHub has,
// with thread-flow locations that refer to run.threadFlowLocations.
func bigLog() string {
	return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"r","properties":{"tags":` + names("t", 25) + `,"precision":"high"}}]},` +
		`"extensions":[{"name":"e","rules":[{"id":"x1","properties":{"tags":["a","b"]}},{"id":"x2","properties":{"tags":` + names("t", 26) + `}}]}]},` +
		// x-vendor is not a member the schema allows.
		`"threadFlowLocations":[` + strings.Replace(shared, `,"x-vendor":1e2`, "", 1) + `],"results":[` +
		bigResult(1500, false) + `,` + bigResult(1, true, 7000, 5000) + `,` + bigResult(1, false, 10) + `]}]}`
}

func TestTrimRunGitHubAccepts(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	v, err := schema.New(&schema.Options{GitHub: true})
	if err != nil {
		t.Fatal(err)
	}
	blocked := func(data []byte) []string {
		t.Helper()
		fs, err := v.ValidateBytes(ctx, data, "log")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range fs {
			if f.Severity == schema.SeverityError {
				ids = append(ids, f.Pointer+" "+f.ID)
			}
		}
		return ids
	}
	text := bigLog()
	wantBefore := []string{
		"/runs/0/results/0/locations github/too-many-locations",
		"/runs/0/results/1/codeFlows github/too-many-thread-flow-locations",
		"/runs/0/tool/driver/rules/0/properties/tags github/too-many-tags",
		"/runs/0/tool/extensions/0/rules/1/properties/tags github/too-many-tags",
	}
	if got := blocked([]byte(text)); !slices.Equal(got, wantBefore) {
		t.Fatalf("before trimming: %q, want %q", got, wantBefore)
	}
	name := filepath.Join(t.TempDir(), "big.sarif")
	if err := os.WriteFile(name, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
	var outs [][]byte
	for _, onDisk := range []bool{false, true} {
		l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{ResultsOnDisk: onDisk})
		if err != nil {
			t.Fatal(err)
		}
		trims, err := split.TrimRun(ctx, l.Runs[0], 0, split.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		want := []split.Trim{
			{Kind: split.TrimTags, Result: -1, Rule: "r", Pointer: "/runs/0/tool/driver/rules/0/properties/tags", Before: 25, After: 20},
			{Kind: split.TrimTags, Result: -1, Rule: "x2", Pointer: "/runs/0/tool/extensions/0/rules/1/properties/tags", Before: 26, After: 20},
			{Kind: split.TrimLocations, Result: 0, Pointer: "/runs/0/results/0/locations", Before: 1500, After: 1000},
			{Kind: split.TrimThreadFlowLocations, Result: 1, Pointer: "/runs/0/results/1/codeFlows", Before: 12000, After: 10000},
			{Kind: split.InlineThreadFlowLocations, Result: 1, Pointer: "/runs/0/results/1/codeFlows", Before: 10000},
		}
		if !slices.Equal(trims, want) {
			t.Errorf("on disk %v: trims\n%v\nwant\n%v", onDisk, trims, want)
		}
		out := sariftest.Write(t, l)
		l.Close()
		if got := blocked(out); len(got) != 0 {
			t.Errorf("on disk %v: after trimming GitHub would reject: %q", onDisk, got)
		}
		outs = append(outs, out)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("results in memory and on disk are trimmed differently")
	}
	l := sariftest.Parse(t, string(outs[0]))
	res := sariftest.Results(t, l.Runs[0])
	for _, cf := range res[1].CodeFlows {
		for _, tf := range cf.ThreadFlows {
			for k, s := range tf.Locations {
				if s.Index != nil || s.Location == nil || *s.Location.PhysicalLocation.ArtifactLocation.URI != "src/a.c" {
					t.Fatalf("step %d not inlined", k)
				}
			}
		}
	}
	// Trimmed to what GitHub keeps, the log draws no finding about these
	// limits at all, not even that GitHub would cut it.
	kept := sariftest.Parse(t, text)
	if _, err := split.TrimRun(ctx, kept.Runs[0], 0, split.Limits{Locations: 100, ThreadFlowLocations: 1000, Tags: 10}); err != nil {
		t.Fatal(err)
	}
	fs, err := v.ValidateBytes(ctx, sariftest.Write(t, kept), "kept")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if strings.Contains(f.ID, "locations") || strings.Contains(f.ID, "tags") {
			t.Errorf("trimmed to GitHub's kept numbers: %s %s", f.Pointer, f.ID)
		}
	}
	// Nothing refers to run.threadFlowLocations any more: pruning drops
	// it.
	if pruned, err := sariftest.Parse(t, string(outs[0])).Runs[0].Prune(ctx); err != nil || pruned.ThreadFlowLocations != 1 {
		t.Errorf("pruning dropped %d thread-flow locations (%v), want 1", pruned.ThreadFlowLocations, err)
	}
	// The rest as it was: the third result, the rules' other members.
	in := sariftest.Parse(t, text)
	inRes := sariftest.Texts(t, in.Runs[0])
	if got := sariftest.Texts(t, l.Runs[0]); !bytes.Equal(got[2], inRes[2]) {
		t.Errorf("a result under the limits changed:\n%s\nwas\n%s", got[2], inRes[2])
	}
	driver := l.Runs[0].Model.Tool.Driver
	if p := driver.Rules[0].Properties; p["precision"] != "high" || len(sarif.Tags(driver.Rules[0])) != 20 {
		t.Errorf("rule properties %v", p)
	}
	if tags := sarif.Tags(l.Runs[0].Model.Tool.Extensions[0].Rules[0]); !slices.Equal(tags, []string{"a", "b"}) {
		t.Errorf("tags of a rule under the limit: %q", tags)
	}
}

func TestTrimString(t *testing.T) {
	for _, tc := range []struct {
		trim split.Trim
		want string
	}{
		{split.Trim{Kind: split.TrimLocations, Pointer: "/runs/0/results/4/locations", Before: 1500, After: 1000},
			"/runs/0/results/4/locations: 1500 locations trimmed to 1000"},
		{split.Trim{Kind: split.TrimThreadFlowLocations, Pointer: "/runs/1/results/0/codeFlows", Before: 12000, After: 10000},
			"/runs/1/results/0/codeFlows: 12000 thread-flow locations trimmed to 10000"},
		{split.Trim{Kind: split.TrimTags, Rule: "js/xss", Pointer: "/runs/0/tool/driver/rules/3/properties/tags", Before: 25, After: 20},
			`/runs/0/tool/driver/rules/3/properties/tags: rule "js/xss": 25 tags trimmed to 20`},
		{split.Trim{Kind: split.InlineThreadFlowLocations, Pointer: "/runs/0/results/2/codeFlows", Before: 7},
			"/runs/0/results/2/codeFlows: 7 thread-flow locations referring to run.threadFlowLocations inlined"},
		{split.Trim{Kind: split.InlineThreadFlowLocations, Pointer: "/runs/0/results/2/codeFlows", Before: 1},
			"/runs/0/results/2/codeFlows: 1 thread-flow location referring to run.threadFlowLocations inlined"},
		{split.Trim{Kind: split.DanglingThreadFlowLocations, Pointer: "/runs/0/results/2/codeFlows", Before: 2, After: 2},
			"/runs/0/results/2/codeFlows: 2 thread-flow locations with an index out of range of run.threadFlowLocations, left as they are"},
	} {
		if got := tc.trim.String(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// BenchmarkTrimRun100k trims a generated 100k-result log (about 58 MB,
// CodeQL-like code flows on some results) that is within every limit:
// the cost of looking.
func BenchmarkTrimRun100k(b *testing.B) {
	var buf bytes.Buffer
	gen.Write(&buf, gen.Config{Results: 100_000, Seed: 1})
	l, err := sarif.Read(b.Context(), bytes.NewReader(buf.Bytes()), "gen", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if trims, err := split.TrimRun(b.Context(), l.Runs[0], 0, split.Limits{}); err != nil || len(trims) != 0 {
			b.Fatal(err, trims)
		}
	}
}

func BenchmarkTrimmer12000ThreadFlowLocations(b *testing.B) {
	for _, ref := range []bool{false, true} {
		b.Run("index="+strconv.FormatBool(ref), func(b *testing.B) {
			run := sariftest.Parse(b, logText([]string{shared}, bigResult(1, ref, 4000, 4000, 4000))).Runs[0]
			tr, err := split.NewTrimmer(run, 0, split.Limits{})
			if err != nil {
				b.Fatal(err)
			}
			r, err := run.Result(0)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(r)))
			b.ReportAllocs()
			for b.Loop() {
				if _, trims, err := tr.Result(0, r); err != nil || len(trims) == 0 {
					b.Fatal(err, trims)
				}
			}
		})
	}
}
