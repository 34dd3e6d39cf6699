package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

func newValidator(t testing.TB, opts *Options) *Validator {
	t.Helper()
	v, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// ids renders findings as "pointer id" lines for comparison.
func ids(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Pointer+" "+f.ID)
	}
	return out
}

// The invalid files of the shared corpus, each wrong in one way described
// in its README.
func TestCorpusInvalid(t *testing.T) {
	t.Parallel()
	v := newValidator(t, nil)
	ctx := context.Background()
	findings := map[string][]string{
		"wrong-version.sarif":       {"/version sarif/version"},
		"missing-driver-name.sarif": {"/runs/0/tool/driver schema/required"},
		"bad-level.sarif":           {"/runs/0/results/2/level schema/enum"},
		"results-null.sarif":        {"/runs/0/results schema/type"},
		"zero-start-line.sarif":     {"/runs/0/results/1/locations/0/physicalLocation/region/startLine schema/minimum"},
	}
	syntax := map[string]string{ // file -> prefix of the error
		"truncated.sarif": "truncated.sarif:1:7658: invalid JSON: unexpected end of input",
		"not-json.sarif":  "not-json.sarif:1:",
		"empty.sarif":     "empty.sarif:1:1: invalid JSON: empty input",
	}
	for _, f := range corpus.Files(t, "invalid") {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			got, err := v.ValidateFile(ctx, f)
			if want, ok := syntax[name]; ok {
				var se *sarif.SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("want a *sarif.SyntaxError, got %v (findings %v)", err, got)
				}
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
				return
			}
			want, ok := findings[name]
			if !ok {
				t.Fatalf("corpus file %s has no expectation here: add one", name)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), want) {
				t.Errorf("findings:\n got %q\nwant %q", ids(got), want)
			}
			if !HasErrors(got) {
				t.Error("the file must be reported invalid")
			}
		})
	}
}

// Every real tool's log is valid; the only findings allowed are warnings.
func TestCorpusReal(t *testing.T) {
	t.Parallel()
	v := newValidator(t, nil)
	for _, f := range corpus.Files(t, "real") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			got, err := v.ValidateFile(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			if HasErrors(got) {
				t.Errorf("unexpected errors: %v", got)
			}
			if strings.HasPrefix(filepath.Base(f), "golangci-lint") {
				if len(got) != 1 || got[0].ID != "ref/artifact-index-without-artifacts" ||
					got[0].Pointer != "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/index" {
					t.Errorf("golangci-lint's index without artifacts must give one aggregated warning, got %v", got)
				}
			}
		})
	}
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	v := newValidator(t, nil)
	ctx := context.Background()
	valid, _ := filepath.Glob("../testdata/valid/*")
	for _, f := range valid {
		got, err := v.ValidateFile(ctx, f)
		if err != nil || len(got) != 0 {
			t.Errorf("%s: want valid, got %v %v", f, err, got)
		}
	}
	cases := map[string][]string{
		"wrong-version.sarif":       {"/version sarif/version"},
		"missing-driver-name.sarif": {"/runs/0/tool/driver schema/required"},
		"bad-level.sarif":           {"/runs/0/results/1/level schema/enum"},
		"bad-level.sarif.gz":        {"/runs/0/results/1/level schema/enum"},
		"results-null.sarif":        {"/runs/0/results schema/type"},
		"negative-start-line.sarif": {"/runs/0/results/0/locations/0/physicalLocation/region/startLine schema/minimum"},
		"broken-references.sarif": {
			"/runs/0/results/0/ruleIndex ref/rule-index-out-of-range",
			"/runs/0/results/1/ruleIndex ref/rule-id-mismatch",
			"/runs/0/results/3/locations/0/physicalLocation/artifactLocation/uri ref/artifact-uri-mismatch",
			"/runs/0/results/4/locations/0/physicalLocation/artifactLocation/index ref/artifact-index-out-of-range",
			"/runs/0/results/5/codeFlows/0/threadFlows/0/locations/1/index ref/thread-flow-location-index-out-of-range",
		},
		// Valid as SARIF; only the GitHub checks object to it.
		"github-limits.sarif": nil,
		// What the OASIS schema refuses and the Multitool's restatement
		// allows (see TestSchemaDisagreements); region.anyOf holds for
		// streamed results and for the rest of the log alike.
		"region-without-start.sarif": {
			"/runs/0/invocations/0/toolExecutionNotifications/0/locations/0/physicalLocation/region schema/anyOf",
			"/runs/0/results/0/locations/0/physicalLocation/region schema/anyOf",
			"/runs/0/results/1/attachments/0/regions/0 schema/anyOf",
			"/runs/0/results/1/fixes/0/artifactChanges/0/replacements/0/deletedRegion schema/anyOf",
			"/runs/0/results/1/relatedLocations/0/annotations/1 schema/anyOf",
		},
		"guid-not-version-1-to-5.sarif": {
			"/runs/0/results/0/guid schema/pattern",
			"/runs/0/tool/driver/guid schema/pattern",
		},
		"artifact-role-repository-root.sarif": {"/runs/0/artifacts/0/roles/0 schema/enum"},
		// "\xff\xfe" in the driver name, "\xc3(" in two messages.
		"invalid-utf8-driver-name.sarif": {" json/invalid-utf8"},
		"invalid-utf8-message.sarif":     {" json/invalid-utf8"},
		"invalid-utf8-message.sarif.gz":  {" json/invalid-utf8"},
	}
	syntax := map[string]string{
		"truncated.sarif":     "truncated.sarif:5:39: invalid JSON: unexpected end of input",
		"not-json.sarif":      "not-json.sarif:1:2: invalid JSON",
		"empty.sarif":         "empty.sarif:1:1: invalid JSON",
		"syntax-error.sarif":  "syntax-error.sarif:4:32: invalid JSON: invalid character '\"' after object value (expecting ',' or '}') (in /runs/0/results/0)",
		"trailing-data.sarif": "trailing-data.sarif:2:1: invalid JSON: unexpected data after the top-level value",
	}
	invalid, _ := filepath.Glob("../testdata/invalid/*")
	for _, f := range invalid {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			got, err := v.ValidateFile(ctx, f)
			switch {
			case syntax[name] != "":
				var se *sarif.SyntaxError
				if !errors.As(err, &se) || !strings.HasSuffix(f, strings.SplitN(syntax[name], ":", 2)[0]) || !strings.Contains(err.Error(), syntax[name]) {
					t.Errorf("got %v, want a syntax error containing %q", err, syntax[name])
				}
			case name == "corrupt.sarif.gz":
				var ie *sarif.InputError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), "gzip") {
					t.Errorf("want an input error about gzip, got %v", err)
				}
			case name == "nulls-and-unknowns.sarif":
				if err != nil || len(got) < 10 {
					t.Errorf("want many findings, got %v %v", err, got)
				}
			default:
				want, ok := cases[name]
				if !ok {
					t.Fatalf("fixture %s has no expectation here: add one", name)
				}
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), want) {
					t.Errorf("findings:\n got %q\nwant %q", ids(got), want)
				}
			}
		})
	}
}

