package sarif

import (
	"bytes"
	"reflect"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// RawResult is one element of a run's results held as JSON text instead of
// in the model: compact (no white space outside strings) and valid UTF-8.
// A log read with ReadOptions.RawResults holds its results this way; they
// are written back as they are, so nothing in them is lost or reordered.
// Rewrite edits one in place of its text, Canonical compares two by
// content, and Log.DecodeResults turns them into model results.
type RawResult []byte

// RawResults returns the results l holds as JSON text for run. A run's
// results are these, followed by run.Results.
func (l *Log) RawResults(run *gosarif.Run) []RawResult {
	return l.raw[run]
}

// SetRawResults sets the results l holds as JSON text for run (replacing
// any it held); each must be a RawResult: a compact JSON object in valid
// UTF-8. They are written before run.Results, which may be empty.
func (l *Log) SetRawResults(run *gosarif.Run, rs []RawResult) {
	if len(rs) == 0 {
		delete(l.raw, run)
		return
	}
	if l.raw == nil {
		l.raw = map[*gosarif.Run][]RawResult{}
	}
	l.raw[run] = rs
}

// EncodeResults moves the run's model results to the results l holds as
// JSON text (appended after those it already holds), encoded exactly as
// Write would write them; run.Results is empty afterwards.
func (l *Log) EncodeResults(run *gosarif.Run) error {
	if len(run.Results) == 0 {
		return nil
	}
	rs := l.raw[run]
	for _, r := range run.Results {
		b, err := l.Encode(r)
		if err != nil {
			return err
		}
		rs = append(rs, RawResult(b))
	}
	l.SetRawResults(run, rs)
	run.Results = []*gosarif.Result{}
	return nil
}

// DecodeResults moves the results l holds as JSON text for run into the
// model, before the run's model results, without loss (as Read does).
func (l *Log) DecodeResults(run *gosarif.Run) {
	rs := l.raw[run]
	if len(rs) == 0 {
		return
	}
	if l.extra == nil {
		l.extra = extras{}
	}
	d := newDecoder(l.extra)
	results := make([]*gosarif.Result, 0, len(rs)+len(run.Results))
	for _, raw := range rs {
		var r *gosarif.Result
		d.value(reflect.ValueOf(&r).Elem(), parseTree(raw), true)
		results = append(results, r)
	}
	run.Results = append(results, run.Results...)
	delete(l.raw, run)
}

// normalRaw turns the text of a JSON object (valid JSON, as the decoder
// checked it) into a RawResult: white space outside strings is removed,
// and invalid UTF-8 in strings is replaced by U+FFFD as Read does. It
// returns b itself when it already is one.
func normalRaw(b []byte) RawResult {
	if !utf8.Valid(b) {
		var buf bytes.Buffer
		e := newEncoder(&buf, nil, "")
		e.tree(parseTree(b))
		return RawResult(buf.Bytes())
	}
	i := firstSpace(b)
	if i < 0 {
		return RawResult(b)
	}
	out := make([]byte, i, len(b))
	copy(out, b)
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			end := stringEnd(b, i)
			out = append(out, b[i:end]...)
			i = end - 1
		case ' ', '\t', '\n', '\r':
		default:
			out = append(out, c)
		}
	}
	return RawResult(out)
}

// firstSpace returns the offset of the first white space outside strings
// in valid JSON text, or -1.
func firstSpace(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			if i = stringEnd(b, i) - 1; i < 0 {
				return -1
			}
		case ' ', '\t', '\n', '\r':
			return i
		}
	}
	return -1
}

// writeRaw writes a RawResult, re-indented when the encoder indents: the
// layout is the one the encoder gives generic values (empty objects and
// arrays stay "{}" and "[]").
func (e *encoder) writeRaw(b RawResult) {
	if e.indent == "" {
		e.w.Write(b)
		return
	}
	start := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			if i = stringEnd(b, i) - 1; i < 0 {
				i = len(b) // not a RawResult: written as it is
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
	e.w.Write(b[start:])
}
