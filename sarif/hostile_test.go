package sarif_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"

	"github.com/sarifkit/sarifkit/sarif"
)

// JSON that lies: inputs built to mislead a reader.

// encode returns s in a Unicode encoding ("UTF-16LE", ...), with its
// byte order mark when bom is set.
func encode(s, enc string, bom bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if strings.HasSuffix(enc, "BE") {
		order = binary.BigEndian
	}
	var out []byte
	runes := []rune(s)
	if bom {
		runes = append([]rune{'\uFEFF'}, runes...)
	}
	if strings.HasPrefix(enc, "UTF-16") {
		for _, u := range utf16.Encode(runes) {
			out = order.AppendUint16(out, u)
		}
		return out
	}
	for _, r := range runes {
		out = order.AppendUint32(out, uint32(r))
	}
	return out
}

// A log in UTF-16 or UTF-32, with a byte order mark or without, is
// refused naming its encoding, compressed or not, read or scanned.
func TestReadOtherUnicode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const log = `{"version":"2.1.0","runs":[]}`
	for _, enc := range []string{"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"} {
		for _, bom := range []bool{true, false} {
			data := encode(log, enc, bom)
			var zipped bytes.Buffer
			zw := gzip.NewWriter(&zipped)
			zw.Write(data)
			zw.Close()
			for _, in := range [][]byte{data, zipped.Bytes()} {
				_, err := sarif.Read(ctx, bytes.NewReader(in), "x.sarif", nil)
				var ee *sarif.EncodingError
				want := "x.sarif: the file is " + enc + "; SARIF must be UTF-8"
				if !errors.As(err, &ee) || ee.Encoding != enc || err.Error() != want {
					t.Errorf("%s (BOM %v, %d bytes): got %v, want %q", enc, bom, len(in), err, want)
				}
				if _, err := sarif.Scan(ctx, bytes.NewReader(in), "x.sarif", nil, nil); !errors.As(err, &ee) {
					t.Errorf("%s (BOM %v): Scan: got %v, want an EncodingError", enc, bom, err)
				}
			}
		}
	}
	// UTF-8, with a byte order mark or without, and short texts read.
	for _, text := range []string{log, "\uFEFF" + log} {
		if _, err := sarif.Read(ctx, strings.NewReader(text), "x.sarif", nil); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
	for _, text := range []string{"1", "{}", "[0]", ""} {
		if _, err := sarif.Scan(ctx, strings.NewReader(text), "x.sarif", nil, nil); errors.As(err, new(*sarif.EncodingError)) {
			t.Errorf("%q: %v", text, err)
		}
	}
}

// A duplicate member name anywhere in a log (the top level, a run, a
// rule, a result, a property bag) is refused, with the pointer of the
// second member, whichever way the log is read: never fused.
func TestReadDuplicateNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const tool = `"tool":{"driver":{"name":"A"}}`
	cases := []struct{ log, ptr, name string }{
		{`{"version":"2.1.0","runs":[{` + tool + `,"results":[{"message":{"text":"a"}}]}],"runs":[{"tool":{"driver":{"name":"B"}},"results":[{"message":{"text":"b"}}]}]}`, "/runs", "runs"},
		{`{"version":"2.1.0","runs":[{` + tool + `,` + tool + `}]}`, "/runs/0/tool", "tool"},
		{`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"A","rules":[{"id":"x"},{"id":"y","id":"z"}]}}}]}`, "/runs/0/tool/driver/rules/1/id", "id"},
		{`{"version":"2.1.0","runs":[{` + tool + `,"results":[{"message":{"text":"a"}},{"message":{"text":"a"},"level":"note","level":"error"}]}]}`, "/runs/0/results/1/level", "level"},
		{`{"version":"2.1.0","runs":[{` + tool + `,"results":[{"message":{"text":"a"},"properties":{"k":[{"a/b":1},{"a/b":2,"a\/b":3}]}}]}]}`, "/runs/0/results/0/properties/k/1/a~1b", "a/b"},
		{"{\"version\":\"2.1.0\",\n  \"properties\" : { \"x\" : [ [ ] , { \"q\" : 1 , \"\\u0071\" : 2 } ] },\n \"runs\":[]}", "/properties/x/1/q", "q"},
	}
	for _, c := range cases {
		for _, opts := range []*sarif.ReadOptions{nil, {ResultsOnDisk: true}} {
			l, err := sarif.Read(ctx, strings.NewReader(c.log), "x.sarif", opts)
			var dn *sarif.DuplicateNameError
			if !errors.As(err, &dn) || dn.Pointer != c.ptr || dn.Name != c.name || dn.Line != strings.Count(c.log[:dn.Offset], "\n")+1 {
				t.Errorf("%s: got %v (%+v), want a duplicate %q at %s", c.log, err, dn, c.name, c.ptr)
			} else if want := "x.sarif:"; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), " "+c.ptr+": duplicate member name") {
				t.Errorf("message %q", err)
			}
			if l != nil {
				l.Close()
			}
		}
		if _, err := sarif.Scan(ctx, strings.NewReader(c.log), "x.sarif", nil, nil); !errors.As(err, new(*sarif.DuplicateNameError)) {
			t.Errorf("%s: Scan: %v", c.log, err)
		}
	}
}

