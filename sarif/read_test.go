package sarif_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

func TestReadErrors(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		file  string
		check func(error) bool
		msg   string
	}{
		{"wrong-version.sarif", func(err error) bool {
			var ve *sarif.VersionError
			return errors.As(err, &ve) && ve.Version == "2.0.0"
		}, "wrong-version.sarif:/version: SARIF 2.0.0 is not supported"},
		{"truncated.sarif", func(err error) bool {
			var se *sarif.SyntaxError
			return errors.As(err, &se) && se.Line == 5 && se.Column == 39
		}, "truncated.sarif:5:39: invalid JSON: unexpected end of input"},
		{"syntax-error.sarif", func(err error) bool {
			var se *sarif.SyntaxError
			return errors.As(err, &se) && se.Line == 4 && se.Column == 32
		}, "syntax-error.sarif:4:32:"},
		{"empty.sarif", func(err error) bool {
			var se *sarif.SyntaxError
			return errors.As(err, &se)
		}, "empty.sarif:1:1: invalid JSON: empty input"},
		{"not-json.sarif", func(err error) bool {
			var se *sarif.SyntaxError
			return errors.As(err, &se) && se.Line == 1
		}, "not-json.sarif:1:2:"},
		{"corrupt.sarif.gz", func(err error) bool {
			var ie *sarif.InputError
			return errors.As(err, &ie)
		}, "corrupt.sarif.gz: not a valid gzip stream"},
		{"does-not-exist.sarif", func(err error) bool {
			return errors.Is(err, os.ErrNotExist)
		}, "does-not-exist.sarif: open"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			_, err := sarif.ReadFile(ctx, filepath.Join("../testdata/invalid", c.file), nil)
			if err == nil || !c.check(err) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("got %v (%T), want %q", err, err, c.msg)
			}
		})
	}
}

func TestReadFormatErrors(t *testing.T) {
	ctx := context.Background()
	cases := map[string]string{
		`[]`:                             "x: a SARIF log must be a JSON object, not an array",
		`{"version":"2.1.0"}`:            `x:/runs: missing required property "runs"`,
		`{"version":"2.1.0","runs":{}}`:  "x:/runs: runs must be an array, not an object",
		`{"version":"2.1.0","runs":[1]}`: "x:/runs/0: a run must be a JSON object, not a number",
		`{"version":"2.1.0","runs":[{"results":[{},"r"]}]}`: "x:/runs/0/results/1: a result must be a JSON object, not a string",
		`{"runs":[]}`:                   `x:/version: missing SARIF version (want "2.1.0")`,
		`{"version":"1.0.0","runs":[]}`: "x:/version: SARIF 1.0.0 is not supported",
		`{"version":2.1,"runs":[]}`:     `x:/version: unsupported SARIF version "2.1"`,
		// Some other JSON file, an npm package.json.
		`{"name":"app","version":"1.0.0","dependencies":{}}`:                          `x: not a SARIF log: a JSON object without "runs"`,
		`{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1"}`: `x:/version: unsupported SARIF version "2.1"`,
	}
	for in, want := range cases {
		_, err := sarif.Parse(ctx, []byte(in), "x")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", in, err, want)
		}
	}
}

