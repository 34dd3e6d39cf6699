package diff

import (
	"bytes"
	"encoding/json"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/sarif"
)

// A summarizer reads what the matcher needs of results into memory it
// reuses from result to result: a comparison reads hundreds of thousands,
// and a model allocated for each would be most of what it allocates
// (and so of the garbage collector's work). One serves one goroutine;
// the strings it returns are the interner's, and outlive the model.
type summarizer struct {
	in *interner

	res     gosarif.Result
	loc     gosarif.Location
	locs    [1]*gosarif.Location
	pl      gosarif.PhysicalLocation
	al      gosarif.ArtifactLocation
	rg      gosarif.Region
	snippet gosarif.ArtifactContent
	ref     gosarif.ReportingDescriptorReference
	tc      gosarif.ToolComponentReference
	supps   []*gosarif.Suppression
	supp    []gosarif.Suppression
	props   gosarif.Properties
	prints  [2]map[string]any
	// strs, ints and uints back the model's pointer fields. A pointer
	// into them stays valid when a later append moves them: it keeps
	// the old array.
	strs  []string
	ints  []int
	uints []uint
}

// summary returns the model of what the matcher reads of a result, read
// from its text without decoding the rest: how it names its rule, its
// kind, level, message and baselineState, its first location's
// artifactLocation and region, the status of its suppressions, its
// github/alertNumber property and its fingerprints. It gives these the
// values Result.Decode gives them (a member of the wrong type is left
// out), several times faster, which matters on logs of 100,000 results.
// nil when r is not an object. The model is valid until the next call.
func (s *summarizer) summary(r sarif.Result) *gosarif.Result {
	i := jsonscan.SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' {
		return nil
	}
	if s.strs == nil {
		s.strs, s.ints, s.uints = make([]string, 0, 32), make([]int, 0, 8), make([]uint, 0, 8)
	}
	s.strs, s.ints, s.uints, s.supps, s.supp = s.strs[:0], s.ints[:0], s.uints[:0], s.supps[:0], s.supp[:0]
	var m [12][]byte
	jsonscan.Members(r, []string{"ruleId", "ruleIndex", "rule", "kind", "level", "message", "locations",
		"suppressions", "properties", "fingerprints", "partialFingerprints", "baselineState"}, m[:])
	res := &s.res
	*res = gosarif.Result{}
	res.RuleID = s.str(m[0])
	res.RuleIndex = s.index(m[1])
	if m[2] != nil {
		res.Rule = s.descriptorReference(m[2])
	}
	res.Kind, res.Level = s.str(m[3]), s.str(m[4])
	var msg [2][]byte
	jsonscan.Members(m[5], []string{"text", "id"}, msg[:])
	res.Message.Text, res.Message.ID = s.str(msg[0]), s.str(msg[1])
	jsonscan.Elems(m[6], func(_ int, loc []byte) bool {
		s.loc = gosarif.Location{PhysicalLocation: s.physicalLocation(loc)}
		s.locs[0] = &s.loc
		res.Locations = s.locs[:]
		return false
	})
	jsonscan.Elems(m[7], func(_ int, v []byte) bool {
		var status [1][]byte
		jsonscan.Members(v, []string{"status"}, status[:])
		s.supp = append(s.supp, gosarif.Suppression{Status: s.str(status[0])})
		return true
	})
	for i := range s.supp {
		s.supps = append(s.supps, &s.supp[i])
	}
	if len(s.supps) > 0 {
		res.Suppressions = s.supps
	}
	var alert [1][]byte
	if jsonscan.Members(m[8], []string{"github/alertNumber"}, alert[:]); alert[0] != nil {
		if s.props == nil {
			s.props = gosarif.Properties{}
		}
		s.props["github/alertNumber"] = s.scalar(alert[0])
		res.Properties = s.props
	}
	res.Fingerprints, res.PartialFingerprints = s.printsMap(0, m[9]), s.printsMap(1, m[10])
	res.BaselineState = s.str(m[11])
	return res
}

// summary is a summarizer's summary, in memory of its own.
func summary(r sarif.Result, in *interner) *gosarif.Result {
	return (&summarizer{in: in}).summary(r)
}

