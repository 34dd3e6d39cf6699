//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// keepOwner gives f the group and owner of the file it replaces, where
// the system allows it: the group is one the user belongs to, the owner
// is the user (or the user is root). What is not allowed is left as it
// is, silently.
func keepOwner(f *os.File, old fs.FileInfo) {
	st, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	info, err := f.Stat()
	if err != nil {
		return
	}
	cur, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	if cur.Gid != st.Gid {
		f.Chown(-1, int(st.Gid))
	}
	if cur.Uid != st.Uid {
		f.Chown(int(st.Uid), -1)
	}
}

// fdAlias tells whether name, or a symbolic link it leads through, names
// a descriptor of the process: /dev/stdout, /dev/stderr, /dev/fd/N,
// /proc/self/fd/N. Such a file is written through the descriptor itself,
// whatever it is (pipe, terminal, socket, file opened to append).
func fdAlias(name string) (int, bool) {
	p := name
	for range 16 {
		if fd, ok := fdPath(p); ok {
			return fd, true
		}
		l, err := os.Readlink(p)
		if err != nil {
			return 0, false
		}
		if !filepath.IsAbs(l) {
			l = filepath.Join(filepath.Dir(p), l)
		}
		p = l
	}
	return 0, false
}

func fdPath(p string) (int, bool) {
	switch p = filepath.Clean(p); p {
	case "/dev/stdout":
		return 1, true
	case "/dev/stderr":
		return 2, true
	}
	for _, dir := range []string{"/dev/fd/", "/proc/self/fd/", "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/"} {
		if rest, ok := strings.CutPrefix(p, dir); ok {
			if fd, err := strconv.Atoi(rest); err == nil && fd >= 0 {
				return fd, true
			}
		}
	}
	return 0, false
}

// dupFile returns a file writing to a copy of descriptor fd, which
// closing it leaves open.
func dupFile(fd int, name string) (*os.File, error) {
	d, err := syscall.Dup(fd)
	if err != nil {
		return nil, &fs.PathError{Op: "dup", Path: name, Err: err}
	}
	syscall.CloseOnExec(d)
	return os.NewFile(uintptr(d), name), nil
}
