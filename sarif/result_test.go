package sarif_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// rawFiles are logs that stretch the reader: every corpus file, the
// fixtures, and the one with nulls, unknown members and wrong types.
func rawFiles(t *testing.T) []string {
	files := corpus.Files(t, "real")
	fixtures, _ := filepath.Glob("../testdata/valid/*.sarif")
	return append(append(files, fixtures...), "../testdata/invalid/nulls-and-unknowns.sarif", "../testdata/diff/base.sarif")
}

// Results are held as compact text and write back equal to the input,
// compact and indented. Decoded and encoded again (NewResult), a result
// the model holds entirely gives JSON equal to its text.
func TestResults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, f := range rawFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in := sariftest.File(t, f)
			l, err := sarif.ReadFile(ctx, f, nil)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, run := range l.Runs {
				if len(run.Model.Results) != 0 {
					t.Fatalf("a run's model holds %d results, want none", len(run.Model.Results))
				}
				for _, r := range sarif.InMemory(run) {
					if bytes.ContainsAny(r, "\n\t") || !bytes.HasPrefix(r, []byte("{")) {
						t.Fatalf("not a compact object: %.80s", r)
					}
				}
				n += len(sarif.InMemory(run))
			}
			want := 0
			tree, _ := sariftest.JSON(t, in).(map[string]any)
			runs, _ := tree["runs"].([]any)
			for _, run := range runs {
				rs, _ := run.(map[string]any)["results"].([]any)
				want += len(rs)
			}
			if n != want {
				t.Fatalf("%d results, want %d", n, want)
			}
			for _, indent := range []string{"", "  "} {
				if got := sariftest.WriteIndented(t, l, indent); !reflect.DeepEqual(sariftest.JSON(t, in), sariftest.JSON(t, got)) {
					t.Errorf("indent %q: the log writes back different JSON", indent)
				}
			}
			if strings.Contains(f, "nulls-and-unknowns") {
				return // unknown members and nulls: the model does not hold them
			}
			for _, run := range l.Runs {
				for i, r := range sarif.InMemory(run) {
					m, err := r.Decode()
					if err != nil {
						t.Fatal(err)
					}
					again, err := sarif.NewResult(m)
					if err != nil {
						t.Fatal(err)
					}
					if w, g := sariftest.JSON(t, r), sariftest.JSON(t, again); !reflect.DeepEqual(w, g) {
						t.Errorf("result %d decoded and encoded again: %s", i, sariftest.Difference(w, g))
					}
				}
			}
		})
	}
}

// An indented input is held compact; the re-indented output has the
// encoder's layout, byte for byte.
func TestRawResultsLayout(t *testing.T) {
	t.Parallel()
	in := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	  { "ruleId" : "a\"b\\", "message": {"text": " x  y "}, "locations": [ ], "properties": {} },
	  {"ruleId":"c","message":{"text":"z"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"f.go"}}}]}]}]}`
	l, err := sarif.Read(context.Background(), strings.NewReader(in), "in", nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := sarif.InMemory(l.Runs[0])
	if got, want := string(rs[0]), `{"ruleId":"a\"b\\","message":{"text":" x  y "},"locations":[],"properties":{}}`; got != want {
		t.Errorf("held as\n%s\nwant\n%s", got, want)
	}
	got := string(sariftest.WriteIndented(t, l, "  "))
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

// Invalid UTF-8 is replaced as encoding/json replaces it, so the output
// is always valid JSON text.
func TestResultsInvalidUTF8(t *testing.T) {
	t.Parallel()
	in := "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":[{\"message\":{\"text\":\"bad \xff byte\"}}]}]}"
	l, err := sarif.Read(context.Background(), strings.NewReader(in), "in", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":[{\"message\":{\"text\":\"bad \ufffd byte\"}}]}]}"
	if got := string(sariftest.WriteIndented(t, l, "")); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Results added to a run are written after those it had; a result put in
// the model instead is an error, not silently dropped; a result that is
// not an object is an error with its pointer.
func TestResultsOrderAndErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := sarif.Read(ctx, strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"first"}}]}]}`), "in", nil)
	if err != nil {
		t.Fatal(err)
	}
	run := l.Runs[0]
	second, err := sarif.NewResult(newResult("second"))
	if err != nil {
		t.Fatal(err)
	}
	run.AppendResults(second)
	got := string(sariftest.WriteIndented(t, l, ""))
	want := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"first"}},{"message":{"text":"second"}}]}]}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	run.Model.Results = append(run.Model.Results, newResult("lost?"))
	if err := l.Write(io.Discard, nil); err == nil || !strings.Contains(err.Error(), "Run.AppendResults") {
		t.Errorf("writing a result put in the model: %v, want an error", err)
	}

	_, err = sarif.Read(ctx, strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{},[1]]}]}`), "in", nil)
	var fe *sarif.FormatError
	if !errors.As(err, &fe) || fe.Pointer != "/runs/0/results/1" {
		t.Errorf("got %v, want a FormatError at /runs/0/results/1", err)
	}
}

// Set replaces a top-level member, or adds it, keeping the rest as it is.
func TestResultSet(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, name, want string }{
		{`{"a":1,"baselineState":"new","b":[2]}`, "baselineState", `{"a":1,"baselineState":"absent","b":[2]}`},
		{`{"a":1}`, "baselineState", `{"a":1,"baselineState":"absent"}`},
		{`{}`, "baselineState", `{"baselineState":"absent"}`},
		{`{"x":{"baselineState":"new"}}`, "baselineState", `{"x":{"baselineState":"new"},"baselineState":"absent"}`},
	}
	for _, c := range cases {
		got, err := sarif.Result(c.in).Set(c.name, "absent")
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %s %v, want %s", c.in, got, err, c.want)
		}
	}
}

func newResult(text string) *gosarif.Result {
	return &gosarif.Result{Message: gosarif.Message{Text: &text}}
}
