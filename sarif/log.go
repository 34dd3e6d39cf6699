package sarif

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/atomicfile"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
)

// Version is the only SARIF version this package reads and writes.
const Version = "2.1.0"

// SchemaURI is the $schema value written into new logs.
const SchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// A Log is a SARIF 2.1.0 log: its top level and its runs.
type Log struct {
	// Top holds the members of the log's top level other than runs, as
	// go-sarif's model: $schema, version, inlineExternalProperties,
	// properties. Its Runs field is not used: writing a log whose
	// Top.Runs is not empty fails.
	Top *gosarif.Report
	// Runs are the log's runs.
	Runs []*Run

	// extra is what the model cannot hold of Top.
	extra extras
	// runsNull is true for a log read with "runs": null (valid: the tool
	// could not run); it is written back so while it has no runs.
	runsNull bool
	// badUTF8 and badUTF8At are what the input had of invalid UTF-8.
	badUTF8   int
	badUTF8At Position
	// stores are the files that hold results on disk (see
	// ReadOptions.ResultsOnDisk).
	stores []*resultStore
}

// An Input is a log and the name that identifies it in messages: the
// file it was read from, or whatever else tells the user which log it is
// ("analysis 42"). Packages that work on several logs at once (merge,
// report) take them so.
type Input struct {
	Name string
	Log  *Log
}

// A Run is one run of a log. It carries everything the log had of it:
// moved into another log as it is, it is written there as it was.
type Run struct {
	// Model is the run as go-sarif's model, to read and change: its tool,
	// artifacts, invocations and the rest. Its Results field is not used:
	// the run's results are read and changed through the run's methods
	// (Len, Result, EachResult, EditResults, TakeResults, AppendResults),
	// and writing a run whose Model.Results is not empty fails.
	Model *gosarif.Run

	// memory are the run's results held in memory, each as its JSON
	// text: all of them for a run read without
	// ReadOptions.ResultsOnDisk or built in code; for a run read with it,
	// only those appended since, which come after those on disk.
	memory []Result

	// extra is what the model cannot hold of the run (members it has no
	// field for, JSON nulls, the exact text of numbers and times).
	extra extras
	// results says how the run's input had its results member.
	results membership
	// disk are the run's results on disk, which come before memory.
	disk []diskPart
	// lenient are the problems readers of its results passed over.
	lenient lenientReads
}

// membership says how an object had one of its members.
type membership uint8

const (
	memberArray  membership = iota // an array (also for runs made by NewRun)
	memberAbsent                   // not at all
	memberNull                     // null
)

// New returns an empty log with version 2.1.0, the $schema URI and no runs.
func New() *Log {
	return &Log{Top: &gosarif.Report{Version: Version, Schema: SchemaURI}, Runs: []*Run{}, extra: extras{}}
}

// NewRun returns a run of the tool whose driver has the given name, with no
// results.
func NewRun(tool string) *Run {
	return &Run{Model: &gosarif.Run{Tool: gosarif.Tool{Driver: &gosarif.ToolComponent{Name: tool}}}, memory: []Result{}, extra: extras{}}
}

// InvalidUTF8 reports the invalid UTF-8 of the input the log was read
// from: reading replaced n bytes with U+FFFD, the first at position first
// of the decompressed text (JSON text must be UTF-8, RFC 8259 §8.1). A
// command can tell its user so; writing the log writes the replacement
// characters. n is 0 for a log read from valid UTF-8 or made by New.
func (l *Log) InvalidUTF8() (n int, first Position) {
	return l.badUTF8, l.badUTF8At
}

// ReadFile reads a SARIF log from the named file. See Read.
func ReadFile(ctx context.Context, name string, opts *ReadOptions) (*Log, error) {
	in, err := openInput(ctx, name, opts)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return read(ctx, in, opts.onDisk())
}

