package sarif

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// File URIs name files as file:///home/u/app/main.go, file:///C:/app/main.go
// or file://server/share/main.go, percent-encoded. The same checkout may
// be named with a drive letter in either case (file:///D:/a and
// file:///d:/a, as Windows runners and tools differ), and a directory with
// or without its trailing slash. FilePath and RelativePath compare them as
// the paths they are.

// FilePath returns the path a file: URI names: percent-decoded,
// slash-separated, "." and ".." resolved, a Windows drive letter in lower
// case ("file:///C:/x" gives "c:/x"), a host other than localhost kept as
// "//host/...". ok is false for URIs of other schemes and for relative
// references.
func FilePath(uri string) (p string, ok bool) {
	u, err := url.Parse(uri)
	if err != nil || !strings.EqualFold(u.Scheme, "file") {
		return "", false
	}
	p = u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' && isDriveLetter(p[1]) {
		p = p[1:]
	}
	if len(p) >= 2 && p[1] == ':' && isDriveLetter(p[0]) {
		p = strings.ToLower(p[:1]) + p[1:]
	}
	p = path.Clean(p)
	if u.Host != "" && u.Host != "localhost" {
		p = "//" + u.Host + p
	}
	return p, true
}

func isDriveLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// FileURI returns the file: URI of a local path, made absolute.
func FileURI(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	s := filepath.ToSlash(abs)
	if !strings.HasPrefix(s, "/") {
		s = "/" + s // C:/x
	}
	return (&url.URL{Scheme: "file", Path: s}).String(), nil
}

// RelativePath returns the slash-separated path of the file that uri (a
// file: URI) names, relative to the directory root (a file: URI), when the
// file is under it; ok is false otherwise.
func RelativePath(uri, root string) (rel string, ok bool) {
	p, ok1 := FilePath(uri)
	r, ok2 := FilePath(root)
	if !ok1 || !ok2 {
		return "", false
	}
	r = strings.TrimSuffix(r, "/") + "/"
	if !strings.HasPrefix(p, r) || len(p) == len(r) {
		return "", false
	}
	return p[len(r):], true
}
