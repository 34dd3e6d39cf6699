package sarif

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
)

// encoder writes go-sarif values and generic JSON trees as JSON, merging in
// the extras recorded by the decoder. Keys of generic objects are written
// in sorted order, struct members in the order of typeInfos, so output is
// deterministic.
type encoder struct {
	w      jsonWriter
	ex     extras
	infos  map[reflect.Type]*structInfo
	indent string
	depth  int
	err    error
	buf    []byte
	// log is the log being written, run the run: the encoder writes the
	// log's Runs in place of its top level's runs member, and a run's
	// Results in place of its model's results.
	log *Log
	run *Run
}

var (
	runType    = reflect.TypeFor[gosarif.Run]()
	reportType = reflect.TypeFor[gosarif.Report]()
)

// jsonWriter is what the encoder writes to: a *bufio.Writer for output,
// a *bytes.Buffer for values encoded in memory.
type jsonWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

// newEncoder returns an encoder writing to w, buffered unless w already
// is a buffer; flush must be called at the end.
func newEncoder(w io.Writer, ex extras, indent string) *encoder {
	jw, ok := w.(jsonWriter)
	if !ok {
		jw = bufio.NewWriterSize(w, 64<<10)
	}
	return &encoder{w: jw, ex: ex, infos: typeInfos(), indent: indent}
}

// flush flushes a buffered writer.
func (e *encoder) flush() error {
	if bw, ok := e.w.(*bufio.Writer); ok {
		return bw.Flush()
	}
	return nil
}

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// objectWriter tracks the members written so far of one object or array.
type objectWriter struct {
	e     *encoder
	close byte
	n     int
}

func (e *encoder) begin(open, close byte) objectWriter {
	e.w.WriteByte(open)
	e.depth++
	return objectWriter{e: e, close: close}
}

func (o *objectWriter) next() {
	if o.n > 0 {
		o.e.w.WriteByte(',')
	}
	o.n++
	o.e.newline()
}

func (o *objectWriter) key(k string) {
	o.next()
	o.e.str(k)
	o.e.w.WriteByte(':')
	if o.e.indent != "" {
		o.e.w.WriteByte(' ')
	}
}

func (o *objectWriter) end() {
	o.e.depth--
	if o.n > 0 {
		o.e.newline()
	}
	o.e.w.WriteByte(o.close)
}

func (e *encoder) newline() {
	if e.indent == "" {
		return
	}
	e.w.WriteByte('\n')
	for range e.depth {
		e.w.WriteString(e.indent)
	}
}

// value writes a go-sarif value.
func (e *encoder) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.w.WriteString("null")
			return
		}
		if v.Kind() == reflect.Interface {
			e.tree(v.Elem().Interface())
			return
		}
		e.value(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			e.str(v.Interface().(time.Time).Format(time.RFC3339Nano))
			return
		}
		e.object(v)
	case reflect.Slice:
		if v.IsNil() {
			e.w.WriteString("null")
			return
		}
		a := e.begin('[', ']')
		for i := range v.Len() {
			a.next()
			e.value(v.Index(i))
		}
		a.end()
	case reflect.Map:
		if v.IsNil() {
			e.w.WriteString("null")
			return
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		o := e.begin('{', '}')
		for _, k := range keys {
			o.key(k)
			e.value(v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
		}
		o.end()
	case reflect.String:
		e.str(v.String())
	case reflect.Bool:
		e.w.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf[:0], v.Int(), 10)
		e.w.Write(e.buf)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.buf = strconv.AppendUint(e.buf[:0], v.Uint(), 10)
		e.w.Write(e.buf)
	case reflect.Float32, reflect.Float64:
		e.float(v.Float(), v.Type().Bits())
	default:
		e.fail(fmt.Errorf("sarif: cannot encode a value of type %s", v.Type()))
	}
}

func (e *encoder) object(v reflect.Value) {
	info := e.infos[v.Type()]
	if info == nil {
		e.fail(fmt.Errorf("sarif: cannot encode a value of type %s", v.Type()))
		return
	}
	var x *objExtra
	if len(e.ex) > 0 && v.CanAddr() {
		x = e.ex[keyOf(v)]
	}
	top := e.log != nil && v.Type() == reportType && v.CanAddr() && v.Addr().Interface() == e.log.Top
	run := e.run != nil && v.Type() == runType && v.CanAddr() && v.Addr().Interface() == e.run.Model
	o := e.begin('{', '}')
	for i := range info.fields {
		fi := &info.fields[i]
		fv := v.FieldByIndex(fi.index)
		switch {
		case top && fi.name == "runs":
			o.key(fi.name)
			if len(e.log.Runs) == 0 && e.log.runsNull {
				e.w.WriteString("null")
			} else {
				e.runs(e.log.Runs)
			}
			continue
		case run && fi.name == "results":
			if fv.Len() > 0 {
				e.fail(errResultsInModel)
			}
			switch {
			case e.run.Len() > 0 || e.run.results == memberArray:
				o.key(fi.name)
				e.results(e.run)
			case e.run.results == memberNull:
				o.key(fi.name)
				e.w.WriteString("null")
			}
			continue
		}
		if x != nil {
			if ov := x.override(fi.name); ov != nil && e.unchanged(ov, fv, fi) {
				if !ov.absent {
					o.key(fi.name)
					e.tree(ov.raw)
				}
				continue
			}
		}
		if !emitted(fv, fi) {
			continue
		}
		o.key(fi.name)
		e.value(fv)
	}
	if x != nil && len(x.unknown) > 0 {
		keys := make([]string, 0, len(x.unknown))
		for k := range x.unknown {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			o.key(k)
			e.tree(x.unknown[k])
		}
	}
	o.end()
}

