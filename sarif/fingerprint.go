package sarif

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

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
	// Outside counts the results, of those skipped, whose file is outside
	// the checkout (through ".."): GitHub's upload action would hash that
	// file; it is not read.
	Outside int
	// MissingFiles counts the distinct files that results point at, under
	// the source root, that could not be read: not in the checkout, or not
	// read (a link out of it, not a regular file, over 32 MiB).
	MissingFiles int
}

// LineHashes returns the primaryLocationLineHash of every line of a
// source file, as GitHub's upload action computes it: element i is the
// value for line i+1. The file is read as UTF-8 and hashed as UTF-16 code
// units; what is not UTF-8 is read as the action (node) reads it, one
// U+FFFD for each maximal ill-formed subsequence (a truncated "\xE2\x82"
// is one, a Latin-1 byte is one). Spaces and tabs are ignored, CR and CRLF
// count as LF; each line's hash is a rolling polynomial hash (base 37,
// 64-bit wrapping) of the 100 kept code units starting at the line, in
// hex, followed by ":n" where n counts the occurrences of that hex value
// so far. There is always one more line than there are line breaks.
func LineHashes(content []byte) []string { return linehash.Of(content) }

// AddLineHashes sets partialFingerprints.primaryLocationLineHash on every
// result of l that lacks one, from the source files under sourceRoot, as
// GitHub's upload action does. It is [AddLineHashesFrom] with the
// directory's files (sourceRoot is taken for the path the log's absolute
// URIs name the checkout by), read as a checkout's untrusted files are: a
// symbolic link that leads out of sourceRoot, a file that is not a
// regular file (a FIFO, a device) and a file over 32 MiB are not read,
// and count as missing.
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
// or a revision of a repository, as fs.FS paths relative to its root),
// resolving the primary location's artifact URI to a file as GitHub's
// upload action does (github/codeql-action, src/fingerprints.ts), so that
// every result the action would give a hash gets the same hash, and no
// other result gets one:
//
//   - The artifactLocation's uri, or, when it has none (or ""), the uri of
//     run.artifacts[index].location. uriBaseId, originalUriBaseIds and an
//     artifact's parentIndex are not read: a relative URI is relative to
//     the checkout's root whatever base it names (code scanning does not
//     honour originalUriBaseIds).
//   - The URI is percent-decoded as JavaScript's decodeURIComponent does:
//     a bad escape ("%zz", "%FF", one that decodes to no UTF-8) gives no
//     hash. Then a leading "file://" (in lower case) is removed; a URI that
//     still holds "://" (another scheme, "FILE://") gives no hash. What is
//     left is a path, taken as it is: "file:/x", "file://localhost/x",
//     "src\a.go", "a.go#L3" and "a.go?x=1" name files of those names in
//     the checkout (which seldom exist), as they do for the action.
//   - An absolute path must start with root and "/" (root is the
//     checkout's path on the machine that wrote the log; "" when not
//     known, then an absolute path gives no hash); a relative path is
//     relative to the checkout's root. "." and ".." are resolved as the
//     system resolves them: the directory before each must exist (".."
//     after a symbolic link is taken from where it leads, when files can
//     tell, [fs.ReadLinkFS]), and a path ending in "/" names no file.
//   - The one intended difference: what leads out of the checkout, through
//     ".." (even to come back in) or a symbolic link, is not read, and
//     gets no hash where the action hashes the file outside. Such results
//     count in Outside, or, through a link, as missing files.
//     [AddLineHashes]'s files also refuse what is not a regular file and
//     files over 32 MiB, which the action would read.
//
// The region's startLine gives the line; a result without one gets no
// hash. An existing value is kept. Only the files that results lacking a
// value point at are read, each once; results that have a value in those
// files are checked against it (Differed). Only regular files are read,
// up to 32 MiB each, and no more than 64 MiB of them at once whatever
// the number of cores (a larger file alone); only the hashes of the
// lines asked for are kept. files should confine the paths it resolves
// to the checkout, as [AddLineHashes]'s do.
func AddLineHashesFrom(ctx context.Context, l *Log, files fs.FS, root string) (FingerprintStats, error) {
	h := &lineHasher{files: files, windows: runtime.GOOS == "windows", inFlight: parallel.NewBudget(fingerprintInFlight)}
	if root != "" {
		h.root = strings.TrimRight(root, `/`) + "/"
	}
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
	files   fs.FS
	root    string // the checkout's path, with a final "/"; "" when not known
	windows bool   // paths are Windows paths (the action on a Windows runner)

	// inFlight bounds the bytes of the files being read and hashed at
	// once, whatever the number of workers.
	inFlight *parallel.Budget

	mu       sync.Mutex
	resolved map[string]resolution // paths that needed resolving, by the path given
}

// fingerprintInFlight is the most bytes of source files [AddLineHashesFrom]
// holds at once, over all its workers (a larger file is read alone):
// with what hashing a file takes (at most twice its size, see
// linehash.At), its memory does not grow with the number of cores.
const fingerprintInFlight = 64 << 20

