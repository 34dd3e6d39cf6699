package sarif_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// reviewLog writes a log of one run of n results, result i's message
// "tag:i", and reads it back with its results on disk.
func reviewLog(t *testing.T, tag string, n int) *sarif.Log {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"message":{"text":"%s:%d"}}`, tag, i)
	}
	b.WriteString(`]}]}`)
	name := filepath.Join(t.TempDir(), tag+".sarif")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := sarif.ReadFile(context.Background(), name, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// Pending index-dependent edits on disk survive TakeResults that leave
// results out, twice over and behind another log's results (the path
// 5f138e4 changed from reading into memory to remapping indices): each
// edit still sees the index its result had when the edit was asked for.
func TestTakeResultsPendingEdits(t *testing.T) {
	ctx := context.Background()
	a, b := reviewLog(t, "a", 7), reviewLog(t, "b", 9)
	mark := func(tag string) func(int, sarif.Result) (sarif.Result, error) {
		return func(i int, r sarif.Result) (sarif.Result, error) {
			return r.Set("properties", map[string]any{tag: i})
		}
	}
	ra, rb := a.Runs[0], b.Runs[0]
	if err := ra.EditResults(ctx, mark("ea")); err != nil {
		t.Fatal(err)
	}
	if err := rb.EditResults(ctx, mark("eb")); err != nil {
		t.Fatal(err)
	}
	// a keeps its odd results; then b's results but 0, 4 and 8 go after them.
	keepA := []bool{false, true, false, true, false, true, false}
	if err := ra.TakeResults(ctx, ra, keepA); err != nil {
		t.Fatal(err)
	}
	keepB := make([]bool, 9)
	for i := range keepB {
		keepB[i] = i%4 != 0
	}
	if err := ra.TakeResults(ctx, rb, keepB); err != nil {
		t.Fatal(err)
	}
	a.TakeFiles(b)
	// A second edit, on the combined run's own indices, then a second
	// partial take.
	if err := ra.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
		var p map[string]any
		json.Unmarshal(r.Member("properties"), &p)
		p["e2"] = i
		return r.Set("properties", p)
	}); err != nil {
		t.Fatal(err)
	}
	keep2 := make([]bool, ra.Len())
	for i := range keep2 {
		keep2[i] = i != 1
	}
	if err := ra.TakeResults(ctx, ra, keep2); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := a.Write(&out, nil); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Runs []struct {
			Results []struct {
				Message    struct{ Text string }
				Properties map[string]int
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range got.Runs[0].Results {
		lines = append(lines, fmt.Sprintf("%s %v", r.Message.Text, r.Properties))
	}
	want := []string{
		"a:1 map[e2:0 ea:1]" /* a:3 (combined index 1) left out */, "a:5 map[e2:2 ea:5]",
		"b:1 map[e2:3 eb:1]", "b:2 map[e2:4 eb:2]", "b:3 map[e2:5 eb:3]", "b:5 map[e2:6 eb:5]",
		"b:6 map[e2:7 eb:6]", "b:7 map[e2:8 eb:7]",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// texts returns the message text and properties of each result of run,
// as "text map[...]" lines.
func texts(t *testing.T, run *sarif.Run) []string {
	t.Helper()
	var lines []string
	for i := range run.Len() {
		res, err := run.Result(i)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Message    struct{ Text string }
			Properties map[string]int
		}
		if err := json.Unmarshal(res, &r); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %v", r.Message.Text, r.Properties))
	}
	return lines
}

// PartitionResults deals the results of a run, on disk or in memory,
// to several runs: each gets its own in order, a pending edit still
// sees the index its result had in the source, negative parts are
// dropped, and the source is left with none.
func TestPartitionResults(t *testing.T) {
	ctx := context.Background()
	for _, onDisk := range []bool{true, false} {
		t.Run(fmt.Sprintf("onDisk=%v", onDisk), func(t *testing.T) {
			l := reviewLog(t, "a", 8)
			if !onDisk {
				if err := l.Load(ctx); err != nil {
					t.Fatal(err)
				}
			}
			src := l.Runs[0]
			if err := src.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
				return r.Set("properties", map[string]any{"e": i})
			}); err != nil {
				t.Fatal(err)
			}
			// A part that already holds a result in memory takes what
			// follows into memory too.
			to := []*sarif.Run{sarif.NewRun("t"), sarif.NewRun("t"), sarif.NewRun("t")}
			to[2].AppendResults(sarif.Result(`{"message":{"text":"held"}}`))
			part := []int32{0, 1, -1, 0, 2, 1, -1, 0}
			if err := src.PartitionResults(ctx, to, part); err != nil {
				t.Fatal(err)
			}
			if src.Len() != 0 {
				t.Errorf("source keeps %d results", src.Len())
			}
			want := [][]string{
				{"a:0 map[e:0]", "a:3 map[e:3]", "a:7 map[e:7]"},
				{"a:1 map[e:1]", "a:5 map[e:5]"},
				{"held map[]", "a:4 map[e:4]"},
			}
			for k, run := range to {
				if got := texts(t, run); strings.Join(got, "\n") != strings.Join(want[k], "\n") {
					t.Errorf("part %d:\n%s\nwant:\n%s", k, strings.Join(got, "\n"), strings.Join(want[k], "\n"))
				}
			}
		})
	}
}

func TestPartitionResultsErrors(t *testing.T) {
	ctx := context.Background()
	l := reviewLog(t, "a", 3)
	src := l.Runs[0]
	to := []*sarif.Run{sarif.NewRun("t")}
	for _, c := range []struct {
		to   []*sarif.Run
		part []int32
		want string
	}{
		{to, []int32{0, 0}, "PartitionResults: 2 parts for 3 results"},
		{to, []int32{0, 1, 0}, "PartitionResults: result 1 goes to run 1 of 1"},
		{[]*sarif.Run{src}, []int32{0, 0, 0}, "PartitionResults: a run cannot be one of its own parts"},
	} {
		err := src.PartitionResults(ctx, c.to, c.part)
		if err == nil || err.Error() != c.want {
			t.Errorf("PartitionResults(%v) = %v, want %q", c.part, err, c.want)
		}
	}
	if src.Len() != 3 {
		t.Errorf("a refused partition left %d results, want 3", src.Len())
	}
}
