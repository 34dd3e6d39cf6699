package gen

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestWriteIsValidJSONAndDeterministic(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if err := Write(&a, Config{Results: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	Write(&b, Config{Results: 300, Seed: 7})
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same config, different output")
	}
	var v struct {
		Runs []struct {
			Results []struct {
				CodeFlows []any
			}
		}
	}
	if err := json.Unmarshal(a.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	flows := 0
	for _, r := range v.Runs[0].Results {
		if r.CodeFlows != nil {
			flows++
		}
	}
	if len(v.Runs[0].Results) != 300 || flows != 30 {
		t.Errorf("%d results, %d with code flows", len(v.Runs[0].Results), flows)
	}
}
