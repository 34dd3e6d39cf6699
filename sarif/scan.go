package sarif

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ResultFunc receives one element of runs[run].results, decoded as a
// generic JSON value (objects as map[string]any, numbers as json.Number).
// An error stops the scan and is returned by Scan as is.
type ResultFunc func(run, index int, result any) error

// Scan streams the JSON text of a SARIF log from in. It calls fn for every
// element of every runs[i].results array, in document order, and returns
// the rest of the log as a generic JSON value: the skeleton, in which every
// results array is replaced by an empty array. Memory use is bounded by the
// skeleton and the largest single result, not by the size of the log.
//
// Scan checks JSON syntax only; it returns a *SyntaxError naming the input
// and the line and column of the first error. It does not check the SARIF
// version or the shape of the log: the skeleton may be any JSON value.
func Scan(ctx context.Context, in *Input, fn ResultFunc) (skeleton any, err error) {
	return scan(ctx, in, func(dec *json.Decoder, run, index int) error {
		v, err := decodeTree(dec)
		if err != nil {
			return err
		}
		if fn == nil {
			return nil
		}
		if err := fn(run, index, v); err != nil {
			return callbackError{err}
		}
		return nil
	})
}

// ScannedResult is one element of runs[].results as ScanResults met it.
type ScannedResult struct {
	Run, Index int
	// Value is the result as a generic JSON value, as Scan gives it.
	Value any
	// Text is the result's JSON text as it is in the input.
	Text []byte
	// Line and Column are where Text starts in the input, 1-based
	// (columns count bytes); 0 when unknown (a result larger than what
	// the input keeps of its recent text, read from a stream).
	Line, Column int
}

// ScanResults is Scan with more about each result: its text and where it
// starts, so that a position inside it can be given as line and column
// (see PointerOffset and Advance).
func ScanResults(ctx context.Context, in *Input, fn func(*ScannedResult) error) (skeleton any, err error) {
	return scan(ctx, in, func(dec *json.Decoder, run, index int) error {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		r := &ScannedResult{Run: run, Index: index, Value: parseTree(raw), Text: raw}
		r.Line, r.Column, _ = in.Position(dec.InputOffset() - int64(len(raw)))
		if err := fn(r); err != nil {
			return callbackError{err}
		}
		return nil
	})
}

// decodeTree reads the next value of dec as a generic tree: the decoder
// checks the syntax and finds the value's end, parseTree builds the tree.
func decodeTree(dec *json.Decoder) (any, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	return parseTree(raw), nil
}

// resultDecoder decodes the next element of runs[run].results from dec.
// Errors that are not the decoder's are wrapped in callbackError.
type resultDecoder func(dec *json.Decoder, run, index int) error

func scan(ctx context.Context, in *Input, decodeResult resultDecoder) (skeleton any, err error) {
	s := &scanner{ctx: ctx, in: in, dec: json.NewDecoder(in), decodeResult: decodeResult}
	s.dec.UseNumber()
	v, err := s.top()
	if err != nil {
		return nil, s.wrap(err)
	}
	// Anything but white space after the top-level value is an error.
	if _, err := s.token(); !errors.Is(err, io.EOF) {
		if err == nil {
			off := s.dec.InputOffset() - 1
			line, col, _ := in.Position(off)
			return nil, &SyntaxError{File: in.Name, Line: line, Column: col, Offset: off,
				Msg: "unexpected data after the top-level value"}
		}
		return nil, s.wrap(err)
	}
	return v, nil
}

type scanner struct {
	ctx          context.Context
	in           *Input
	dec          *json.Decoder
	decodeResult resultDecoder
	n            int
	// start is the input offset at which the last Token or Decode began.
	start int64
}

func (s *scanner) top() (any, error) {
	tok, err := s.token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &SyntaxError{File: s.in.Name, Line: 1, Column: 1, Msg: "empty input: a SARIF log is a JSON object"}
		}
		return nil, err
	}
	if tok != json.Delim('{') {
		return s.rest(tok)
	}
	root := map[string]any{}
	for s.dec.More() {
		key, err := s.key()
		if err != nil {
			return nil, err
		}
		if key == "runs" {
			root[key], err = s.runs()
		} else {
			root[key], err = s.value()
		}
		if err != nil {
			return nil, err
		}
	}
	_, err = s.token() // '}'
	return root, err
}

func (s *scanner) runs() (any, error) {
	tok, err := s.token()
	if err != nil || tok != json.Delim('[') {
		if err != nil {
			return nil, err
		}
		return s.rest(tok)
	}
	runs := []any{}
	for i := 0; s.dec.More(); i++ {
		tok, err := s.token()
		if err != nil {
			return nil, err
		}
		if tok != json.Delim('{') {
			v, err := s.rest(tok)
			if err != nil {
				return nil, err
			}
			runs = append(runs, v)
			continue
		}
		run := map[string]any{}
		for s.dec.More() {
			key, err := s.key()
			if err != nil {
				return nil, err
			}
			if key == "results" {
				run[key], err = s.results(i)
			} else {
				run[key], err = s.value()
			}
			if err != nil {
				return nil, err
			}
		}
		if _, err := s.token(); err != nil { // '}'
			return nil, err
		}
		runs = append(runs, run)
	}
	_, err = s.token() // ']'
	return runs, err
}

