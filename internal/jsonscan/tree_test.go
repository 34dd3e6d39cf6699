package jsonscan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Tree gives what encoding/json gives, on any valid JSON.
func FuzzTree(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\ud83d\\ude00\\n\\"\\/"],"b":{}}`, `"\ud800x"`, `"\ud800\u0041"`,
		"\"caf\xc3\xa9 \xff\xfe\"", `[{"k":1,"k":2}]`, ` [ ] `, `0`, `"\u2028"`} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("../../testdata/*/*.sarif")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 32<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := Tree(bytes.TrimSpace(data)); !reflect.DeepEqual(got, want) {
			t.Fatalf("Tree(%q) = %#v, want %#v", data, got, want)
		}
	})
}
