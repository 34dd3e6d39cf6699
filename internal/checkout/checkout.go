// Package checkout reads the files of a checkout as untrusted input.
//
// On a pull request the checkout is the author's: any file can be a
// symbolic link (to /etc/passwd, to ../secret, to a directory outside),
// a FIFO or a device (/dev/zero), or huge. A checkout is therefore a
// boundary, and an [FS] is a file system confined to it:
//
//   - Every path is resolved inside the root (through [os.Root]): a
//     symbolic link or ".." that leads out of the checkout is refused,
//     one that stays inside it is followed (an absolute link too).
//   - Only regular files are opened. What a path names is checked before
//     it is opened, and it is opened without blocking (O_NONBLOCK where
//     the system has it), then checked again: a FIFO, device, socket or
//     directory is never read.
//   - At most [FS.MaxFileSize] bytes are read of a file
//     ([DefaultMaxFileSize] unless set): a larger file is refused like an
//     unreadable one.
//
// Each refusal but a directory's is counted (once per file), so that a
// command can say what it left out in one line of its summary
// ([Refusals]) instead of once per file. To its reader a refused file is like a missing one; its error
// wraps [ErrOutside], [ErrNotRegular] or [ErrTooLarge].
//
// The package imports nothing of sarifkit's: every package that reads
// source files can use it.
package checkout

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// DefaultMaxFileSize is the most bytes read of one source file unless
// [FS.MaxFileSize] says otherwise: 32 MiB, far above any hand-written
// source file, and what a line hash, a report's few lines of context or
// a line diff can afford to hold.
const DefaultMaxFileSize = 32 << 20

// Why a file was refused.
var (
	// ErrOutside is the error of a path that leads out of the checkout,
	// through a symbolic link or "..".
	ErrOutside = errors.New("outside the checkout")
	// ErrNotRegular is the error of a path that names no regular file: a
	// FIFO, a device, a socket or a directory.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge is the error of a file larger than the cap on bytes read.
	ErrTooLarge = errors.New("larger than the cap on a source file")
)

// An FS is the files of a checkout, confined to it (see the package
// documentation). It implements [fs.FS], [fs.ReadFileFS], [fs.StatFS],
// [fs.ReadDirFS] and [fs.ReadLinkFS], and is safe for concurrent use. Close releases it.
type FS struct {
	root *os.Root
	dir  string // the root as given, absolute
	real string // dir with its symbolic links resolved, for telling where a refused path leads
	// MaxFileSize is the most bytes read of one file; a larger file is
	// refused. DefaultMaxFileSize when zero or less.
	MaxFileSize int64

	mu      sync.Mutex
	refused map[string]error // by name: ErrOutside, ErrNotRegular or ErrTooLarge
}

// Open returns the files of the checkout at dir, which must be a
// directory (a symbolic link to one is followed: the root is the user's
// choice).
func Open(dir string) (*FS, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		real = abs
	}
	return &FS{root: root, dir: abs, real: real}, nil
}

// Dir returns the checkout's directory, absolute, as it was given.
func (c *FS) Dir() string { return c.dir }

// Close releases the checkout's root directory.
func (c *FS) Close() error { return c.root.Close() }

func (c *FS) maxSize() int64 {
	if c.MaxFileSize > 0 {
		return c.MaxFileSize
	}
	return DefaultMaxFileSize
}

// Open opens the named regular file (a slash-separated path relative to
// the root) for reading; its reads end with an error wrapping
// [ErrTooLarge] past the cap.
func (c *FS) Open(name string) (fs.File, error) {
	f, info, err := c.open(name)
	if err != nil {
		return nil, err
	}
	return &file{f: f, info: info, left: c.maxSize(), fsys: c, name: name}, nil
}

// ReadFile returns the content of the named regular file.
func (c *FS) ReadFile(name string) ([]byte, error) {
	f, info, err := c.open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(&file{f: f, info: info, left: c.maxSize(), fsys: c, name: name}, info.Size())
}

// Stat returns what name names, its symbolic links followed inside the
// checkout. It reads no file and counts no refusal.
func (c *FS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	info, _, err := c.stat(name)
	return info, err
}

