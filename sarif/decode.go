package sarif

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
)

// The go-sarif model cannot hold everything a SARIF file may contain: it has
// no place for members it does not know, it turns JSON null into an absent
// member, it stores rank as float32 and times as time.Time, and a few
// required members are plain values that would be written even when absent.
// The decoder below fills the go-sarif structs from a generic JSON tree and
// records, beside the model, whatever the structs cannot reproduce exactly.
// The encoder writes the structs and puts those records back, so that
// read -> write gives JSON equal to the input.

// objKey identifies one go-sarif struct value by its address and type (a
// struct and its first field share an address).
type objKey struct {
	p unsafe.Pointer
	t reflect.Type
}

func keyOf(v reflect.Value) objKey { return objKey{v.Addr().UnsafePointer(), v.Type()} }

// objExtra is what the model cannot hold of one JSON object.
type objExtra struct {
	// unknown holds members that the go-sarif struct has no field for.
	unknown map[string]any
	// overrides holds members whose field does not reproduce the input:
	// the raw JSON value wins on output for as long as the field is left as
	// it was decoded.
	overrides []override
}

type override struct {
	name   string
	raw    any  // the input value (JSON null is nil)
	absent bool // the member was absent from the input
	// snapshot is the field as the encoder wrote it right after decoding
	// (nil when the encoder omitted it). When the field still encodes to
	// the same bytes, the raw value is written instead.
	snapshot []byte
}

func (x *objExtra) override(name string) *override {
	for i := range x.overrides {
		if x.overrides[i].name == name {
			return &x.overrides[i]
		}
	}
	return nil
}

// extras maps go-sarif struct values to what their JSON had beyond them.
// The keys hold pointers into the model, which keeps every annotated object
// alive (and its address unique) for as long as the table is.
type extras map[objKey]*objExtra

// decoder fills go-sarif values from generic JSON trees.
type decoder struct {
	infos map[reflect.Type]*structInfo
	ex    extras
	// note, when set, hears of every value that did not fit its field
	// (other than null), by its JSON pointer below the decoded value;
	// path is where the decoder is.
	note func(ptr string, problem string)
	path []string
}

// push and pop track the path when problems are noted.
func (d *decoder) push(seg string) {
	if d.note != nil {
		d.path = append(d.path, seg)
	}
}

func (d *decoder) pop() {
	if d.note != nil {
		d.path = d.path[:len(d.path)-1]
	}
}

// misfit notes that the JSON value t did not fit v, unless t is null
// (read as absent by every reader) or -1 for an index (SARIF's "none",
// which go-sarif's unsigned fields cannot hold).
func (d *decoder) misfit(v reflect.Value, t any) {
	if d.note == nil || t == nil {
		return
	}
	k := v.Kind()
	if k == reflect.Pointer {
		k = v.Type().Elem().Kind()
	}
	if n, ok := t.(json.Number); ok && n == "-1" && k >= reflect.Uint && k <= reflect.Uint64 {
		return
	}
	var b strings.Builder
	for _, seg := range d.path {
		b.WriteByte('/')
		b.WriteString(escapePointer(seg))
	}
	d.note(b.String(), treeMisfit(v, t))
}

// treeMisfit says how the JSON value t is not what v holds.
func treeMisfit(v reflect.Value, t any) string {
	typ := v.Type()
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	want := "a number"
	switch k := typ.Kind(); {
	case typ == timeType:
		if _, ok := t.(string); ok {
			return "not a date and time (RFC 3339)"
		}
		want = "a string"
	case k == reflect.Struct, k == reflect.Map:
		want = "an object"
	case k == reflect.Slice:
		want = "an array"
	case k == reflect.String:
		want = "a string"
	case k == reflect.Bool:
		want = "a boolean"
	case k >= reflect.Int && k <= reflect.Int64:
		want = "an integer"
	case k >= reflect.Uint && k <= reflect.Uint64:
		want = "a non-negative integer"
		if n, ok := t.(json.Number); ok && strings.HasPrefix(string(n), "-") {
			return "not " + want + " but a negative number"
		}
	}
	var text []byte
	switch t := t.(type) {
	case string:
		text = []byte(`"`)
	case map[string]any:
		text = []byte("{")
	case []any:
		text = []byte("[")
	case bool:
		text = []byte("t")
	case json.Number:
		if want == "a non-negative integer" {
			want = "an integer"
		}
		text = []byte(t)
	}
	return WrongType(text, want)
}

func newDecoder(ex extras) *decoder { return &decoder{infos: typeInfos(), ex: ex} }

