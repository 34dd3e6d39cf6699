package sarif

import (
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
	s := &scanner{ctx: ctx, in: in, dec: json.NewDecoder(in), fn: fn}
	s.dec.UseNumber()
	v, err := s.top()
	if err != nil {
		return nil, s.wrap(err)
	}
	// Anything but white space after the top-level value is an error.
	if _, err := s.dec.Token(); !errors.Is(err, io.EOF) {
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
	ctx context.Context
	in  *Input
	dec *json.Decoder
	fn  ResultFunc
	n   int
}

func (s *scanner) top() (any, error) {
	tok, err := s.dec.Token()
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
	_, err = s.dec.Token() // '}'
	return root, err
}

func (s *scanner) runs() (any, error) {
	tok, err := s.dec.Token()
	if err != nil || tok != json.Delim('[') {
		if err != nil {
			return nil, err
		}
		return s.rest(tok)
	}
	runs := []any{}
	for i := 0; s.dec.More(); i++ {
		tok, err := s.dec.Token()
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
		if _, err := s.dec.Token(); err != nil { // '}'
			return nil, err
		}
		runs = append(runs, run)
	}
	_, err = s.dec.Token() // ']'
	return runs, err
}

func (s *scanner) results(run int) (any, error) {
	tok, err := s.dec.Token()
	if err != nil || tok != json.Delim('[') {
		if err != nil {
			return nil, err
		}
		return s.rest(tok)
	}
	for i := 0; s.dec.More(); i++ {
		var v any
		if err := s.dec.Decode(&v); err != nil {
			return nil, err
		}
		if s.n++; s.n%1024 == 0 {
			if err := s.ctx.Err(); err != nil {
				return nil, err
			}
		}
		if s.fn != nil {
			if err := s.fn(run, i, v); err != nil {
				return nil, callbackError{err}
			}
		}
	}
	if _, err := s.dec.Token(); err != nil { // ']'
		return nil, err
	}
	return []any{}, nil
}

func (s *scanner) key() (string, error) {
	tok, err := s.dec.Token()
	if err != nil {
		return "", err
	}
	return tok.(string), nil // the decoder guarantees a string key inside an object
}

func (s *scanner) value() (any, error) {
	var v any
	err := s.dec.Decode(&v)
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
		_, err := s.dec.Token()
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
		_, err := s.dec.Token()
		return a, err
	}
	return tok, nil
}

// callbackError marks an error returned by a ResultFunc, so that wrap passes
// it through untouched.
type callbackError struct{ err error }

func (c callbackError) Error() string { return c.err.Error() }

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
		// The decoder's offset counts the bytes it consumed; the offending
		// byte is the last of them.
		off := jse.Offset - 1
		if off < 0 {
			off = 0
		}
		line, col, ok := s.in.Position(off)
		if !ok {
			line, col = 0, 0
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
