package schema

import "fmt"

// region checks that a region's line and column properties agree with
// each other (SARIF §3.30, Multitool SARIF1007): the end may not come
// before the start. An end column equal to the start column on one line
// is an insertion point (§3.30.2) and fine. That lengths and offsets are
// not negative is the schema's "minimum". That a region gives at least one
// of startLine, charOffset and byteOffset is the schema's region.anyOf,
// checked here for streamed results (see compileSchema) with the finding
// the schema gives.
func (w *refWalker) region(m map[string]any) {
	if w.regionStarts && !hasRegionStart(m) {
		starts := regionStartProperties()
		w.found = append(w.found, Finding{File: w.file, Pointer: w.pointer(""), ID: "schema/anyOf", Severity: SeverityError, Keyword: "anyOf",
			Message: fmt.Sprintf("must satisfy one of: missing properties: '%s'; or missing properties: '%s'; or missing properties: '%s'", starts[0], starts[1], starts[2])})
	}
	startLine := intOr(m["startLine"], -1)
	if startLine < 0 {
		return // not a line/column region: nothing to compare
	}
	endLine := intOr(m["endLine"], -1)
	if endLine >= 0 && endLine < startLine {
		w.add(w.pointer("endLine"), "region/end-line-before-start-line", SeverityError,
			"endLine %d is before startLine %d", endLine, startLine)
		return
	}
	startColumn, endColumn := intOr(m["startColumn"], 1), intOr(m["endColumn"], -1)
	if (endLine < 0 || endLine == startLine) && endColumn >= 0 && endColumn < startColumn {
		w.add(w.pointer("endColumn"), "region/end-column-before-start-column", SeverityError,
			"endColumn %d is before startColumn %d on line %d (the region ends before it starts)", endColumn, startColumn, startLine)
	}
}

func hasRegionStart(m map[string]any) bool {
	for _, p := range regionStartProperties() {
		if _, ok := m[p]; ok {
			return true
		}
	}
	return false
}
