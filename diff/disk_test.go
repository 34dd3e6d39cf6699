package diff

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// TestResultsOnDiskSameReports compares logs read in memory and with
// their results on disk (as sarif-diff reads them): every report, the
// SARIF one included, is the same, byte for byte, with and without
// inherited suppressions (which read base results back from disk).
func TestResultsOnDiskSameReports(t *testing.T) {
	ctx := t.Context()
	// A base whose every result is suppressed, so that every matched head
	// result inherits a suppression.
	suppressed := readLog(t, "../testdata/corpus/real/gosec-gin-v1.9.0.sarif")
	if err := suppressed.Runs[0].EditResults(ctx, func(_ int, r sarif.Result) (sarif.Result, error) {
		return r.Set("suppressions", []any{map[string]any{"kind": "external", "status": "accepted", "justification": "reviewed"}})
	}); err != nil {
		t.Fatal(err)
	}
	suppressedPath := filepath.Join(t.TempDir(), "suppressed.sarif")
	if err := suppressed.WriteFile(suppressedPath, &sarif.WriteOptions{Indent: "  "}); err != nil {
		t.Fatal(err)
	}
	pairs := []struct {
		base, head string
		opts       *Options
	}{
		{"../testdata/diff/base.sarif", "../testdata/diff/head.sarif", nil},
		{"../testdata/corpus/real/gosec-gin-v1.9.0.sarif", "../testdata/corpus/real/gosec-gin-v1.10.0.sarif", nil},
		{"../testdata/corpus/real/golangci-lint-gin-v1.9.0.sarif", "../testdata/corpus/real/golangci-lint-gin-v1.10.0.sarif", nil},
		{"../testdata/corpus/real/eslint-express-lib.sarif", "../testdata/diff/head.sarif", nil},
		{suppressedPath, "../testdata/corpus/real/gosec-gin-v1.10.0.sarif", nil},
		{suppressedPath, "../testdata/corpus/real/gosec-gin-v1.10.0.sarif", &Options{OwnSuppressionsOnly: true}},
	}
	for _, p := range pairs {
		var reports [2][3][]byte
		for k, opts := range []*sarif.ReadOptions{nil, {ResultsOnDisk: true}} {
			base, err := sarif.ReadFile(ctx, p.base, opts)
			if err != nil {
				t.Fatal(err)
			}
			head, err := sarif.ReadFile(ctx, p.head, opts)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Compare(ctx, base, head, p.opts)
			if err != nil {
				t.Fatal(err)
			}
			var text, js, out bytes.Buffer
			explain(&text, d)
			if err := WriteJSON(&js, d, nil); err != nil {
				t.Fatal(err)
			}
			if err := Annotate(ctx, d, head); err != nil {
				t.Fatal(err)
			}
			if err := head.Write(&out, nil); err != nil {
				t.Fatal(err)
			}
			reports[k] = [3][]byte{text.Bytes(), js.Bytes(), out.Bytes()}
			base.Close()
			head.Close()
		}
		for i, name := range []string{"text", "json", "sarif"} {
			if !bytes.Equal(reports[0][i], reports[1][i]) {
				t.Errorf("%s vs %s: the %s report differs with results on disk", filepath.Base(p.base), filepath.Base(p.head), name)
			}
		}
		if p.base == suppressedPath {
			// Each of the 15 matched head results inherits (the 2 absent
			// base results are appended with their own), unless asked
			// not to.
			n, want := bytes.Count(reports[1][2], []byte(`"justification":"reviewed"`)), 17
			if p.opts != nil && p.opts.OwnSuppressionsOnly {
				want = 2
			}
			if n != want {
				t.Errorf("%s: %d suppressions in the SARIF report, want %d", filepath.Base(p.head), n, want)
			}
		}
	}
}