// value sets v from the JSON tree t. fit reports whether t could be stored
// in v at all (v is left zero when not); exact whether the encoder will
// reproduce t from v, including everything recorded in the extras table.
// stable tells whether v has an address that lasts (a struct behind a
// pointer or inside such a struct, not a temporary for a map element).
func (d *decoder) value(v reflect.Value, t any, stable bool) (fit, exact bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if t == nil {
			return false, false
		}
		p := reflect.New(v.Type().Elem())
		fit, exact = d.value(p.Elem(), t, true)
		if fit {
			v.Set(p)
		}
		return fit, exact
	case reflect.Interface:
		if t == nil {
			return false, false
		}
		v.Set(reflect.ValueOf(t))
		return true, true
	case reflect.Struct:
		if v.Type() == timeType {
			s, ok := t.(string)
			if !ok {
				return false, false
			}
			tm, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return false, false
			}
			v.Set(reflect.ValueOf(tm))
			return true, tm.Format(time.RFC3339Nano) == s
		}
		m, ok := t.(map[string]any)
		if !ok {
			return false, false
		}
		return true, d.object(v, m, stable)
	case reflect.Slice:
		a, ok := t.([]any)
		if !ok {
			return false, false
		}
		s := reflect.MakeSlice(v.Type(), len(a), len(a))
		exact = true
		for i, e := range a {
			ev := s.Index(i)
			d.push(strconv.Itoa(i))
			efit, eexact := d.value(ev, e, stable)
			if !efit {
				d.misfit(ev, e)
			}
			d.pop()
			if !efit {
				ev.SetZero()
				// A nil pointer or interface element is written as null.
				nilable := ev.Kind() == reflect.Pointer || ev.Kind() == reflect.Interface
				eexact = nilable && e == nil
			}
			exact = exact && eexact
		}
		v.Set(s)
		return true, exact
	case reflect.Map:
		m, ok := t.(map[string]any)
		if !ok || v.Type().Key().Kind() != reflect.String {
			return false, false
		}
		mv := reflect.MakeMapWithSize(v.Type(), len(m))
		exact = true
		for k, e := range m {
			ev := reflect.New(v.Type().Elem()).Elem()
			d.push(k)
			efit, eexact := d.value(ev, e, false)
			if !efit {
				d.misfit(ev, e)
			}
			d.pop()
			if !efit {
				ev.SetZero()
				nilable := ev.Kind() == reflect.Pointer || ev.Kind() == reflect.Interface
				eexact = nilable && e == nil
			}
			exact = exact && eexact
			mv.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), ev)
		}
		v.Set(mv)
		return true, exact
	case reflect.String:
		s, ok := t.(string)
		if !ok {
			return false, false
		}
		v.SetString(s)
		return true, true
	case reflect.Bool:
		b, ok := t.(bool)
		if !ok {
			return false, false
		}
		v.SetBool(b)
		return true, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := t.(json.Number)
		if !ok {
			return false, false
		}
		i, ok := jsonscan.Int([]byte(n))
		if !ok || v.OverflowInt(i) {
			return false, false
		}
		v.SetInt(i)
		return true, strconv.FormatInt(i, 10) == string(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := t.(json.Number)
		if !ok {
			return false, false
		}
		u, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(string(n), 64)
			if ferr != nil || f != math.Trunc(f) || f < 0 || f >= math.MaxUint64 {
				return false, false
			}
			u = uint64(f)
		}
		if v.OverflowUint(u) {
			return false, false
		}
		v.SetUint(u)
		return true, strconv.FormatUint(u, 10) == string(n)
	case reflect.Float32, reflect.Float64:
		n, ok := t.(json.Number)
		if !ok {
			return false, false
		}
		bits := v.Type().Bits()
		f, err := strconv.ParseFloat(string(n), bits)
		if err != nil {
			return false, false
		}
		v.SetFloat(f)
		return true, string(appendFloat(nil, f, bits)) == string(n)
	}
	return false, false
}

// object fills the struct v from the JSON object m and records in the
// extras table what v cannot hold. It reports whether v alone reproduces
// m; for a stable v that is always true, the rest being in the table.
func (d *decoder) object(v reflect.Value, m map[string]any, stable bool) bool {
	info := d.infos[v.Type()]
	var x *objExtra
	for k, raw := range m {
		i, known := info.byName[k]
		if !known {
			if x == nil {
				x = &objExtra{}
			}
			if x.unknown == nil {
				x.unknown = map[string]any{}
			}
			x.unknown[k] = raw
			continue
		}
		fi := &info.fields[i]
		fv := v.FieldByIndex(fi.index)
		d.push(k)
		fit, exact := d.value(fv, raw, stable)
		if !fit {
			d.misfit(fv, raw)
			fv.SetZero()
		}
		d.pop()
		if fit && exact && emitted(fv, fi) {
			continue
		}
		if x == nil {
			x = &objExtra{}
		}
		x.overrides = append(x.overrides, override{name: k, raw: raw, snapshot: d.snapshot(fv, fi)})
	}
	for _, i := range info.always {
		fi := &info.fields[i]
		if _, present := m[fi.name]; present {
			continue
		}
		if x == nil {
			x = &objExtra{}
		}
		x.overrides = append(x.overrides, override{name: fi.name, absent: true, snapshot: d.snapshot(v.FieldByIndex(fi.index), fi)})
	}
	if x == nil {
		return true
	}
	if !stable || d.ex == nil {
		return false
	}
	d.ex[keyOf(v)] = x
	return true
}

// snapshot encodes a field the way the encoder would write it; nil when the
// encoder would leave it out.
func (d *decoder) snapshot(fv reflect.Value, fi *fieldInfo) []byte {
	if !emitted(fv, fi) {
		return nil
	}
	var buf bytes.Buffer
	e := newEncoder(&buf, d.ex, "")
	e.value(fv)
	if e.err != nil {
		return nil
	}
	e.flush()
	return buf.Bytes()
}

// emitted tells whether the encoder writes the field: nilable values when
// not nil, other values unless zero and tagged omitempty.
func emitted(fv reflect.Value, fi *fieldInfo) bool {
	switch fv.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return !fv.IsNil()
	}
	return !fi.omitEmpty || !fv.IsZero()
}
