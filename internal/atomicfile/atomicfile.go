// Package atomicfile writes files atomically: to a temporary file in the
// same directory, renamed over the target only when everything was
// written, so that a failed or interrupted write leaves the target as it
// was and nothing behind.
//
// What is replaced keeps what the user gave it: a new file gets the mode
// 0666 less the umask, as any program's would, and a file replaced keeps
// its mode (and its group, and its owner where that needs no privilege).
// A symbolic link is written through: its target is replaced, atomically,
// and the link stays. A FIFO, a device or a socket is not replaced at
// all: it is opened and written to directly, and so are /dev/stdout,
// /dev/stderr and /dev/fd/N, written through the process's own
// descriptor (appending where the shell opened it to append).
package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/sarifkit/sarifkit/internal/ctxio"
)

// Options tune Write. The zero value (or nil) is ready to use.
type Options struct {
	// Track, when set, is called with the name of the temporary file as
	// soon as it exists, and returns the function Write calls once the
	// file is gone (renamed or removed). A command uses it to remove the
	// file should it have to exit while Write is still running.
	Track func(tmp string) (untrack func())
}

// Write creates or replaces the named file with what write writes. The
// temporary file is removed when write fails or ctx is done (every write
// to it fails once ctx is done, and nothing is renamed after that).
// Errors name the target, never the temporary file.
func Write(ctx context.Context, name string, opts *Options, write func(io.Writer) error) (err error) {
	t, err := resolve(name)
	if err != nil {
		return err
	}
	if t.direct {
		return t.writeDirect(ctx, write)
	}
	// A new file is created with 0666, the kernel taking the umask off;
	// a file replaced gets its mode back once written, 0600 until then.
	perm := fs.FileMode(0o666)
	if t.info != nil {
		perm = 0o600
	}
	f, err := createTemp(t.path, perm)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, ""))
	}
	if opts != nil && opts.Track != nil {
		defer opts.Track(f.Name())()
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(ctxio.NewWriter(ctx, f)); err == nil {
		err = ctx.Err() // write may have dropped the error of an interrupted write
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if t.info != nil {
		keepOwner(f, t.info)
		if err = f.Chmod(t.info.Mode().Perm()); err != nil {
			return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
		}
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if err = os.Rename(f.Name(), t.path); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	return nil
}

// Check tells whether Write could write the named file, without writing
// anything: the file can be replaced (it is not a directory nor a link
// to nothing) and a file can be created in its directory, which exists.
// Commands check their output so before reading any input, rather than
// fail after the work is done. A FIFO, a device or a socket is not
// opened: that would wait for the other end.
func Check(name string) error {
	t, err := resolve(name)
	if err != nil || t.direct {
		return err
	}
	f, err := createTemp(t.path, 0o600)
	if err != nil {
		return fmt.Errorf("writing %s: cannot create a file in %s: %w", name, filepath.Dir(t.path), pathless(err, ""))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// target is what writing a name writes.
type target struct {
	name string
	// path is the file replaced: name, or where its symbolic links lead.
	path string
	// info is path's, nil for a new file.
	info fs.FileInfo
	// direct is set for a FIFO, a device or a socket, written in place,
	// and for a descriptor of the process (fd >= 0).
	direct bool
	fd     int
}

// resolve finds what writing name writes, or why it cannot be written.
func resolve(name string) (*target, error) {
	if fd, ok := fdAlias(name); ok {
		return &target{name: name, path: name, direct: true, fd: fd}, nil
	}
	t := &target{name: name, path: name, fd: -1}
	info, err := os.Lstat(name)
	if err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if t.path, err = filepath.EvalSymlinks(name); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("writing %s: it is a symbolic link to a file that does not exist", name)
			}
			return nil, fmt.Errorf("writing %s: %w", name, err)
		}
		info, err = os.Stat(t.path)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		info = nil
	case err != nil:
		return nil, fmt.Errorf("writing %s: %w", name, err)
	case info.IsDir():
		return nil, fmt.Errorf("writing %s: it is a directory", name)
	case !info.Mode().IsRegular():
		t.info, t.direct = info, true
		return t, nil
	}
	t.info = info
	dir := filepath.Dir(t.path)
	if d, err := os.Stat(dir); err != nil || !d.IsDir() {
		return nil, fmt.Errorf("writing %s: directory %s does not exist", name, dir)
	}
	return t, nil
}

// writeDirect writes to a FIFO, a device, a socket or a descriptor of the
// process, as it is.
func (t *target) writeDirect(ctx context.Context, write func(io.Writer) error) error {
	var w io.WriteCloser
	var err error
	switch {
	case t.fd >= 0:
		w, err = dupFile(t.fd, t.name)
	case t.info.Mode()&fs.ModeSocket != 0:
		w, err = (&net.Dialer{}).DialContext(ctx, "unix", t.path)
	default:
		// Opening a FIFO waits for its reader: ctx can stop the wait.
		w, err = ctxio.OpenFile(ctx, t.path, os.O_WRONLY, 0)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", t.name, pathless(err, t.path))
	}
	if err := write(ctxio.NewWriter(ctx, w)); err != nil {
		w.Close()
		return fmt.Errorf("writing %s: %w", t.name, pathless(err, t.path))
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", t.name, pathless(err, t.path))
	}
	return nil
}

// createTemp creates a new file beside path, named after it
// (".NAME.tmpNNN"), with perm less the umask: unlike os.CreateTemp,
// whose files are 0600.
func createTemp(path string, perm fs.FileMode) (*os.File, error) {
	prefix := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	for range 10000 {
		f, err := os.OpenFile(prefix+strconv.FormatUint(uint64(rand.Uint32()), 10), os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, &fs.PathError{Op: "createtemp", Path: prefix + "*", Err: fs.ErrExist}
}

// pathless drops the path from a file system error about the temporary
// file tmp ("" when it has no name yet): it means nothing to the reader.
// What went wrong is kept.
func pathless(err error, tmp string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && (tmp == "" || pe.Path == tmp) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) && le.Old == tmp {
		return le.Err
	}
	return err
}
