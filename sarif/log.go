package sarif

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// Version is the only SARIF version this package reads and writes.
const Version = "2.1.0"

// SchemaURI is the $schema value written into new logs.
const SchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// Log is a SARIF 2.1.0 log. Report is the go-sarif model, to be read and
// modified freely; alongside it the Log keeps whatever the model cannot
// represent (members it has no field for, JSON nulls, the exact text of
// numbers and times), so that writing an unmodified Log reproduces its
// input as JSON.
type Log struct {
	Report *gosarif.Report
	extra  extras
	lossy  bool
	// raw holds the results that the log keeps as JSON text, per run:
	// they come before the run's model results.
	raw map[*gosarif.Run][]RawResult
	// badUTF8 and badUTF8At are what the input had of invalid UTF-8.
	badUTF8   int
	badUTF8At Position
}

// InvalidUTF8 reports the invalid UTF-8 of the input the log was read
// from (see Input.InvalidUTF8): reading replaced n bytes with U+FFFD, the
// first at position first of the decompressed text. A command can tell
// its user so ("replaced 2 invalid UTF-8 sequences with U+FFFD, first at
// FILE:3:17"); writing the log writes the replacement characters. n is 0
// for a log read from valid UTF-8 or not read at all (New).
func (l *Log) InvalidUTF8() (n int, first Position) {
	return l.badUTF8, l.badUTF8At
}

// ErrLossy is returned when writing a Log that was read with
// ReadOptions.Lossy: it no longer holds everything its input had.
var ErrLossy = errors.New("sarif: a log read with ReadOptions.Lossy cannot be written: it may have lost data")

// New returns an empty log with version 2.1.0, the $schema URI and no runs.
func New() *Log {
	return &Log{Report: &gosarif.Report{Version: Version, Schema: SchemaURI, Runs: []*gosarif.Run{}}, extra: extras{}}
}

// ReadFile reads a SARIF log from a file, or from standard input when name
// is "-". See Read.
func ReadFile(ctx context.Context, name string, opts *ReadOptions) (*Log, error) {
	in, err := OpenInput(name, opts)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return read(ctx, in, opts)
}

// Parse reads a SARIF log held in memory; name is used in errors.
func Parse(ctx context.Context, data []byte, name string) (*Log, error) {
	return ParseWith(ctx, data, name, nil)
}

// ParseWith is Parse with options.
func ParseWith(ctx context.Context, data []byte, name string, opts *ReadOptions) (*Log, error) {
	in, err := NewInput(bytes.NewReader(data), name, opts)
	if err != nil {
		return nil, err
	}
	in.reopen = func() (*Input, error) { return NewInput(bytes.NewReader(data), name, opts) }
	return read(ctx, in, opts)
}

// Read reads a SARIF 2.1.0 log. It fails with a *SyntaxError when the input
// is not JSON, a *VersionError when the version is not 2.1.0, and a
// *FormatError when the log is not shaped like a SARIF log (top level not
// an object, runs neither an array of objects nor null, a result that is
// not an object). A log with "runs": null reads as a log with no runs
// (Report.Runs is nil) and writes back with "runs": null while Runs stays
// nil. It does not validate against the schema: see package schema.
func Read(ctx context.Context, in *Input) (*Log, error) {
	return read(ctx, in, nil)
}

// ReadInput is Read with options (see ReadOptions.Lossy and
// ReadOptions.RawResults).
func ReadInput(ctx context.Context, in *Input, opts *ReadOptions) (*Log, error) {
	return read(ctx, in, opts)
}

