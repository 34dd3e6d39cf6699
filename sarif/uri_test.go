package sarif_test

import (
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

func TestNormalizeURI(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"src/a.go":                  "src/a.go",
		"./src/a.go":                "src/a.go",
		"src/../src/./a.go":         "src/a.go",
		"src/a%20b.go":              "src/a b.go",
		"file:///home/u/p/a%20b.go": "/home/u/p/a b.go",
		"FILE:///home/u/p/a.go":     "/home/u/p/a.go",
		"file://localhost/a.go":     "/a.go",
		"file:///C:/Users/x/a.go":   "c:/Users/x/a.go",
		`C:\Users\x\a.go`:           "c:/Users/x/a.go",
		"c:/Users/x/a.go":           "c:/Users/x/a.go",
		"https://example.com/x.js":  "https://example.com/x.js",
		"file://server/share/a.go":  "//server/share/a.go",
		".":                         "",
		"":                          "",
	}
	for in, want := range cases {
		if got := sarif.NormalizeURI(in); got != want {
			t.Errorf("NormalizeURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScheme(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"src/a.go":             "",
		"/abs/a.go":            "",
		"a:b/c":                "a",
		"C:/x":                 "c",
		"FILE:///x":            "file",
		"https://example.com/": "https",
		"git+ssh://h/r":        "git+ssh",
		"1a:x":                 "",
		":x":                   "",
		"src/x:y":              "",
		"":                     "",
	}
	for in, want := range cases {
		if got := sarif.Scheme(in); got != want {
			t.Errorf("Scheme(%q) = %q, want %q", in, got, want)
		}
	}
}
