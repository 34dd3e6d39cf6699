package sarif

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
)

// errMalformed is returned for text that is not the JSON a Result must
// be; the decoder never produces such text, so it means a caller built it.
var errMalformed = errors.New("sarif: malformed result text")

// RawObject is one JSON object inside a Result, as Rewrite meets it. Its
// members are read from the original text: edits made through Set and
// Delete take effect when Rewrite returns, and do not show in reads. The
// zero RawObject stands for an absent object: it exists not, reads find
// nothing in it, and it cannot be changed.
type RawObject struct {
	rw *rewriter
	id int // index into rw.objs, valid when rw != nil
}

// rewriter parses one result and collects the edits made to it.
type rewriter struct {
	data  []byte
	infos map[reflect.Type]*structInfo
	// objs are the objects parsed, in document order up to walked (the
	// walk's); objects parsed on demand afterwards follow.
	objs    []rawObj
	walked  int
	members []rawMember
	stack   []rawMember // members of the objects being parsed
	ops     []editOp
	opAt    map[opKey]int // the index in ops of the edit of each member
	fn      func(RawObject)
}

type rawObj struct {
	kind       string       // the schema definition name; "" for objects of no SARIF type
	elem       reflect.Type // for objects of no SARIF type: the type of their members, or nil
	start, end int          // '{' and one past '}'
	lo, hi     int          // its members: rw.members[lo:hi]
}

type rawMember struct {
	key              []byte // the key's text between its quotes (may hold escapes)
	keyStart         int    // offset of the key's opening quote
	valStart, valEnd int
	obj              int // the value's index in rw.objs when parsed, else -1
}

// editOp is one change to a member: a new value, or its removal.
type editOp struct {
	obj    int
	name   string
	member int // index into rw.members, -1 when the member is new
	text   []byte
	del    bool
}

// Rewrite calls fn for every object in the result that the SARIF schema
// gives a type (the result itself, its locations, physical and logical
// locations, artifactLocations, regions, messages, code flows, thread
// flow locations, rule references...), children before their parent, and
// returns the result with the changes fn made, or r itself when it made
// none. Property bags and other free-form members are not entered. It
// fails when r is not a JSON object.
func (r Result) Rewrite(fn func(RawObject)) (Result, error) {
	rw := &rewriter{data: r, infos: typeInfos(), fn: fn}
	i := jsonscan.SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' {
		return nil, errMalformed
	}
	if _, end, err := rw.object(i, resultType); err != nil {
		return nil, err
	} else if jsonscan.SkipSpace(r, end) != len(r) {
		return nil, errMalformed
	}
	rw.walked = len(rw.objs)
	if len(rw.ops) == 0 {
		return r, nil
	}
	return rw.apply(), nil
}

var resultType = reflect.TypeFor[gosarif.Result]()

