//go:build unix

package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// A new file gets 0666 less the umask, like any program's. The umask is
// the process's: this test changes it, so it does not run in parallel
// (parallel tests wait until the sequential ones are done).
func TestWriteNewFileUmask(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ umask, want fs.FileMode }{{0o077, 0o600}, {0o022, 0o644}, {0o002, 0o664}} {
		old := syscall.Umask(int(c.umask))
		name := filepath.Join(dir, "u"+strconv.Itoa(int(c.umask))+".sarif")
		err := Write(t.Context(), name, nil, writeString("{}"))
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(name); err != nil || info.Mode().Perm() != c.want {
			t.Errorf("umask %03o: mode %v, want %v (%v)", c.umask, info.Mode().Perm(), c.want, err)
		}
	}
}

// A file replaced keeps its mode, whatever the umask.
func TestWriteKeepsMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o755} {
		name := filepath.Join(dir, "m"+strconv.Itoa(int(mode))+".sarif")
		if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(name, mode); err != nil {
			t.Fatal(err)
		}
		if err := Write(t.Context(), name, nil, writeString("new")); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(name)
		if b, _ := os.ReadFile(name); err != nil || info.Mode().Perm() != mode || string(b) != "new" {
			t.Errorf("%v: now %v, %q (%v)", mode, info.Mode().Perm(), b, err)
		}
	}
}

// A FIFO is written to, not replaced: its reader gets the data.
func TestWriteFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "out.fifo")
	if err := syscall.Mkfifo(name, 0o600); err != nil {
		t.Fatal(err)
	}
	var got []byte
	var rerr error
	var wg sync.WaitGroup
	wg.Go(func() {
		f, err := os.Open(name)
		if err != nil {
			rerr = err
			return
		}
		defer f.Close()
		got, rerr = io.ReadAll(f)
	})
	if err := Check(name); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := Write(t.Context(), name, nil, writeString(`{"version":"2.1.0"}`)); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if rerr != nil || string(got) != `{"version":"2.1.0"}` {
		t.Errorf("reader got %q, %v", got, rerr)
	}
	info, err := os.Lstat(name)
	if err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v, %v", info.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// A symbolic link stays one: its target is replaced, atomically, and
// keeps its mode. A link to nothing is refused.
func TestWriteSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(sub, "real.sarif")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.sarif")
	if err := os.Symlink("sub/real.sarif", link); err != nil {
		t.Fatal(err)
	}
	if err := Write(t.Context(), link, nil, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if l, err := os.Readlink(link); err != nil || l != "sub/real.sarif" {
		t.Errorf("link now %q, %v", l, err)
	}
	info, err := os.Stat(target)
	if b, _ := os.ReadFile(target); err != nil || string(b) != "new" || info.Mode().Perm() != 0o600 {
		t.Errorf("target: %q, %v, %v", b, info.Mode(), err)
	}
	for d, n := range map[string]int{dir: 2, sub: 1} {
		if entries, _ := os.ReadDir(d); len(entries) != n {
			t.Errorf("%s: %v", d, entries)
		}
	}
	dangling := filepath.Join(dir, "dangling.sarif")
	if err := os.Symlink("missing/x.sarif", dangling); err != nil {
		t.Fatal(err)
	}
	called := false
	if err := Write(t.Context(), dangling, nil, func(io.Writer) error { called = true; return nil }); err == nil || called {
		t.Errorf("link to nothing: %v, write called: %v", err, called)
	}
	if err := Check(dangling); err == nil {
		t.Errorf("Check of a link to nothing: no error")
	}
}

// /dev/fd/N, /proc/self/fd/N and links to them are written through the
// descriptor: a pipe's reader gets the data, a file opened to append is
// appended to, and nothing is replaced.
func TestWriteDescriptor(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fd := strconv.Itoa(int(w.Fd()))
	for _, name := range []string{"/dev/fd/" + fd, "/proc/self/fd/" + fd} {
		if _, err := os.Stat(name); err != nil {
			continue // not on this system
		}
		if err := Write(t.Context(), name, nil, writeString("via "+name+"\n")); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	w.Close()
	got, _ := io.ReadAll(r)
	if want := "via /dev/fd/" + fd + "\n"; len(got) < len(want) || string(got[:len(want)]) != want {
		t.Errorf("pipe got %q", got)
	}

	dir := t.TempDir()
	logName := filepath.Join(dir, "log.txt")
	f, err := os.OpenFile(logName, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("first\n")
	link := filepath.Join(dir, "out")
	if err := os.Symlink("/dev/fd/"+strconv.Itoa(int(f.Fd())), link); err != nil {
		t.Fatal(err)
	}
	if err := Write(t.Context(), link, nil, writeString("second\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(logName); string(b) != "first\nsecond\n" {
		t.Errorf("appended file: %q", b)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link replaced: %v", err)
	}
}
