package jsonscan

import (
	"strings"
	"testing"
)

func TestPointerOffset(t *testing.T) {
	t.Parallel()
	doc := []byte("{\n  \"a\": [1, {\"b~/c\": \"x\"}],\n  \"z\" : {\"q\": null, \"r\": [[], {}]}\n}")
	cases := map[string]string{
		"":            "{",
		"/a":          "[1",
		"/a/0":        "1,",
		"/a/1":        `{"b~`,
		"/a/1/b~0~1c": `"x"`,
		"/z/r/1":      "{}",
		"/z/q":        "null",
	}
	for ptr, want := range cases {
		off, ok := PointerOffset(doc, ptr)
		if !ok || !strings.HasPrefix(string(doc[off:]), want) {
			t.Errorf("%q: offset %d %v, want the text %q", ptr, off, ok, want)
		}
	}
	for _, ptr := range []string{"/b", "/a/2", "/a/x", "/z/q/0", "a"} {
		if _, ok := PointerOffset(doc, ptr); ok {
			t.Errorf("%q: found, want not found", ptr)
		}
	}
	off, _ := PointerOffset(doc, "/z/r")
	if line, col := Advance(doc, off, 1, 1); line != 3 || col != 26 {
		t.Errorf("Advance: %d:%d, want 3:26", line, col)
	}
	if line, col := Advance([]byte(`{"a":1}`), 5, 4, 10); line != 4 || col != 15 {
		t.Errorf("Advance on one line: %d:%d, want 4:15", line, col)
	}
}