func (s *scanner) results(run int) (any, error) {
	tok, err := s.token()
	if err != nil || tok != json.Delim('[') {
		if err != nil {
			return nil, err
		}
		return s.rest(tok)
	}
	for i := 0; s.dec.More(); i++ {
		s.start = s.dec.InputOffset()
		if err := s.decodeResult(s.dec, run, i); err != nil {
			return nil, err
		}
		if s.n++; s.n%1024 == 0 {
			if err := s.ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if _, err := s.token(); err != nil { // ']'
		return nil, err
	}
	return []any{}, nil
}

// token and decode wrap the decoder's methods, remembering where the value
// started: the decoder reports some syntax errors relative to it.
func (s *scanner) token() (json.Token, error) {
	s.start = s.dec.InputOffset()
	return s.dec.Token()
}

func (s *scanner) decode(v *any) error {
	s.start = s.dec.InputOffset()
	return s.dec.Decode(v)
}

func (s *scanner) key() (string, error) {
	tok, err := s.token()
	if err != nil {
		return "", err
	}
	return tok.(string), nil // the decoder guarantees a string key inside an object
}

func (s *scanner) value() (any, error) {
	var v any
	err := s.decode(&v)
	return v, err
}

// rest completes a value whose first token has been read.
func (s *scanner) rest(tok json.Token) (any, error) {
	switch tok {
	case json.Delim('{'):
		m := map[string]any{}
		for s.dec.More() {
			k, err := s.key()
			if err != nil {
				return nil, err
			}
			if m[k], err = s.value(); err != nil {
				return nil, err
			}
		}
		_, err := s.token()
		return m, err
	case json.Delim('['):
		a := []any{}
		for s.dec.More() {
			v, err := s.value()
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := s.token()
		return a, err
	}
	return tok, nil
}

// callbackError marks an error returned by a ResultFunc, so that wrap passes
// it through untouched.
type callbackError struct{ err error }

func (c callbackError) Error() string { return c.err.Error() }

// locate finds the position of the first syntax error by reading the
// input again from its start in one Decode call, for which encoding/json
// reports an exact offset. ok is false when the input cannot be read again
// (standard input) or no error is found that way.
func locate(in *Input) (off int64, line, col int, ok bool) {
	if in.reopen == nil {
		return 0, 0, 0, false
	}
	again, err := in.reopen()
	if err != nil {
		return 0, 0, 0, false
	}
	defer again.Close()
	var discard struct{}
	var jse *json.SyntaxError
	if err := json.NewDecoder(again).Decode(&discard); !errors.As(err, &jse) {
		return 0, 0, 0, false
	}
	off = max(jse.Offset-1, 0)
	line, col, ok = again.Position(off)
	return off, line, col, ok
}

// errorOffset finds, when the input cannot be read again, the offset of
// the byte a syntax error is about. encoding/json counts Decoder offsets in
// bytes seen by its scanner, which are not input offsets when the Token
// API is also used, so the value that failed is decoded again on its own
// from the recent window, where offsets are exact.
func (s *scanner) errorOffset(e *json.SyntaxError) (int64, bool) {
	data, ok := s.in.recent(s.start)
	if !ok {
		return 0, false
	}
	// Skip white space and the separator the Token API consumes itself.
	i := 0
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	if i < len(data) && (data[i] == ',' || data[i] == ':') {
		i++
	}
	var discard struct{}
	var jse *json.SyntaxError
	if err := json.NewDecoder(bytes.NewReader(data[i:])).Decode(&discard); !errors.As(err, &jse) {
		return 0, false
	}
	return s.start + int64(i) + jse.Offset - 1, true
}

// wrap turns decoder errors into *SyntaxError with a position.
func (s *scanner) wrap(err error) error {
	var cb callbackError
	if errors.As(err, &cb) {
		return cb.err
	}
	var se *SyntaxError
	if errors.As(err, &se) {
		return err
	}
	var jse *json.SyntaxError
	if errors.As(err, &jse) {
		off, line, col, ok := locate(s.in)
		if !ok {
			if off, ok = s.errorOffset(jse); ok {
				line, col, _ = s.in.Position(off)
			} else {
				off = s.in.BytesRead()
				msg := jse.Error() + " (near here)"
				line, col = s.in.End()
				return &SyntaxError{File: s.in.Name, Line: line, Column: col, Offset: off, Msg: msg, Err: err}
			}
		}
		return &SyntaxError{File: s.in.Name, Line: line, Column: col, Offset: off, Msg: jse.Error(), Err: err}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		line, col := s.in.End()
		return &SyntaxError{File: s.in.Name, Line: line, Column: col, Offset: s.in.BytesRead(),
			Msg: "unexpected end of input (truncated file?)", Err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return err
	}
	return &InputError{File: s.in.Name, Err: fmt.Errorf("reading: %w", err)}
}