// The same input gives the same position whether it can be read again (a
// file) or not (a stream): both ways of locating a syntax error agree, on
// every corruption of a real log.
func TestSyntaxErrorPositionStreamMatchesFile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/valid/example-gosec.sarif")
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, nil)
	ctx := context.Background()
	checked := 0
	for i := 0; i < len(data); i += 7 {
		bad := bytes.Clone(data)
		bad[i] = '#'
		_, errBytes := v.ValidateBytes(ctx, bad, "x") // can be read again
		// Hiding Seek makes it a stream that cannot be read again.
		_, errStream := v.ValidateReader(ctx, struct{ io.Reader }{bytes.NewReader(bad)}, "x")
		var a, b *sarif.SyntaxError
		if !errors.As(errBytes, &a) || !errors.As(errStream, &b) {
			// '#' inside a string is still JSON.
			if (errBytes == nil) != (errStream == nil) {
				t.Fatalf("offset %d: %v vs %v", i, errBytes, errStream)
			}
			continue
		}
		checked++
		if a.Line != b.Line || a.Column != b.Column {
			t.Errorf("offset %d: read again %d:%d, streamed %d:%d (%s)", i, a.Line, a.Column, b.Line, b.Column, b.Msg)
		}
		// json.Unmarshal checks the whole buffer first and reports an
		// absolute offset: an independent reference.
		var ref *json.SyntaxError
		if err := json.Unmarshal(bad, new(any)); !errors.As(err, &ref) {
			t.Fatalf("offset %d: encoding/json finds no syntax error", i)
		}
		at := int(ref.Offset) - 1
		if at > 0 && bad[at-1] == '\\' && bad[at] == '#' {
			// An invalid escape: the reader points at its backslash,
			// encoding/json at the character after it.
			at--
		}
		line := 1 + bytes.Count(bad[:at], []byte("\n"))
		col := at - bytes.LastIndexByte(bad[:at], '\n')
		if a.Line != line || a.Column != col {
			t.Errorf("offset %d: reported %d:%d, encoding/json says %d:%d", i, a.Line, a.Column, line, col)
		}
	}
	if checked < 50 {
		t.Fatalf("only %d corruptions gave syntax errors", checked)
	}
}

func TestFindingString(t *testing.T) {
	t.Parallel()
	f := Finding{File: "a.sarif", Pointer: "/runs/0", ID: "schema/type", Severity: SeverityError, Message: "m"}
	if got := f.String(); got != "a.sarif:/runs/0: schema/type: m" {
		t.Errorf("got %q", got)
	}
	f.Severity, f.Pointer = SeverityWarning, ""
	if got := f.String(); got != "a.sarif: warning: schema/type: m" {
		t.Errorf("got %q", got)
	}
}