// A resolution is what resolve made of a path.
type resolution struct {
	path    string
	outside bool
}

// target is where a result's primary location points, and the hash it
// has.
type target struct {
	path     string // "" when the result has no usable file
	line     int
	existing string
	has      bool
	outside  bool // the path leads out of the checkout
}

// run adds the line hashes of one run: it finds where every result
// points (reading only that of each result's text), reads the files the
// results that lack a hash need, each once, keeping the hashes of the
// lines asked for only, and sets them.
func (h *lineHasher) run(ctx context.Context, run *Run, st *FingerprintStats) error {
	// A run whose results all have a hash (fetched from GitHub, say)
	// needs no file: only its partial fingerprints are read.
	arts := artifactURIs(run)
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
		// A file's share of the budget is its size now, up to the most
		// that is read of a file.
		// (A file that cannot be, or is not, a regular file is not read.)
		var size int64
		if info, err := fs.Stat(h.files, paths[k]); err == nil && info.Mode().IsRegular() {
			size = min(max(info.Size(), 0), checkout.DefaultMaxFileSize)
		}
		h.inFlight.Acquire(size)
		defer h.inFlight.Release(size)
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
			if t.outside {
				st.Outside++
			}
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
func (h *lineHasher) target(arts []artifactURI, r Result, wrong func(member string, v []byte, want string)) target {
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
	var al [2][]byte
	jsonscan.Members(parts[0], []string{"uri", "index"}, al[:])
	var rg [1][]byte
	jsonscan.Members(parts[1], []string{"startLine"}, rg[:])
	line, ok := jsonscan.Int(rg[0])
	if !ok && rg[0] != nil {
		wrong("/locations/0/physicalLocation/region/startLine", rg[0], "an integer")
	}
	if parts[0] == nil || line <= 0 {
		return t
	}
	if _, ok := jsonscan.String(al[0]); !ok && al[0] != nil && al[1] == nil {
		wrong("/locations/0/physicalLocation/artifactLocation/uri", al[0], "a string")
	}
	uri, ok := locationURI(arts, al[0], al[1])
	if !ok {
		return t
	}
	p, ok := actionPath(uri, h.root, h.windows)
	if !ok {
		return t
	}
	t.path, t.outside = h.resolve(p)
	t.line = int(line)
	return t
}

// An artifactURI is the uri of an element of run.artifacts, as the upload
// action reads it: ok is false when the artifact has no location, or a
// location without a uri.
type artifactURI struct {
	uri string
	ok  bool
}

// artifactURIs returns the uris of run.artifacts' locations.
func artifactURIs(run *Run) []artifactURI {
	arts := make([]artifactURI, len(run.Model.Artifacts))
	for i, a := range run.Model.Artifacts {
		if a != nil && a.Location != nil && a.Location.URI != nil {
			arts[i] = artifactURI{*a.Location.URI, true}
		}
	}
	return arts
}

// locationURI returns the URI an artifactLocation names for the upload
// action, from its uri and index members (raw JSON, nil when absent): its
// uri when that is a non-empty string; else, when it has an index, the
// uri of that element of run.artifacts. uriBaseId is not read.
func locationURI(arts []artifactURI, uriRaw, indexRaw []byte) (string, bool) {
	uri, ok := jsonscan.String(uriRaw)
	// The action takes the artifact's when the uri is falsy in JavaScript.
	falsy := uriRaw == nil || ok && uri == "" || !ok && slices.Contains([]string{"null", "false", "0"}, string(uriRaw))
	if !falsy || indexRaw == nil {
		return uri, ok
	}
	i, isInt := jsonscan.Int(indexRaw)
	if !isInt || i < 0 || i >= int64(len(arts)) {
		return "", false
	}
	return arts[i].uri, arts[i].ok
}

// actionPath returns the path the upload action makes of an artifact URI:
// relative to the checkout's root (root, with a final "/"; "" when not
// known), not yet resolved ("." and ".." are left in it). ok is false when
// the action computes no hash for it: a bad percent escape, a scheme other
// than "file://", an absolute path that is not under root. On Windows (as
// the action on a Windows runner) paths may be separated by "\" too.
func actionPath(uri, root string, windows bool) (p string, ok bool) {
	p, ok = decodeURIComponent(uri)
	if !ok {
		return "", false
	}
	p = strings.TrimPrefix(p, "file://")
	if strings.Contains(p, "://") {
		return "", false
	}
	// The action drops an absolute path that starts with "/" unless it is
	// under the root ...
	if strings.HasPrefix(p, "/") {
		if rel, under := strings.CutPrefix(p, root); root != "" && under {
			return rel, true
		}
		return "", false
	}
	// ... and reads any other absolute path (on Windows) as it is: it is
	// read here when it is in the checkout.
	if windows && isWindowsAbsolute(p) {
		q, r := strings.ReplaceAll(p, `\`, "/"), strings.ReplaceAll(root, `\`, "/")
		if root != "" && len(q) >= len(r) && strings.EqualFold(q[:len(r)], r) {
			return q[len(r):], true
		}
		return "", false
	}
	return p, true
}

// isWindowsAbsolute tells whether p, which does not start with "/", is
// absolute to Windows, as node's path.win32.isAbsolute tells: `\x`,
// `c:\x`, "c:/x".
func isWindowsAbsolute(p string) bool {
	return strings.HasPrefix(p, `\`) || len(p) >= 3 && isDriveLetter(p[0]) && p[1] == ':' && (p[2] == '/' || p[2] == '\\')
}

// decodeURIComponent percent-decodes s as JavaScript's
// decodeURIComponent does (ECMA-262's Decode, nothing reserved): every
// %XX escape is decoded, and the escapes of bytes above 0x7F must come as
// whole UTF-8 sequences, each byte escaped, with no overlong form,
// surrogate or value above U+10FFFF. ok is false otherwise (where
// JavaScript throws a URIError): "%zz", "%", "%FF", "%C3%28", "%ED%A0%80".
func decodeURIComponent(s string) (string, bool) {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		if s[i] != '%' {
			b = append(b, s[i])
			i++
			continue
		}
		c, ok := unhex2(s, i)
		if !ok {
			return "", false
		}
		i += 3
		if c < utf8.RuneSelf {
			b = append(b, c)
			continue
		}
		var n int // the bytes of the sequence c starts, by its leading ones
		switch {
		case c&0xE0 == 0xC0:
			n = 2
		case c&0xF0 == 0xE0:
			n = 3
		case c&0xF8 == 0xF0:
			n = 4
		default: // a continuation byte, or five leading ones or more
			return "", false
		}
		start := len(b)
		b = append(b, c)
		for range n - 1 {
			c, ok := unhex2(s, i)
			if !ok || c&0xC0 != 0x80 {
				return "", false
			}
			b = append(b, c)
			i += 3
		}
		if !utf8.Valid(b[start:]) {
			return "", false
		}
	}
	return string(b), true
}

// unhex2 returns the byte the escape %XX at s[i] stands for.
func unhex2(s string, i int) (byte, bool) {
	if i+2 >= len(s) || s[i] != '%' {
		return 0, false
	}
	hi, ok1 := unhex(s[i+1])
	lo, ok2 := unhex(s[i+2])
	return hi<<4 | lo, ok1 && ok2
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// resolve returns the fs.FS path of a path relative to the checkout's
// root, as the system resolves it: empty elements and "." are dropped,
// ".." removes the element before it, which must be a directory; when it
// is a symbolic link (and files can tell, [fs.ReadLinkFS]), ".." is taken
// from where the link leads. "" when the path names no file: one ending
// in "/" (a directory at best), the root, one through a missing
// directory, or one that leads out of the checkout (then outside is
// true), even if it comes back in.
func (h *lineHasher) resolve(p string) (path string, outside bool) {
	if p == "" || strings.HasSuffix(p, "/") || h.windows && strings.HasSuffix(p, `\`) {
		return "", false
	}
	if h.windows {
		p = strings.ReplaceAll(p, `\`, "/")
	}
	if fs.ValidPath(p) {
		return p, false // the common case: nothing to resolve
	}
	// Results in one file share their URI: each is resolved once.
	h.mu.Lock()
	r, ok := h.resolved[p]
	h.mu.Unlock()
	if !ok {
		r.path, r.outside = h.resolveElems(p)
		h.mu.Lock()
		if h.resolved == nil {
			h.resolved = map[string]resolution{}
		}
		h.resolved[p] = r
		h.mu.Unlock()
	}
	return r.path, r.outside
}

// resolveElems is resolve for a path with empty, "." or ".." elements.
func (h *lineHasher) resolveElems(p string) (path string, outside bool) {
	rl, _ := h.files.(fs.ReadLinkFS)
	pending := strings.Split(p, "/")
	var elems []string
	for links := 0; len(pending) > 0; {
		e := pending[0]
		pending = pending[1:]
		switch e {
		case "":
			continue
		case ".", "..":
			if len(elems) == 0 {
				if e == "." {
					continue
				}
				return "", true
			}
			dir := strings.Join(elems, "/")
			if rl != nil {
				info, err := rl.Lstat(dir)
				if err != nil {
					return "", false
				}
				if info.Mode()&fs.ModeSymlink != 0 {
					// Go on from where the link leads, relative to the
					// directory it is in.
					to, err := rl.ReadLink(dir)
					if links++; err != nil || links > 40 || to == "" || to[0] == '/' || h.windows && isWindowsAbsolute(to) {
						return "", false
					}
					if h.windows {
						to = strings.ReplaceAll(to, `\`, "/")
					}
					elems = elems[:len(elems)-1]
					pending = append(append(strings.Split(to, "/"), e), pending...)
					continue
				}
			}
			if info, err := fs.Stat(h.files, dir); err != nil || !info.IsDir() {
				return "", false
			}
			if e == ".." {
				elems = elems[:len(elems)-1]
			}
		default:
			elems = append(elems, e)
		}
	}
	if len(elems) == 0 {
		return "", false
	}
	return strings.Join(elems, "/"), false
}
