package diff

import (
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// summary reads what the matcher needs as Result.Decode reads it: the
// items of every result of every fixture, including logs with members of
// the wrong type, nulls and escapes, are the same both ways.
func TestSummaryAgreesWithDecode(t *testing.T) {
	t.Parallel()
	var files []string
	for _, pattern := range []string{"../testdata/*/*.sarif", "../testdata/corpus/*/*.sarif"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	odd := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R"}]}},"results":[
	  {"ruleId":7,"ruleIndex":-1,"message":{"text":"a\u00e9\n\"b\ud83d\ude00"},"level":null,"kind":"fail",
	   "locations":[{"physicalLocation":{"artifactLocation":{"uri":"a%20b.go","index":"0"},"region":{"startLine":"3","startColumn":2.0,"endLine":-4}}},{"physicalLocation":{"artifactLocation":{"uri":"second.go"}}}],
	   "suppressions":[{"status":"rejected"},{},null],"properties":{"github/alertNumber":"12"},
	   "fingerprints":{"a":1.50,"b":"x","c":true,"d":null},"partialFingerprints":[],"baselineState":3},
	  {"rule":{"id":"R","index":0,"toolComponent":{"index":null,"name":"t","guid":5}},"message":{"id":"m"},"locations":null,"properties":{"github/alertNumber":7}},
	  {"message":"not an object","locations":[null],"rule":"R"},
	  {"ruleId":"R","message":{"text":1},"locations":[{"physicalLocation":{"region":{"startLine":1,"snippet":{"text":"  x  "}}}}]}]}]}`
	compared := 0
	for _, f := range append(files, "") {
		var l *sarif.Log
		var err error
		if f == "" {
			l, err = sarif.Read(t.Context(), strings.NewReader(odd), "odd", nil)
		} else {
			l, err = sarif.ReadFile(t.Context(), f, nil)
		}
		if err != nil {
			if f == "" {
				t.Fatal(err)
			}
			continue // not a log the reader takes: nothing to compare
		}
		for ri, run := range l.Runs {
			if run == nil || run.Model == nil {
				continue
			}
			rr := newRunReader(run, ri, "", "", nil)
			sum := &summarizer{in: newInterner()} // reused, as items reuses one per goroutine
			for i, r := range sariftest.Texts(t, run) {
				model, err := r.Decode()
				if err != nil {
					t.Fatalf("%s: result %d: %v", f, i, err)
				}
				want, got := rr.itemOf(i, model), rr.itemOf(i, sum.summary(r))
				if !reflect.DeepEqual(want, got) {
					t.Errorf("%s: result %d:\nsummary %+v\ndecode  %+v", filepath.Base(f), i, got, want)
				}
				compared++
			}
		}
	}
	if compared < 3000 {
		t.Errorf("only %d results compared", compared)
	}
}
