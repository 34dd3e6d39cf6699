package sarif_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// rawFiles are logs that stretch the reader: every corpus file, the
// fixtures, and the one with nulls, unknown members and wrong types.
func rawFiles(t *testing.T) []string {
	files := corpus.Files(t, "real")
	fixtures, _ := filepath.Glob("../testdata/valid/*.sarif")
	return append(append(files, fixtures...), "../testdata/invalid/nulls-and-unknowns.sarif", "../testdata/diff/base.sarif")
}

func writeLog(t *testing.T, l *sarif.Log, indent string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := l.Write(&b, &sarif.WriteOptions{Indent: indent}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Results held as text write back equal to the input, compact and
// indented; decoded into the model they write exactly as a log read into
// the model does; and model results encoded to text write back equal too.
func TestRawResults(t *testing.T) {
	ctx := context.Background()
	for _, f := range rawFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in := readBytes(t, f)
			raw, err := sarif.ReadFile(ctx, f, &sarif.ReadOptions{RawResults: true})
			if err != nil {
				t.Fatal(err)
			}
			model, err := sarif.ReadFile(ctx, f, nil)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, run := range raw.Report.Runs {
				if len(run.Results) != 0 {
					t.Fatalf("a run holds %d model results, want none", len(run.Results))
				}
				for _, r := range raw.RawResults(run) {
					if bytes.ContainsAny(r, "\n\t") || !bytes.HasPrefix(r, []byte("{")) {
						t.Fatalf("not a compact object: %.80s", r)
					}
				}
				n += len(raw.RawResults(run))
			}
			want := 0
			for _, run := range model.Report.Runs {
				want += len(run.Results)
			}
			if n != want {
				t.Fatalf("%d results held as text, want %d", n, want)
			}
			for _, indent := range []string{"", "  "} {
				if got := writeLog(t, raw, indent); !reflect.DeepEqual(jsonValue(t, in), jsonValue(t, got)) {
					t.Errorf("indent %q: the log with text results writes back different JSON", indent)
				}
			}
			for _, run := range raw.Report.Runs {
				raw.DecodeResults(run)
			}
			for _, indent := range []string{"", "  "} {
				if !bytes.Equal(writeLog(t, raw, indent), writeLog(t, model, indent)) {
					t.Errorf("indent %q: decoded text results write differently from results read into the model", indent)
				}
			}
			for _, run := range model.Report.Runs {
				if err := model.EncodeResults(run); err != nil {
					t.Fatal(err)
				}
				if len(run.Results) != 0 {
					t.Fatal("EncodeResults left model results")
				}
			}
			if !reflect.DeepEqual(jsonValue(t, in), jsonValue(t, writeLog(t, model, ""))) {
				t.Errorf("results encoded to text write back different JSON")
			}
		})
	}
}

