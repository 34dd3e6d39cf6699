// Package schema validates SARIF 2.1.0 logs: against the SARIF JSON
// schema, for the integrity of the references between their parts, and,
// on request, against the rules of the consumers of SARIF logs, each a
// [Profile]: the limits and rules of GitHub code scanning's upload
// ([ProfileGitHub]), and what GitLab's SARIF ingestion drops or refuses
// ([ProfileGitLab]).
//
// [New] makes a [Validator] from [Options] (the profiles to check, how
// strict formats are, the checkout, the read limits), which validates a
// file ([Validator.ValidateFile]), a stream ([Validator.ValidateReader]),
// bytes, or a log already read ([Validator.ValidateLog], as a program
// checks what it is about to write). Each answers a list of [Finding]
// values, each of severity [SeverityError] (the log is invalid, or GitHub
// would reject it) or [SeverityWarning]; [HasErrors] tells whether the
// log passes, and [Groups] folds a finding repeated on many results into
// one [Group] to show. An input that is not a SARIF log at all (not JSON,
// or JSON of another kind) is an error, not a finding.
//
// # The embedded schema
//
// sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 errata01 schema (JSON
// Schema draft-04), copied byte for byte from the OASIS SARIF TC's
// repository oasis-tcs/sarif-spec, folder sarif-2.1/schema, commit
// e0583813964e (sha256
// c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e). It is
// the standard's own text, so that a verdict of this package is the
// standard's verdict.
//
// It is not the schema the SARIF Multitool ships (a JSON Schema 2020-12
// restatement), which differs in ways that change verdicts: it has no
// region.anyOf (a region needs one of startLine, charOffset or
// byteOffset), refuses "runs": null, checks GUIDs with format "uuid"
// instead of the standard's pattern (UUID versions 1 to 5 only) and
// allows three more artifact roles. The tests keep a copy of it and list
// where the two disagree on the fixtures and the corpus.
//
// # How a log is validated
//
// A Validator streams the log (see sarif.Scan): each element of every
// runs[].results array is validated against the schema's result definition
// by a pool of workers as soon as it is read, and dropped; the rest of the
// log is validated against the whole schema at the end. What the
// reference checks need of each result waits for the run in a compact
// record, and past 65,536 records in a temporary file. Memory use is thus
// bounded by the largest result and the run's own objects, not by the
// number of results.
//
// Each value is first put to a checker generated from the embedded schema
// (check_gen.go, written by internal/gen/checkgen), which only says valid
// or not, without allocating; the generic validator, which builds an
// error for every value it visits and was most of the time spent, runs
// only on what the checker refuses, to say what is wrong. The checker
// type's documentation says why the two give the same findings.
//
// Each profile checks every result as it is validated, keeping counts
// rather than results, and the whole log at the end (see [Profile]).
//
// Each problem is a Finding with a stable ID ("schema/enum",
// "ref/rule-index-out-of-range", "github/too-many-results",
// "gitlab/report-fails"...), the JSON pointer of the offending value, a
// [Severity] and a message.
//
// # Formats
//
// The schema gives some strings a "format": "uri", "uri-reference",
// "date-time". Under draft-04 most validators take format as an
// annotation, and tools commonly write, say, Windows paths
// ("src\main.c") where a URI reference belongs. A value that breaks its
// format is therefore a warning ("schema/format", quoting the value), and
// an error under Options.Strict. With Options.GitHub the verdict is that
// of GitHub's upload action (github/codeql-action, validateSarifFileSchema):
// it accepts a bad "uri" or "uri-reference" with a warning and rejects a
// bad value of any other format, so those become errors; Strict, when
// asked for, still makes every format violation an error. A
// "uri-reference" (artifactLocation.uri) is held to RFC 3986's grammar, as
// the action holds it, not to what Go's url.Parse takes: "src/my file.c"
// and non-ASCII paths are warnings (see isURIReference). With
// [ProfileGitLab] every format violation is an error: GitLab validates a
// report against the schema with format assertions on, and rejects it
// whole. With several profiles a format finding is an error when any of
// them rejects the log, and its message says what each does.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

// SchemaJSON returns a copy of the embedded SARIF 2.1.0 JSON schema, the
// OASIS errata01 text.
func SchemaJSON() []byte { return bytes.Clone(schemaJSON) }

const schemaURL = "https://sarifkit.invalid/sarif-2.1.0.json"

// compiled is the embedded schema, compiled once: the whole log, and the
// result definition used for streamed results.
type compiled struct {
	log, result *jsonschema.Schema
	// check is the generated checker of the embedded schema (see
	// [checker]), nil for any other document: values it accepts need no
	// generic validation.
	check *checker
	// regionStarts tells that result was compiled without region.anyOf
	// (see compileSchema): the reference walker checks it instead.
	regionStarts bool
	// formats maps the location of each "format" keyword in the document
	// (a JSON pointer, "/definitions/artifactLocation/properties/uri/format")
	// to its value ("uri-reference"), to name the format a value breaks.
	formats map[string]string
}

//go:generate go run ../internal/gen/checkgen -schema sarif-schema-2.1.0.json -o check_gen.go

