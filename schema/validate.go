package schema

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/sarifkit/sarifkit/internal/ctxio"
	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
)

// Severity says whether a finding makes a log invalid.
type Severity string

const (
	// SeverityError: the log breaks the schema, has broken references
	// (unless every consumer checked accepts them), or GitHub would
	// reject it, or GitLab fail it.
	SeverityError Severity = "error"
	// SeverityWarning: the log is accepted but something is likely
	// wrong or will be cut (GitHub keeps only part of it).
	SeverityWarning Severity = "warning"
)

// Finding is one problem found in a log.
type Finding struct {
	// File names the input.
	File string `json:"file"`
	// Pointer is the JSON pointer (RFC 6901) of the offending value; "" is
	// the whole log.
	Pointer string `json:"pointer"`
	// ID is a stable identifier of the kind of problem: "schema/<keyword>"
	// for schema violations, "ref/..." for broken references, "region/..."
	// for regions whose properties disagree, "github/..." for GitHub
	// upload checks, "gitlab/..." for GitLab's SARIF ingestion,
	// "sarif/version" for an unsupported version,
	// "json/invalid-utf8" for text that is not UTF-8,
	// "json/number-range" for an integer beyond 64 bits or a number
	// beyond 64-bit floats,
	// "json/duplicate-name" for an object with two members of one name.
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	// Keyword is the failing JSON schema keyword, for schema findings.
	Keyword string `json:"keyword,omitempty"`
	// GitHubAccepts marks a defect of the SARIF standard that GitHub's
	// upload accepts (a region that ends before it starts, a reference
	// that disagrees with the id beside it): an error of the standard,
	// not an upload blocker; with the GitHub checks on it is a warning.
	GitHubAccepts bool `json:"githubAccepts,omitempty"`
	// GitLabAccepts marks, when the GitLab checks are on, a defect of the
	// SARIF standard that GitLab's ingestion accepts (it validates the
	// schema and reads no reference between the log's objects, nor the
	// order of a region's bounds): a warning unless another selected
	// consumer rejects it.
	GitLabAccepts bool `json:"gitlabAccepts,omitempty"`

	Message string `json:"message"`
	// Line and Column (1-based, columns in bytes) are where the value at
	// Pointer starts in the file; 0 when unknown (the log was read from a
	// stream that cannot be read again, or the value does not exist).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// String formats the finding as "file:line:col: pointer: id: message",
// which editors and review tools jump to ("file:pointer: id: message"
// when the position is unknown), as one line of [safetext.Text]: what it
// quotes of the log has its control characters escaped.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.File)
	b.WriteByte(':')
	if f.Line > 0 {
		b.WriteString(strconv.Itoa(f.Line))
		b.WriteByte(':')
		if f.Column > 0 {
			b.WriteString(strconv.Itoa(f.Column))
			b.WriteByte(':')
		}
	}
	if f.Pointer != "" {
		if f.Line > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.Pointer)
		b.WriteByte(':')
	}
	b.WriteByte(' ')
	if f.Severity == SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(f.ID)
	b.WriteString(": ")
	b.WriteString(f.Message)
	return safetext.Text(b.String())
}

// HasErrors tells whether any finding has severity Error.
func HasErrors(findings []Finding) bool {
	return slices.ContainsFunc(findings, func(f Finding) bool { return f.Severity == SeverityError })
}

// Options tune a Validator. The zero value checks the schema and
// references only.
type Options struct {
	// GitHub turns on the checks of GitHub code scanning's upload limits
	// and rules (findings "github/..."): the same as [ProfileGitHub] in
	// Profiles.
	GitHub bool
	// Profiles turns on the checks of consumers of SARIF logs
	// ([ProfileGitHub], [ProfileGitLab]); each adds its own findings, and
	// a log fails when any of them would refuse it.
	Profiles []Profile
	// Strict reports values that break their schema "format" (uri,
	// uri-reference, date-time) as errors; by default they are warnings
	// (see the package documentation), or as the selected profiles judge
	// them: GitHub as its upload action does, GitLab as errors.
	Strict bool
	// CheckoutURI is the file:// URI of the checkout root, as given to the
	// upload API's checkout_uri. With GitHub checks on, absolute file URIs
	// outside it, which GitHub keeps as they are, and relative URIs whose
	// uriBaseId the log puts elsewhere (GitHub takes them relative to the
	// checkout) are warnings; without it, every absolute file URI is a
	// warning.
	CheckoutURI string
	// Workers is the number of goroutines validating results; 0 means
	// GOMAXPROCS.
	Workers int
	// Read tunes how inputs are read (gzip cap).
	Read *sarif.ReadOptions
}

