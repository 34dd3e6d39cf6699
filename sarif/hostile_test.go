package sarif_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
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
