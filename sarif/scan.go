package sarif

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

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
// result (each value read at most ReadOptions.MaxValueSize), not by the
// size of the log.
//
// Scan checks JSON syntax only; it returns a *SyntaxError naming the input
// and the line and column of the first error (exactly when r is an
// io.ReadSeeker, such as a file, that can be read again), with the JSON
// pointer of the value it is in; a *DuplicateNameError for an object with
// two members of one name, anywhere; an *EncodingError for UTF-16 or
// UTF-32 text. It does not
// check the SARIF version or the shape of the log: the skeleton may be
// any JSON value.
func Scan(ctx context.Context, r io.Reader, name string, opts *ReadOptions, fn ResultFunc) (*Skeleton, error) {
	in, err := newInput(r, name, opts)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	v, err := scan(ctx, in, func(text []byte, _ int64, run, index int) error {
		if fn == nil {
			return nil
		}
		if err := fn(run, index, jsonscan.Tree(text)); err != nil {
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

// resultDecoder receives the JSON text of runs[run].results[index], which
// starts at offset start of the input; text is valid only during the
// call. Errors that are not the decoder's are wrapped in callbackError.
type resultDecoder func(text []byte, start int64, run, index int) error

// scan streams the log from in with a jsontext decoder, which checks the
// syntax and reports exact offsets: decodeResult reads each result,
// onValue (nil for none) hears of each part of the skeleton (see
// scanner.onValue). Invalid UTF-8 is accepted, as encoding/json accepts
// it (the input counts the invalid bytes; the readers replace them).
// Duplicate member names are not, anywhere in the log: RFC 8259 leaves
// their meaning undefined (readers keep the first, the last, or both),
// and a log that means different things to different readers is refused
// with a *DuplicateNameError.
func scan(ctx context.Context, in *input, decodeResult resultDecoder, onValue func(ptr string, text []byte, start int64)) (skeleton any, err error) {
	s := &scanner{ctx: ctx, in: in, decodeResult: decodeResult, onValue: onValue, at: -1,
		dec: jsontext.NewDecoder(in, jsontext.AllowDuplicateNames(false), jsontext.AllowInvalidUTF8(true))}
	// The decoder keeps in its buffer everything from the end of the last
	// token it returned: the white space after it and the whole of the
	// value it reads. The input reads no more than MaxValueSize past it.
	in.held = s.dec.InputOffset
	defer func() { in.held = nil }()
	if s.dec.PeekKind() == 0 {
		if _, err := s.dec.ReadToken(); errors.Is(err, io.EOF) {
			return nil, &SyntaxError{File: in.Name, Line: 1, Column: 1, Msg: "empty input: a SARIF log is a JSON object"}
		}
	}
	v, err := s.top()
	if err != nil {
		return nil, s.wrap(err)
	}
	// Anything but white space after the top-level value is an error.
	switch extra, err := s.dec.ReadValue(); {
	case errors.Is(err, io.EOF):
		return v, nil
	case err == nil:
		off := s.dec.InputOffset() - int64(len(extra))
		return nil, s.syntaxError(off, "unexpected data after the top-level value", nil)
	default:
		return nil, s.wrap(err)
	}
}

type scanner struct {
	ctx          context.Context
	in           *input
	dec          *jsontext.Decoder
	decodeResult resultDecoder
	n            int
	skeleton     int64 // bytes of the skeleton's values read so far
	// onValue, when set, is told of every part of the skeleton as it is
	// read: a member value (its text, and the offset where it starts) or
	// the opening of the log, runs, a run or its results (text nil, the
	// offset of the bracket). ptr is the part's JSON pointer.
	onValue func(ptr string, text []byte, start int64)
	// at is where the value being read with ReadValue starts (or
	// before it: white space and a separator may come first; -1 between
	// values), and
	// atPtr or, for a result, atRun and atIndex its pointer: an error
	// inside the value gets its pointer from there (see valuePointer).
	at             int64
	atPtr          string
	atRun, atIndex int
}

// open reads the opening bracket of an object or array, and tells
// onValue of it.
func (s *scanner) open(ptr string) error {
	if _, err := s.dec.ReadToken(); err != nil {
		return err
	}
	if s.onValue != nil {
		s.onValue(ptr, nil, s.dec.InputOffset()-1)
	}
	return nil
}

// key reads a member name.
func (s *scanner) key() (string, error) {
	tok, err := s.dec.ReadToken()
	if err != nil {
		return "", err
	}
	return tok.String(), nil
}

// value reads the next value, at ptr in the log, as a generic tree.
func (s *scanner) value(ptr string) (any, error) {
	s.at, s.atPtr, s.atIndex = s.dec.InputOffset(), ptr, -1
	v, err := s.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	s.at = -1
	// The skeleton is held in memory whole: its text counts against the
	// same limit as one value.
	if s.skeleton += int64(len(v)); s.in.maxValue >= 0 && s.skeleton > s.in.maxValue {
		return nil, &SizeLimitError{File: s.in.Name, Limit: s.in.maxValue, Value: true, Skeleton: true}
	}
	if s.onValue != nil {
		s.onValue(ptr, v, s.dec.InputOffset()-int64(len(v)))
	}
	return jsonscan.Tree(v), nil
}

func (s *scanner) top() (any, error) {
	if s.dec.PeekKind() != '{' {
		return s.value("")
	}
	if err := s.open(""); err != nil {
		return nil, err
	}
	root := map[string]any{}
	for s.dec.PeekKind() != '}' {
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
	_, err := s.dec.ReadToken() // '}'
	return root, err
}

func (s *scanner) runs() (any, error) {
	if s.dec.PeekKind() != '[' {
		return s.value("/runs")
	}
	if err := s.open("/runs"); err != nil {
		return nil, err
	}
	runs := []any{}
	for i := 0; s.dec.PeekKind() != ']'; i++ {
		runPtr := "/runs/" + strconv.Itoa(i)
		if s.dec.PeekKind() != '{' {
			v, err := s.value(runPtr)
			if err != nil {
				return nil, err
			}
			runs = append(runs, v)
			continue
		}
		if err := s.open(runPtr); err != nil {
			return nil, err
		}
		run := map[string]any{}
		for s.dec.PeekKind() != '}' {
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
		if _, err := s.dec.ReadToken(); err != nil { // '}'
			return nil, err
		}
		runs = append(runs, run)
	}
	_, err := s.dec.ReadToken() // ']'
	return runs, err
}

func (s *scanner) results(run int) (any, error) {
	ptr := "/runs/" + strconv.Itoa(run) + "/results"
	if s.dec.PeekKind() != '[' {
		return s.value(ptr)
	}
	if err := s.open(ptr); err != nil {
		return nil, err
	}
	for i := 0; s.dec.PeekKind() != ']'; i++ {
		s.at, s.atRun, s.atIndex = s.dec.InputOffset(), run, i
		v, err := s.dec.ReadValue()
		if err != nil {
			return nil, err
		}
		s.at = -1
		if err := s.decodeResult(v, s.dec.InputOffset()-int64(len(v)), run, i); err != nil {
			return nil, err
		}
		if s.n++; s.n%1024 == 0 {
			if err := s.ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if _, err := s.dec.ReadToken(); err != nil { // ']'
		return nil, err
	}
	return []any{}, nil
}

// maxPointerInMessage is about the most bytes of a JSON pointer an error
// message shows: a pointer into text nested 10000 levels deep is 20 KB.
const maxPointerInMessage = 200

// valuePointer returns the JSON pointer of the place at offset off inside
// the value being read with ReadValue (see scanner.at), where the decoder
// reported an error: the decoder's own pointer is not reliable there (it
// loses member names, and shows garbage once its buffer has moved). The
// value's text is read back from the input's recent window; when that no
// longer holds its start, the pointer is the value's.
func (s *scanner) valuePointer(off int64) string {
	ptr := s.atPtr
	if s.atIndex >= 0 {
		ptr = "/runs/" + strconv.Itoa(s.atRun) + "/results/" + strconv.Itoa(s.atIndex)
	}
	text, ok := s.in.recent(s.at)
	if !ok || off-s.at > int64(len(text)) {
		return ptr
	}
	// The decoder's offset before a value is past the last token, the
	// separator before the value still to come.
	start := jsonscan.SkipSpace(text, 0)
	if start < len(text) && (text[start] == ',' || text[start] == ':') {
		start = jsonscan.SkipSpace(text, start+1)
	}
	return ptr + jsonscan.Pointer(jsonscan.PathAt(text[start:], int(off-s.at)-start))
}

// callbackError marks an error returned by a ResultFunc, so that wrap passes
// it through untouched.
type callbackError struct{ err error }

func (c callbackError) Error() string { return c.err.Error() }

// syntaxError returns the *SyntaxError of the byte at offset off.
func (s *scanner) syntaxError(off int64, msg string, err error) *SyntaxError {
	line, col, ok := s.in.Position(off)
	if !ok {
		line, col, ok = s.positionAgain(off)
	}
	if !ok {
		// Only the offset is known: the error message says it.
		return &SyntaxError{File: s.in.Name, Offset: off, Msg: msg, Err: err}
	}
	return &SyntaxError{File: s.in.Name, Line: line, Column: col, Offset: off, Msg: msg, Err: err}
}

// positionAgain finds the line and column of offset off by reading the
// input again from its start, when it can be (a file); the tracker keeps
// the recent text only.
func (s *scanner) positionAgain(off int64) (line, col int, ok bool) {
	if s.in.reopen == nil {
		return 0, 0, false
	}
	again, err := s.in.reopen()
	if err != nil {
		return 0, 0, false
	}
	defer again.Close()
	if _, err := io.CopyN(io.Discard, again, off+1); err != nil {
		return 0, 0, false
	}
	return again.Position(off)
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
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return err
	}
	var sle *SizeLimitError
	if errors.As(err, &sle) {
		return sle
	}
	var dne *DuplicateNameError
	if errors.As(err, &dne) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		line, col := s.in.End()
		return &SyntaxError{File: s.in.Name, Line: line, Column: col, Offset: s.in.BytesRead(),
			Msg: "unexpected end of input (truncated file?)", Err: err}
	}
	var jse *jsontext.SyntacticError
	if errors.As(err, &jse) && jse.Err != nil {
		ptr := string(jse.JSONPointer)
		if s.at >= 0 && jse.ByteOffset >= s.at {
			ptr = s.valuePointer(jse.ByteOffset)
		}
		if errors.Is(err, jsontext.ErrDuplicateName) {
			se := s.syntaxError(jse.ByteOffset, "", nil)
			return &DuplicateNameError{File: se.File, Pointer: ptr, Name: jsontext.Pointer(ptr).LastToken(),
				Line: se.Line, Column: se.Column, Offset: se.Offset}
		}
		msg := jse.Err.Error()
		if msg == "exceeded max depth" {
			msg = "nested more than 10000 levels deep"
		}
		if ptr != "" {
			msg += " (in " + printable(jsonscan.ShortPointer(ptr, maxPointerInMessage)) + ")"
		}
		return s.syntaxError(jse.ByteOffset, msg, err)
	}
	return &InputError{File: s.in.Name, Err: fmt.Errorf("reading: %w", err)}
}
