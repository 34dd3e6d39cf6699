package sarif

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
)

// ResultFunc receives one element of runs[run].results, decoded as a
// generic JSON value (objects as map[string]any, numbers as json.Number).
// An error stops the scan and is returned by Scan as is.
type ResultFunc func(run, index int, result any) error

// A Skeleton is what Scan returns of a log besides its results.
type Skeleton struct {
	// Value is the log as a generic JSON value (objects as map[string]any,
	// numbers as json.Number) in which every results array is empty.
	Value any
	// InvalidUTF8 counts the bytes of the text that are not UTF-8 (JSON
	// text must be, RFC 8259 §8.1), each of which readers replace with
	// U+FFFD; FirstInvalidUTF8 is where the first is.
	InvalidUTF8      int
	FirstInvalidUTF8 Position
}

// Scan streams the JSON text of a SARIF log from r (gzip-compressed or
// not, as Read reads it). It calls fn for every element of every
// runs[i].results array, in document order, and returns the rest of the
// log: memory use is bounded by the skeleton and the largest single
// result, not by the size of the log.
//
// Scan checks JSON syntax only; it returns a *SyntaxError naming the input
// and the line and column of the first error (exactly when r is an
// io.ReadSeeker, such as a file, that can be read again). It does not
// check the SARIF version or the shape of the log: the skeleton may be
// any JSON value.
func Scan(ctx context.Context, r io.Reader, name string, opts *ReadOptions, fn ResultFunc) (*Skeleton, error) {
	in, err := newInput(r, name, opts)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	v, err := scan(ctx, in, func(dec *json.Decoder, run, index int) error {
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
	}, nil)
	if err != nil {
		return nil, err
	}
	sk := &Skeleton{Value: v}
	sk.InvalidUTF8, sk.FirstInvalidUTF8 = in.InvalidUTF8()
	return sk, nil
}

// decodeTree reads the next value of dec as a generic tree: the decoder
// checks the syntax and finds the value's end, parseTree builds the tree.
func decodeTree(dec *json.Decoder) (any, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	return jsonscan.Tree(raw), nil
}

// resultDecoder decodes the next element of runs[run].results from dec.
// Errors that are not the decoder's are wrapped in callbackError.
type resultDecoder func(dec *json.Decoder, run, index int) error

// scan streams the log from in: decodeResult reads each result, onValue
// (nil for none) hears of each part of the skeleton (see scanner.onValue).
func scan(ctx context.Context, in *input, decodeResult resultDecoder, onValue func(ptr string, text []byte, start int64)) (skeleton any, err error) {
	s := &scanner{ctx: ctx, in: in, dec: json.NewDecoder(in), decodeResult: decodeResult, onValue: onValue}
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
	in           *input
	dec          *json.Decoder
	decodeResult resultDecoder
	n            int
	// start is the input offset at which the last Token or Decode began.
	start int64
	// onValue, when set, is told of every part of the skeleton as it is
	// read: a member value (its text, and the offset where it starts) or
	// the opening of the log, runs, a run or its results (text nil, the
	// offset of the bracket). ptr is the part's JSON pointer.
	onValue func(ptr string, text []byte, start int64)
}

// opened tells onValue that the container at ptr opened with the token
// just read.
func (s *scanner) opened(ptr string) {
	if s.onValue != nil {
		s.onValue(ptr, nil, s.dec.InputOffset()-1)
	}
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
	s.opened("")
	root := map[string]any{}
	for s.dec.More() {
		key, err := s.key()
		if err != nil {
			return nil, err
		}
		if key == "runs" {
			root[key], err = s.runs()
		} else {
			root[key], err = s.value("/" + escapePointer(key))
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
	s.opened("/runs")
	runs := []any{}
	for i := 0; s.dec.More(); i++ {
		tok, err := s.token()
		if err != nil {
			return nil, err
		}
		runPtr := "/runs/" + strconv.Itoa(i)
		if tok != json.Delim('{') {
			v, err := s.rest(tok)
			if err != nil {
				return nil, err
			}
			runs = append(runs, v)
			continue
		}
		s.opened(runPtr)
		run := map[string]any{}
		for s.dec.More() {
			key, err := s.key()
			if err != nil {
				return nil, err
			}
			if key == "results" {
				run[key], err = s.results(i)
			} else {
				run[key], err = s.value(runPtr + "/" + escapePointer(key))
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
	s.opened("/runs/" + strconv.Itoa(run) + "/results")
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

// value reads the next value, at ptr in the log.
func (s *scanner) value(ptr string) (any, error) {
	if s.onValue == nil {
		var v any
		err := s.decode(&v)
		return v, err
	}
	s.start = s.dec.InputOffset()
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return nil, err
	}
	s.onValue(ptr, raw, s.dec.InputOffset()-int64(len(raw)))
	return jsonscan.Tree(raw), nil
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
			var v any
			if err = s.decode(&v); err != nil {
				return nil, err
			}
			m[k] = v
		}
		_, err := s.token()
		return m, err
	case json.Delim('['):
		a := []any{}
		for s.dec.More() {
			var v any
			if err := s.decode(&v); err != nil {
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
func locate(in *input) (off int64, line, col int, ok bool) {
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
