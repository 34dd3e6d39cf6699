package diff

import (
	"bytes"
	"encoding/json"
	"strconv"

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
	// problems are the members of the last result summarised that were
	// not what SARIF wants, and so were read as absent (see
	// sarif.Run.NoteLenient).
	problems []problem
}

// A problem is a member of a result (its pointer below the result) read
// as absent, and what it was.
type problem struct{ member, what string }

// wrong notes that the member's value v (present, not null) is not what
// was wanted (see sarif.WrongType).
func (s *summarizer) wrong(member string, v []byte, want string) {
	if len(v) > 0 && v[0] != 'n' {
		s.problems = append(s.problems, problem{member, sarif.WrongType(v, want)})
	}
}

// strAt, integerAt, indexAt, objectAt and arrayAt read a member as str,
// integer, index and isObject do, noting a value of the wrong type.
func (s *summarizer) strAt(member string, v []byte) *string {
	p := s.str(v)
	if p == nil && v != nil {
		s.wrong(member, v, "a string")
	}
	return p
}

func (s *summarizer) integerAt(member string, v []byte) *int {
	p := s.integer(v)
	if p == nil && v != nil {
		s.wrong(member, v, "an integer")
	}
	return p
}

func (s *summarizer) indexAt(member string, v []byte) *uint {
	p := s.index(v)
	if p == nil && v != nil {
		if n, ok := jsonscan.Int(v); ok && n < 0 {
			if n != -1 { // -1: SARIF's "none"
				s.problems = append(s.problems, problem{member, "not a non-negative integer but a negative number"})
			}
			return nil
		}
		s.wrong(member, v, "an integer")
	}
	return p
}

func (s *summarizer) objectAt(member string, v []byte) bool {
	if isObject(v) {
		return true
	}
	if v != nil {
		s.wrong(member, v, "an object")
	}
	return false
}

func (s *summarizer) arrayAt(member string, v []byte) bool {
	if len(v) > 0 && v[0] == '[' {
		return true
	}
	if v != nil {
		s.wrong(member, v, "an array")
	}
	return false
}

// summary returns the model of what the matcher reads of a result, read
// from its text without decoding the rest: how it names its rule, its
// kind, level, message and baselineState, its first location's
// artifactLocation and region, the status of its suppressions, its
// github/alertNumber property and its fingerprints. It gives these the
// values Result.Decode gives them (a member of the wrong type is left
// out, and listed in s.problems, for the run's notes), several times
// faster, which matters on logs of 100,000 results.
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
	s.problems = s.problems[:0]
	var m [12][]byte
	jsonscan.Members(r, []string{"ruleId", "ruleIndex", "rule", "kind", "level", "message", "locations",
		"suppressions", "properties", "fingerprints", "partialFingerprints", "baselineState"}, m[:])
	res := &s.res
	*res = gosarif.Result{}
	res.RuleID = s.strAt("/ruleId", m[0])
	res.RuleIndex = s.indexAt("/ruleIndex", m[1])
	if s.objectAt("/rule", m[2]) {
		res.Rule = s.descriptorReference(m[2])
	}
	res.Kind, res.Level = s.strAt("/kind", m[3]), s.strAt("/level", m[4])
	var msg [2][]byte
	if s.objectAt("/message", m[5]) {
		jsonscan.Members(m[5], []string{"text", "id"}, msg[:])
	}
	res.Message.Text, res.Message.ID = s.strAt("/message/text", msg[0]), s.strAt("/message/id", msg[1])
	if s.arrayAt("/locations", m[6]) {
		jsonscan.Elems(m[6], func(_ int, loc []byte) bool {
			if s.objectAt("/locations/0", loc) {
				s.loc = gosarif.Location{PhysicalLocation: s.physicalLocation(loc)}
				s.locs[0] = &s.loc
				res.Locations = s.locs[:]
			}
			return false
		})
	}
	if s.arrayAt("/suppressions", m[7]) {
		jsonscan.Elems(m[7], func(i int, v []byte) bool {
			var status [1][]byte
			if !isObject(v) {
				s.wrong("/suppressions/"+strconv.Itoa(i), v, "an object")
				return true
			}
			jsonscan.Members(v, []string{"status"}, status[:])
			var st *string
			if st = s.str(status[0]); st == nil && status[0] != nil {
				s.wrong("/suppressions/"+strconv.Itoa(i)+"/status", status[0], "a string")
			}
			s.supp = append(s.supp, gosarif.Suppression{Status: st})
			return true
		})
	}
	for i := range s.supp {
		s.supps = append(s.supps, &s.supp[i])
	}
	if len(s.supps) > 0 {
		res.Suppressions = s.supps
	}
	var alert [1][]byte
	if s.objectAt("/properties", m[8]) {
		jsonscan.Members(m[8], []string{"github/alertNumber"}, alert[:])
	}
	if alert[0] != nil {
		if s.props == nil {
			s.props = gosarif.Properties{}
		}
		s.props["github/alertNumber"] = s.scalar(alert[0])
		res.Properties = s.props
	}
	if s.objectAt("/fingerprints", m[9]) {
		res.Fingerprints = s.printsMap(0, m[9])
	}
	if s.objectAt("/partialFingerprints", m[10]) {
		res.PartialFingerprints = s.printsMap(1, m[10])
	}
	res.BaselineState = s.strAt("/baselineState", m[11])
	return res
}

