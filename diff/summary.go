package diff

import (
	"bytes"
	"encoding/json"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/sarif"
)

// summary returns the model of what the matcher reads of a result, read
// from its text without decoding the rest: how it names its rule, its
// kind, level, message and baselineState, its first location's
// artifactLocation and region, the status of its suppressions, its
// github/alertNumber property and its fingerprints. It gives these the
// values Result.Decode gives them (a member of the wrong type is left
// out), several times faster, which matters on logs of 100,000 results.
// nil when r is not an object.
func summary(r sarif.Result, in *interner) *gosarif.Result {
	i := jsonscan.SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' {
		return nil
	}
	var m [12][]byte
	jsonscan.Members(r, []string{"ruleId", "ruleIndex", "rule", "kind", "level", "message", "locations",
		"suppressions", "properties", "fingerprints", "partialFingerprints", "baselineState"}, m[:])
	res := &gosarif.Result{}
	res.RuleID = str(m[0], in)
	res.RuleIndex = index(m[1])
	if m[2] != nil {
		res.Rule = descriptorReference(m[2], in)
	}
	res.Kind, res.Level = str(m[3], in), str(m[4], in)
	var msg [2][]byte
	jsonscan.Members(m[5], []string{"text", "id"}, msg[:])
	res.Message.Text, res.Message.ID = str(msg[0], in), str(msg[1], in)
	jsonscan.Elems(m[6], func(_ int, loc []byte) bool {
		res.Locations = []*gosarif.Location{{PhysicalLocation: physicalLocation(loc, in)}}
		return false
	})
	jsonscan.Elems(m[7], func(_ int, s []byte) bool {
		var status [1][]byte
		jsonscan.Members(s, []string{"status"}, status[:])
		res.Suppressions = append(res.Suppressions, &gosarif.Suppression{Status: str(status[0], in)})
		return true
	})
	var alert [1][]byte
	if jsonscan.Members(m[8], []string{"github/alertNumber"}, alert[:]); alert[0] != nil {
		res.Properties = gosarif.Properties{"github/alertNumber": scalar(alert[0], in)}
	}
	res.Fingerprints, res.PartialFingerprints = printsMap(m[9], in), printsMap(m[10], in)
	res.BaselineState = str(m[11], in)
	return res
}

func physicalLocation(loc []byte, in *interner) *gosarif.PhysicalLocation {
	var pl [1][]byte
	jsonscan.Members(loc, []string{"physicalLocation"}, pl[:])
	if !isObject(pl[0]) {
		return nil
	}
	var m [2][]byte
	jsonscan.Members(pl[0], []string{"artifactLocation", "region"}, m[:])
	out := &gosarif.PhysicalLocation{}
	if isObject(m[0]) {
		var al [3][]byte
		jsonscan.Members(m[0], []string{"uri", "uriBaseId", "index"}, al[:])
		out.ArtifactLocation = &gosarif.ArtifactLocation{URI: str(al[0], in), URIBaseId: str(al[1], in), Index: index(al[2])}
	}
	if isObject(m[1]) {
		var rg [5][]byte
		jsonscan.Members(m[1], []string{"startLine", "startColumn", "endLine", "endColumn", "snippet"}, rg[:])
		out.Region = &gosarif.Region{StartLine: integer(rg[0]), StartColumn: integer(rg[1]), EndLine: integer(rg[2]), EndColumn: integer(rg[3])}
		if isObject(rg[4]) {
			var text [1][]byte
			jsonscan.Members(rg[4], []string{"text"}, text[:])
			out.Region.Snippet = &gosarif.ArtifactContent{Text: str(text[0], in)}
		}
	}
	return out
}

func descriptorReference(v []byte, in *interner) *gosarif.ReportingDescriptorReference {
	if !isObject(v) {
		return nil
	}
	var m [3][]byte
	jsonscan.Members(v, []string{"id", "index", "toolComponent"}, m[:])
	out := &gosarif.ReportingDescriptorReference{Id: str(m[0], in), Index: index(m[1])}
	if isObject(m[2]) {
		var tc [3][]byte
		jsonscan.Members(m[2], []string{"index", "name", "guid"}, tc[:])
		out.ToolComponent = &gosarif.ToolComponentReference{Index: index(tc[0]), Name: str(tc[1], in), Guid: str(tc[2], in)}
	}
	return out
}

// printsMap reads a fingerprints object: strings as strings, other
// values as their JSON text.
func printsMap(v []byte, in *interner) map[string]any {
	if !isObject(v) {
		return nil
	}
	out := map[string]any{}
	jsonscan.Object(v, func(k string, v []byte) bool {
		out[in.string(k)] = scalar(v, in)
		return true
	})
	return out
}

// scalar is a string as a string, any other value as a json.Number of
// its text (what fmt prints of either is the value).
func scalar(v []byte, in *interner) any {
	if s := str(v, in); s != nil {
		return *s
	}
	return json.Number(v)
}

func isObject(v []byte) bool { return len(v) > 0 && v[0] == '{' }

// str reads a JSON string: one copy of each distinct value, with in.
func str(v []byte, in *interner) *string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		s := in.bytes(v[1 : len(v)-1])
		return &s
	}
	if s, ok := jsonscan.String(v); ok {
		s = in.string(s)
		return &s
	}
	return nil
}

func integer(v []byte) *int {
	if n, ok := jsonscan.Int(v); ok {
		i := int(n)
		return &i
	}
	return nil
}

// index reads a non-negative integer, as the model's *uint fields hold.
func index(v []byte) *uint {
	if n, ok := jsonscan.Int(v); ok && n >= 0 {
		u := uint(n)
		return &u
	}
	return nil
}