// ReadDir lists the named directory, its symbolic links followed inside
// the checkout; the entries' types are their own (a symbolic link is
// one).
func (c *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	_, rel, err := c.stat(name)
	if err != nil {
		return nil, err
	}
	return fs.ReadDir(c.root.FS(), rel)
}

// Lstat returns what name names without following it when it is a
// symbolic link (those before it are followed inside the checkout). It
// reads no file and counts no refusal.
func (c *FS) Lstat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrInvalid}
	}
	return c.root.Lstat(name)
}

// ReadLink returns where the named symbolic link leads, as it is written
// (it may lead out of the checkout: nothing is read there).
func (c *FS) ReadLink(name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return c.root.Readlink(name)
}

// stat stats name through the root, and returns the path inside the
// root it resolved by: name itself, or where an absolute symbolic link
// into the checkout leads (os.Root refuses every absolute link).
func (c *FS) stat(name string) (fs.FileInfo, string, error) {
	info, err := c.root.Stat(name)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return info, name, err
	}
	// The root refused it, or it is unreadable: tell where it leads.
	real, rerr := filepath.EvalSymlinks(filepath.Join(c.dir, filepath.FromSlash(name)))
	if rerr != nil {
		return nil, name, err
	}
	rel, rerr := filepath.Rel(c.real, real)
	if rerr != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return nil, name, &fs.PathError{Op: "open", Path: name, Err: ErrOutside}
	}
	rel = filepath.ToSlash(rel)
	if rel == filepath.ToSlash(name) {
		return nil, name, err
	}
	// Inside after all: the root resolves the path again, so a link
	// changed meanwhile is still confined.
	info, err = c.root.Stat(rel)
	return info, rel, err
}

// open opens name if it is a regular file inside the checkout no larger
// than the cap, and returns it with its FileInfo.
func (c *FS) open(name string) (*os.File, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	info, rel, err := c.stat(name)
	if err != nil {
		return nil, nil, c.refuse(name, err)
	}
	if err := c.check(name, info); err != nil {
		return nil, nil, err
	}
	// Checked before it is opened, so a FIFO is not opened at all; opened
	// without blocking and checked again, should it have been replaced.
	f, err := c.root.OpenFile(rel, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, c.refuse(name, err)
	}
	if info, err = f.Stat(); err == nil {
		err = c.check(name, info)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// check refuses a file that is not regular or too large. A directory is
// not read either, but not counted: results can name one harmlessly.
func (c *FS) check(name string, info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(info.Mode()))}
	case !info.Mode().IsRegular():
		return c.refuse(name, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(info.Mode()))})
	case info.Size() > c.maxSize():
		return c.refuse(name, c.tooLarge(name))
	}
	return nil
}

func (c *FS) tooLarge(name string) error {
	return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (%s)", ErrTooLarge, size(c.maxSize()))}
}

// refuse counts err's file when it is refused, and returns err.
func (c *FS) refuse(name string, err error) error {
	var why error
	for _, e := range []error{ErrOutside, ErrNotRegular, ErrTooLarge} {
		if errors.Is(err, e) {
			why = e
		}
	}
	if why == nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refused == nil {
		c.refused = map[string]error{}
	}
	if _, ok := c.refused[name]; !ok {
		c.refused[name] = why
	}
	return err
}

// Refused counts the files refused so far, each once.
func (c *FS) Refused() Refusals {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := Refusals{MaxFileSize: c.maxSize()}
	for _, why := range c.refused {
		switch why {
		case ErrOutside:
			r.Outside++
		case ErrNotRegular:
			r.NotRegular++
		case ErrTooLarge:
			r.TooLarge++
		}
	}
	return r
}

// Refusals count the files of a checkout that were refused, by reason.
type Refusals struct {
	Outside    int // led out of the checkout
	NotRegular int // FIFOs, devices, sockets (not directories)
	TooLarge   int // larger than MaxFileSize
	// MaxFileSize is the cap that applied.
	MaxFileSize int64
}