// The pointers of the members of a result's first location.
const (
	physicalLocationPtr = "/locations/0/physicalLocation"
	artifactLocationPtr = physicalLocationPtr + "/artifactLocation"
	regionPtr           = physicalLocationPtr + "/region"
)

func (s *summarizer) physicalLocation(loc []byte) *gosarif.PhysicalLocation {
	var pl [1][]byte
	jsonscan.Members(loc, []string{"physicalLocation"}, pl[:])
	if !s.objectAt(physicalLocationPtr, pl[0]) {
		return nil
	}
	var m [2][]byte
	jsonscan.Members(pl[0], []string{"artifactLocation", "region"}, m[:])
	s.pl = gosarif.PhysicalLocation{}
	if s.objectAt(artifactLocationPtr, m[0]) {
		var al [3][]byte
		jsonscan.Members(m[0], []string{"uri", "uriBaseId", "index"}, al[:])
		s.al = gosarif.ArtifactLocation{URI: s.strAt(artifactLocationPtr+"/uri", al[0]), URIBaseId: s.strAt(artifactLocationPtr+"/uriBaseId", al[1]),
			Index: s.indexAt(artifactLocationPtr+"/index", al[2])}
		s.pl.ArtifactLocation = &s.al
	}
	if s.objectAt(regionPtr, m[1]) {
		var rg [5][]byte
		jsonscan.Members(m[1], []string{"startLine", "startColumn", "endLine", "endColumn", "snippet"}, rg[:])
		s.rg = gosarif.Region{StartLine: s.integerAt(regionPtr+"/startLine", rg[0]), StartColumn: s.integerAt(regionPtr+"/startColumn", rg[1]),
			EndLine: s.integerAt(regionPtr+"/endLine", rg[2]), EndColumn: s.integerAt(regionPtr+"/endColumn", rg[3])}
		if s.objectAt(regionPtr+"/snippet", rg[4]) {
			var text [1][]byte
			jsonscan.Members(rg[4], []string{"text"}, text[:])
			s.snippet = gosarif.ArtifactContent{Text: s.strAt(regionPtr+"/snippet/text", text[0])}
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
	s.ref = gosarif.ReportingDescriptorReference{Id: s.strAt("/rule/id", m[0]), Index: s.indexAt("/rule/index", m[1])}
	if s.objectAt("/rule/toolComponent", m[2]) {
		var tc [3][]byte
		jsonscan.Members(m[2], []string{"index", "name", "guid"}, tc[:])
		s.tc = gosarif.ToolComponentReference{Index: s.indexAt("/rule/toolComponent/index", tc[0]), Name: s.strAt("/rule/toolComponent/name", tc[1]),
			Guid: s.strAt("/rule/toolComponent/guid", tc[2])}
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
