package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/sarif"
)

// SourceRoot is the checkout root that --source-root names, in every
// command that needs one: a directory path, or a file:// URI (the URI of
// a checkout on another machine, such as file:///D:/a/app/app from a
// Windows runner, drive letters in either case).
type SourceRoot struct {
	// Dir is the local directory, when the root was given as a path (it
	// exists) or as a file: URI of an existing local directory; "" else.
	Dir string
	// URI is the root's file: URI.
	URI string
}

// ParseSourceRoot reads a --source-root value. A path must be an existing
// directory; a file: URI need not name a local one (Dir is then "").
func ParseSourceRoot(s string) (SourceRoot, error) {
	if strings.HasPrefix(strings.ToLower(s), "file:") {
		p, ok := sarif.FilePath(s)
		if !ok {
			return SourceRoot{}, fmt.Errorf("%q is not a file: URI", s)
		}
		r := SourceRoot{URI: s}
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			r.Dir = p
		}
		return r, nil
	}
	info, err := os.Stat(s)
	if err != nil {
		return SourceRoot{}, fmt.Errorf("%s does not exist", s)
	}
	if !info.IsDir() {
		return SourceRoot{}, fmt.Errorf("%s is not a directory", s)
	}
	uri, err := sarif.FileURI(s)
	if err != nil {
		return SourceRoot{}, err
	}
	return SourceRoot{Dir: s, URI: uri}, nil
}

// LocalDir returns the directory, or an error naming what needs it when
// the root is a URI of no local directory.
func (r SourceRoot) LocalDir(what string) (string, error) {
	if r.Dir == "" {
		return "", fmt.Errorf("%s needs the checkout's files, and %s is no local directory", what, r.URI)
	}
	return r.Dir, nil
}

// Files returns the files of the local directory, read as an untrusted
// checkout's (package checkout): what leads out of it through a symbolic
// link, what is not a regular file and what is over the cap are refused,
// and counted (checkout.FS.Refused) for the command to say once. Close
// releases it.
func (r SourceRoot) Files(what string) (*checkout.FS, error) {
	dir, err := r.LocalDir(what)
	if err != nil {
		return nil, err
	}
	return checkout.Open(dir)
}