// Validator validates SARIF logs. It is safe for concurrent use.
type Validator struct {
	s    *compiled
	opts Options
	// generic turns the generated checker off, so that every value goes
	// through the generic validator: the reference the tests hold the
	// checker to.
	generic bool
	// keep is keptRefs but in tests, which make references go to a
	// temporary file on small logs.
	keep int
}

// New returns a Validator using the embedded SARIF 2.1.0 schema.
func New(opts *Options) (*Validator, error) {
	s, err := compileEmbedded()
	if err != nil {
		return nil, err
	}
	v := &Validator{s: s, keep: keptRefs}
	if opts != nil {
		v.opts = *opts
	}
	if v.opts.Workers <= 0 {
		v.opts.Workers = runtime.GOMAXPROCS(0)
	}
	for _, p := range v.opts.Profiles {
		if p.newCheck("") == nil {
			return nil, fmt.Errorf("schema: unknown profile %v", p)
		}
	}
	return v, nil
}

// ValidateFile validates the named file. The error is non-nil only when
// the input cannot be read as JSON (missing file, syntax error, gzip
// failure), when it is JSON but no SARIF log at all (a *sarif.FormatError,
// as package sarif's readers return: not an object, or an object without
// "runs" that does not say it is SARIF, such as a package.json), or when
// ctx is done; problems in a readable log are findings. When
// there are findings the file is read a second time, to give each its
// line and column. Opening and reading stop when ctx is done, even for a
// FIFO that waits for a writer (see ctxio).
func (v *Validator) ValidateFile(ctx context.Context, name string) ([]Finding, error) {
	f, err := ctxio.Open(ctx, name)
	if err != nil {
		return nil, &sarif.InputError{File: name, Err: err}
	}
	defer f.Close()
	return v.validate(ctx, ctxio.FileReader(ctx, f), name, func() (io.Reader, error) {
		_, err := f.Seek(0, io.SeekStart)
		return f, err
	})
}

// ValidateBytes validates a log held in memory; name is used in findings,
// which carry their line and column.
func (v *Validator) ValidateBytes(ctx context.Context, data []byte, name string) ([]Finding, error) {
	return v.validate(ctx, bytes.NewReader(data), name, func() (io.Reader, error) { return bytes.NewReader(data), nil })
}

// ValidateReader validates the log read from r, a stream (standard input,
// say); name is used in findings. See ValidateFile; the findings have no
// line and column, the stream being read once.
func (v *Validator) ValidateReader(ctx context.Context, r io.Reader, name string) ([]Finding, error) {
	return v.validate(ctx, r, name, nil)
}

// ValidateLog validates a log as it would be written by Log.Write; name is
// used in findings, which have no line and column. The text written is
// not capped as a stream is (Options.Read's MaxDecompressedSize): the log
// has been read already.
func (v *Validator) ValidateLog(ctx context.Context, l *sarif.Log, name string) ([]Finding, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(l.Write(pw, nil)) }()
	defer pr.Close()
	uncapped := *v
	read := sarif.ReadOptions{}
	if v.opts.Read != nil {
		read = *v.opts.Read
	}
	read.MaxDecompressedSize = -1
	uncapped.opts.Read = &read
	return uncapped.validate(ctx, pr, name, nil)
}

// checked tells whether the generated checker accepts a value, which
// then needs no generic validation; false means the generic validator
// must say what is wrong, if anything (see [checker]).
func (v *Validator) checked(value any, check func(*checker, any) bool) bool {
	return v.s.check != nil && !v.generic && check(v.s.check, value)
}

type job struct {
	run, index int
	result     any
	// size is the result's share of the in-flight budget (see
	// eachResult); 0 for a small result.
	size int64
}

// validate validates the log read from r; with reopen it reads the log
// again to locate the findings.
func (v *Validator) validate(ctx context.Context, r io.Reader, name string, reopen func() (io.Reader, error)) ([]Finding, error) {
	findings, err := v.check(ctx, r, name)
	if err != nil || len(findings) == 0 || reopen == nil {
		return findings, err
	}
	again, err := reopen()
	if err != nil {
		return findings, nil // the findings stand without positions
	}
	ptrs := make([]string, 0, len(findings))
	for _, f := range findings {
		if f.Line == 0 && f.Pointer != "" {
			ptrs = append(ptrs, f.Pointer)
		}
	}
	pos, err := sarif.Locate(ctx, again, name, v.opts.Read, slices.Compact(ptrs))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return findings, nil
	}
	for i := range findings {
		if p, ok := pos[findings[i].Pointer]; ok && findings[i].Line == 0 && findings[i].Pointer != "" {
			findings[i].Line, findings[i].Column = p.Line, p.Column
		}
	}
	return findings, nil
}