// object parses the object at data[i] as a value of Go type t (a go-sarif
// struct, a map, or nil for free-form) and returns its index in rw.objs.
// Objects of a go-sarif struct type are passed to fn once parsed.
func (rw *rewriter) object(i int, t reflect.Type) (int, int, error) {
	info := rw.infos[t]
	kind := ""
	var elem reflect.Type
	if info != nil {
		kind = info.kind
	} else if t != nil && t.Kind() == reflect.Map {
		elem = t.Elem()
	}
	id := len(rw.objs)
	rw.objs = append(rw.objs, rawObj{kind: kind, elem: elem, start: i})
	// Members are gathered on a stack, above those of the objects that
	// contain this one.
	base := len(rw.stack)
	i = jsonscan.SkipSpace(rw.data, i+1)
	if i < len(rw.data) && rw.data[i] == '}' {
		i++
	} else {
		for {
			if i >= len(rw.data) || rw.data[i] != '"' {
				return 0, 0, errMalformed
			}
			ke := jsonscan.StringEnd(rw.data, i)
			if ke < 0 {
				return 0, 0, errMalformed
			}
			m := rawMember{key: rw.data[i+1 : ke-1], keyStart: i, obj: -1}
			i = jsonscan.SkipSpace(rw.data, ke)
			if i >= len(rw.data) || rw.data[i] != ':' {
				return 0, 0, errMalformed
			}
			m.valStart = jsonscan.SkipSpace(rw.data, i+1)
			vt := elem
			if info != nil {
				vt = nil
				if f, ok := info.byName[string(m.key)]; ok {
					vt = info.fields[f].typ
				}
			}
			var err error
			m.obj, m.valEnd, err = rw.value(m.valStart, vt)
			if err != nil {
				return 0, 0, err
			}
			rw.stack = append(rw.stack, m)
			i = jsonscan.SkipSpace(rw.data, m.valEnd)
			if i < len(rw.data) && rw.data[i] == ',' {
				i = jsonscan.SkipSpace(rw.data, i+1)
				continue
			}
			if i < len(rw.data) && rw.data[i] == '}' {
				i++
				break
			}
			return 0, 0, errMalformed
		}
	}
	o := &rw.objs[id]
	o.end = i
	o.lo = len(rw.members)
	rw.members = append(rw.members, rw.stack[base:]...)
	o.hi = len(rw.members)
	rw.stack = rw.stack[:base]
	if info != nil && rw.fn != nil {
		rw.fn(RawObject{rw, id})
	}
	return id, i, nil
}

// value parses the value at data[i] as Go type t and returns the index of
// the object it is (or -1) and its end.
func (rw *rewriter) value(i int, t reflect.Type) (int, int, error) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if i >= len(rw.data) {
		return -1, 0, errMalformed
	}
	switch rw.data[i] {
	case '{':
		if t != nil && (rw.infos[t] != nil || t.Kind() == reflect.Map && structured(t.Elem())) {
			return rw.object(i, t)
		}
	case '[':
		if t != nil && t.Kind() == reflect.Slice && structured(t.Elem()) {
			i = jsonscan.SkipSpace(rw.data, i+1)
			if i < len(rw.data) && rw.data[i] == ']' {
				return -1, i + 1, nil
			}
			for {
				_, end, err := rw.value(i, t.Elem())
				if err != nil {
					return -1, 0, err
				}
				i = jsonscan.SkipSpace(rw.data, end)
				if i < len(rw.data) && rw.data[i] == ',' {
					i = jsonscan.SkipSpace(rw.data, i+1)
					continue
				}
				if i < len(rw.data) && rw.data[i] == ']' {
					return -1, i + 1, nil
				}
				return -1, 0, errMalformed
			}
		}
	}
	end := jsonscan.ValueEnd(rw.data, i)
	if end < 0 {
		return -1, 0, errMalformed
	}
	return -1, end, nil
}

// structured tells whether values of Go type t may hold objects of a
// SARIF type.
func structured(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		return t != timeType
	case reflect.Slice, reflect.Map:
		return structured(t.Elem())
	}
	return false
}

// Exists tells whether the object is there.
func (o RawObject) Exists() bool { return o.rw != nil }

// Kind is the object's type as the SARIF schema names its definitions
// ("result", "location", "artifactLocation", "region", "message",
// "threadFlowLocation", "reportingDescriptorReference"...), or "" for an
// object of no SARIF type (a property bag, partialFingerprints...) or an
// absent one.
func (o RawObject) Kind() string {
	if o.rw == nil {
		return ""
	}
	return o.rw.objs[o.id].kind
}

func (o RawObject) member(name string) (int, bool) {
	if o.rw == nil {
		return 0, false
	}
	ob := &o.rw.objs[o.id]
	for k := ob.lo; k < ob.hi; k++ {
		if jsonscan.KeyIs(o.rw.members[k].key, name) {
			return k, true
		}
	}
	return 0, false
}

// Raw returns the JSON text of the named member, or nil when it is absent.
func (o RawObject) Raw(name string) []byte {
	k, ok := o.member(name)
	if !ok {
		return nil
	}
	m := &o.rw.members[k]
	return o.rw.data[m.valStart:m.valEnd]
}

