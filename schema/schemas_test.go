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

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// The embedded schema is the OASIS errata01 file, byte for byte.
func TestEmbeddedSchemaIsOASIS(t *testing.T) {
	t.Parallel()
	if got := sha256Hex(SchemaJSON()); got != "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e" {
		t.Fatalf("embedded schema sha256 %s differs from the one recorded in the package doc", got)
	}
}

// multitoolSchema compiles the SARIF Multitool's JSON Schema 2020-12
// restatement, kept as test data (see testdata/README.md).
func multitoolSchema(t *testing.T) *compiled {
	t.Helper()
	doc, err := os.ReadFile("testdata/multitool-sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := sha256Hex(doc); got != "1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c" {
		t.Fatalf("testdata/multitool-sarif-2.1.0.json sha256 %s differs from the one in testdata/README.md", got)
	}
	s, err := compileSchema(doc)
	if err != nil {
		t.Fatal(err)
	}
	return s
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

// schemaCheckedFile is a fixture or corpus file that is JSON, with the
// name the tests report it by.
type schemaCheckedFile struct {
	name, path string
	doc        any
}

// jsonFiles returns every corpus file and fixture that is JSON.
func jsonFiles(t *testing.T) []schemaCheckedFile {
	t.Helper()
	var paths []string
	for _, sub := range []string{"real", "invalid"} {
		paths = append(paths, corpus.Files(t, sub)...)
	}
	for _, pattern := range []string{"../testdata/valid/*.sarif", "../testdata/invalid/*.sarif", "testdata/*.sarif", "testdata/*/*.sarif"} {
		more, _ := filepath.Glob(pattern)
		paths = append(paths, more...)
	}
	var files []schemaCheckedFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc any
		if dec.Decode(&doc) != nil {
			continue // not JSON: neither schema applies
		}
		name := strings.TrimPrefix(filepath.ToSlash(p), "../")
		if i := strings.Index(name, "shared/corpus/"); i >= 0 {
			name = "corpus/" + name[i+len("shared/corpus/"):]
		}
		files = append(files, schemaCheckedFile{name, p, doc})
	}
	if len(files) < 20 {
		t.Fatalf("only %d JSON files found", len(files))
	}
	return files
}

// Where the OASIS draft-04 schema and the Multitool's 2020-12 restatement
// give different verdicts on the fixtures and the corpus. The list is
// exact, so that a new fixture or corpus file that tells them apart shows
// up here. Each disagreement is one of the known differences between the
// two documents: region.anyOf (OASIS only), "runs": null (OASIS allows
// it), the GUID pattern (OASIS: UUID versions 1 to 5; Multitool: format
// "uuid", any version) and the artifact roles the Multitool added
// (repositoryRoot, conversionSource, externalPropertyFile).
func TestSchemaDisagreements(t *testing.T) {
	t.Parallel()
	oasis, err := compileEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	multitool := multitoolSchema(t)
	var got []string
	for _, f := range jsonFiles(t) {
		a, b := leafPointers(t, oasis.log, f.doc), leafPointers(t, multitool.log, f.doc)
		for _, p := range a {
			if !slices.Contains(b, p) {
				got = append(got, f.name+":"+p+": only OASIS finds an error")
			}
		}
		for _, p := range b {
			if !slices.Contains(a, p) {
				got = append(got, f.name+":"+p+": only the Multitool schema finds an error")
			}
		}
	}
	slices.Sort(got)
	for _, d := range got {
		t.Log(d)
	}
	want := []string{
		"testdata/invalid/artifact-role-repository-root.sarif:/runs/0/artifacts/0/roles/0: only OASIS finds an error",
		"testdata/invalid/guid-not-version-1-to-5.sarif:/runs/0/results/0/guid: only OASIS finds an error",
		"testdata/invalid/guid-not-version-1-to-5.sarif:/runs/0/tool/driver/guid: only OASIS finds an error",
		"testdata/invalid/region-without-start.sarif:/runs/0/invocations/0/toolExecutionNotifications/0/locations/0/physicalLocation/region: only OASIS finds an error",
		"testdata/invalid/region-without-start.sarif:/runs/0/results/0/locations/0/physicalLocation/region: only OASIS finds an error",
		"testdata/invalid/region-without-start.sarif:/runs/0/results/1/attachments/0/regions/0: only OASIS finds an error",
		"testdata/invalid/region-without-start.sarif:/runs/0/results/1/fixes/0/artifactChanges/0/replacements/0/deletedRegion: only OASIS finds an error",
		"testdata/invalid/region-without-start.sarif:/runs/0/results/1/relatedLocations/0/annotations/1: only OASIS finds an error",
		"testdata/sarif-sdk/SARIF1007.RegionPropertiesMustBeConsistent_Invalid.sarif:/runs/0/results/1/relatedLocations/1/physicalLocation/region: only OASIS finds an error",
		"testdata/valid/runs-null.sarif:/runs: only the Multitool schema finds an error",
	}
	if !slices.Equal(got, want) {
		t.Errorf("disagreements between the OASIS and the Multitool schema:\n got %q\nwant %q", got, want)
	}
}

// The OASIS result definition compiles on its own, as the streamed
// results need; its region.anyOf is left to the reference walker, the
// Multitool's schema has none to leave.
func TestResultDefinition(t *testing.T) {
	t.Parallel()
	if _, _, err := compileDoc(SchemaJSON()); err != nil {
		t.Fatal(err)
	}
	oasis, err := compileEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if !oasis.regionStarts || multitoolSchema(t).regionStarts {
		t.Errorf("regionStarts: OASIS %v, Multitool %v; want true, false", oasis.regionStarts, multitoolSchema(t).regionStarts)
	}
}

// Streaming validation (results against the result definition, the rest
// at the end) finds what validating the whole document at once finds, on
// every fixture and corpus file: the same pointers, with region.anyOf
// checked by the walker for results.
func TestStreamingAgreesWithWholeDocument(t *testing.T) {
	t.Parallel()
	oasis, err := compileEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, nil)
	for _, f := range jsonFiles(t) {
		whole := leafPointers(t, oasis.log, f.doc)
		findings, err := v.ValidateFile(t.Context(), f.path)
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
		if !slices.Equal(streamed, whole) {
			t.Errorf("%s: streaming validation finds %q, whole-document validation %q", f.name, streamed, whole)
		}
	}
}