// Read reads a SARIF 2.1.0 log from r; name names it in errors.
// Gzip-compressed text is recognised by its magic bytes and decompressed
// within opts.MaxDecompressedSize, a UTF-8 byte order mark is skipped.
// Read fails with a *SyntaxError when the input is not JSON, a
// *DuplicateNameError when an object of the log has two members of one
// name (JSON leaves its meaning undefined: never guessed at), an
// *EncodingError when the text is UTF-16 or UTF-32, a
// *VersionError when the version is not 2.1.0, and a *FormatError when
// the input is not shaped like a SARIF log (not an object, runs neither
// an array of objects nor null, a result that is not an object). A log
// with "runs": null reads as a log with no runs and is written back with
// "runs": null while it has none. Read does not validate against the
// schema: see package schema.
func Read(ctx context.Context, r io.Reader, name string, opts *ReadOptions) (*Log, error) {
	in, err := newInput(r, name, opts)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return read(ctx, in, opts.onDisk())
}

func read(ctx context.Context, in *input, onDisk bool) (l *Log, err error) {
	l = &Log{extra: extras{}}
	var results [][]Result
	var spans [][]span
	var store *resultStore
	var sp *spill
	if onDisk && in.file != nil {
		store = &resultStore{f: in.file, name: in.Name, shift: in.bom, info: in.fileInfo}
		in.keepFile = true
		l.stores = []*resultStore{store}
	}
	skeleton, err := scan(ctx, in, func(raw []byte, start int64, run, index int) error {
		if raw[0] != '{' {
			return callbackError{&FormatError{File: in.Name, Pointer: "/runs/" + strconv.Itoa(run) + "/results/" + strconv.Itoa(index),
				Msg: "a result must be a JSON object, not " + jsonKind(jsonscan.Tree(raw))}}
		}
		if !onDisk {
			for len(results) <= run {
				results = append(results, nil)
			}
			results[run] = append(results[run], normalResult(raw))
			return nil
		}
		if int64(len(raw)) > math.MaxUint32 {
			return callbackError{&FormatError{File: in.Name, Pointer: "/runs/" + strconv.Itoa(run) + "/results/" + strconv.Itoa(index),
				Msg: "a result of more than 4 GiB"}}
		}
		s := span{off: start, n: uint32(len(raw))}
		if store == nil {
			// Input that cannot be read again: its results are copied
			// to a temporary file, made for the first.
			var err error
			if sp, err = newSpill(in.Name); err != nil {
				return callbackError{err}
			}
			store = sp.store
			l.stores = []*resultStore{store}
		}
		if sp != nil {
			var err error
			if s, err = sp.add(raw); err != nil {
				return callbackError{err}
			}
		}
		for len(spans) <= run {
			spans = append(spans, nil)
		}
		spans[run] = append(spans[run], s)
		return nil
	}, nil)
	if err == nil && sp != nil {
		err = sp.done()
	}
	if err != nil {
		l.Close()
		return nil, err
	}
	if store != nil && len(spans) == 0 {
		// No result to read back: the file is not kept open.
		l.stores, in.keepFile = nil, false
	}
	defer func(held *Log) {
		if err != nil {
			held.Close()
		}
	}(l)
	l.badUTF8, l.badUTF8At = in.InvalidUTF8()
	root, ok := skeleton.(map[string]any)
	if !ok {
		return nil, &FormatError{File: in.Name, Msg: "a SARIF log must be a JSON object, not " + jsonKind(skeleton)}
	}
	if !IsLogObject(root) {
		// Some other JSON file (a package.json, say).
		return nil, &FormatError{File: in.Name, Msg: "not a SARIF log: a JSON object without \"runs\""}
	}
	if v, _ := root["version"].(string); v != Version {
		found := ""
		if raw, present := root["version"]; present {
			found = fmt.Sprint(raw)
		}
		return nil, &VersionError{File: in.Name, Version: found}
	}
	runsValue, present := root["runs"]
	runs, ok := runsValue.([]any)
	switch {
	case !present:
		return nil, &FormatError{File: in.Name, Pointer: "/runs", Msg: "missing required property \"runs\""}
	case !ok && runsValue != nil:
		return nil, &FormatError{File: in.Name, Pointer: "/runs", Msg: "runs must be an array, not " + jsonKind(runsValue)}
	}
	l.runsNull = runsValue == nil
	delete(root, "runs")
	newDecoder(l.extra).value(reflect.ValueOf(&l.Top).Elem(), root, true)
	l.Runs = make([]*Run, 0, len(runs))
	for i, rt := range runs {
		m, ok := rt.(map[string]any)
		if !ok {
			return nil, &FormatError{File: in.Name, Pointer: "/runs/" + strconv.Itoa(i), Msg: "a run must be a JSON object, not " + jsonKind(rt)}
		}
		run := &Run{extra: extras{}, memory: []Result{}}
		switch rv, has := m["results"]; {
		case !has:
			run.results = memberAbsent
		case rv == nil:
			run.results = memberNull
		default:
			if _, ok := rv.([]any); !ok { // it would be lost
				return nil, &FormatError{File: in.Name, Pointer: "/runs/" + strconv.Itoa(i) + "/results", Msg: "results must be an array, not " + jsonKind(rv)}
			}
		}
		delete(m, "results")
		newDecoder(run.extra).value(reflect.ValueOf(&run.Model).Elem(), m, true)
		if i < len(results) && results[i] != nil {
			run.memory = results[i]
		}
		if i < len(spans) && spans[i] != nil {
			run.disk = []diskPart{{store: store, spans: spans[i]}}
		}
		l.Runs = append(l.Runs, run)
	}
	return l, nil
}