func (s *summarizer) physicalLocation(loc []byte) *gosarif.PhysicalLocation {
	var pl [1][]byte
	jsonscan.Members(loc, []string{"physicalLocation"}, pl[:])
	if !isObject(pl[0]) {
		return nil
	}
	var m [2][]byte
	jsonscan.Members(pl[0], []string{"artifactLocation", "region"}, m[:])
	s.pl = gosarif.PhysicalLocation{}
	if isObject(m[0]) {
		var al [3][]byte
		jsonscan.Members(m[0], []string{"uri", "uriBaseId", "index"}, al[:])
		s.al = gosarif.ArtifactLocation{URI: s.str(al[0]), URIBaseId: s.str(al[1]), Index: s.index(al[2])}
		s.pl.ArtifactLocation = &s.al
	}
	if isObject(m[1]) {
		var rg [5][]byte
		jsonscan.Members(m[1], []string{"startLine", "startColumn", "endLine", "endColumn", "snippet"}, rg[:])
		s.rg = gosarif.Region{StartLine: s.integer(rg[0]), StartColumn: s.integer(rg[1]), EndLine: s.integer(rg[2]), EndColumn: s.integer(rg[3])}
		if isObject(rg[4]) {
			var text [1][]byte
			jsonscan.Members(rg[4], []string{"text"}, text[:])
			s.snippet = gosarif.ArtifactContent{Text: s.str(text[0])}
			s.rg.Snippet = &s.snippet
		}
		s.pl.Region = &s.rg
	}
	return &s.pl
}

func (s *summarizer) descriptorReference(v []byte) *gosarif.ReportingDescriptorReference {
	if !isObject(v) {
		return nil
	}
	var m [3][]byte
	jsonscan.Members(v, []string{"id", "index", "toolComponent"}, m[:])
	s.ref = gosarif.ReportingDescriptorReference{Id: s.str(m[0]), Index: s.index(m[1])}
	if isObject(m[2]) {
		var tc [3][]byte
		jsonscan.Members(m[2], []string{"index", "name", "guid"}, tc[:])
		s.tc = gosarif.ToolComponentReference{Index: s.index(tc[0]), Name: s.str(tc[1]), Guid: s.str(tc[2])}
		s.ref.ToolComponent = &s.tc
	}
	return &s.ref
}

// printsMap reads a fingerprints object (k is 0 for fingerprints, 1
// for partialFingerprints): strings as strings, other values as their
// JSON text.
func (s *summarizer) printsMap(k int, v []byte) map[string]any {
	if !isObject(v) {
		return nil
	}
	out := s.prints[k]
	if out == nil {
		out = map[string]any{}
		s.prints[k] = out
	}
	clear(out)
	jsonscan.Object(v, func(key string, v []byte) bool {
		out[s.in.string(key)] = s.scalar(v)
		return true
	})
	return out
}

// scalar is a string as a string, any other value as a json.Number of
// its text (what fmt prints of either is the value).
func (s *summarizer) scalar(v []byte) any {
	if p := s.str(v); p != nil {
		return *p
	}
	return json.Number(v)
}

func isObject(v []byte) bool { return len(v) > 0 && v[0] == '{' }

// str reads a JSON string: the interner's copy of it.
func (s *summarizer) str(v []byte) *string {
	var out string
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		out = s.in.bytes(v[1 : len(v)-1])
	} else if u, ok := jsonscan.String(v); ok {
		out = s.in.string(u)
	} else {
		return nil
	}
	s.strs = append(s.strs, out)
	return &s.strs[len(s.strs)-1]
}

func (s *summarizer) integer(v []byte) *int {
	if n, ok := jsonscan.Int(v); ok {
		s.ints = append(s.ints, int(n))
		return &s.ints[len(s.ints)-1]
	}
	return nil
}

// index reads a non-negative integer, as the model's *uint fields hold.
func (s *summarizer) index(v []byte) *uint {
	if n, ok := jsonscan.Int(v); ok && n >= 0 {
		s.uints = append(s.uints, uint(n))
		return &s.uints[len(s.uints)-1]
	}
	return nil
}