// check reads and validates one log.
func (v *Validator) check(ctx context.Context, r io.Reader, name string) ([]Finding, error) {
	profiles := v.opts.profiles()
	github := slices.Contains(profiles, ProfileGitHub)
	checks := make([]profileCheck, len(profiles))
	for i, p := range profiles {
		checks[i] = p.newCheck(name)
	}
	st := &state{file: name, github: github, profiles: profiles, strict: v.opts.Strict, formats: v.s.formats, agg: aggregates{}, keep: v.keep}
	defer st.closeSpill()

	var opts sarif.ReadOptions
	if v.opts.Read != nil {
		opts = *v.opts.Read
	}
	var gz *gzipCounter
	if slices.ContainsFunc(profiles, Profile.needsGzipSize) {
		gz = newGzipCounter()
		opts.Tee = gz
	}
	sk, scanErr := v.eachResult(ctx, r, name, &opts, func() func(job) {
		c := v.newCollector(st.file)
		return func(j job) {
			prefix := resultPointer(j.run, j.index)
			var found []Finding
			if !v.checked(j.result, (*checker).result) {
				if err := v.s.result.Validate(tameNumbers(j.result)); err != nil {
					found = st.schemaFindings(err, prefix, j.result)
				}
			}
			for _, pc := range checks {
				found = append(found, pc.result(j.run, j.index, j.result, prefix)...)
			}
			refs, local := c.collectRefs(j.result, prefix)
			st.addResult(j.run, j.index, append(found, local...), refs)
		}
	})
	var gzSize int64
	if gz != nil {
		gzSize = gz.Close()
	}
	if f, ok := duplicateName(scanErr); ok {
		return []Finding{f}, nil
	}
	if scanErr != nil {
		return nil, scanErr
	}
	skeleton := sk.Value
	if err := notALog(skeleton, st.file); err != nil {
		return nil, err
	}
	if f, ok := otherVersion(skeleton, st.file); ok {
		// Another version of SARIF: what the 2.1.0 schema says of it
		// would only bury this, and GitLab's verdict is that it refuses
		// the log whole.
		found := []Finding{f}
		if slices.Contains(profiles, ProfileGitLab) {
			found = append(found, gitlabOtherVersion(st.file))
		}
		return sortFindings(found), nil
	}
	if n, first := sk.InvalidUTF8, sk.FirstInvalidUTF8; n > 0 {
		st.add("", "json/invalid-utf8", SeverityError,
			"the log is not valid UTF-8, as JSON text must be (RFC 8259 §8.1): %d invalid byte sequence(s), the first at line %d, column %d (byte offset %d); readers replace them with U+FFFD",
			n, first.Line, first.Column, first.Offset)
		// At the first bad byte: the finding is about the text there.
		last := &st.findings[len(st.findings)-1]
		last.Line, last.Column = first.Line, first.Column
	}
	if !v.checked(skeleton, (*checker).log) {
		if err := v.s.log.Validate(tameNumbers(skeleton)); err != nil {
			st.findings = append(st.findings, st.schemaFindings(err, "", skeleton)...)
		}
	}
	runs := skeletonRuns(skeleton)
	st.addRunRefs(skeleton)
	checkout := checkoutPrefix(v.opts.CheckoutURI)
	for _, r := range st.refs {
		st.checkRefs(r, runs, checkout)
	}
	if st.spill != nil {
		if err := st.spill.each(ctx, func(r *resultRefs) { st.checkRefs(r, runs, checkout) }); err != nil {
			return nil, err
		}
	}
	facts := &logFacts{skeleton: skeleton, runs: runs, gzSize: gzSize}
	for _, pc := range checks {
		pc.log(st, facts)
	}
	st.addAggregates(st.agg)
	st.markAccepted()
	st.findings = sortFindings(st.findings)
	return st.findings, nil
}