// runs writes a log's runs, each with what it recorded beyond its model.
func (e *encoder) runs(runs []*Run) {
	a := e.begin('[', ']')
	ex := e.ex
	for _, r := range runs {
		a.next()
		if r == nil || r.Model == nil {
			e.w.WriteString("null")
			continue
		}
		e.ex, e.run = r.extra, r
		e.value(reflect.ValueOf(r.Model))
	}
	e.ex, e.run = ex, nil
	a.end()
}

// results writes a run's results.
func (e *encoder) results(run *Run) {
	a := e.begin('[', ']')
	if err := run.eachInOrder(func(_ int, r Result) error {
		a.next()
		e.writeResult(r)
		return e.err
	}); err != nil {
		e.fail(err)
	}
	a.end()
}

// unchanged tells whether a field still encodes as it did when decoded.
func (e *encoder) unchanged(ov *override, fv reflect.Value, fi *fieldInfo) bool {
	if !emitted(fv, fi) {
		return ov.snapshot == nil
	}
	if ov.snapshot == nil {
		return false
	}
	var buf bytes.Buffer
	sub := newEncoder(&buf, e.ex, "")
	sub.value(fv)
	sub.flush()
	return sub.err == nil && bytes.Equal(buf.Bytes(), ov.snapshot)
}

// tree writes a generic JSON value: what encoding/json decodes into an any,
// plus the Go scalar types a caller may put into a property bag. Other
// types are written with encoding/json.
func (e *encoder) tree(t any) {
	switch t := t.(type) {
	case nil:
		e.w.WriteString("null")
	case string:
		e.str(t)
	case bool:
		e.w.WriteString(strconv.FormatBool(t))
	case json.Number:
		if _, err := strconv.ParseFloat(string(t), 64); err != nil && !isRange(err) {
			e.fail(fmt.Errorf("sarif: invalid number %q", string(t)))
			return
		}
		e.w.WriteString(string(t))
	case float64:
		e.float(t, 64)
	case float32:
		e.float(float64(t), 32)
	case int:
		e.w.Write(strconv.AppendInt(e.buf[:0], int64(t), 10))
	case int64:
		e.w.Write(strconv.AppendInt(e.buf[:0], t, 10))
	case uint64:
		e.w.Write(strconv.AppendUint(e.buf[:0], t, 10))
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := e.begin('{', '}')
		for _, k := range keys {
			o.key(k)
			e.tree(t[k])
		}
		o.end()
	case []any:
		a := e.begin('[', ']')
		for _, x := range t {
			a.next()
			e.tree(x)
		}
		a.end()
	default:
		v := reflect.ValueOf(t)
		if v.Kind() == reflect.Pointer && v.IsNil() {
			e.w.WriteString("null")
			return
		}
		if e.infos[reflect.Indirect(v).Type()] != nil {
			e.value(v)
			return
		}
		b, err := json.Marshal(t)
		if err != nil {
			e.fail(fmt.Errorf("sarif: encoding a %T: %w", t, err))
			return
		}
		// Re-read through a generic tree so that indentation and key order
		// follow the rest of the output.
		var g any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&g); err != nil {
			e.fail(err)
			return
		}
		e.tree(g)
	}
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func (e *encoder) float(f float64, bits int) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.fail(fmt.Errorf("sarif: cannot encode %v as JSON", f))
		e.w.WriteString("null")
		return
	}
	e.buf = appendFloat(e.buf[:0], f, bits)
	e.w.Write(e.buf)
}

// appendFloat formats a float the way encoding/json does: the shortest
// representation that reads back as the same value, with an exponent only
// for very small or very large magnitudes.
func appendFloat(b []byte, f float64, bits int) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// Clean up e-09 to e-9.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// str writes a JSON string (see jsonscan.AppendString).
func (e *encoder) str(s string) {
	e.buf = jsonscan.AppendString(e.buf[:0], s)
	e.w.Write(e.buf)
}