// Total is how many files were refused.
func (r Refusals) Total() int { return r.Outside + r.NotRegular + r.TooLarge }

// String says what was refused in one line: "3 files refused: outside
// the checkout (2), not a regular file (1)"; "" when nothing was.
func (r Refusals) String() string {
	if r.Total() == 0 {
		return ""
	}
	var parts []string
	if r.Outside > 0 {
		parts = append(parts, fmt.Sprintf("outside the checkout (%d)", r.Outside))
	}
	if r.NotRegular > 0 {
		parts = append(parts, fmt.Sprintf("not a regular file (%d)", r.NotRegular))
	}
	if r.TooLarge > 0 {
		parts = append(parts, fmt.Sprintf("larger than %s (%d)", size(r.MaxFileSize), r.TooLarge))
	}
	files := "files"
	if r.Total() == 1 {
		files = "file"
	}
	return fmt.Sprintf("%d %s refused: %s", r.Total(), files, strings.Join(parts, ", "))
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "type " + m.Type().String()
}

// file is an open regular file of a checkout, read up to the cap.
type file struct {
	f    fs.File
	info fs.FileInfo
	left int64 // bytes that may still be read
	fsys *FS   // counts the file when it proves too large; nil for another fs.FS
	name string
	max  int64 // the cap, with another fs.FS
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return f.f.Close() }

func (f *file) Read(p []byte) (int, error) {
	if f.left <= 0 {
		// At the cap: the file ends here, or is too large.
		var one [1]byte
		if n, err := f.f.Read(one[:]); n == 0 {
			return 0, err
		}
		if f.fsys != nil {
			return 0, f.fsys.refuse(f.name, f.fsys.tooLarge(f.name))
		}
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: fmt.Errorf("%w (%s)", ErrTooLarge, size(f.max))}
	}
	if int64(len(p)) > f.left {
		p = p[:f.left]
	}
	n, err := f.f.Read(p)
	f.left -= int64(n)
	return n, err
}

// readAll reads r to its end, sizeHint bytes expected.
func readAll(r io.Reader, sizeHint int64) ([]byte, error) {
	buf := make([]byte, 0, sizeHint+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // the file grew
		}
	}
}

// OpenFile opens the named file of fsys as a source file of a checkout:
// with an [*FS], confined to it ([FS.Open]); with another file system,
// only a regular file, checked before it is opened when fsys can tell
// ([fs.StatFS]: a FIFO is not opened then), and at most
// [DefaultMaxFileSize] bytes of it are read.
func OpenFile(fsys fs.FS, name string) (fs.File, error) {
	if c, ok := fsys.(*FS); ok {
		return c.Open(name)
	}
	if sfs, ok := fsys.(fs.StatFS); ok {
		info, err := sfs.Stat(name)
		if err != nil {
			return nil, err
		}
		if err := checkOther(name, info); err != nil {
			return nil, err
		}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil {
		err = checkOther(name, info)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &file{f: f, info: info, left: DefaultMaxFileSize, name: name, max: DefaultMaxFileSize}, nil
}

// ReadFile returns the content of the named file of fsys, read as
// [OpenFile] reads it.
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	switch fsys := fsys.(type) {
	case *FS:
		return fsys.ReadFile(name)
	case fs.StatFS:
	case fs.ReadFileFS:
		// Files held elsewhere (a revision's blobs, a subdirectory of
		// another file system), whose reading is theirs to bound.
		data, err := fsys.ReadFile(name)
		if err == nil && int64(len(data)) > DefaultMaxFileSize {
			return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (%s)", ErrTooLarge, size(DefaultMaxFileSize))}
		}
		return data, err
	}
	f, err := OpenFile(fsys, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, _ := f.Stat()
	return readAll(f, info.Size())
}

// checkOther refuses a file of another file system than an FS that is
// not regular or too large.
func checkOther(name string, info fs.FileInfo) error {
	switch {
	case !info.Mode().IsRegular():
		return &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(info.Mode()))}
	case info.Size() > DefaultMaxFileSize:
		return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (%s)", ErrTooLarge, size(DefaultMaxFileSize))}
	}
	return nil
}
