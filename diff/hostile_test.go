package diff

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// A comparison reads members of the wrong type, and integers out of
// range, as absent, and notes each on its run: the command says so once
// per kind instead of silently using an empty message, level warning and
// no location.
func TestCompareNotesLenientReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[` +
		`{"message":{"text":"ok"},"level":"error","baselineState":null,"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go","index":-1},"region":{"startLine":1}}}]},` +
		`{"message":5,"level":{"x":1},"locations":"a.go"},` +
		`{"message":{"text":7},"level":["x"],"ruleIndex":99999999999999999999,"locations":[{"physicalLocation":{"artifactLocation":{"uri":3},"region":{"startLine":1e20}}}]},` +
		`{"message":{"text":"m"},"level":{},"suppressions":[{"status":1}],"locations":[{"physicalLocation":{"region":{"startLine":1e999}}}]}]}]}`
	read := func() *sarif.Log {
		l, err := sarif.Read(ctx, strings.NewReader(log), "x.sarif", &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	}
	base, head := read(), read()
	if _, err := Compare(ctx, base, head, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"x.sarif: /runs/0/results/1/level: not a string but an object (and 1 more result); read as absent: the rule's level, else warning",
		"x.sarif: /runs/0/results/1/locations: not an array but a string; read as absent: no location",
		"x.sarif: /runs/0/results/1/message: not an object but a number; read as absent: an empty message",
		"x.sarif: /runs/0/results/2/level: not a string but an array; read as absent: the rule's level, else warning",
		"x.sarif: /runs/0/results/2/locations/0/physicalLocation/artifactLocation/uri: not a string but a number; read as absent",
		"x.sarif: /runs/0/results/2/locations/0/physicalLocation/region/startLine: beyond the range of a 64-bit integer; read as absent",
		"x.sarif: /runs/0/results/2/message/text: not a string but a number; read as absent: an empty message",
		"x.sarif: /runs/0/results/2/ruleIndex: beyond the range of a 64-bit integer; read as absent",
		"x.sarif: /runs/0/results/3/locations/0/physicalLocation/region/startLine: not a finite number; read as absent",
		"x.sarif: /runs/0/results/3/suppressions/0/status: not a string but a number; read as absent",
	}
	for _, l := range []*sarif.Log{base, head} {
		var got []string
		for _, lr := range l.LenientReads() {
			got = append(got, lr.String("x.sarif"))
		}
		if !slices.Equal(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
