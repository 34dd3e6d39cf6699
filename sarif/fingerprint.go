package sarif

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sarifkit/sarifkit/internal/linehash"
)

// PrimaryLocationLineHash is the partialFingerprints key GitHub code
// scanning tracks alerts by.
const PrimaryLocationLineHash = "primaryLocationLineHash"

// FingerprintStats counts what AddLineHashes did.
type FingerprintStats struct {
	Added    int // results that got a primaryLocationLineHash
	Kept     int // results that had one already
	Differed int // of those kept, how many differ from the computed value
	Skipped  int // results without a usable primary location or file
	// MissingFiles counts the distinct files that results point at, under
	// the source root, that could not be read (not in the checkout).
	MissingFiles int
}

// LineHashes returns the primaryLocationLineHash of every line of a
// source file, as GitHub's upload action computes it: element i is the
// value for line i+1. The file is read as UTF-8 and hashed as UTF-16 code
// units; spaces and tabs are ignored, CR and CRLF count as LF; each line's
// hash is a rolling polynomial hash (base 37, 64-bit wrapping) of the 100
// kept code units starting at the line, in hex, followed by ":n" where n
// counts the occurrences of that hex value so far. There is always one
// more line than there are line breaks.
func LineHashes(content []byte) []string { return linehash.Of(content) }

// AddLineHashes sets partialFingerprints.primaryLocationLineHash on every
// result of l that lacks one, from the source files under sourceRoot, as
// GitHub's upload action does. It is [AddLineHashesFrom] with the
// directory's files.
func AddLineHashes(ctx context.Context, l *Log, sourceRoot string) (FingerprintStats, error) {
	root, err := filepath.Abs(sourceRoot)
	if err != nil {
		return FingerprintStats{}, err
	}
	return AddLineHashesFrom(ctx, l, os.DirFS(root), root)
}

// AddLineHashesFrom sets partialFingerprints.primaryLocationLineHash on
// every result of l that lacks one, from the files of files (a checkout,
// or a revision of a repository, as fs.FS paths relative to its root), as
// GitHub's upload action does: the primary location's artifact URI
// (through artifactLocation.index and uriBaseId) is percent-decoded and
// taken as a path (other schemes than file: are skipped); a relative path
// is relative to the checkout's root, an absolute one must be under root
// (the checkout's path on the machine that wrote the log, "" when not
// known); paths that lead out of the checkout are skipped. An existing
// value is kept (a differing one is counted in Differed). Each file is
// read once.
func AddLineHashesFrom(ctx context.Context, l *Log, files fs.FS, root string) (FingerprintStats, error) {
	if root != "" {
		root = strings.TrimSuffix(NormalizeURI(filepath.ToSlash(root)), "/") + "/"
	}
	h := &lineHasher{files: files, root: root, cache: map[string][]string{}}
	for _, run := range l.Runs {
		if run == nil {
			continue
		}
		arts := run.Artifacts()
		for i, r := range run.Results {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return h.st, err
				}
			}
			var setErr error
			edited, err := r.Rewrite(func(o RawObject) {
				if o.Kind() != "result" {
					return
				}
				pl := o.Elem("locations", 0).Object("physicalLocation")
				line, _ := pl.Object("region").Int("startLine")
				pf := o.Object("partialFingerprints")
				existing, isString := pf.String(PrimaryLocationLineHash)
				if !isString {
					existing = string(pf.Raw(PrimaryLocationLineHash))
				}
				has := pf.Raw(PrimaryLocationLineHash) != nil
				hash, ok := h.hash(arts, pl.Object("artifactLocation"), int(line), existing, has)
				if !ok {
					return
				}
				if pf.Exists() {
					setErr = pf.Set(PrimaryLocationLineHash, hash)
				} else {
					setErr = o.Set("partialFingerprints", map[string]any{PrimaryLocationLineHash: hash})
				}
			})
			if err = cmp.Or(err, setErr); err != nil {
				return h.st, fmt.Errorf("result %d: %w", i, err)
			}
			run.Results[i] = edited
		}
	}
	return h.st, nil
}

// lineHasher finds the line hashes of results' primary locations, reading
// each file once, and counts what it found.
type lineHasher struct {
	files fs.FS
	root  string              // the checkout's path, normalised, with a final "/"; "" when not known
	cache map[string][]string // nil for files that cannot be read
	st    FingerprintStats
}

// hash returns the hash to add for a result whose primary location is the
// artifact location al at line, which has the hash existing when has is
// true; ok is false when there is none to add.
func (h *lineHasher) hash(arts *Artifacts, al RawObject, line int, existing string, has bool) (hash string, ok bool) {
	if !al.Exists() || line == 0 {
		h.st.Skipped++
		return "", false
	}
	uri, _ := al.String("uri")
	base, _ := al.String("uriBaseId")
	index := -1
	if i, ok := al.Int("index"); ok && i >= 0 {
		index = int(i)
	}
	path := h.path(arts.Location(uri, base, index))
	if path == "" {
		h.st.Skipped++
		return "", false
	}
	hashes, cached := h.cache[path]
	if !cached {
		if content, err := fs.ReadFile(h.files, path); err == nil {
			hashes = linehash.Of(content)
		} else {
			h.st.MissingFiles++
		}
		h.cache[path] = hashes
	}
	if line < 1 || line > len(hashes) {
		h.st.Skipped++
		return "", false
	}
	if has {
		h.st.Kept++
		if existing != hashes[line-1] {
			h.st.Differed++
		}
		return "", false
	}
	h.st.Added++
	return hashes[line-1], true
}

// path maps an artifact URI to the fs.FS path of its file in the
// checkout, or "".
func (h *lineHasher) path(uri string) string {
	if uri == "" {
		return ""
	}
	if sc := Scheme(uri); len(sc) > 1 && sc != "file" {
		return ""
	}
	p := NormalizeURI(uri)
	if isAbsolutePath(p) {
		rel, ok := strings.CutPrefix(p, h.root)
		if h.root == "" || !ok {
			return ""
		}
		p = rel
	}
	if !fs.ValidPath(p) || p == "." {
		return ""
	}
	return p
}

// isAbsolutePath tells whether a normalised URI is an absolute path:
// "/x", "//host/x", "c:/x".
func isAbsolutePath(p string) bool {
	return strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && p[2] == '/' && isDriveLetter(p[0])
}
