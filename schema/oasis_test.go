package schema

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// The embedded schema is the registry file, byte for byte.
func TestEmbeddedSchemaIsTheRegistryFile(t *testing.T) {
	sum := sha256.Sum256(SchemaJSON())
	if got := hex.EncodeToString(sum[:]); got != "1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c" {
		t.Fatalf("embedded schema sha256 %s differs from the one recorded in the package doc", got)
	}
}

// leafPointers validates a whole document and returns the sorted instance
// pointers of the leaf errors.
func leafPointers(t *testing.T, s *jsonschema.Schema, doc any) []string {
	t.Helper()
	err := s.Validate(doc)
	if err == nil {
		return nil
	}
	st := &state{file: "x"}
	var ptrs []string
	for _, f := range st.schemaFindings(err, "", doc) {
		ptrs = append(ptrs, f.Pointer)
	}
	slices.Sort(ptrs)
	return slices.Compact(ptrs)
}

// The OASIS draft-04 schema and the embedded 2020-12 restatement agree on
// every corpus file and fixture: the same verdict, the same offending
// values. And the streaming validator agrees with whole-document
// validation.
func TestSchemaAgreesWithOASIS(t *testing.T) {
	dir := corpus.Dir(t)
	oasisDoc, err := os.ReadFile(filepath.Join(dir, "..", "spec", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	oasis, err := compileSchema(oasisDoc)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := compileEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, nil)
	files := append(corpus.Files(t, "real"), corpus.Files(t, "invalid")...)
	for _, pattern := range []string{"../testdata/valid/*.sarif", "../testdata/invalid/*.sarif"} {
		more, _ := filepath.Glob(pattern)
		files = append(files, more...)
	}
	compared := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) != nil {
			continue // not JSON: neither schema applies
		}
		compared++
		a, b := leafPointers(t, oasis.log, doc), leafPointers(t, ours.log, doc)
		if !slices.Equal(a, b) {
			t.Errorf("%s: OASIS draft-04 finds %q, the embedded schema %q", f, a, b)
		}
		findings, err := v.ValidateFile(t.Context(), f)
		var se *sarif.SyntaxError
		if errors.As(err, &se) && strings.Contains(se.Msg, "after the top-level value") {
			continue // JSON followed by more: not a log, whatever the schema says
		}
		if err != nil {
			t.Fatal(err)
		}
		var streamed []string
		for _, fd := range findings {
			if fd.Keyword != "" || fd.ID == "sarif/version" {
				streamed = append(streamed, fd.Pointer)
			}
		}
		slices.Sort(streamed)
		streamed = slices.Compact(streamed)
		if !slices.Equal(streamed, b) {
			t.Errorf("%s: streaming validation finds %q, whole-document validation %q", f, streamed, b)
		}
	}
	if compared < 15 {
		t.Fatalf("only %d files compared", compared)
	}
}