// An indented input is held compact; the re-indented output has the
// encoder's layout, byte for byte.
func TestRawResultsLayout(t *testing.T) {
	in := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	  { "ruleId" : "a\"b\\", "message": {"text": " x  y "}, "locations": [ ], "properties": {} },
	  {"ruleId":"c","message":{"text":"z"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"f.go"}}}]}]}]}`
	l, err := sarif.ParseWith(context.Background(), []byte(in), "in", &sarif.ReadOptions{RawResults: true})
	if err != nil {
		t.Fatal(err)
	}
	rs := l.RawResults(l.Report.Runs[0])
	if got, want := string(rs[0]), `{"ruleId":"a\"b\\","message":{"text":" x  y "},"locations":[],"properties":{}}`; got != want {
		t.Errorf("held as\n%s\nwant\n%s", got, want)
	}
	got := string(writeLog(t, l, "  "))
	want := `{
  "version": "2.1.0",
  "runs": [
    {
      "tool": {
        "driver": {
          "name": "t"
        }
      },
      "results": [
        {
          "ruleId": "a\"b\\",
          "message": {
            "text": " x  y "
          },
          "locations": [],
          "properties": {}
        },
        {
          "ruleId": "c",
          "message": {
            "text": "z"
          },
          "locations": [
            {
              "physicalLocation": {
                "artifactLocation": {
                  "uri": "f.go"
                }
              }
            }
          ]
        }
      ]
    }
  ]
}
`
	if got != want {
		t.Errorf("indented output:\n%s\nwant\n%s", got, want)
	}
}

// Invalid UTF-8 is replaced as the model reader replaces it, so the output
// is always valid JSON text.
func TestRawResultsInvalidUTF8(t *testing.T) {
	in := []byte("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":[{\"message\":{\"text\":\"bad \xff byte\"}}]}]}")
	ctx := context.Background()
	raw, err := sarif.ParseWith(ctx, in, "in", &sarif.ReadOptions{RawResults: true})
	if err != nil {
		t.Fatal(err)
	}
	model, err := sarif.Parse(ctx, in, "in")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := writeLog(t, raw, ""), writeLog(t, model, ""); !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Text results come before model results, and a result that is not an
// object is an error with its pointer.
func TestRawResultsOrderAndErrors(t *testing.T) {
	ctx := context.Background()
	l, err := sarif.ParseWith(ctx, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"first"}}]}]}`), "in", &sarif.ReadOptions{RawResults: true})
	if err != nil {
		t.Fatal(err)
	}
	run := l.Report.Runs[0]
	text := "second"
	run.Results = append(run.Results, newResult(text))
	got := string(writeLog(t, l, ""))
	want := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"first"}},{"message":{"text":"second"}}]}]}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	l.DecodeResults(run)
	if len(run.Results) != 2 || *run.Results[0].Message.Text != "first" || l.RawResults(run) != nil {
		t.Errorf("DecodeResults: %d model results, %d text", len(run.Results), len(l.RawResults(run)))
	}

	_, err = sarif.ParseWith(ctx, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{},[1]]}]}`), "in", &sarif.ReadOptions{RawResults: true})
	var fe *sarif.FormatError
	if !errors.As(err, &fe) || fe.Pointer != "/runs/0/results/1" {
		t.Errorf("got %v, want a FormatError at /runs/0/results/1", err)
	}
}

func readBytes(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newResult(text string) *gosarif.Result {
	return &gosarif.Result{Message: gosarif.Message{Text: &text}}
}

func TestPointerOffset(t *testing.T) {
	doc := []byte("{\n  \"a\": [1, {\"b~/c\": \"x\"}],\n  \"z\" : {\"q\": null, \"r\": [[], {}]}\n}")
	cases := map[string]string{
		"":            "{",
		"/a":          "[1",
		"/a/0":        "1,",
		"/a/1":        `{"b~`,
		"/a/1/b~0~1c": `"x"`,
		"/z/r/1":      "{}",
		"/z/q":        "null",
	}
	for ptr, want := range cases {
		off, ok := sarif.PointerOffset(doc, ptr)
		if !ok || !strings.HasPrefix(string(doc[off:]), want) {
			t.Errorf("%q: offset %d %v, want the text %q", ptr, off, ok, want)
		}
	}
	for _, ptr := range []string{"/b", "/a/2", "/a/x", "/z/q/0", "a"} {
		if _, ok := sarif.PointerOffset(doc, ptr); ok {
			t.Errorf("%q: found, want not found", ptr)
		}
	}
	off, _ := sarif.PointerOffset(doc, "/z/r")
	if line, col := sarif.Advance(doc, off, 1, 1); line != 3 || col != 26 {
		t.Errorf("Advance: %d:%d, want 3:26", line, col)
	}
	if line, col := sarif.Advance([]byte(`{"a":1}`), 5, 4, 10); line != 4 || col != 15 {
		t.Errorf("Advance on one line: %d:%d, want 4:15", line, col)
	}
}
