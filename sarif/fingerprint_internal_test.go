package sarif

import "testing"

// decodeURIComponent decodes and refuses what JavaScript's does (each
// case checked against node's decodeURIComponent).
func TestDecodeURIComponent(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a.go": "a.go", "a%20b": "a b", "%F0%9F%98%80": "\U0001F600", "%c3%a9": "\u00e9", "%E2%82%AC": "\u20ac",
		"%2F%2e%2E": "/..", "%C3%A9x": "\u00e9x", "caf\u00e9%20": "caf\u00e9 ",
	} {
		if got, ok := decodeURIComponent(in); !ok || got != want {
			t.Errorf("%q: %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"%zz", "%", "a%2", "%FF", "%C3%28", "%ED%A0%80", "%C0%AF", "%F4%90%80%80", "%E2%82",
		"%e2%82%ac%", "%F8%88%80%80%80", "%80", "%C3\u00a9"} {
		if got, ok := decodeURIComponent(in); ok {
			t.Errorf("%q: %q, want an error (a URIError)", in, got)
		}
	}
}

// On Windows the action (node's path.win32) also takes "\" for a
// separator and "c:/x", "c:\x" and "\x" for absolute paths; an absolute
// path is read when it is in the checkout, whatever its separators and
// drive letter's case.
func TestActionPathWindows(t *testing.T) {
	t.Parallel()
	root := `D:\a\repo\repo/`
	for _, c := range []struct {
		uri, want string
		ok        bool
	}{
		{"src/a.go", "src/a.go", true},
		{`src\a.go`, `src\a.go`, true}, // resolve splits it
		{"file:///D:/a/repo/repo/src/a.go", "", false},
		{"/D:/a/repo/repo/src/a.go", "", false},
		{"D:/a/repo/repo/src/a.go", "src/a.go", true},
		{`d:\a\repo\repo\src\a.go`, "src/a.go", true},
		{"file://D:/a/repo/repo/src/a.go", "src/a.go", true},
		{"C:/elsewhere/a.go", "", false},
		{`\a\repo\repo\src\a.go`, "", false},
		{"C:x", "C:x", true}, // not absolute: relative to the checkout
	} {
		got, ok := actionPath(c.uri, root, true)
		if got != c.want || ok != c.ok {
			t.Errorf("%q: %q, %v; want %q, %v", c.uri, got, ok, c.want, c.ok)
		}
	}
	// The same URIs on Linux and macOS: only "/" paths are absolute.
	if got, ok := actionPath("D:/a/repo/repo/src/a.go", "/home/runner/work/repo/repo/", false); !ok || got != "D:/a/repo/repo/src/a.go" {
		t.Errorf("a Windows path on Unix: %q, %v", got, ok)
	}
}