// IsLogObject tells whether a JSON object, the top level of a JSON text,
// is a SARIF log at all (of any version, valid or not), rather than
// another kind of JSON file (a package.json): it has runs, as every SARIF
// log of any version has, or it says it is SARIF 2.1.0 by its version or
// its $schema. What is not is unreadable input, not a log that fails its
// checks.
func IsLogObject(root map[string]any) bool {
	if _, hasRuns := root["runs"]; hasRuns {
		return true
	}
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

// WriteOptions tune how a log is written. The zero value writes compact
// JSON.
type WriteOptions struct {
	// Indent, when not empty, pretty-prints with this indentation per level.
	Indent string
	// Gzip compresses the output.
	Gzip bool
}

// errResultsInModel is the error of writing a run whose results were put
// in its model instead of through the run's methods.
var errResultsInModel = errors.New("a run's results are added with Run.AppendResults, not in Run.Model.Results")

// Write writes the log as JSON to w. Members of objects come in a fixed
// order, so that the same log always gives the same bytes.
func (l *Log) Write(w io.Writer, opts *WriteOptions) error {
	if opts == nil {
		opts = &WriteOptions{}
	}
	var zw *gzip.Writer
	if opts.Gzip {
		zw = gzip.NewWriter(w)
		w = zw
	}
	e := newEncoder(w, l.extra, opts.Indent)
	e.log = l
	if l.Top != nil && len(l.Top.Runs) > 0 {
		e.fail(errors.New("a log's runs belong in Log.Runs, not in Log.Top.Runs"))
	}
	top := l.Top
	if top == nil {
		top = &gosarif.Report{}
	}
	e.value(reflect.ValueOf(top))
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
// was written. On error the target is left as it was. A new file gets
// the mode 0666 less the umask, a file replaced keeps its mode, and a
// symbolic link keeps pointing to the file replaced.
func (l *Log) WriteFile(name string, opts *WriteOptions) error {
	return atomicfile.Write(context.Background(), name, nil, func(w io.Writer) error { return l.Write(w, opts) })
}

// Encode writes v, a go-sarif value of the run's model (a rule, an
// artifact, the model itself), as compact JSON exactly as Write would
// write it inside the log: the same bytes for equal content, so it serves
// to compare values.
func (r *Run) Encode(v any) ([]byte, error) {
	var buf strings.Builder
	e := newEncoder(&buf, r.extra, "")
	e.value(reflect.ValueOf(v))
	if e.err != nil {
		return nil, e.err
	}
	if err := e.flush(); err != nil {
		return nil, err
	}
	return []byte(buf.String()), nil
}

// Absorb makes r the keeper of what src recorded beyond its model, for the
// values of src's model that move into r's (rules, artifacts, invocations,
// as package merge combines runs). src must not be written afterwards.
func (r *Run) Absorb(src *Run) {
	if src == nil || src == r {
		return
	}
	if r.extra == nil {
		r.extra = extras{}
	}
	for k, v := range src.extra {
		r.extra[k] = v
	}
}
