package sarif_test

import (
	"bytes"
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
	t.Parallel()
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
	t.Parallel()
	ctx := context.Background()
	cases := map[string]string{
		`[]`:                             "x: a SARIF log must be a JSON object, not an array",
		`{"version":"2.1.0"}`:            `x:/runs: missing required property "runs"`,
		`{"version":"2.1.0","runs":{}}`:  "x:/runs: runs must be an array, not an object",
		`{"version":"2.1.0","runs":[1]}`: "x:/runs/0: a run must be a JSON object, not a number",
		`{"version":"2.1.0","runs":[{"results":[{},"r"]}]}`: "x:/runs/0/results/1: a result must be a JSON object, not a string",
		// The upload action's invalid-sarif.sarif: it was read as a run
		// without results, and written back with "results": [].
		`{"version":"2.1.0","runs":[{"results":42}]}`: "x:/runs/0/results: results must be an array, not a number",
		`{"runs":[]}`:                   `x:/version: missing SARIF version (want "2.1.0")`,
		`{"version":"1.0.0","runs":[]}`: "x:/version: SARIF 1.0.0 is not supported",
		`{"version":2.1,"runs":[]}`:     `x:/version: unsupported SARIF version "2.1"`,
		// Some other JSON file, an npm package.json.
		`{"name":"app","version":"1.0.0","dependencies":{}}`:                          `x: not a SARIF log: a JSON object without "runs"`,
		`{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1"}`: `x:/version: unsupported SARIF version "2.1"`,
	}
	for in, want := range cases {
		_, err := sarif.Read(ctx, strings.NewReader(in), "x", nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", in, err, want)
		}
	}
}

// "runs": null is valid SARIF (the schema allows it): it reads as a log
// with no runs, and writes back as null until runs are added.
func TestReadRunsNull(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const in = `{"version":"2.1.0","runs":null}`
	l, err := sarif.Read(ctx, strings.NewReader(in), "x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 0 {
		t.Errorf("%d runs, want none", len(l.Runs))
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
	l.Runs = append(l.Runs, other.Runs...)
	out.Reset()
	if err := l.Write(&out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"runs":[{"tool":{"driver":{"name":"minimal"}}`) {
		t.Errorf("a run added to a runs-null log is not written: %s", out.String())
	}
}

func TestReadGzipAndBOM(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plain, err := os.ReadFile("../testdata/valid/example-gosec.sarif")
	if err != nil {
		t.Fatal(err)
	}
	want, err := sarif.Read(ctx, bytes.NewReader(plain), "plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	var wantOut bytes.Buffer
	want.Write(&wantOut, nil)
	for name, data := range map[string][]byte{
		"gzip":     sarif.Gzipped(t, plain),
		"bom":      append([]byte{0xEF, 0xBB, 0xBF}, plain...),
		"gzip+bom": sarif.Gzipped(t, append([]byte{0xEF, 0xBB, 0xBF}, plain...)),
	} {
		l, err := sarif.Read(ctx, bytes.NewReader(data), name, nil)
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
	t.Parallel()
	big := bytes.Repeat([]byte(" "), 10<<20)
	data := sarif.Gzipped(t, append([]byte(`{"version":"2.1.0","runs":[]}`), big...))
	counted := &countingReader{r: bytes.NewReader(data)}
	_, err := sarif.Read(context.Background(), counted, "bomb", &sarif.ReadOptions{MaxDecompressedSize: 1 << 20})
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) || le.Limit != 1<<20 {
		t.Fatalf("want a SizeLimitError, got %v", err)
	}
	if counted.n == int64(len(data)) && len(data) > 64<<10 {
		t.Errorf("read all %d compressed bytes past the cap", counted.n)
	}
	// Exactly at the cap is fine.
	exact := []byte(`{"version":"2.1.0","runs":[]}`)
	if _, err := sarif.Read(context.Background(), bytes.NewReader(sarif.Gzipped(t, exact)), "exact", &sarif.ReadOptions{MaxDecompressedSize: int64(len(exact))}); err != nil {
		t.Errorf("at the cap: %v", err)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestReadCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b bytes.Buffer
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[`)
	b.WriteString(strings.TrimSuffix(strings.Repeat(`{"message":{"text":"m"}},`, 5000), ","))
	b.WriteString(`]}]}`)
	if _, err := sarif.Read(ctx, bytes.NewReader(b.Bytes()), "x", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	t.Parallel()
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
	rule := l.Runs[0].Model.Tool.Driver.Rules[1]
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
	if len(sarif.InMemory(back.Runs[0])) != 2 {
		t.Errorf("got %d results back", len(sarif.InMemory(back.Runs[0])))
	}
	if err := l.WriteFile(filepath.Join(dir, "missing-dir", "x.sarif"), nil); err == nil {
		t.Error("want an error for a missing directory")
	}
}

// What the model holds is what is written: a field changed after reading
// wins over the recorded input text; an untouched one keeps it.
func TestModifiedFieldsWin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/valid/tricky-roundtrip.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	dc := l.Runs[1].Model.Tool.Driver.Rules[1].DefaultConfiguration
	if *dc.Rank != 12.5 {
		t.Fatalf("rank %v", *dc.Rank)
	}
	var out bytes.Buffer
	l.Write(&out, nil)
	if !bytes.Contains(out.Bytes(), []byte(`"rank":12.50}`)) {
		t.Errorf("unchanged rank must keep its input text: %s", out.Bytes())
	}
	*dc.Rank = 0.5
	dc.Level = "warning"
	out.Reset()
	l.Write(&out, nil)
	if !bytes.Contains(out.Bytes(), []byte(`"rank":0.5}`)) || !bytes.Contains(out.Bytes(), []byte(`"level":"warning"`)) {
		t.Errorf("changed fields must be written: %s", out.Bytes())
	}
	// Properties keep exact numbers.
	if !bytes.Contains(out.Bytes(), []byte(`"big":12345678901234567890`)) {
		t.Error("big integer property lost its digits")
	}
}

func TestCorpusModel(t *testing.T) {
	t.Parallel()
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
		for _, run := range l.Runs {
			n += len(sarif.InMemory(run))
			rv := run.Resolver()
			for _, text := range sarif.InMemory(run) {
				r, err := text.Decode()
				if err != nil {
					t.Fatal(err)
				}
				if rv.RuleID(r) == "" {
					t.Errorf("%s: a result without rule id", f)
				}
				if rv.PrimaryURI(r) == "" {
					t.Errorf("%s: a result without primary URI", f)
				}
			}
		}
		if want := counts[filepath.Base(f)]; n != want {
			t.Errorf("%s: %d results, the corpus README says %d", f, n, want)
		}
	}
}

// Locate finds where the values at JSON pointers start, in results and
// in the rest of the log alike.
func TestLocate(t *testing.T) {
	t.Parallel()
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
		got, err := sarif.Locate(t.Context(), r, "x", nil, ptrs)
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
