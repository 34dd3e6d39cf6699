package sarif_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/sarif"
)

// A log read from invalid UTF-8 says so, with the replacements made; the
// fixtures hold "\xff\xfe" in a driver name and "\xc3(" in messages.
func TestLogInvalidUTF8(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		file  string
		n     int
		first string
	}{
		{"invalid-utf8-driver-name.sarif", 2, "5:40"},
		{"invalid-utf8-message.sarif", 2, "7:62"},
		{"invalid-utf8-message.sarif.gz", 2, "7:62"},
	}
	for _, c := range cases {
		l, err := sarif.ReadFile(ctx, "../testdata/invalid/"+c.file, nil)
		if err != nil {
			t.Fatal(err)
		}
		n, first := l.InvalidUTF8()
		if n != c.n || first.String() != c.first {
			t.Errorf("%s: %d at %s, want %d at %s", c.file, n, first, c.n, c.first)
		}
		var out bytes.Buffer
		if err := l.Write(&out, nil); err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out.Bytes()) || !strings.Contains(out.String(), "\uFFFD") {
			t.Errorf("%s: written back as %q, want valid UTF-8 with U+FFFD", c.file, out.String())
		}
	}
	l, err := sarif.ReadFile(ctx, "../testdata/valid/example-gosec.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, first := l.InvalidUTF8(); n != 0 || first != (sarif.Position{}) {
		t.Errorf("valid log: %d at %+v", n, first)
	}
	if n, _ := sarif.New().InvalidUTF8(); n != 0 {
		t.Errorf("new log: %d", n)
	}
	// The driver name reads with the replacement characters.
	l, err = sarif.ReadFile(ctx, "../testdata/invalid/invalid-utf8-driver-name.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Runs[0].Tool(); got != "lint\uFFFD\uFFFD" {
		t.Errorf("driver name %q", got)
	}
	if data, _ := os.ReadFile("../testdata/invalid/invalid-utf8-driver-name.sarif"); !bytes.Contains(data, []byte("\xff\xfe")) {
		t.Error("the fixture lost its invalid bytes")
	}
}
