package sarif

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
)

// A Result is one element of a run's results, held as its JSON text:
// compact (no white space outside strings) and valid UTF-8. Runs hold
// their results this way (see [Run.EachResult]): they move between runs and logs as
// they are and are written back as they came, nothing in them lost or
// reordered. Decode gives the model of one to read; Rewrite edits one in
// place of its text, Set replaces a top-level member, and Canonicalizer
// compares two by content. NewResult makes one from the model.
type Result []byte

// NewResult returns the JSON text of a result built in the model.
func NewResult(r *gosarif.Result) (Result, error) {
	var buf bytes.Buffer
	e := newEncoder(&buf, nil, "")
	e.value(reflect.ValueOf(r))
	if e.err != nil {
		return nil, e.err
	}
	return Result(buf.Bytes()), nil
}

// Decode returns the result as go-sarif's model, to read: members that the
// model has no field for, or that do not fit its field (a string where it
// wants a number), are left out; Run.DecodeResult also says which.
// Changes to the model do not change r.
func (r Result) Decode() (*gosarif.Result, error) {
	i := jsonscan.SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' || jsonscan.ValueEnd(r, i) < 0 {
		return nil, errMalformed
	}
	var out *gosarif.Result
	newDecoder(nil).value(reflect.ValueOf(&out).Elem(), jsonscan.Tree(r), false)
	return out, nil
}

// DecodeResult is Decode for result index of the run: every member
// that does not fit the model, and so is left out (a level that is an
// object, a startLine of 1e20), is noted on the run (see
// [Run.NoteLenient]), so that a command can say what it read as absent.
func (run *Run) DecodeResult(index int, r Result) (*gosarif.Result, error) {
	i := jsonscan.SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' || jsonscan.ValueEnd(r, i) < 0 {
		return nil, errMalformed
	}
	var out *gosarif.Result
	d := newDecoder(nil)
	d.note = func(ptr, problem string) { run.NoteLenient(index, ptr, problem, "") }
	d.value(reflect.ValueOf(&out).Elem(), jsonscan.Tree(r), false)
	return out, nil
}

// Set returns the result with its top-level member name set to value (a
// string, bool, integer, json.Number, nil, or a map[string]any or []any of
// those), added when absent; the rest of the text is kept as it is.
func (r Result) Set(name string, value any) (Result, error) {
	var buf bytes.Buffer
	e := newEncoder(&buf, nil, "")
	e.tree(value)
	if e.err != nil {
		return nil, e.err
	}
	text := buf.Bytes()
	i := jsonscan.SkipSpace(r, 0)
	if i >= len(r) || r[i] != '{' {
		return nil, errMalformed
	}
	i = jsonscan.SkipSpace(r, i+1)
	for i < len(r) && r[i] == '"' {
		ke := jsonscan.StringEnd(r, i)
		if ke < 0 {
			return nil, errMalformed
		}
		key := r[i+1 : ke-1]
		vs := jsonscan.SkipSpace(r, jsonscan.SkipSpace(r, ke)+1)
		ve := jsonscan.ValueEnd(r, vs)
		if ve < 0 {
			return nil, errMalformed
		}
		if jsonscan.KeyIs(key, name) {
			out := make(Result, 0, len(r)-(ve-vs)+len(text))
			out = append(append(append(out, r[:vs]...), text...), r[ve:]...)
			return out, nil
		}
		i = jsonscan.SkipSpace(r, ve)
		if i < len(r) && r[i] == ',' {
			i = jsonscan.SkipSpace(r, i+1)
		}
	}
	// Absent: added before the closing brace.
	end := len(r) - 1
	for end > 0 && r[end] != '}' {
		end--
	}
	out := make(Result, 0, len(r)+len(name)+len(text)+4)
	out = append(out, r[:end]...)
	if jsonscan.SkipSpace(r, bytes.IndexByte(r, '{')+1) != end {
		out = append(out, ',')
	}
	out = strconv.AppendQuote(out, name)
	out = append(out, ':')
	out = append(out, text...)
	return append(out, r[end:]...), nil
}

// normalResult turns the text of a JSON object (valid JSON, as the
// decoder checked it) into a Result: white space outside strings is
// removed, and invalid UTF-8 in strings is replaced by U+FFFD as encoding/json
// does. The Result never shares memory with b.
func normalResult(b []byte) Result {
	if isNormal(b) {
		return Result(bytes.Clone(b))
	}
	return normalInto(make([]byte, 0, len(b)), b)
}

// isNormal tells whether the text of a JSON object is a Result as it
// is: valid UTF-8, without white space outside strings.
func isNormal(b []byte) bool { return utf8.Valid(b) && firstSpace(b) < 0 }

// normalInto is normalResult writing into dst's memory, reused from its
// start, when it has room: the Result never shares memory with b, and may
// share dst's.
func normalInto(dst, b []byte) Result {
	if !utf8.Valid(b) {
		var buf bytes.Buffer
		e := newEncoder(&buf, nil, "")
		e.tree(jsonscan.Tree(b))
		return Result(buf.Bytes())
	}
	i := firstSpace(b)
	if i < 0 {
		return Result(append(dst[:0], b...))
	}
	out := append(dst[:0], b[:i]...)
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			end := jsonscan.StringEnd(b, i)
			out = append(out, b[i:end]...)
			i = end - 1
		case ' ', '\t', '\n', '\r':
		default:
			out = append(out, c)
		}
	}
	return Result(out)
}

// firstSpace returns the offset of the first white space outside strings
// in valid JSON text, or -1.
func firstSpace(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			if i = jsonscan.StringEnd(b, i) - 1; i < 0 {
				return -1
			}
		case ' ', '\t', '\n', '\r':
			return i
		}
	}
	return -1
}

// writeResult writes a Result, re-indented when the encoder indents: the
// layout is the one the encoder gives generic values (empty objects and
// arrays stay "{}" and "[]").
//
// A failed write (the output's error sticks in its buffer) fails the
// encoder, so that writing stops at the next result: an interrupted
// write of a large log ends at once.
func (e *encoder) writeResult(b Result) {
	if e.indent == "" {
		if _, err := e.w.Write(b); err != nil {
			e.fail(err)
		}
		return
	}
	start := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			if i = jsonscan.StringEnd(b, i) - 1; i < 0 {
				i = len(b) // not a Result: written as it is
			}
		case '{', '[':
			if i+1 < len(b) && (b[i+1] == '}' || b[i+1] == ']') {
				i++ // empty: written as it is
				continue
			}
			e.w.Write(b[start : i+1])
			e.depth++
			e.newline()
			start = i + 1
		case '}', ']':
			e.w.Write(b[start:i])
			e.depth--
			e.newline()
			start = i
		case ',':
			e.w.Write(b[start : i+1])
			e.newline()
			start = i + 1
		case ':':
			e.w.Write(b[start : i+1])
			e.w.WriteByte(' ')
			start = i + 1
		}
	}
	if _, err := e.w.Write(b[start:]); err != nil {
		e.fail(err)
	}
}

// Rule returns how the result names its rule ([RuleRef]), read from its
// ruleId, rule and ruleIndex members alone; [Rules.RuleID] and
// [Rules.Find] resolve it.
func (r Result) Rule() RuleRef {
	m := r.Members("ruleId", "rule", "ruleIndex")
	var res gosarif.Result
	if m[0] != nil {
		json.Unmarshal(m[0], &res.RuleID)
	}
	if m[1] != nil {
		json.Unmarshal(m[1], &res.Rule)
	}
	if m[2] != nil {
		json.Unmarshal(m[2], &res.RuleIndex)
	}
	return resultRule(&res)
}
