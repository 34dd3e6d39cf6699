package sarif_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// The test vectors (testdata/fingerprint-vectors, some from the upload
// action's own tests): every line's hash, byte for byte.
func TestLineHashesVectors(t *testing.T) {
	t.Parallel()
	dir := corpus.Testdata("fingerprint-vectors")
	files, _ := filepath.Glob(filepath.Join(dir, "*.hashes"))
	action, _ := filepath.Glob(filepath.Join(dir, "codeql-action", "*.hashes"))
	files = append(files, action...)
	if len(files) < 4 {
		t.Fatalf("found %d vector files", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(strings.TrimSuffix(f, ".hashes"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		for i, h := range sarif.LineHashes(src) {
			fmt.Fprintf(&got, "%d %s\n", i+1, h)
		}
		if got.String() != string(want) {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", filepath.Base(f), got.String(), want)
		}
	}
}

// Spaces, tabs and line endings do not change a hash; any other character
// within the 100-character window does.
func TestLineHashesProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("abcXYZ019(){};=.\"é")
	for trial := range 200 {
		var b bytes.Buffer
		lines := 1 + rng.IntN(8)
		for range lines {
			for range rng.IntN(30) {
				b.WriteByte(alphabet[rng.IntN(len(alphabet)-2)])
			}
			b.WriteByte('\n')
		}
		src := b.Bytes()
		base := sarif.LineHashes(src)
		// Invariance: insert spaces and tabs anywhere, use CRLF or CR.
		var noisy bytes.Buffer
		for _, c := range src {
			if rng.IntN(4) == 0 {
				noisy.WriteString([]string{" ", "\t", "  \t"}[rng.IntN(3)])
			}
			if c == '\n' && trial%2 == 0 {
				noisy.WriteString("\r\n")
				continue
			}
			if c == '\n' && trial%3 == 0 {
				noisy.WriteByte('\r')
				continue
			}
			noisy.WriteByte(c)
		}
		if got := sarif.LineHashes(noisy.Bytes()); fmt.Sprint(got) != fmt.Sprint(base) {
			t.Fatalf("trial %d: white space or line endings changed the hashes:\n%q\n%q", trial, src, noisy.Bytes())
		}
		// Sensitivity: change one non-space character of line 1 within its
		// window (line 1 starts at 0; the file is short, so the window
		// covers it all).
		nonSpace := bytes.IndexFunc(src, func(r rune) bool { return r != '\n' })
		if nonSpace < 0 || nonSpace > 90 {
			continue
		}
		changed := bytes.Clone(src)
		changed[nonSpace] = '#'
		if sarif.LineHashes(changed)[0] == base[0] {
			t.Fatalf("trial %d: changing %q did not change the first line's hash", trial, src[nonSpace])
		}
	}
}

func TestAddLineHashes(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "src"), 0o755)
	os.WriteFile(filepath.Join(root, "src", "a b.go"), []byte("package a\n\nfunc F() {}\n"), 0o644)
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
	 "originalUriBaseIds":{"ROOT":{"uri":"file://` + filepath.ToSlash(root) + `/"}},
	 "results":[
	  {"message":{"text":"relative"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a%20b.go"},"region":{"startLine":3}}}]},
	  {"message":{"text":"through base"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a%20b.go","uriBaseId":"ROOT"},"region":{"startLine":1}}}]},
	  {"message":{"text":"kept"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a%20b.go"},"region":{"startLine":1}}}],"partialFingerprints":{"primaryLocationLineHash":"given:1"}},
	  {"message":{"text":"outside"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///etc/passwd"},"region":{"startLine":1}}}]},
	  {"message":{"text":"other scheme"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"https://example.com/a.go"},"region":{"startLine":1}}}]},
	  {"message":{"text":"missing file"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"nope.go"},"region":{"startLine":1}}}]},
	  {"message":{"text":"no region"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a%20b.go"}}}]}
	 ]}]}`
	l, err := sarif.Read(context.Background(), strings.NewReader(log), "x", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sarif.AddLineHashes(context.Background(), l, root)
	if err != nil {
		t.Fatal(err)
	}
	if st != (sarif.FingerprintStats{Added: 2, Kept: 1, Differed: 1, Skipped: 4, MissingFiles: 1}) {
		t.Errorf("stats %+v", st)
	}
	want := sarif.LineHashes([]byte("package a\n\nfunc F() {}\n"))
	var rs []*gosarif.Result
	for _, text := range sarif.InMemory(l.Runs[0]) {
		r, err := text.Decode()
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if rs[0].PartialFingerprints["primaryLocationLineHash"] != want[2] || rs[1].PartialFingerprints["primaryLocationLineHash"] != want[0] ||
		rs[2].PartialFingerprints["primaryLocationLineHash"] != "given:1" || rs[3].PartialFingerprints != nil {
		t.Errorf("hashes: %v %v %v %v", rs[0].PartialFingerprints, rs[1].PartialFingerprints, rs[2].PartialFingerprints, rs[3].PartialFingerprints)
	}
}