// "runs": null is valid SARIF (the schema allows it): it reads as a log
// with no runs, in every reading mode, and writes back as null until runs
// are added.
func TestReadRunsNull(t *testing.T) {
	ctx := context.Background()
	const in = `{"version":"2.1.0","runs":null}`
	for name, opts := range map[string]*sarif.ReadOptions{"model": nil, "raw": {RawResults: true}, "lossy": {Lossy: true}} {
		l, err := sarif.ParseWith(ctx, []byte(in), "x", opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(l.Report.Runs) != 0 {
			t.Errorf("%s: %d runs, want none", name, len(l.Report.Runs))
		}
	}
	l, err := sarif.Parse(ctx, []byte(in), "x")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := l.Write(&out, nil); err != nil {
		t.Fatal(err)
	}
	if out.String() != in {
		t.Errorf("written back as %s, want %s", out.String(), in)
	}
	other, err := sarif.ReadFile(ctx, "../testdata/valid/minimal.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Report.Runs = append(l.Report.Runs, other.Report.Runs...)
	l.Adopt(other)
	out.Reset()
	if err := l.Write(&out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"runs":[{"tool":{"driver":{"name":"minimal"}}`) {
		t.Errorf("a run added to a runs-null log is not written: %s", out.String())
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func TestReadGzipAndBOM(t *testing.T) {
	ctx := context.Background()
	plain, err := os.ReadFile("../testdata/valid/example-gosec.sarif")
	if err != nil {
		t.Fatal(err)
	}
	want, err := sarif.Parse(ctx, plain, "plain")
	if err != nil {
		t.Fatal(err)
	}
	var wantOut bytes.Buffer
	want.Write(&wantOut, nil)
	for name, data := range map[string][]byte{
		"gzip":     gzipped(t, plain),
		"bom":      append([]byte{0xEF, 0xBB, 0xBF}, plain...),
		"gzip+bom": gzipped(t, append([]byte{0xEF, 0xBB, 0xBF}, plain...)),
	} {
		l, err := sarif.Parse(ctx, data, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out bytes.Buffer
		l.Write(&out, nil)
		if !bytes.Equal(out.Bytes(), wantOut.Bytes()) {
			t.Errorf("%s: read differently from the plain file", name)
		}
	}
	if _, err := sarif.ReadFile(ctx, "../testdata/valid/example-gosec.sarif.gz", nil); err != nil {
		t.Errorf("gzip fixture: %v", err)
	}
}

// A gzip bomb stops at the cap with a SizeLimitError, without inflating
// the rest.
func TestDecompressionCap(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 10<<20)
	data := gzipped(t, append([]byte(`{"version":"2.1.0","runs":[]}`), big...))
	in, err := sarif.NewInput(bytes.NewReader(data), "bomb", &sarif.ReadOptions{MaxDecompressedSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sarif.Read(context.Background(), in)
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) || le.Limit != 1<<20 {
		t.Fatalf("want a SizeLimitError, got %v", err)
	}
	if in.BytesRead() > 1<<20 {
		t.Errorf("read %d bytes past a cap of %d", in.BytesRead(), 1<<20)
	}
	// Exactly at the cap is fine.
	exact := []byte(`{"version":"2.1.0","runs":[]}`)
	in, _ = sarif.NewInput(bytes.NewReader(gzipped(t, exact)), "exact", &sarif.ReadOptions{MaxDecompressedSize: int64(len(exact))})
	if _, err := sarif.Read(context.Background(), in); err != nil {
		t.Errorf("at the cap: %v", err)
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b bytes.Buffer
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[`)
	b.WriteString(strings.TrimSuffix(strings.Repeat(`{"message":{"text":"m"}},`, 5000), ","))
	b.WriteString(`]}]}`)
	if _, err := sarif.Parse(ctx, b.Bytes(), "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "out.sarif")
	if err := os.WriteFile(target, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := sarif.ReadFile(ctx, "../testdata/valid/example-gosec.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	// A value JSON cannot hold makes the encoder fail half way.
	rule := l.Report.Runs[0].Tool.Driver.Rules[1]
	rule.Properties["bad"] = func() {}
	if err := l.WriteFile(target, &sarif.WriteOptions{Indent: "  "}); err == nil {
		t.Fatal("want an error")
	}
	if got, _ := os.ReadFile(target); string(got) != "previous" {
		t.Errorf("target changed on error: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	delete(rule.Properties, "bad")
	if err := l.WriteFile(target, &sarif.WriteOptions{Gzip: true}); err != nil {
		t.Fatal(err)
	}
	back, err := sarif.ReadFile(ctx, target, nil)
	if err != nil {
		t.Fatalf("reading the gzip output back: %v", err)
	}
	if len(back.Report.Runs[0].Results) != 2 {
		t.Errorf("got %d results back", len(back.Report.Runs[0].Results))
	}
	if err := l.WriteFile(filepath.Join(dir, "missing-dir", "x.sarif"), nil); err == nil {
		t.Error("want an error for a missing directory")
	}
}

// What the model holds is what is written: a field changed after reading
// wins over the recorded input text; an untouched one keeps it.
func TestModifiedFieldsWin(t *testing.T) {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/valid/tricky-roundtrip.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := l.Report.Runs[2].Results[0]
	if *r.Rank != float32(0.1) {
		t.Fatalf("rank %v", *r.Rank)
	}
	var out bytes.Buffer
	l.Write(&out, nil)
	if !bytes.Contains(out.Bytes(), []byte(`"rank":0.1,`)) {
		t.Errorf("unchanged rank must keep its input text: %s", out.Bytes())
	}
	*r.Rank = 0.5
	base := "new"
	r.BaselineState = &base
	out.Reset()
	l.Write(&out, nil)
	if !bytes.Contains(out.Bytes(), []byte(`"rank":0.5,`)) || !bytes.Contains(out.Bytes(), []byte(`"baselineState":"new"`)) {
		t.Errorf("changed fields must be written: %s", out.Bytes())
	}
	// Properties keep exact numbers.
	if !bytes.Contains(out.Bytes(), []byte(`"big":12345678901234567890`)) {
		t.Error("big integer property lost its digits")
	}
}

func TestCorpusModel(t *testing.T) {
	ctx := context.Background()
	counts := map[string]int{
		"golangci-lint-gin-v1.9.0.sarif":  1412,
		"golangci-lint-gin-v1.10.0.sarif": 1477,
		"gosec-gin-v1.9.0.sarif":          17,
		"gosec-gin-v1.10.0.sarif":         19,
		"eslint-express-lib.sarif":        377,
	}
	for _, f := range corpus.Files(t, "real") {
		l, err := sarif.ReadFile(ctx, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, run := range l.Report.Runs {
			n += len(run.Results)
			for _, r := range run.Results {
				if sarif.RuleID(run, r) == "" {
					t.Errorf("%s: a result without rule id", f)
				}
				if sarif.PrimaryURI(run, r) == "" {
					t.Errorf("%s: a result without primary URI", f)
				}
			}
		}
		if want := counts[filepath.Base(f)]; n != want {
			t.Errorf("%s: %d results, the corpus README says %d", f, n, want)
		}
	}
}

func TestLossyRead(t *testing.T) {
	ctx := context.Background()
	for _, f := range append(corpus.Files(t, "real"), "../testdata/valid/tricky-roundtrip.sarif", "../testdata/invalid/nulls-and-unknowns.sarif") {
		exact, err := sarif.ReadFile(ctx, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		lossy, err := sarif.ReadFile(ctx, f, &sarif.ReadOptions{Lossy: true})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, run := range exact.Report.Runs {
			lr := lossy.Report.Runs[i]
			if len(run.Results) != len(lr.Results) {
				t.Fatalf("%s: run %d: %d results, lossy %d", f, i, len(run.Results), len(lr.Results))
			}
			for j, r := range run.Results {
				l := lr.Results[j]
				if sarif.RuleID(run, r) != sarif.RuleID(lr, l) || sarif.PrimaryURI(run, r) != sarif.PrimaryURI(lr, l) ||
					sarif.EffectiveLevel(run, r) != sarif.EffectiveLevel(lr, l) {
					t.Errorf("%s: result %d/%d reads differently", f, i, j)
				}
			}
		}
		if err := lossy.Write(io.Discard, nil); !errors.Is(err, sarif.ErrLossy) {
			t.Errorf("writing a lossy log: %v", err)
		}
	}
	_, err := sarif.ReadFile(ctx, "../testdata/invalid/truncated.sarif", &sarif.ReadOptions{Lossy: true})
	var se *sarif.SyntaxError
	if !errors.As(err, &se) || se.Line != 5 {
		t.Errorf("lossy syntax error: %v", err)
	}
	_, err = sarif.Parse(ctx, []byte(`{"version":"2.1.0","runs":[{"results":[{},"r"]}]}`), "x")
	if err == nil {
		t.Error("want an error for a result that is not an object")
	}
}

// Errors of an atomic write name the target, never the temporary file,
// and leave nothing behind.
func TestWriteFileAtomicErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := io.WriteString(w, "{}"); return err }
	cases := map[string]string{
		filepath.Join(dir, "nodir", "out.sarif"): "writing " + filepath.Join(dir, "nodir", "out.sarif") + ": directory " + filepath.Join(dir, "nodir") + " does not exist",
		dir:                                      "writing " + dir + ": it is a directory",
	}
	for name, want := range cases {
		err := sarif.WriteFileAtomic(name, write)
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	failing := errors.New("boom")
	err := sarif.WriteFileAtomic(filepath.Join(dir, "x.sarif"), func(io.Writer) error { return failing })
	if !errors.Is(err, failing) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("write error: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

// Locate finds where the values at JSON pointers start, in results and
// in the rest of the log alike.
func TestLocate(t *testing.T) {
	doc := "{\"version\":\"2.1.0\",\n \"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\",\n   \"rules\":[{\"id\":\"A\"}]}},\n  \"results\":[\n   {\"ruleId\":\"A\",\n    \"level\":\"bad\"},  {\"ruleId\":\"B\"}]}]}\n"
	want := map[string]string{
		"":                            "1:1",
		"/version":                    "1:12",
		"/runs":                       "2:9",
		"/runs/0":                     "2:10",
		"/runs/0/tool/driver/name":    "2:36",
		"/runs/0/tool/driver/rules/0": "3:13",
		"/runs/0/results":             "4:13",
		"/runs/0/results/0":           "5:4",
		"/runs/0/results/0/level":     "6:13",
		"/runs/0/results/1/ruleId":    "6:32",
	}
	ptrs := slices.Collect(maps.Keys(want))
	ptrs = append(ptrs, "/runs/0/results/1/level", "/runs/1", "/nope")
	for _, chunked := range []bool{false, true} {
		var r io.Reader = strings.NewReader(doc)
		if chunked {
			r = iotest.OneByteReader(r)
		}
		in, err := sarif.NewInput(r, "x", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sarif.Locate(t.Context(), in, ptrs)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("chunked %v: %d positions, want %d: %v", chunked, len(got), len(want), got)
		}
		for p, w := range want {
			if got[p].String() != w {
				t.Errorf("chunked %v: %q at %v, want %s", chunked, p, got[p], w)
			}
		}
	}
}
