package sarif

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
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
}

// AddLineHashes sets partialFingerprints.primaryLocationLineHash on every
// result of l that lacks one, from the source files under sourceRoot, as
// GitHub's upload action does: the primary location's artifact URI
// (through artifactLocation.index and uriBaseId) is percent-decoded; a
// file: URI is taken as a path, other schemes are skipped; absolute paths
// outside sourceRoot are skipped; relative paths are relative to
// sourceRoot. An existing value is kept (a differing one is counted in
// Differed). Each file is read once.
func AddLineHashes(ctx context.Context, l *Log, sourceRoot string) (FingerprintStats, error) {
	var st FingerprintStats
	root, err := filepath.Abs(sourceRoot)
	if err != nil {
		return st, err
	}
	cache := map[string][]string{}
	for _, run := range l.Report.Runs {
		if run == nil {
			continue
		}
		for _, r := range run.Results {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			if r == nil {
				continue
			}
			pl := PrimaryLocation(r)
			if pl == nil || pl.ArtifactLocation == nil || pl.Region == nil || pl.Region.StartLine == nil {
				st.Skipped++
				continue
			}
			path := localPath(ArtifactURI(run, pl.ArtifactLocation), root)
			if path == "" {
				st.Skipped++
				continue
			}
			hashes, ok := cache[path]
			if !ok {
				content, err := os.ReadFile(path)
				if err == nil {
					hashes = LineHashes(content)
				}
				cache[path] = hashes // nil for unreadable files
			}
			line := *pl.Region.StartLine
			if line < 1 || line > len(hashes) {
				st.Skipped++
				continue
			}
			existing, has := r.PartialFingerprints[PrimaryLocationLineHash]
			if has {
				st.Kept++
				if fmt.Sprint(existing) != hashes[line-1] {
					st.Differed++
				}
				continue
			}
			if r.PartialFingerprints == nil {
				r.PartialFingerprints = map[string]any{}
			}
			r.PartialFingerprints[PrimaryLocationLineHash] = hashes[line-1]
			st.Added++
		}
	}
	return st, nil
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
