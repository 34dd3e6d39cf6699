package sarif_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

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
		l, err := sarif.Parse(ctx, data, "fuzz")
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
		in, err := sarif.NewInput(bytes.NewReader(data), "fuzz", nil)
		if err != nil {
			t.Fatal(err)
		}
		// Compare as generic JSON: the input decoded the same way the
		// scanner decodes (UTF-8 BOM and gzip handled by NewInput).
		want, err := sarif.Scan(ctx, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		l2, err := sarif.Parse(ctx, out.Bytes(), "again")
		if err != nil {
			t.Fatalf("output does not read back: %v\n%s", err, out.Bytes())
		}
		_ = l2
		in2, _ := sarif.NewInput(bytes.NewReader(out.Bytes()), "out", nil)
		got, err := sarif.Scan(ctx, in2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("round trip changed the log:\n%s", firstDifference(want, got, ""))
		}
	})
}
