package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
)

var update = flag.Bool("update", false, "rewrite the golden files of the reports from the current output")

// checkGolden compares got with the golden file testdata/golden/diff/name,
// or with -update writes it.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", "diff", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./diff -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (go test ./diff -update rewrites it, check the change by hand):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// The JSON report on real comparisons: the README's example pair, gosec
// on two releases of gin (the Multitool's counts, 4 new, 2 absent, 8
// updated, 7 unchanged), and logs of two tools that share no run (the
// notes, base results not compared). The golden files were read line by
// line against the inputs when created. (The reports for people, of the
// same comparisons, are package report's: TestComparisonGolden.)
func TestReportsGolden(t *testing.T) {
	t.Parallel()
	pairs := []struct{ name, base, head string }{
		{"example", "../testdata/diff/base.sarif", "../testdata/diff/head.sarif"},
		{"gosec-gin", "../testdata/corpus/real/gosec-gin-v1.9.0.sarif", "../testdata/corpus/real/gosec-gin-v1.10.0.sarif"},
		{"unpaired", "../testdata/corpus/real/eslint-express-lib.sarif", "../testdata/diff/head.sarif"},
	}
	for _, p := range pairs {
		d := compare(t, readLog(t, p.base), readLog(t, p.head))
		gate := Gate{FailOn: FailOnNew, MinLevel: "warning"}
		var js bytes.Buffer
		if err := WriteJSON(&js, d, gate.Judge(d)); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, p.name+".json", js.Bytes())
	}
}

// The SARIF report of the README's example: head's results with their
// baselineState, the absent base result copied in with its rule.
func TestAnnotateGolden(t *testing.T) {
	t.Parallel()
	head := readLog(t, "../testdata/diff/head.sarif")
	d := compare(t, readLog(t, "../testdata/diff/base.sarif"), head)
	annotate(t, d, head)
	checkGolden(t, "example.sarif", sariftest.WriteIndented(t, head, "  "))
}