// newCollector returns a collector of references for one worker.
func (v *Validator) newCollector(file string) *collector {
	return &collector{file: file, github: slices.Contains(v.opts.profiles(), ProfileGitHub), regionStarts: v.s.regionStarts, sx: newSuffixes(), values: newValues()}
}

// eachResult streams the log read from r to a pool of workers: each
// calls newWorker once, and the function it returns for each result it
// takes. It returns the skeleton once every result is done.
//
// The results waiting for a worker or being validated hold their text
// in memory. Each is at most ReadOptions.MaxValueSize, but there are
// several per core: results of a MiB or more wait, beyond the first,
// while those in flight add up to more than inFlightBudget bytes, so
// that memory does not grow with the number of cores.
func (v *Validator) eachResult(ctx context.Context, r io.Reader, name string, opts *sarif.ReadOptions, newWorker func() func(job)) (*sarif.Skeleton, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, 4*v.opts.Workers)
	budget := parallel.NewBudget(inFlightBudget)
	var wg sync.WaitGroup
	for range v.opts.Workers {
		wg.Go(func() {
			do := newWorker()
			for j := range jobs {
				do(j)
				budget.Release(j.size)
			}
		})
	}
	// The text read since the last result is about the size of this one.
	read := &countingTee{w: opts.Tee}
	opts.Tee = read
	var last int64
	sk, err := sarif.Scan(ctx, r, name, opts, func(run, index int, result any) error {
		var size int64
		if n := read.n - last; n >= bigResult {
			size = n
		}
		last = read.n
		budget.Acquire(size)
		select {
		case jobs <- job{run, index, result, size}:
			return nil
		case <-ctx.Done():
			budget.Release(size)
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	return sk, err
}

// bigResult is the size from which a result's text counts against the
// in-flight budget, and inFlightBudget the budget: the text of the big
// results handed to the workers and not yet validated.
const (
	bigResult      = 1 << 20
	inFlightBudget = 64 << 20
)

// countingTee counts the bytes written to it, and passes them on to w,
// if any.
type countingTee struct {
	w io.Writer
	n int64
}

func (c *countingTee) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if c.w != nil {
		return c.w.Write(p)
	}
	return len(p), nil
}

// notALog refuses a JSON text that is no SARIF log at all, as package
// sarif's readers do, with the same *sarif.FormatError: not an object, or
// an object that is no log by [sarif.IsLogObject] (a package.json). Such
// a file is unreadable input, not a log that fails its checks; an object
// that claims to be SARIF is checked, and what it lacks is findings.
func notALog(skeleton any, file string) error {
	root, ok := skeleton.(map[string]any)
	if !ok {
		return &sarif.FormatError{File: file, Msg: "not a SARIF log: a SARIF log is a JSON object, this is " + describe(skeleton)}
	}
	if !sarif.IsLogObject(root) {
		return &sarif.FormatError{File: file, Msg: `not a SARIF log: a JSON object without "runs"`}
	}
	return nil
}

// otherVersion returns the one finding for a log of another SARIF
// version than 2.1.0.
func otherVersion(skeleton any, file string) (Finding, bool) {
	root, _ := skeleton.(map[string]any)
	f := Finding{File: file, Severity: SeverityError}
	if v, _ := root["version"].(string); v != sarif.Version {
		found := ""
		if raw, present := root["version"]; present {
			found, _ = raw.(string)
			if found == "" {
				found = short(raw)
			}
		}
		ver := &sarif.VersionError{File: file, Version: found}
		f.ID, f.Pointer = "sarif/version", "/version"
		f.Message = strings.TrimPrefix(ver.Error(), file+":/version: ") + "; not checked further"
		return f, true
	}
	return Finding{}, false
}

// duplicateName returns the finding of a log with a duplicate member
// name, which reading stopped at (see sarif.DuplicateNameError): the
// schema cannot express the rule, and what the log means depends on the
// reader, so the rest is not checked.
func duplicateName(err error) (Finding, bool) {
	var dn *sarif.DuplicateNameError
	if !errors.As(err, &dn) {
		return Finding{}, false
	}
	return Finding{File: dn.File, Pointer: dn.Pointer, ID: "json/duplicate-name", Severity: SeverityError, Line: dn.Line, Column: dn.Column,
		Message: fmt.Sprintf("duplicate member name %s: JSON leaves the meaning of an object with two members of one name undefined (RFC 8259 §4), readers disagree on it, and sarifkit refuses it; not checked further", sarif.QuoteName(dn.Name))}, true
}

// rangeFinding tells whether v, a number where the schema wants an
// integer and that broke a bound, is beyond the range of the integers
// readers hold (see boundIntegers), and gives the ID and message of the
// finding: an integer no reader represents as written, or a number that
// is not even finite as a 64-bit float (1e999).
func rangeFinding(v any) (id, msg string, beyond bool) {
	n, ok := v.(json.Number)
	if !ok {
		return "", "", false
	}
	if _, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return "", "", false
	}
	text := short(n)
	if f, err := strconv.ParseFloat(string(n), 64); err != nil && math.IsInf(f, 0) {
		return "json/number-range", text + " is not a finite number (beyond the range of a 64-bit float); readers cannot hold it", true
	}
	if r, ok := new(big.Rat).SetString(string(n)); !ok || !r.IsInt() || r.Num().IsInt64() {
		return "", "", false
	}
	return "json/number-range", text + " is beyond the range of a 64-bit integer (" + minInteger + " to " + maxInteger + "), in which readers hold an integer", true
}

