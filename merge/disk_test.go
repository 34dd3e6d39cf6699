package merge

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// TestResultsOnDiskSameMerge merges logs read in memory and with their
// results on disk (as sarif-merge reads them), folding duplicates or
// not, with runs combined (results remapped) and URIs rebased: the
// merged logs are the same, byte for byte, and the stats too. The inputs
// include each log twice, once gzip-compressed (its results copied to a
// temporary file), so that every result has a duplicate.
func TestResultsOnDiskSameMerge(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	files := append(corpus.Files(t, "real"), "../testdata/diff/base.sarif", "../testdata/diff/codeql-action-valid-sarif.sarif")
	gzipped := filepath.Join(dir, "gosec.sarif.gz")
	text, err := os.ReadFile(corpus.Path(t, "real", "gosec-gin-v1.9.0.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := sarif.Read(ctx, bytes.NewReader(text), "gosec", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.WriteFile(gzipped, &sarif.WriteOptions{Gzip: true}); err != nil {
		t.Fatal(err)
	}
	files = append(files, gzipped)
	for _, opts := range []*Options{nil, {KeepDuplicates: true}, {Category: "ci", CategoryFromTool: true}} {
		var out [2][]byte
		var stats [2]string
		var folded int
		for k, ro := range []*sarif.ReadOptions{nil, {ResultsOnDisk: true}} {
			var inputs []sarif.Input
			for _, f := range files {
				l, err := sarif.ReadFile(ctx, f, ro)
				if err != nil {
					t.Fatal(err)
				}
				inputs = append(inputs, sarif.Input{Name: f, Log: l})
			}
			merged, st, err := Merge(ctx, inputs, opts)
			if err != nil {
				t.Fatal(err)
			}
			n, err := RebaseURIs(ctx, merged, "file:///src/express/", "SRCROOT")
			if err != nil || n == 0 {
				t.Fatalf("RebaseURIs: %d, %v", n, err)
			}
			var b bytes.Buffer
			if err := merged.Write(&b, &sarif.WriteOptions{Indent: " "}); err != nil {
				t.Fatal(err)
			}
			out[k], stats[k], folded = b.Bytes(), fmt.Sprintf("%+v, %d rebased", *st, n), st.Duplicates
			if err := merged.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Errorf("%+v: merged differently with results on disk", opts)
		}
		if stats[0] != stats[1] {
			t.Errorf("%+v: stats in memory %s, on disk %s", opts, stats[0], stats[1])
		}
		if opts == nil && folded < 17 { // gosec on gin 1.9.0 twice: 17 results
			t.Errorf("%d duplicates folded, want at least 17: %s", folded, stats[1])
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "sarifkit-results-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