// String returns the named member when it is a string.
func (o RawObject) String(name string) (string, bool) {
	return jsonscan.String(o.Raw(name))
}

// Int returns the named member when it is an integer.
func (o RawObject) Int(name string) (int64, bool) {
	return jsonscan.Int(o.Raw(name))
}

// Object returns the named member when it is an object, typed by the
// schema where the schema gives it a type; the zero RawObject otherwise.
func (o RawObject) Object(name string) RawObject {
	k, ok := o.member(name)
	if !ok {
		return RawObject{}
	}
	return o.rw.objectAt(o.rw.members[k])
}

// Elem returns element i of the named member when that is an array whose
// element i is an object; the zero RawObject otherwise.
func (o RawObject) Elem(name string, i int) RawObject {
	var found RawObject
	o.elems(name, func(n int, e RawObject) bool {
		if n == i {
			found = e
			return false
		}
		return true
	})
	return found
}

// Elems returns the elements of the named member when it is an array: its
// objects, and the zero RawObject for elements that are not objects.
func (o RawObject) Elems(name string) []RawObject {
	var all []RawObject
	o.elems(name, func(_ int, e RawObject) bool {
		all = append(all, e)
		return true
	})
	return all
}

// elems calls fn for the elements of the named array member, in order,
// until it returns false.
func (o RawObject) elems(name string, fn func(int, RawObject) bool) {
	k, ok := o.member(name)
	if !ok {
		return
	}
	m := o.rw.members[k]
	data := o.rw.data
	if m.valStart >= len(data) || data[m.valStart] != '[' {
		return
	}
	p := jsonscan.SkipSpace(data, m.valStart+1)
	for n := 0; p < m.valEnd && data[p] != ']'; n++ {
		end := jsonscan.ValueEnd(data, p)
		if end < 0 {
			return
		}
		if !fn(n, o.rw.objectAt(rawMember{valStart: p, valEnd: end, obj: o.rw.objAt(p)})) {
			return
		}
		p = jsonscan.SkipSpace(data, end)
		if p < len(data) && data[p] == ',' {
			p = jsonscan.SkipSpace(data, p+1)
		}
	}
}

// objAt finds the parsed object that starts at offset p, or -1.
func (rw *rewriter) objAt(p int) int {
	k, ok := slices.BinarySearchFunc(rw.objs[:rw.walked], p, func(o rawObj, p int) int { return cmp.Compare(o.start, p) })
	if ok {
		return k
	}
	for k := rw.walked; k < len(rw.objs); k++ {
		if rw.objs[k].start == p {
			return k
		}
	}
	return -1
}

// objectAt returns the object that is the value of m, parsing it as a
// free-form object when the walk did not.
func (rw *rewriter) objectAt(m rawMember) RawObject {
	if m.valStart >= len(rw.data) || rw.data[m.valStart] != '{' {
		return RawObject{}
	}
	if m.obj >= 0 {
		return RawObject{rw, m.obj}
	}
	if k := rw.objAt(m.valStart); k >= 0 {
		return RawObject{rw, k}
	}
	// A free-form object, parsed on demand (after the walk, so that its
	// children are not walked again).
	fn := rw.fn
	rw.fn = nil
	id, _, err := rw.object(m.valStart, nil)
	rw.fn = fn
	if err != nil {
		return RawObject{}
	}
	return RawObject{rw, id}
}

// Set gives the named member a new value (a string, bool, integer,
// json.Number, nil, or a map[string]any or []any of those), adding it when
// absent. It fails on an absent object and on a value it cannot encode.
func (o RawObject) Set(name string, value any) error {
	if o.rw == nil {
		return fmt.Errorf("sarif: setting %q on an absent object", name)
	}
	var buf bytes.Buffer
	e := newEncoder(&buf, nil, "")
	e.tree(value)
	if e.err != nil {
		return e.err
	}
	o.rw.op(editOp{obj: o.id, name: name, text: buf.Bytes()})
	return nil
}

// Delete removes the named member, if present.
func (o RawObject) Delete(name string) {
	if o.rw == nil {
		return
	}
	o.rw.op(editOp{obj: o.id, name: name, del: true})
}

