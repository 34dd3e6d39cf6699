package sarif

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// PrimaryLocationLineHash is the partialFingerprints key GitHub code
// scanning tracks alerts by.
const PrimaryLocationLineHash = "primaryLocationLineHash"

// LineHashes returns the primaryLocationLineHash of every line of a source
// file, computed as GitHub's upload action computes it: element i is the
// value for line i+1. The file is read as UTF-8 and hashed as UTF-16 code
// units; spaces and tabs are ignored, CR and CRLF count as LF; each line's
// hash is a rolling polynomial hash (base 37, 64-bit wrapping) of the 100
// kept code units starting at the line, in hex, followed by ":n" where n
// counts the occurrences of that hex value so far. There is always one
// more line than there are line breaks.
func LineHashes(content []byte) []string {
	const window = 100
	var firstMod uint64 = 1 // 37^100, wrapping
	for range window {
		firstMod *= 37
	}
	var (
		hash       uint64
		ring       [window]uint64
		lineAt     [window]int // line starting at this ring slot, or 0
		index      int
		lineStart  = true
		prevCR     bool
		lineNumber int
		counts     = map[uint64]int{}
		out        []string
	)
	emit := func(line int) {
		counts[hash]++
		for len(out) < line {
			out = append(out, "")
		}
		out[line-1] = strconv.FormatUint(hash, 16) + ":" + strconv.Itoa(counts[hash])
	}
	update := func(c uint64) {
		begin := ring[index]
		ring[index] = c
		hash = 37*hash + c - firstMod*begin
		index = (index + 1) % window
	}
	process := func(c uint64) {
		if c == ' ' || c == '\t' || (prevCR && c == '\n') {
			prevCR = false
			return
		}
		if c == '\r' {
			c = '\n'
			prevCR = true
		} else {
			prevCR = false
		}
		if lineAt[index] != 0 {
			emit(lineAt[index])
			lineAt[index] = 0
		}
		if lineStart {
			lineStart = false
			lineNumber++
			lineAt[index] = lineNumber
		}
		if c == '\n' {
			lineStart = true
		}
		update(c)
	}
	for len(content) > 0 {
		r, size := utf8.DecodeRune(content)
		content = content[size:]
		if r >= 0x10000 { // a surrogate pair in UTF-16
			r -= 0x10000
			process(uint64(0xD800 + (r >> 10)))
			process(uint64(0xDC00 + (r & 0x3FF)))
			continue
		}
		process(uint64(r))
	}
	process(65535) // end of file
	for range window {
		if lineAt[index] != 0 {
			emit(lineAt[index])
		}
		update(0)
	}
	return out
}

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

// AddLineHashes sets partialFingerprints.primaryLocationLineHash on every
// result of l that lacks one, from the source files under sourceRoot, as
// GitHub's upload action does: the primary location's artifact URI
// (through artifactLocation.index and uriBaseId) is percent-decoded; a
// file: URI is taken as a path, other schemes are skipped; absolute paths
// outside sourceRoot are skipped; relative paths are relative to
// sourceRoot. An existing value is kept (a differing one is counted in
// Differed). Each file is read once. Results held as text and in the
// model are treated alike.
func AddLineHashes(ctx context.Context, l *Log, sourceRoot string) (FingerprintStats, error) {
	root, err := filepath.Abs(sourceRoot)
	if err != nil {
		return FingerprintStats{}, err
	}
	h := &lineHasher{root: root, cache: map[string][]string{}}
	for _, run := range l.Report.Runs {
		if run == nil {
			continue
		}
		raw := l.RawResults(run)
		for i, r := range raw {
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
				hash, ok := h.hash(run, rawArtifactLocation(pl.Object("artifactLocation")), int(line), existing, has)
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
			raw[i] = edited
		}
		for i, r := range run.Results {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return h.st, err
				}
			}
			if r == nil {
				continue
			}
			var al *gosarif.ArtifactLocation
			line := 0
			if pl := PrimaryLocation(r); pl != nil {
				al = pl.ArtifactLocation
				if pl.Region != nil && pl.Region.StartLine != nil {
					line = *pl.Region.StartLine
				}
			}
			existing, has := r.PartialFingerprints[PrimaryLocationLineHash]
			hash, ok := h.hash(run, al, line, fmt.Sprint(existing), has)
			if !ok {
				continue
			}
			if r.PartialFingerprints == nil {
				r.PartialFingerprints = map[string]any{}
			}
			r.PartialFingerprints[PrimaryLocationLineHash] = hash
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
// artifact al at line, which has the hash existing when has is true; ok
// is false when there is none to add.
func (h *lineHasher) hash(run *gosarif.Run, al *gosarif.ArtifactLocation, line int, existing string, has bool) (hash string, ok bool) {
	if al == nil || line == 0 {
		h.st.Skipped++
		return "", false
	}
	path := localPath(ArtifactURI(run, al), h.root)
	if path == "" {
		h.st.Skipped++
		return "", false
	}
	hashes, cached := h.cache[path]
	if !cached {
		if content, err := os.ReadFile(path); err == nil {
			hashes = LineHashes(content)
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

// rawArtifactLocation reads the members of an artifactLocation that
// ArtifactURI looks at; nil when o is absent.
func rawArtifactLocation(o RawObject) *gosarif.ArtifactLocation {
	if !o.Exists() {
		return nil
	}
	al := &gosarif.ArtifactLocation{}
	if uri, ok := o.String("uri"); ok {
		al.URI = &uri
	}
	if base, ok := o.String("uriBaseId"); ok {
		al.URIBaseId = &base
	}
	if i, ok := o.Int("index"); ok && i >= 0 {
		u := uint(i)
		al.Index = &u
	}
	return al
}

// localPath maps an artifact URI to a file under root, or "".
func localPath(uri, root string) string {
	if uri == "" {
		return ""
	}
	p := uri
	if u, err := url.Parse(uri); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		if !strings.EqualFold(u.Scheme, "file") {
			return ""
		}
		p = u.Path
	} else if d, err := url.PathUnescape(uri); err == nil {
		p = d
	}
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		return filepath.Join(root, p)
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return p
}
