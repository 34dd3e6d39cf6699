//go:build unix

package sarif_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// uriVectors is testdata/fingerprint-vectors/uris.json: a checkout (files,
// symbolic links, files beside it), a run's bases and artifacts, and
// results whose artifact locations name files in every form (at line 1
// unless they say otherwise), each with the hash GitHub's upload action gives it there ("action", null for
// none).
type uriVectors struct {
	Files   map[string]string
	Outside map[string]string
	Links   map[string]string
	Run     map[string]json.RawMessage
	Cases   []struct {
		Name             string
		ArtifactLocation json.RawMessage
		StartLine        json.RawMessage // 1 when absent; null: no region
		Action           *string
		LeavesCheckout   bool
	}
}

// Every result gets the hash the upload action gives it, or none when the
// action computes none: the URI forms the action does not resolve
// ("FILE://", "file://localhost/..." under the root, a bad escape), those
// it takes as a file name ("file:/x", "a.go#L1", "src\\a.go"), uriBaseId
// and parentIndex ignored, "." and ".." resolved as the system does. The
// one difference: a file outside the checkout (through ".." or a symbolic
// link) is not read, and gets no hash where the action hashes it.
func TestAddLineHashesResolvesAsTheAction(t *testing.T) {
	t.Parallel()
	var v uriVectors
	data, err := os.ReadFile(corpus.Testdata("fingerprint-vectors", "uris.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	co := filepath.Join(tmp, "co")
	write := func(dir string, files map[string]string) {
		for name, text := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(co, v.Files)
	write(tmp, v.Outside)
	for name, to := range v.Links {
		if err := os.Symlink(to, filepath.Join(co, name)); err != nil {
			t.Fatal(err)
		}
	}
	results := make([]map[string]any, len(v.Cases))
	for i, c := range v.Cases {
		pl := map[string]any{"artifactLocation": c.ArtifactLocation}
		switch string(c.StartLine) {
		case "":
			pl["region"] = map[string]any{"startLine": 1}
		case "null":
		default:
			pl["region"] = map[string]any{"startLine": c.StartLine}
		}
		results[i] = map[string]any{"message": map[string]any{"text": c.Name}, "locations": []any{map[string]any{"physicalLocation": pl}}}
	}
	run := map[string]any{"tool": map[string]any{"driver": map[string]any{"name": "t"}}, "results": results}
	for k, val := range v.Run {
		run[k] = val
	}
	text, err := json.Marshal(map[string]any{"version": "2.1.0", "runs": []any{run}})
	if err != nil {
		t.Fatal(err)
	}
	rootJSON, _ := json.Marshal(co)
	l := sariftest.Parse(t, strings.ReplaceAll(string(text), "@ROOT@", string(rootJSON[1:len(rootJSON)-1])))
	st, err := sarif.AddLineHashes(t.Context(), l, co)
	if err != nil {
		t.Fatal(err)
	}
	outside := 0
	for i, r := range sariftest.Results(t, l.Runs[0]) {
		c := v.Cases[i]
		var want any
		if c.Action != nil && !c.LeavesCheckout {
			want = *c.Action
		}
		if c.LeavesCheckout {
			outside++
			if c.Action == nil {
				t.Errorf("%s: marked as leaving the checkout, but the action gives it no hash", c.Name)
			}
		}
		if got := r.PartialFingerprints[sarif.PrimaryLocationLineHash]; got != want {
			t.Errorf("%s: hash %v, want %v", c.Name, got, want)
		}
	}
	if st.Outside == 0 || st.Outside > outside+2 {
		t.Errorf("%+v: %d results lead out of the checkout", st, outside)
	}
}
