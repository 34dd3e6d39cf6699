package schema

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Validation never panics, and a syntax error is the only way it fails.
func FuzzValidate(f *testing.F) {
	for _, data := range fuzzSeeds() {
		f.Add(data)
	}
	v, err := New(&Options{Profiles: []Profile{ProfileGitHub, ProfileGitLab}, CheckoutURI: "file:///repo"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		findings, err := v.ValidateBytes(context.Background(), data, "fuzz")
		if err != nil {
			return
		}
		for _, fd := range findings {
			if fd.ID == "" || fd.Message == "" || (fd.Pointer != "" && fd.Pointer[0] != '/') {
				t.Fatalf("malformed finding %+v", fd)
			}
		}
	})
}

// fuzzSeeds are the fixture and corpus files under 64 KB.
func fuzzSeeds() [][]byte {
	files, _ := filepath.Glob("../testdata/*/*")
	corpusFiles, _ := filepath.Glob("../testdata/corpus/*/*.sarif")
	var seeds [][]byte
	for _, name := range append(files, corpusFiles...) {
		if data, err := os.ReadFile(name); err == nil && len(data) < 64<<10 {
			seeds = append(seeds, data)
		}
	}
	return seeds
}