var compileEmbedded = sync.OnceValues(func() (*compiled, error) {
	s, err := compileSchema(schemaJSON)
	if err != nil {
		return nil, err
	}
	if s.check, err = newGeneratedChecker(); err != nil {
		return nil, err
	}
	return s, nil
})

// compileSchema compiles a SARIF schema document (any draft that
// jsonschema/v5 knows) with format assertions on: the whole log, and the
// result definition, which must compile on its own.
//
// When the document's region.anyOf is the standard's (a region gives one
// of startLine, charOffset and byteOffset), the result definition is
// compiled without it, and the reference walker checks it with the same
// finding: jsonschema/v5 evaluates every alternative of an anyOf, with a
// map and an error for each, and on the several regions of each result
// that made validating results a fifth slower. The whole log, skeleton
// included, is validated against the document as it is.
// TestStreamingAgreesWithWholeDocument holds the two to the same findings.
func compileSchema(doc []byte) (*compiled, error) {
	var tree map[string]any
	if err := json.Unmarshal(doc, &tree); err != nil {
		return nil, fmt.Errorf("schema: reading the SARIF schema: %w", err)
	}
	if boundIntegers(tree) {
		var err error
		if doc, err = json.Marshal(tree); err != nil {
			return nil, fmt.Errorf("schema: bounding the SARIF schema's integers: %w", err)
		}
	}
	log, result, err := compileDoc(doc)
	if err != nil {
		return nil, err
	}
	s := &compiled{log: log, result: result, formats: map[string]string{}}
	collectFormats(tree, "", s.formats)
	if lean, ok := withoutRegionAnyOf(tree); ok {
		if _, s.result, err = compileDoc(lean); err != nil {
			return nil, err
		}
		s.regionStarts = true
	}
	return s, nil
}

// The range of the integers readers hold: an integer of the log beyond it
// cannot be read as the number it is (see boundIntegers).
const (
	maxInteger = "9223372036854775807"
	minInteger = "-9223372036854775808"
)

// boundIntegers gives every "integer" of a schema document the range of
// a 64-bit integer, where the document gives no narrower one (SARIF says
// "integer" and sets no bound, but readers, sarifkit's and go-sarif's,
// hold one in an int): 99999999999999999999 or 1e999 as a ruleIndex or
// a startLine is then a finding (see rangeFinding), not a value each
// reader clamps or drops its own way. It reports whether it changed
// anything.
func boundIntegers(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		if t, _ := v["type"].(string); t == "integer" {
			if _, ok := v["maximum"]; !ok {
				v["maximum"], changed = json.Number(maxInteger), true
			}
			if _, ok := v["minimum"]; !ok {
				v["minimum"], changed = json.Number(minInteger), true
			}
		}
		for _, child := range v {
			changed = boundIntegers(child) || changed
		}
	case []any:
		for _, child := range v {
			changed = boundIntegers(child) || changed
		}
	}
	return changed
}

// compileDoc compiles a schema document and its result definition.
func compileDoc(doc []byte) (log, result *jsonschema.Schema, err error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	c.Formats["uri-reference"] = formatFunc("uri-reference")
	if err := c.AddResource(schemaURL, bytes.NewReader(doc)); err != nil {
		return nil, nil, fmt.Errorf("schema: loading the SARIF schema: %w", err)
	}
	if log, err = c.Compile(schemaURL); err != nil {
		return nil, nil, fmt.Errorf("schema: compiling the SARIF schema: %w", err)
	}
	if result, err = c.Compile(schemaURL + "#/definitions/result"); err != nil {
		return nil, nil, fmt.Errorf("schema: compiling the SARIF result definition: %w", err)
	}
	return log, result, nil
}

// regionStartProperties are the alternatives of the standard's
// region.anyOf: a region gives at least one of them.
func regionStartProperties() [3]string { return [3]string{"startLine", "charOffset", "byteOffset"} }

// withoutRegionAnyOf returns the schema document without region.anyOf,
// when that is the standard's.
func withoutRegionAnyOf(tree map[string]any) ([]byte, bool) {
	defs, _ := tree["definitions"].(map[string]any)
	region, _ := defs["region"].(map[string]any)
	anyOf, _ := region["anyOf"].([]any)
	starts := regionStartProperties()
	if len(anyOf) != len(starts) {
		return nil, false
	}
	for i, alt := range anyOf {
		m, _ := alt.(map[string]any)
		req, _ := m["required"].([]any)
		if len(m) != 1 || len(req) != 1 || req[0] != starts[i] {
			return nil, false
		}
	}
	delete(region, "anyOf")
	defer func() { region["anyOf"] = anyOf }()
	lean, err := json.Marshal(tree)
	return lean, err == nil
}

// collectFormats records the "format" keywords of a schema document.
func collectFormats(v any, ptr string, formats map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		if f, ok := v["format"].(string); ok {
			formats[ptr+"/format"] = f
		}
		for k, child := range v {
			collectFormats(child, ptr+"/"+escape(k), formats)
		}
	case []any:
		for i, child := range v {
			collectFormats(child, ptr+"/"+strconv.Itoa(i), formats)
		}
	}
}