func read(ctx context.Context, in *Input, opts *ReadOptions) (*Log, error) {
	lossy := opts != nil && opts.Lossy
	keepRaw := opts != nil && opts.RawResults && !lossy
	l := &Log{extra: extras{}, lossy: lossy}
	d := newDecoder(l.extra)
	var results [][]*gosarif.Result
	add := func(run int, r *gosarif.Result) {
		for len(results) <= run {
			results = append(results, nil)
		}
		results[run] = append(results[run], r)
	}
	var raws [][]RawResult
	addRaw := func(run int, r RawResult) {
		for len(raws) <= run {
			raws = append(raws, nil)
		}
		raws[run] = append(raws[run], r)
	}
	notObject := func(run, index int, kind string) error {
		return callbackError{&FormatError{File: in.Name, Pointer: "/runs/" + strconv.Itoa(run) + "/results/" + strconv.Itoa(index),
			Msg: "a result must be a JSON object, not " + kind}}
	}
	skeleton, err := scan(ctx, in, func(dec *json.Decoder, run, index int) error {
		if keepRaw {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			if raw[0] != '{' {
				return notObject(run, index, jsonKind(parseTree(raw)))
			}
			addRaw(run, normalRaw(raw))
			return nil
		}
		if lossy {
			r := &gosarif.Result{}
			// Members of the wrong type are left out: the lossy model
			// keeps what fits.
			var ute *json.UnmarshalTypeError
			if err := dec.Decode(&lightResult{Result: r}); err != nil {
				if !errors.As(err, &ute) {
					return err
				}
				if ute.Field == "" {
					return notObject(run, index, ute.Value)
				}
			}
			add(run, r)
			return nil
		}
		t, err := decodeTree(dec)
		if err != nil {
			return err
		}
		if _, ok := t.(map[string]any); !ok {
			return notObject(run, index, jsonKind(t))
		}
		var r *gosarif.Result
		d.value(reflect.ValueOf(&r).Elem(), t, true)
		add(run, r)
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	l.badUTF8, l.badUTF8At = in.InvalidUTF8()
	root, ok := skeleton.(map[string]any)
	if !ok {
		return nil, &FormatError{File: in.Name, Msg: "a SARIF log must be a JSON object, not " + jsonKind(skeleton)}
	}
	if _, hasRuns := root["runs"]; !hasRuns && !claimsSARIF(root) {
		// Every SARIF log, of any version, has runs: this is some other
		// JSON file (a package.json, say).
		return nil, &FormatError{File: in.Name, Msg: "not a SARIF log: a JSON object without \"runs\""}
	}
	if v, _ := root["version"].(string); v != Version {
		found := ""
		if raw, present := root["version"]; present {
			found = fmt.Sprint(raw)
		}
		return nil, &VersionError{File: in.Name, Version: found}
	}
	// "runs": null is valid (the schema allows it: the tool could not
	// run); it reads as a log with no runs and is written back as null.
	runs, ok := root["runs"].([]any)
	if raw, present := root["runs"]; !ok && raw != nil {
		return nil, &FormatError{File: in.Name, Pointer: "/runs", Msg: "runs must be an array, not " + jsonKind(raw)}
	} else if !present {
		return nil, &FormatError{File: in.Name, Pointer: "/runs", Msg: "missing required property \"runs\""}
	}
	for i, r := range runs {
		if _, ok := r.(map[string]any); !ok {
			return nil, &FormatError{File: in.Name, Pointer: "/runs/" + strconv.Itoa(i), Msg: "a run must be a JSON object, not " + jsonKind(r)}
		}
	}
	d.value(reflect.ValueOf(&l.Report).Elem(), root, true)
	for i, run := range l.Report.Runs {
		if i < len(results) && results[i] != nil {
			run.Results = results[i]
		}
		if i < len(raws) && raws[i] != nil {
			l.SetRawResults(run, raws[i])
		}
	}
	return l, nil
}

// claimsSARIF tells whether a log's top level says it is SARIF 2.1.0,
// by its version or its $schema.
func claimsSARIF(root map[string]any) bool {
	v, _ := root["version"].(string)
	schema, _ := root["$schema"].(string)
	return v == Version || strings.Contains(strings.ToLower(schema), "sarif")
}

func jsonKind(t any) string {
	switch t.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}

// lightResult decodes a result without the members that only describe
// it further (code flows, stacks, graphs, fixes, related locations...):
// they are scanned but not stored, which makes lossy reading cheaper.
type lightResult struct {
	*gosarif.Result
	CodeFlows        skip `json:"codeFlows"`
	Stacks           skip `json:"stacks"`
	Graphs           skip `json:"graphs"`
	GraphTraversals  skip `json:"graphTraversals"`
	RelatedLocations skip `json:"relatedLocations"`
	Fixes            skip `json:"fixes"`
	Attachments      skip `json:"attachments"`
	WebRequest       skip `json:"webRequest"`
	WebResponse      skip `json:"webResponse"`
	Provenance       skip `json:"provenance"`
	Taxa             skip `json:"taxa"`
}

// skip is a JSON value that is read and dropped.
type skip struct{}

func (*skip) UnmarshalJSON([]byte) error { return nil }

// WriteOptions tune how a log is written. The zero value writes compact
// JSON.
type WriteOptions struct {
	// Indent, when not empty, pretty-prints with this indentation per level.
	Indent string
	// Gzip compresses the output.
	Gzip bool
}

// Write writes the log as JSON to w. Members of objects come in a fixed
// order, so that the same log always gives the same bytes.
func (l *Log) Write(w io.Writer, opts *WriteOptions) error {
	if l.lossy {
		return ErrLossy
	}
	if opts == nil {
		opts = &WriteOptions{}
	}
	var zw *gzip.Writer
	if opts.Gzip {
		zw = gzip.NewWriter(w)
		w = zw
	}
	e := newEncoder(w, l.extra, opts.Indent)
	e.raw = l.raw
	e.value(reflect.ValueOf(l.Report))
	if opts.Indent != "" {
		e.w.WriteByte('\n')
	}
	if e.err != nil {
		return e.err
	}
	if err := e.flush(); err != nil {
		return err
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

// WriteFile writes the log to the named file atomically: to a temporary
// file in the same directory, renamed over the target only when everything
// was written. On error the target is left as it was. The name "-" writes
// to standard output.
func (l *Log) WriteFile(name string, opts *WriteOptions) error {
	if name == Stdin {
		return l.Write(os.Stdout, opts)
	}
	return WriteFileAtomic(name, func(w io.Writer) error { return l.Write(w, opts) })
}

// WriteFileAtomic creates or replaces the named file with what write
// writes, through a temporary file in the same directory that is renamed
// over the target only on success: on error the target is left as it
// was, and nothing else is left behind. Errors name the target, never the
// temporary file.
func WriteFileAtomic(name string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(name)
	if info, err := os.Stat(name); err == nil && info.IsDir() {
		return fmt.Errorf("writing %s: it is a directory", name)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("writing %s: directory %s does not exist", name, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, ""))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if err = os.Rename(f.Name(), name); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	return nil
}

// pathless drops the path from a file system error about the temporary
// file tmp ("" when it has no name yet): it means nothing to the reader.
// What went wrong is kept.
func pathless(err error, tmp string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && (tmp == "" || pe.Path == tmp) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) && le.Old == tmp {
		return le.Err
	}
	return err
}

// Adopt makes l the owner of what other recorded beyond the model, for
// values that move from other into l (runs, results, rules), and of the
// results other holds as text for its runs. other must not be written
// afterwards.
func (l *Log) Adopt(other *Log) {
	if other == nil || other == l {
		return
	}
	if l.extra == nil {
		l.extra = extras{}
	}
	for k, v := range other.extra {
		l.extra[k] = v
	}
	for run, rs := range other.raw {
		l.SetRawResults(run, rs)
	}
	l.lossy = l.lossy || other.lossy
}

// Encode writes v, a go-sarif value of l, as compact JSON exactly as Write
// would write it inside the log: the same bytes for equal content, so it
// serves to compare values.
func (l *Log) Encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	e := newEncoder(&buf, l.extra, "")
	e.value(reflect.ValueOf(v))
	if e.err != nil {
		return nil, e.err
	}
	if err := e.flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
