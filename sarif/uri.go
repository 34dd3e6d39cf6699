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
// the paths they are; NormalizeURI gives the one form in which results of
// two logs are compared, whether their URIs are relative or file: URIs.

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

// Scheme returns the scheme of uri in lower case, as RFC 3986 §3.1 reads
// it ("file", "https"; "c" for "C:/x", which is no relative reference),
// or "" for a relative reference.
func Scheme(uri string) string {
	for i := 0; i < len(uri); i++ {
		switch c := uri[i]; {
		case isDriveLetter(c):
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(uri[:i])
		default:
			return ""
		}
	}
	return ""
}

// NormalizeURI returns the form in which artifact URIs are compared: a
// path, percent-decoded, with forward slashes, without a leading "./",
// "." and ".." segments resolved, a Windows drive letter in lower case
// ("C:\x", "file:///C:/x" and "c:/x" are one file), a file: URI's host
// other than localhost kept as "//host/...". A URI of another scheme
// (https:...) is returned whole; "" stays "".
func NormalizeURI(uri string) string {
	if uri == "" {
		return ""
	}
	p := strings.ReplaceAll(uri, `\`, "/")
	if u, err := url.Parse(p); err == nil {
		switch strings.ToLower(u.Scheme) {
		case "file":
			p = u.Path
			if u.Host != "" && u.Host != "localhost" {
				p = "//" + u.Host + p
			}
		case "":
			p = u.Path
		default:
			if len(u.Scheme) != 1 { // "c:" is a drive, not a scheme
				return uri
			}
		}
	} else if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	// "/C:/x" (from file:///C:/x) and "C:/x" are the same Windows path.
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' && isDriveLetter(p[1]) {
		p = p[1:]
	}
	if len(p) >= 2 && p[1] == ':' && isDriveLetter(p[0]) {
		p = strings.ToLower(p[:1]) + p[1:]
	}
	abs := strings.HasPrefix(p, "/")
	unc := strings.HasPrefix(p, "//")
	p = path.Clean(p)
	if unc {
		p = "/" + p // path.Clean folds the leading "//" of a network path
	}
	if !abs {
		p = strings.TrimPrefix(p, "./")
	}
	if p == "." {
		return ""
	}
	return p
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
