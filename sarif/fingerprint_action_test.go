package sarif_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// The upload action's own end-to-end fingerprint tests
// (src/fingerprints.test.ts, "addFingerprints" and "missingRegions"):
// its input logs, with their source root at the folder of its test
// files, get the hashes of its expected logs, and no other.
func TestAddLineHashesActionFixtures(t *testing.T) {
	t.Parallel()
	dir := corpus.Testdata("fingerprint-vectors", "codeql-action")
	for _, name := range []string{"fingerprinting", "fingerprinting2"} {
		l := sariftest.Read(t, filepath.Join(dir, name+".input.sarif"))
		if _, err := sarif.AddLineHashes(t.Context(), l, dir); err != nil {
			t.Fatal(err)
		}
		want := expectedLineHashes(t, filepath.Join(dir, name+".expected.sarif"))
		got := []any{}
		for _, run := range l.Runs {
			for _, r := range sariftest.Results(t, run) {
				got = append(got, r.PartialFingerprints[sarif.PrimaryLocationLineHash])
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d results, want %d", name, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: result %d: hash %v, want %v", name, i, got[i], want[i])
			}
		}
	}
}

// expectedLineHashes returns the primaryLocationLineHash of each result
// of the log (nil for none), in order.
func expectedLineHashes(t *testing.T, name string) []any {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]any
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	var out []any
	for _, run := range log.Runs {
		for _, r := range run.Results {
			out = append(out, r.PartialFingerprints[sarif.PrimaryLocationLineHash])
		}
	}
	return out
}
