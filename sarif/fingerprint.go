package sarif

import (
	"cmp"
	"context"
	"fmt"
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
// GitHub's upload action does: the primary location's artifact URI
// (through artifactLocation.index and uriBaseId) is percent-decoded; a
// file: URI is taken as a path, other schemes are skipped; absolute paths
// outside sourceRoot are skipped; relative paths are relative to
// sourceRoot. An existing value is kept (a differing one is counted in
// Differed). Each file is read once.
func AddLineHashes(ctx context.Context, l *Log, sourceRoot string) (FingerprintStats, error) {
	root, err := filepath.Abs(sourceRoot)
	if err != nil {
		return FingerprintStats{}, err
	}
	h := &lineHasher{root: root, cache: map[string][]string{}}
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
	root  string
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
	path := localPath(arts.Location(uri, base, index), h.root)
	if path == "" {
		h.st.Skipped++
		return "", false
	}
	hashes, cached := h.cache[path]
	if !cached {
		if content, err := os.ReadFile(path); err == nil {
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

// localPath maps an artifact URI to a file under root, or "".
func localPath(uri, root string) string {
	if uri == "" {
		return ""
	}
	if s := Scheme(uri); len(s) > 1 && s != "file" {
		return ""
	}
	p := filepath.FromSlash(NormalizeURI(uri))
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return p
}
