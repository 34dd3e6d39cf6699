// Package schema validates SARIF 2.1.0 logs: against the SARIF JSON
// schema, for the integrity of the references between their parts, and,
// on request, against the limits and rules of GitHub code scanning's
// upload.
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
// log is validated against the whole schema at the end. Memory use is thus
// bounded by the largest result, not by the size of the log.
//
// Each problem is a Finding with a stable ID ("schema/enum",
// "ref/rule-index-out-of-range", "github/too-many-results"...), the JSON
// pointer of the offending value, a severity and a message.
package schema

import (
	"bytes"
	_ "embed"
	"fmt"
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
}

var compileEmbedded = sync.OnceValues(func() (*compiled, error) {
	return compileSchema(schemaJSON)
})

// compileSchema compiles a SARIF schema document (any draft that
// jsonschema/v5 knows) with format assertions on.
func compileSchema(doc []byte) (*compiled, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	if err := c.AddResource(schemaURL, bytes.NewReader(doc)); err != nil {
		return nil, fmt.Errorf("schema: loading the SARIF schema: %w", err)
	}
	log, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("schema: compiling the SARIF schema: %w", err)
	}
	result, err := c.Compile(schemaURL + "#/definitions/result")
	if err != nil {
		return nil, fmt.Errorf("schema: compiling the SARIF result definition: %w", err)
	}
	return &compiled{log: log, result: result}, nil
}
