// Package schema validates SARIF 2.1.0 logs: against the SARIF JSON
// schema, for the integrity of the references between their parts, and,
// on request, against the limits and rules of GitHub code scanning's
// upload.
//
// # The embedded schema
//
// sarif-2.1.0.json is the SARIF 2.1.0 schema restated in JSON Schema 2020-12,
// copied byte for byte from the npm package
// @microsoft/sarif-multitool-linux@5.7.0 (file sarif-2.1.0.json; sha256
// 1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c). It
// has the same definitions as the OASIS errata01 draft-04 schema; a test
// checks that both give the same verdict on every fixture and corpus file.
// Formats ("uri", "date-time", "uuid"...) are asserted, as draft-04 does.
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

//go:embed sarif-2.1.0.json
var schemaJSON []byte

// SchemaJSON returns a copy of the embedded SARIF 2.1.0 JSON schema.
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