// op records a change, replacing an earlier one to the same member.
func (rw *rewriter) op(op editOp) {
	op.member = -1
	if k, ok := (RawObject{rw, op.obj}).member(op.name); ok {
		op.member = k
	}
	key := opKey{op.obj, op.name}
	if i, ok := rw.opAt[key]; ok {
		rw.ops[i] = op
		return
	}
	if rw.opAt == nil {
		rw.opAt = map[opKey]int{}
	}
	rw.opAt[key] = len(rw.ops)
	rw.ops = append(rw.ops, op)
}

// opKey is the member an edit changes: its object and name.
type opKey struct {
	obj  int
	name string
}

// splice replaces data[start:end] with text.
type splice struct {
	start, end int
	text       []byte
}

// apply returns the text with the recorded changes made.
func (rw *rewriter) apply() Result {
	var sp []splice
	// Per object: removals of deleted members (with the right commas),
	// then additions before its closing brace. The edits are taken
	// object by object (in the order they were asked for within each),
	// so that many edits cost no more than their number.
	ops := slices.Clone(rw.ops)
	slices.SortStableFunc(ops, func(a, b editOp) int { return cmp.Compare(a.obj, b.obj) })
	for len(ops) > 0 {
		id := ops[0].obj
		end := 1
		for end < len(ops) && ops[end].obj == id {
			end++
		}
		group := ops[:end]
		ops = ops[end:]
		ob := rw.objs[id]
		n := ob.hi - ob.lo
		deleted := make([]bool, n)
		var added []editOp
		for _, op := range group {
			switch {
			case op.member >= 0 && op.del:
				deleted[op.member-ob.lo] = true
			case op.member >= 0:
				m := rw.members[op.member]
				sp = append(sp, splice{m.valStart, m.valEnd, op.text})
			case !op.del:
				added = append(added, op)
			}
		}
		kept := n
		for a := 0; a < n; a++ {
			if !deleted[a] {
				continue
			}
			b := a
			for b+1 < n && deleted[b+1] {
				b++
			}
			kept -= b - a + 1
			ma, mb := rw.members[ob.lo+a], rw.members[ob.lo+b]
			switch {
			case b+1 < n: // up to the next kept member
				sp = append(sp, splice{ma.keyStart, rw.members[ob.lo+b+1].keyStart, nil})
			case a > 0: // from the end of the last kept member
				sp = append(sp, splice{rw.members[ob.lo+a-1].valEnd, mb.valEnd, nil})
			default:
				sp = append(sp, splice{ma.keyStart, mb.valEnd, nil})
			}
			a = b
		}
		var text []byte
		for _, op := range added {
			if kept > 0 {
				text = append(text, ',')
			}
			kept++
			text = strconv.AppendQuote(text, op.name)
			text = append(text, ':')
			text = append(text, op.text...)
		}
		if len(text) > 0 {
			sp = append(sp, splice{ob.end - 1, ob.end - 1, text})
		}
	}
	// Outer changes win over changes inside what they replace.
	slices.SortStableFunc(sp, func(a, b splice) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	out := make([]byte, 0, len(rw.data)+64)
	pos := 0
	for _, s := range sp {
		if s.start < pos || s.end < pos {
			continue // inside a change already made
		}
		out = append(out, rw.data[pos:s.start]...)
		out = append(out, s.text...)
		pos = s.end
	}
	return Result(append(out, rw.data[pos:]...))
}

// Member returns the JSON text of the result's top-level member name, or
// nil when it has none (or r is not a JSON object).
func (r Result) Member(name string) []byte {
	var v [1][]byte
	r.members([]string{name}, v[:])
	return v[0]
}

// Members returns the JSON text of the named top-level members of the
// result, in the order of names (nil for those it lacks), reading the
// result once.
func (r Result) Members(names ...string) [][]byte {
	values := make([][]byte, len(names))
	r.members(names, values)
	return values
}

func (r Result) members(names []string, values [][]byte) { jsonscan.Members(r, names, values) }
