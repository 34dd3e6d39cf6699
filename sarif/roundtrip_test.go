package sarif_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// assertRoundTrip reads file, writes it back (compact and indented) and
// checks that the output equals the input as JSON values, and that reading
// the output and writing it again gives the same bytes.
func assertRoundTrip(t *testing.T, file string) {
	t.Helper()
	ctx := context.Background()
	in, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	l, err := sarif.ReadFile(ctx, file, nil)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	for _, indent := range []string{"", "  "} {
		var out bytes.Buffer
		if err := l.Write(&out, &sarif.WriteOptions{Indent: indent}); err != nil {
			t.Fatalf("write: %v", err)
		}
		want, got := sariftest.JSON(t, in), sariftest.JSON(t, out.Bytes())
		if !reflect.DeepEqual(want, got) {
			t.Errorf("indent %q: round trip changed the JSON:\n%s", indent, sariftest.Difference(want, got))
		}
		l2, err := sarif.Read(ctx, bytes.NewReader(out.Bytes()), "output", nil)
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		var again bytes.Buffer
		if err := l2.Write(&again, &sarif.WriteOptions{Indent: indent}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), again.Bytes()) {
			t.Errorf("indent %q: writing is not deterministic across a second round trip", indent)
		}
	}
}

func TestRoundTripCorpus(t *testing.T) {
	t.Parallel()
	for _, f := range corpus.Files(t, "real") {
		t.Run(filepath.Base(f), func(t *testing.T) { assertRoundTrip(t, f) })
	}
}

func TestRoundTripFixtures(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../testdata/valid/*.sarif")
	more, _ := filepath.Glob("../testdata/roundtrip/*.sarif")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { assertRoundTrip(t, f) })
	}
}

// Logs that are invalid against the schema but still readable must survive
// a round trip too: nulls, wrong types, unknown members, absent required
// members.
func TestRoundTripInvalidButReadable(t *testing.T) {
	t.Parallel()
	assertRoundTrip(t, "../testdata/invalid/nulls-and-unknowns.sarif")
}

// The plain encoding/json round trip of go-sarif loses data on the tricky
// fixture; this guards the fixture against becoming too easy.
func TestGoSarifPlainRoundTripIsLossy(t *testing.T) {
	t.Parallel()
	in, err := os.ReadFile("../testdata/valid/tricky-roundtrip.sarif")
	if err != nil {
		t.Fatal(err)
	}
	var r gosarif.Report
	if err := json.Unmarshal(in, &r); err != nil {
		return // go-sarif cannot even read it (1e400 overflows its float64)
	}
	out, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(sariftest.JSON(t, in), sariftest.JSON(t, out)) {
		t.Fatal("go-sarif's plain round trip is lossless on the fixture: the fixture no longer tests anything")
	}
}

// A run moved into another log, and results moved into another run, are
// written there as they were: what the model cannot hold of them (unknown
// members, nulls, exact numbers) travels with them, with nothing to call.
func TestMovedRunsAndResultsKeepEverything(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, err := sarif.ReadFile(ctx, "../testdata/valid/tricky-roundtrip.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	dst := sarif.New()
	for _, run := range src.Runs {
		moved := sarif.NewRun(run.Tool())
		moved.AppendResults(sarif.InMemory(run)...)
		dst.Runs = append(dst.Runs, run, moved)
	}
	var out bytes.Buffer
	if err := dst.Write(&out, nil); err != nil {
		t.Fatal(err)
	}
	got := sariftest.JSON(t, out.Bytes()).(map[string]any)["runs"].([]any)
	want := sariftest.JSON(t, sariftest.File(t, "../testdata/valid/tricky-roundtrip.sarif")).(map[string]any)["runs"].([]any)
	for i, w := range want {
		if d := sariftest.Difference(w, got[2*i]); d != "" {
			t.Errorf("run %d moved into another log: %s", i, d)
		}
		wr, _ := w.(map[string]any)["results"].([]any)
		gr, _ := got[2*i+1].(map[string]any)["results"].([]any)
		if d := sariftest.Difference(wr, gr); wr != nil && d != "" {
			t.Errorf("results of run %d moved into another run: %s", i, d)
		}
	}
}
