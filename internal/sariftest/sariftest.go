// Package sariftest holds what the tests of several packages do with
// logs: read one from text or a file, write one, compare JSON values and
// say where two differ.
package sariftest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// Parse reads a log from its JSON text, failing the test on error.
func Parse(t testing.TB, text string) *sarif.Log {
	t.Helper()
	l, err := sarif.Read(t.Context(), strings.NewReader(text), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Read reads the named log, failing the test on error.
func Read(t testing.TB, name string) *sarif.Log {
	t.Helper()
	l, err := sarif.ReadFile(t.Context(), name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Write returns the log written compact, failing the test on error.
func Write(t testing.TB, l *sarif.Log) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := l.Write(&buf, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// JSON decodes JSON text as a generic value, numbers kept as their text,
// failing the test on error.
func JSON(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%.300s", err, data)
	}
	return v
}

// Difference describes where two generic JSON values first differ, as a
// JSON pointer and the two values; "" when they are equal.
func Difference(want, got any) string { return difference(want, got, "") }

func difference(want, got any, path string) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	wm, ok1 := want.(map[string]any)
	gm, ok2 := got.(map[string]any)
	if ok1 && ok2 {
		keys := map[string]bool{}
		for k := range wm {
			keys[k] = true
		}
		for k := range gm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			w, inW := wm[k]
			g, inG := gm[k]
			switch {
			case !inW:
				return fmt.Sprintf("%s/%s: unexpected member %v", path, k, g)
			case !inG:
				return fmt.Sprintf("%s/%s: missing member (want %v)", path, k, w)
			}
			if d := difference(w, g, path+"/"+k); d != "" {
				return d
			}
		}
	}
	wa, ok1 := want.([]any)
	ga, ok2 := got.([]any)
	if ok1 && ok2 && len(wa) == len(ga) {
		for i := range wa {
			if d := difference(wa[i], ga[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
				return d
			}
		}
	}
	return fmt.Sprintf("%s: want %#v, got %#v", path, want, got)
}

// Results decodes the results of a run, failing the test on error.
func Results(t testing.TB, run *sarif.Run) []*gosarif.Result {
	t.Helper()
	out := make([]*gosarif.Result, run.Len())
	err := run.EachResult(t.Context(), func(_, i int, r sarif.Result) error {
		m, err := r.Decode()
		if err != nil {
			return fmt.Errorf("result %d: %w", i, err)
		}
		out[i] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// WriteIndented returns the log written with the given indent, failing
// the test on error.
func WriteIndented(t testing.TB, l *sarif.Log, indent string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := l.Write(&buf, &sarif.WriteOptions{Indent: indent}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// File returns the contents of the named file, failing the test on error.
func File(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Texts returns the results of a run, wherever they are held, as their
// JSON texts, failing the test on error.
func Texts(t testing.TB, run *sarif.Run) []sarif.Result {
	t.Helper()
	out := make([]sarif.Result, run.Len())
	if err := run.EachResult(t.Context(), func(_, i int, r sarif.Result) error {
		out[i] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// GzipBomb is a gzip bomb as an attacker builds one: the prefix, then
// mib copies of one gzip member holding 1 MiB of fill, then the suffix. A
// gzip stream may hold several members, which decompress one after the
// other; each compresses 1 MiB of a single byte to about a kilobyte.
func GzipBomb(t testing.TB, prefix string, fill byte, mib int, suffix string) []byte {
	t.Helper()
	member := func(data []byte) []byte {
		var b bytes.Buffer
		zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(data)
		zw.Close()
		return b.Bytes()
	}
	var out bytes.Buffer
	out.Write(member([]byte(prefix)))
	one := member(bytes.Repeat([]byte{fill}, 1<<20))
	for range mib {
		out.Write(one)
	}
	out.Write(member([]byte(suffix)))
	return out.Bytes()
}
