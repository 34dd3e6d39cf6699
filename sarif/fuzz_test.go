package sarif_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// addSeeds adds the fixtures and the corpus as seeds.
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("../testdata/*/*")
	corpusFiles, _ := filepath.Glob("../testdata/corpus/*/*.sarif")
	for _, name := range append(files, corpusFiles...) {
		data, err := os.ReadFile(name)
		if err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"rank":1e-7,"occurrenceCount":1.0}]}]}`))
}

// Reading never panics, and whatever reads writes back as equal JSON.
func FuzzRead(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		l, err := sarif.Read(ctx, bytes.NewReader(data), "fuzz", nil)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		var out bytes.Buffer
		if err := l.Write(&out, &sarif.WriteOptions{Indent: " "}); err != nil {
			t.Fatalf("a log that reads must write: %v", err)
		}
		if _, err := sarif.Read(ctx, bytes.NewReader(out.Bytes()), "again", nil); err != nil {
			t.Fatalf("output does not read back: %v\n%s", err, out.Bytes())
		}
		// Compare as generic JSON, the input decoded as the scanner
		// decodes it (byte order mark and gzip handled), results and all.
		want, got := scanAll(t, data), scanAll(t, out.Bytes())
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("round trip changed the log:\n%s", sariftest.Difference(want, got))
		}
	})
}

// scanAll reads a log as a generic JSON value, its results included.
func scanAll(t *testing.T, data []byte) any {
	t.Helper()
	var results [][]any
	sk, err := sarif.Scan(context.Background(), bytes.NewReader(data), "x", nil, func(run, _ int, r any) error {
		for len(results) <= run {
			results = append(results, nil)
		}
		results[run] = append(results[run], r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if root, ok := sk.Value.(map[string]any); ok {
		runs, _ := root["runs"].([]any)
		for i, run := range runs {
			if m, ok := run.(map[string]any); ok && i < len(results) {
				m["results"] = results[i]
			}
		}
	}
	return sk.Value
}
