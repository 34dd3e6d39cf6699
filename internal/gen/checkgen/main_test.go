package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// check_gen.go is what the generator writes from the embedded schema:
// run go generate ./schema after changing either.
func TestGeneratedIsCurrent(t *testing.T) {
	doc, err := os.ReadFile("../../../schema/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(doc, "schema", "sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../../schema/check_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("schema/check_gen.go is not what checkgen writes from the schema; run go generate ./schema")
	}
}

// A keyword the generator does not translate stops it, rather than
// giving a checker that accepts what the schema refuses.
func TestUnsupportedKeywords(t *testing.T) {
	for _, doc := range []string{
		`{"definitions": {"result": {"type": "object"}}, "properties": {"a": {"maxLength": 3}}}`,
		`{"definitions": {"result": {"not": {}}}}`,
		`{"definitions": {"result": {"enum": [1, 2]}}}`,
		`{"definitions": {"result": {"items": [{"type": "string"}]}}}`,
		`{"definitions": {"result": {"minimum": 0.5}}}`,
		`{"definitions": {"result": {"$ref": "other.json#/x"}}}`,
	} {
		if _, err := generate([]byte(doc), "p", "s.json"); err == nil || !strings.Contains(err.Error(), "/") {
			t.Errorf("%s: err = %v, want an error naming the node", doc, err)
		}
	}
	if _, err := generate([]byte(`{"definitions": {"result": {"type": "object", "description": "d"}}}`), "p", "s.json"); err != nil {
		t.Errorf("a supported schema: %v", err)
	}
}
