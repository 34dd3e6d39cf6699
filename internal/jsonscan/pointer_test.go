package jsonscan

import (
	"strings"
	"testing"
	"unicode/utf8"
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

func TestPathAt(t *testing.T) {
	t.Parallel()
	doc := `{"a": [1, {"b/c": [[], {"d": "x,]}"}]}], "e": {"f": 1, "g": 2}}`
	cases := map[string]string{ // the text at the offset -> pointer
		`{"d"`:    "/a/1/b~1c/1",
		`"d"`:     "/a/1/b~1c/1/d",
		`"x,]}"`:  "/a/1/b~1c/1/d",
		`"g"`:     "/e/g",
		`2}}`:     "/e/g",
		`}}`:      "/e",
		`, "e"`:   "",
		`, {"b`:   "/a",
		`[[]`:     "/a/1/b~1c",
		`{"b/c"`:  "/a/1",
		`[1, {"b`: "/a",
	}
	for at, want := range cases {
		off := strings.Index(doc, at)
		if got := Pointer(PathAt([]byte(doc), off)); got != want {
			t.Errorf("at %q: %q, want %q", at, got, want)
		}
	}
	long := strings.Repeat("/x", 10000)
	if s := ShortPointer("/runs/0"+long, 200); len(s) > 220 || !strings.HasPrefix(s, "/runs/0/x/x/") || !strings.HasSuffix(s, "/x/x") || !strings.Contains(s, "more)") {
		t.Errorf("ShortPointer: %q", s)
	}
	if s := ShortPointer("/a/b", 200); s != "/a/b" {
		t.Errorf("ShortPointer of a short pointer: %q", s)
	}
}

func TestShortPointerLongName(t *testing.T) {
	t.Parallel()
	ptr := "/runs/0/properties/" + strings.Repeat("é", 10000)
	s := ShortPointer(ptr, 200)
	if len(s) > 210 || !strings.HasPrefix(s, "/runs/0/properties/éé") || !utf8.ValidString(s) {
		t.Errorf("ShortPointer: %q", s)
	}
}