// describe names the kind of a JSON value for a message.
func describe(v any) string {
	switch v.(type) {
	case []any:
		return "an array"
	case string:
		return "a string"
	case nil:
		return "null"
	case bool:
		return "a boolean"
	}
	return "a number"
}

// state gathers the findings and references of one validation.
type state struct {
	file string
	// github is whether the GitHub checks are on; profiles are the
	// profiles on, whose verdicts decide the severity of the standard's
	// findings they accept (markAccepted) and of format findings
	// (formatVerdict).
	github, strict bool
	profiles       []Profile
	formats        map[string]string // see compiled.formats

	mu       sync.Mutex
	findings []Finding
	refs     []*resultRefs
	counts   []int // results per run
	// keep is how many results' references refs may hold (keptRefs);
	// more go to spill, made when refs first overflows.
	keep  int
	spill *refSpill
	// agg gathers the findings reported once per run with a count.
	agg aggregates
	// uriClasses caches classifyURI.
	uriClasses map[uriClassKey]uriClass
}

func (st *state) addResult(run, index int, found []Finding, refs *resultRefs) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.findings = append(st.findings, found...)
	for len(st.counts) <= run {
		st.counts = append(st.counts, 0)
	}
	st.counts[run]++
	if refs == nil {
		return
	}
	refs.run, refs.index = int32Of(run), int32Of(index)
	if st.keep > 0 && len(st.refs) >= st.keep {
		if st.spill == nil {
			var err error
			if st.spill, err = newRefSpill(); err != nil {
				st.keep = 0 // no temporary file: keep them all in memory
			}
		}
		if st.spill != nil {
			for _, r := range st.refs {
				st.spill.write(r)
			}
			clear(st.refs)
			st.refs = st.refs[:0]
		}
	}
	st.refs = append(st.refs, refs)
}

// closeSpill removes the temporary file of references, if any.
func (st *state) closeSpill() {
	if st.spill != nil {
		st.spill.close()
	}
}

// addRunRefs collects the references that the runs' own objects (the
// skeleton) make into their arrays.
func (st *state) addRunRefs(skeleton any) {
	root, _ := skeleton.(map[string]any)
	runs, _ := root["runs"].([]any)
	for i, run := range runs {
		refs, found := collectRunRefs(run, "/runs/"+strconv.Itoa(i), st.file)
		st.findings = append(st.findings, found...)
		if refs != nil {
			refs.run = int32Of(i)
			st.refs = append(st.refs, refs)
		}
	}
}