// Text nested deeper than the reader allows is an error of one short
// line whose pointer is right: every member name, every index.
func TestReadDeepNesting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const n = 100_000
	open := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"x"}},{"message":{"text":"x"},"properties":{"x":`
	closing := `}}]}]}`
	cases := []struct{ log, ptr, last string }{
		{open + strings.Repeat(`{"x":`, n) + "1" + strings.Repeat("}", n) + closing, "/runs/0/results/1/properties/x/x/x/x/", "/x/x/x)"},
		{open + strings.Repeat(`[0, `, n) + "1" + strings.Repeat("]", n) + closing, "/runs/0/results/1/properties/x/1/1/1/", "/1/1/1)"},
		{`{"version":"2.1.0","properties":{"a/b":` + strings.Repeat(`[`, n) + strings.Repeat("]", n) + `},"runs":[]}`, "/properties/a~1b/0/0/", "/0/0)"},
	}
	for _, c := range cases {
		_, err := sarif.Read(ctx, strings.NewReader(c.log), "x.sarif", nil)
		var se *sarif.SyntaxError
		if !errors.As(err, &se) || len(err.Error()) > 400 || !strings.Contains(err.Error(), "(in "+c.ptr) || !strings.HasSuffix(err.Error(), c.last) {
			t.Errorf("got %.600v", err)
		}
	}
}

// wrongTypes is a log whose results 1 to 42 have a level that is an
// object, result 3 a message that is a number and locations that are a
// string, result 5 a startLine of 1e20 and result 6 one of 1e999; result
// 0 is right, and nulls and index -1 are no problem.
func wrongTypes() string {
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[`)
	b.WriteString(`{"message":{"text":"ok"},"level":"error","kind":null,"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go","index":-1},"region":{"startLine":1}}}]}`)
	for i := 1; i <= 42; i++ {
		region := `{"startLine":2}`
		switch i {
		case 5:
			region = `{"startLine":1e20}`
		case 6:
			region = `{"startLine":1e999}`
		}
		locations := `[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":` + region + `}}]`
		message := `{"text":"m"}`
		if i == 3 {
			message, locations = `7`, `"a.go:3"`
		}
		b.WriteString(`,{"message":` + message + `,"level":{"x":1},"locations":` + locations + `}`)
	}
	b.WriteString(`]}]}`)
	return b.String()
}

// Members of the wrong type, and integers out of range, that Decode
// leaves out are noted on the run, once per kind: the first pointer and
// how many results.
func TestDecodeResultNotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, opts := range []*sarif.ReadOptions{nil, {ResultsOnDisk: true}} {
		l, err := sarif.Read(ctx, strings.NewReader(wrongTypes()), "x.sarif", opts)
		if err != nil {
			t.Fatal(err)
		}
		run := l.Runs[0]
		for pass := 0; pass < 2; pass++ { // a result read twice counts once
			if err := run.EachResult(ctx, func(_, i int, r sarif.Result) error {
				_, err := run.DecodeResult(i, r)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		for _, lr := range l.LenientReads() {
			got = append(got, lr.String("x.sarif"))
		}
		want := []string{
			"x.sarif: /runs/0/results/1/level: not a string but an object (and 41 more results); read as absent: the rule's level, else warning",
			"x.sarif: /runs/0/results/3/locations: not an array but a string; read as absent: no location",
			"x.sarif: /runs/0/results/3/message: not an object but a number; read as absent: an empty message",
			"x.sarif: /runs/0/results/5/locations/0/physicalLocation/region/startLine: beyond the range of a 64-bit integer; read as absent",
			"x.sarif: /runs/0/results/6/locations/0/physicalLocation/region/startLine: not a finite number; read as absent",
		}
		if !slices.Equal(got, want) {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		l.Close()
	}
}

// AddLineHashes notes the members it reads as absent, and adds no hash
// for them.
func TestAddLineHashesNotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := sarif.Read(ctx, strings.NewReader(wrongTypes()), "x.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{"a.go": {Data: []byte("a\nb\n")}}
	if _, err := sarif.AddLineHashesFrom(ctx, l, files, ""); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, lr := range l.LenientReads() {
		got = append(got, lr.Pointer()+": "+lr.Problem+" x"+strconv.Itoa(lr.Count))
	}
	want := []string{
		"/runs/0/results/3/locations: not an array but a string x1",
		"/runs/0/results/5/locations/0/physicalLocation/region/startLine: beyond the range of a 64-bit integer x1",
		"/runs/0/results/6/locations/0/physicalLocation/region/startLine: not a finite number x1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