// Findings do not depend on how many workers validate results.
func TestDeterministicAcrossWorkers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var want []Finding
	for _, n := range []int{1, 2, 7} {
		v := newValidator(t, &Options{Workers: n, GitHub: true})
		got, err := v.ValidateFile(ctx, "../testdata/invalid/nulls-and-unknowns.sarif")
		if err != nil {
			t.Fatal(err)
		}
		more, err := v.ValidateFile(ctx, "../testdata/invalid/broken-references.sarif")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, more...)
		if want == nil {
			want = got
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d workers: findings differ:\n%v\n%v", n, got, want)
		}
	}
}

func TestValidateLogAndContext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/invalid/bad-level.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, nil)
	got, err := v.ValidateLog(ctx, l, "model")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/runs/0/results/1/level schema/enum"}; !slices.Equal(ids(got), want) {
		t.Errorf("got %q", ids(got))
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := v.ValidateFile(cancelled, "../testdata/valid/example-gosec.sarif"); err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("want nil or context.Canceled, got %v", err)
	}
}

// findingLines renders findings as "pointer severity id" lines.
func findingLines(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Pointer+" "+string(f.Severity)+" "+f.ID)
	}
	return out
}

// A value that breaks its schema format is a warning, an error under
// Strict, and under GitHub checks what GitHub's upload action makes of it:
// a warning for a URI (KICS writes Windows paths as URIs and the action
// uploads them), an error for a date-time. Strict wins over GitHub.
//
// The Multitool 5.7.0 reports the KICS paths as errors (SARIF1002, "not a
// valid URI reference"); we follow the upload action and draft-04 practice
// instead.
func TestFormatSeverity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const (
		uri0  = "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri"
		uri1  = "/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri"
		start = "/runs/0/invocations/0/startTimeUtc"
		prov  = "/runs/0/results/0/provenance/firstDetectionTimeUtc"
	)
	cases := []struct {
		file string
		opts Options
		want []string
	}{
		{"kics-windows-paths.sarif", Options{}, []string{uri0 + " warning schema/format", uri1 + " warning schema/format"}},
		{"kics-windows-paths.sarif", Options{Strict: true}, []string{uri0 + " error schema/format", uri1 + " error schema/format"}},
		{"kics-windows-paths.sarif", Options{GitHub: true}, []string{uri0 + " warning schema/format", uri1 + " warning schema/format"}},
		{"kics-windows-paths.sarif", Options{GitHub: true, Strict: true}, []string{uri0 + " error schema/format", uri1 + " error schema/format"}},
		{"bad-date-time.sarif", Options{}, []string{start + " warning schema/format", prov + " warning schema/format"}},
		{"bad-date-time.sarif", Options{GitHub: true}, []string{start + " error schema/format", prov + " error schema/format"}},
		{"bad-date-time.sarif", Options{Strict: true}, []string{start + " error schema/format", prov + " error schema/format"}},
	}
	for _, c := range cases {
		got, err := newValidator(t, &c.opts).ValidateFile(ctx, filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(findingLines(got), c.want) {
			t.Errorf("%s %+v:\n got %q\nwant %q", c.file, c.opts, findingLines(got), c.want)
		}
	}
	got, err := newValidator(t, nil).ValidateFile(ctx, "testdata/kics-windows-paths.sarif")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no findings")
	}
	if want := `"terraform\\modules\\s3\\main.tf" is not a valid "uri-reference" (RFC 3986)`; got[0].Message != want {
		t.Errorf("message %q, want %q", got[0].Message, want)
	}
}

// A problem repeated on many results reads as one line, at its first.
func TestGroups(t *testing.T) {
	t.Parallel()
	f := func(ptr, id, msg string) Finding {
		return Finding{File: "x", Pointer: ptr, ID: id, Severity: SeverityError, Message: msg, Line: 3, Column: 4}
	}
	var in []Finding
	for i := range 377 {
		in = append(in, f("/runs/0/results/"+strconv.Itoa(i+2)+"/level", "schema/enum", `"critical" is not allowed`))
	}
	in = append(in, f("/runs/0/results/5/ruleIndex", "ref/rule-index-out-of-range", "index 9"),
		f("/runs/0/results/6/ruleIndex", "ref/rule-index-out-of-range", "index 9"),
		f("/runs/1/results/0/level", "schema/enum", `"critical" is not allowed`),
		f("/version", "sarif/version", "no"))
	var got []string
	for _, g := range Groups(in) {
		got = append(got, g.String())
	}
	want := []string{
		`x:3:4: /runs/0/results/*/level: schema/enum: 377 results: "critical" is not allowed (first at /runs/0/results/2/level)`,
		"x:3:4: /runs/0/results/5/ruleIndex: ref/rule-index-out-of-range: index 9",
		"x:3:4: /runs/0/results/6/ruleIndex: ref/rule-index-out-of-range: index 9",
		`x:3:4: /runs/1/results/0/level: schema/enum: "critical" is not allowed`,
		"x:3:4: /version: sarif/version: no",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