func (st *state) add(ptr, id string, sev Severity, format string, args ...any) {
	st.findings = append(st.findings, Finding{File: st.file, Pointer: ptr, ID: id, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// schemaFindings turns a jsonschema error into one finding per leaf cause:
// the innermost errors, each about one value, that a person can act on.
// An anyOf or oneOf that failed as a whole is one finding that lists its
// alternatives.
func (st *state) schemaFindings(err error, prefix string, instance any) []Finding {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Finding{{File: st.file, Pointer: prefix, ID: "schema/error", Severity: SeverityError, Message: err.Error()}}
	}
	var out []Finding
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		kw := keyword(e.KeywordLocation)
		if len(e.Causes) > 0 && kw != "anyOf" && kw != "oneOf" {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		f := Finding{File: st.file, Pointer: prefix + e.InstanceLocation, ID: "schema/" + kw, Severity: SeverityError, Keyword: kw, Message: e.Message}
		switch kw {
		case "anyOf", "oneOf":
			var alts []string
			for _, c := range e.Causes {
				alts = append(alts, leafMessages(c)...)
			}
			if len(alts) > 0 {
				f.Message = "must satisfy one of: " + strings.Join(alts, "; or ")
			}
		case "maximum", "minimum":
			if val, ok := lookup(instance, e.InstanceLocation); ok {
				if id, msg, beyond := rangeFinding(val); beyond {
					f.ID, f.Message = id, msg
				}
			}
		case "enum", "const":
			if val, ok := lookup(instance, e.InstanceLocation); ok {
				f.Message = fmt.Sprintf("%s is not allowed: %s", short(val), e.Message)
			}
		case "format":
			format := st.formats[fragment(e.AbsoluteKeywordLocation)]
			var says string
			f.Severity, says = st.formatVerdict(format)
			if val, ok := lookup(instance, e.InstanceLocation); ok {
				f.Message = fmt.Sprintf("%s is not a valid %q%s%s", short(val), format, formatStandard(format), says)
			}
		}
		if prefix == "" && e.InstanceLocation == "/version" {
			val, _ := lookup(instance, "/version")
			s, _ := val.(string)
			if s == "" && val != nil {
				s = short(val)
			}
			ver := &sarif.VersionError{File: st.file, Version: s}
			f.ID, f.Message = "sarif/version", strings.TrimPrefix(ver.Error(), st.file+":/version: ")
		}
		out = append(out, f)
	}
	walk(ve)
	return out
}

// formatStandard names the standard that defines a format of the SARIF
// schema, for messages.
func formatStandard(format string) string {
	switch format {
	case "uri", "uri-reference":
		return " (RFC 3986)"
	case "date-time":
		return " (RFC 3339)"
	}
	return ""
}

// formatVerdict is the severity of a value that breaks its "format" (see
// "Formats" in the package documentation), and what the selected
// profiles do with it, for the message ("; ..."): an error under Strict
// (nothing said) or when a selected profile rejects the log (said, with
// what the others do); otherwise a warning, saying which accept it.
func (st *state) formatVerdict(format string) (Severity, string) {
	if st.strict {
		return SeverityError, ""
	}
	var rejected, accepted []string
	for _, p := range st.profiles {
		if rejects, says := p.rejectsFormat(format); rejects {
			rejected = append(rejected, says)
		} else if says != "" {
			accepted = append(accepted, says)
		}
	}
	switch {
	case len(rejected) > 0 && len(accepted) > 0:
		return SeverityError, "; " + strings.Join(rejected, "; ") + " (" + strings.Join(accepted, "; ") + ")"
	case len(rejected) > 0:
		return SeverityError, "; " + strings.Join(rejected, "; ")
	case len(accepted) > 0:
		return SeverityWarning, "; " + strings.Join(accepted, "; ")
	}
	return SeverityWarning, ""
}

// fragment is the JSON pointer part of an absolute keyword location
// ("https://host/schema.json#/definitions/x/format").
func fragment(loc string) string {
	if i := strings.IndexByte(loc, '#'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

func leafMessages(e *jsonschema.ValidationError) []string {
	if len(e.Causes) == 0 {
		return []string{e.Message}
	}
	var m []string
	for _, c := range e.Causes {
		m = append(m, leafMessages(c)...)
	}
	return m
}

// keyword is the last segment of a keyword location ("/properties/x/enum").
func keyword(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

// short renders a JSON value for a message, cut to a sensible length.
func short(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = strconv.Quote(v)
	case nil:
		s = "null"
	case map[string]any:
		s = "an object"
	case []any:
		s = "an array"
	default:
		s = fmt.Sprint(v)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// lookup resolves a JSON pointer in a generic JSON value.
func lookup(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	for _, seg := range strings.Split(ptr[1:], "/") {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[seg]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// escape escapes a JSON pointer segment.
func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// sortFindings orders findings by pointer (array indices compared as
// numbers), then ID and message, so that output is stable.
func sortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := comparePointers(a.Pointer, b.Pointer); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Message, b.Message))
	})
	// Identical findings (the same leaf reached through several schema
	// paths) are reported once.
	return slices.Compact(fs)
}

func comparePointers(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		ai, errA := strconv.Atoi(as[i])
		bi, errB := strconv.Atoi(bs[i])
		if errA == nil && errB == nil {
			return cmp.Compare(ai, bi)
		}
		return cmp.Compare(as[i], bs[i])
	}
	return cmp.Compare(len(as), len(bs))
}
