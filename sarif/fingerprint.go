package sarif

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"github.com/sarifkit/sarifkit/internal/linehash"
	"github.com/sarifkit/sarifkit/internal/parallel"
)

// PrimaryLocationLineHash is the partialFingerprints key GitHub code
// scanning tracks alerts by.
const PrimaryLocationLineHash = "primaryLocationLineHash"

// FingerprintStats counts what AddLineHashes did.
type FingerprintStats struct {
	Added    int // results that got a primaryLocationLineHash
	Kept     int // results that had one already
	Differed int // of those kept, how many differ from the computed value, in the files read
	Skipped  int // results without a usable primary location or file
	// MissingFiles counts the distinct files that results point at, under
	// the source root, that could not be read: not in the checkout, or not
	// read (a link out of it, not a regular file, over 32 MiB).
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
// directory's files, read as a checkout's untrusted files are: a symbolic
// link that leads out of sourceRoot, a file that is not a regular file
// (a FIFO, a device) and a file over 32 MiB are not read, and count as
// missing.
func AddLineHashes(ctx context.Context, l *Log, sourceRoot string) (FingerprintStats, error) {
	files, err := checkout.Open(sourceRoot)
	if err != nil {
		return FingerprintStats{}, err
	}
	defer files.Close()
	return AddLineHashesFrom(ctx, l, files, files.Dir())
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
// value is kept. Only the files that results lacking a value point at are
// read, each once; results that have a value in those files are checked
// against it (Differed). Only regular files are read, up to 32 MiB each;
// files should confine the paths it resolves to the checkout, as
// [AddLineHashes]'s do.
func AddLineHashesFrom(ctx context.Context, l *Log, files fs.FS, root string) (FingerprintStats, error) {
	if root != "" {
		root = strings.TrimSuffix(NormalizeURI(filepath.ToSlash(root)), "/") + "/"
	}
	h := &lineHasher{files: files, root: root}
	var st FingerprintStats
	for _, run := range l.Runs {
		if run == nil || run.Model == nil {
			continue
		}
		if err := h.run(ctx, run, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// lineHasher adds line hashes to the results of runs from the files of
// a checkout.
type lineHasher struct {
	files fs.FS
	root  string // the checkout's path, normalised, with a final "/"; "" when not known
}

// target is where a result's primary location points, and the hash it
// has.
type target struct {
	path     string // "" when the result has no usable file
	line     int
	existing string
	has      bool
}

// run adds the line hashes of one run: it finds where every result
// points (reading only that of each result's text), reads the files the
// results that lack a hash need, each once, keeping the hashes of the
// lines asked for only, and sets them.
func (h *lineHasher) run(ctx context.Context, run *Run, st *FingerprintStats) error {
	// A run whose results all have a hash (fetched from GitHub, say)
	// needs no file: only its partial fingerprints are read.
	arts := run.Artifacts()
	targets := make([]target, run.Len())
	var lacking atomic.Bool
	if err := run.EachResult(ctx, func(_, i int, r Result) error {
		targets[i] = h.target(arts, r, func(member string, v []byte, want string) {
			if v != nil && v[0] != 'n' {
				run.NoteLenient(i, member, WrongType(v, want), "read as absent: no line hash added")
			}
		})
		if !targets[i].has {
			lacking.Store(true)
		}
		return nil
	}); err != nil {
		return err
	}
	if !lacking.Load() {
		st.Kept += len(targets)
		return nil
	}
	// The lines each needed file must give: those of the results that
	// lack a hash, and of those that have one, to tell whether it differs.
	lines := map[string]map[int]string{}
	for _, t := range targets {
		if t.path != "" && !t.has {
			lines[t.path] = map[int]string{}
		}
	}
	for _, t := range targets {
		if m := lines[t.path]; m != nil {
			m[t.line] = ""
		}
	}
	paths := slices.Sorted(maps.Keys(lines))
	missing := make([]bool, len(paths))
	if err := parallel.For(ctx, len(paths), func(_, k int) error {
		content, err := checkout.ReadFile(h.files, paths[k])
		if err != nil {
			missing[k] = true
			return nil
		}
		m := lines[paths[k]]
		want := slices.Collect(maps.Keys(m))
		for i, hash := range linehash.At(content, want) {
			m[want[i]] = hash
		}
		return nil
	}); err != nil {
		return err
	}
	for _, miss := range missing {
		if miss {
			st.MissingFiles++
		}
	}
	add := make([]string, len(targets))
	added := st.Added
	for i, t := range targets {
		hash := lines[t.path][t.line]
		switch {
		case t.has:
			st.Kept++
			if hash != "" && hash != t.existing {
				st.Differed++
			}
		case hash == "":
			st.Skipped++
		default:
			st.Added++
			add[i] = hash
		}
	}
	if st.Added == added {
		return nil
	}
	// Results on disk get their hash as they are read.
	return run.EditResults(ctx, func(i int, r Result) (Result, error) {
		if add[i] == "" {
			return r, nil
		}
		var setErr error
		edited, err := r.Rewrite(func(o RawObject) {
			if o.Kind() != "result" {
				return
			}
			if pf := o.Object("partialFingerprints"); pf.Exists() {
				setErr = pf.Set(PrimaryLocationLineHash, add[i])
			} else {
				setErr = o.Set("partialFingerprints", map[string]any{PrimaryLocationLineHash: add[i]})
			}
		})
		if err = cmp.Or(err, setErr); err != nil {
			return nil, fmt.Errorf("result %d: %w", i, err)
		}
		return edited, nil
	})
}

// target reads where result r points and the hash it has; wrong hears
// of each member on the way that is there (v not nil) but not what it
// must be (want: "an object"), which reads as absent.
func (h *lineHasher) target(arts *Artifacts, r Result, wrong func(member string, v []byte, want string)) target {
	var m [2][]byte
	jsonscan.Members(r, []string{"locations", "partialFingerprints"}, m[:])
	kind := func(member string, v []byte, want string, first byte) {
		if v != nil && v[0] != first {
			wrong(member, v, want)
		}
	}
	kind("/locations", m[0], "an array", '[')
	kind("/partialFingerprints", m[1], "an object", '{')
	var t target
	var pf [1][]byte
	if jsonscan.Members(m[1], []string{PrimaryLocationLineHash}, pf[:]); pf[0] != nil {
		t.has = true
		if s, ok := jsonscan.String(pf[0]); ok {
			t.existing = s
		} else {
			t.existing = string(pf[0])
		}
	}
	var loc []byte
	jsonscan.Elems(m[0], func(_ int, v []byte) bool { loc = v; return false })
	kind("/locations/0", loc, "an object", '{')
	var pl [1][]byte
	jsonscan.Members(loc, []string{"physicalLocation"}, pl[:])
	kind("/locations/0/physicalLocation", pl[0], "an object", '{')
	var parts [2][]byte
	jsonscan.Members(pl[0], []string{"artifactLocation", "region"}, parts[:])
	kind("/locations/0/physicalLocation/artifactLocation", parts[0], "an object", '{')
	kind("/locations/0/physicalLocation/region", parts[1], "an object", '{')
	var al [3][]byte
	jsonscan.Members(parts[0], []string{"uri", "uriBaseId", "index"}, al[:])
	var rg [1][]byte
	jsonscan.Members(parts[1], []string{"startLine"}, rg[:])
	line, ok := jsonscan.Int(rg[0])
	if !ok && rg[0] != nil {
		wrong("/locations/0/physicalLocation/region/startLine", rg[0], "an integer")
	}
	if parts[0] == nil || line <= 0 {
		return t
	}
	uri, ok := jsonscan.String(al[0])
	if !ok && al[0] != nil {
		wrong("/locations/0/physicalLocation/artifactLocation/uri", al[0], "a string")
	}
	base, ok := jsonscan.String(al[1])
	if !ok && al[1] != nil {
		wrong("/locations/0/physicalLocation/artifactLocation/uriBaseId", al[1], "a string")
	}
	index := -1
	if i, ok := jsonscan.Int(al[2]); ok && i >= 0 {
		index = int(i)
	}
	t.path, t.line = h.path(arts.Location(uri, base, index)), int(line)
	return t
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
