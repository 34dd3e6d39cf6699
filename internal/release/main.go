// Command release writes sarifkit's release archives, reproducibly: the
// same staged files and the same time give byte-identical archives. It is
// the last step of .ci/release, which builds and stages the files:
//
//	go run ./internal/release -mtime EPOCH -C STAGE -o OUTDIR NAME.tar.gz NAME.zip ...
//
// Each archive NAME.tar.gz or NAME.zip holds the directory STAGE/NAME as
// its top directory NAME/, its entries in byte order of their paths, every
// entry's time EPOCH (seconds since 1970, as SOURCE_DATE_EPOCH), owner
// 0:0 without names, mode 0755 for directories and executables and 0644
// for other files. A tar keeps symbolic links (the sarif-VERB names link
// to sarifkit); a zip has none, and a link in a zip's directory is an
// error. The gzip header carries no name and no time. OUTDIR/SHA256SUMS
// then lists the archives' SHA-256 digests, in sha256sum's format, sorted
// by name.
//
// Writing the archives in Go rather than with tar, gzip and zip makes
// their bytes depend on the Go toolchain (which go.mod pins) alone, not
// on the versions and options of three tools on the release machine
// (GNU tar's --sort and --mtime, gzip -n, zip -X differ or are missing on
// macOS and BSDs).
package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	mtime := flag.Int64("mtime", -1, "time of every entry, in seconds since 1970 (SOURCE_DATE_EPOCH)")
	stage := flag.String("C", ".", "directory holding the archives' top directories")
	out := flag.String("o", "", "directory the archives and SHA256SUMS are written to")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: release -mtime EPOCH -C STAGE -o OUTDIR NAME.tar.gz|NAME.zip ...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *mtime < 0 || *out == "" || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(time.Unix(*mtime, 0).UTC(), *stage, *out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

// run writes each archive of names into out, then out/SHA256SUMS.
func run(mtime time.Time, stage, out string, names []string) error {
	sums := make([]string, 0, len(names))
	for _, name := range slices.Sorted(slices.Values(names)) {
		if name != filepath.Base(name) {
			return fmt.Errorf("%s: an archive name, not a path", name)
		}
		sum, err := writeArchive(mtime, stage, filepath.Join(out, name))
		if err != nil {
			return err
		}
		sums = append(sums, sum+"  "+name+"\n")
	}
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(strings.Join(sums, "")), 0o644)
}

// entry is one member of an archive.
type entry struct {
	name string      // slash-separated, under the top directory
	src  string      // file on disk
	mode fs.FileMode // type bits of the file on disk
	link string      // a symbolic link's target
}

// collect lists the tree at dir/top, the directory first, in byte
// order of the members' paths.
func collect(dir, top string) ([]entry, error) {
	var es []entry
	err := filepath.WalkDir(filepath.Join(dir, top), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		e := entry{name: filepath.ToSlash(rel), src: p, mode: d.Type()}
		switch {
		case d.IsDir():
			e.name += "/"
		case d.Type()&fs.ModeSymlink != 0:
			if e.link, err = os.Readlink(p); err != nil {
				return err
			}
			if path.IsAbs(e.link) || strings.Contains(e.link, "..") || strings.Contains(e.link, "/") {
				return fmt.Errorf("%s: a link within the archive's directory only, not to %s", rel, e.link)
			}
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			e.mode = info.Mode()
		default:
			return fmt.Errorf("%s: neither a file, a directory nor a link", rel)
		}
		es = append(es, e)
		return nil
	})
	slices.SortFunc(es, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return es, err
}

// perm is the archived permission of e: 0755 for directories and
// executables, 0644 for other files, 0777 for links.
func (e entry) perm() fs.FileMode {
	switch {
	case e.link != "":
		return 0o777
	case e.mode.IsDir() || e.mode&0o100 != 0:
		return 0o755
	}
	return 0o644
}

// writeArchive writes the archive file (NAME.tar.gz or NAME.zip) of
// stage/NAME and returns its SHA-256 digest in hex.
func writeArchive(mtime time.Time, stage, file string) (string, error) {
	base := filepath.Base(file)
	top, isZip := strings.CutSuffix(base, ".zip")
	if !isZip {
		var ok bool
		if top, ok = strings.CutSuffix(base, ".tar.gz"); !ok {
			return "", fmt.Errorf("%s: an archive is NAME.tar.gz or NAME.zip", base)
		}
	}
	es, err := collect(stage, top)
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	w := bufio.NewWriter(io.MultiWriter(f, h))
	if isZip {
		err = writeZip(w, mtime, es)
	} else {
		err = writeTarGz(w, mtime, es)
	}
	err = errors.Join(err, w.Flush(), f.Close())
	if err != nil {
		os.Remove(file)
		return "", fmt.Errorf("%s: %w", base, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeTarGz(w io.Writer, mtime time.Time, es []entry) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression) // no name, no time
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, e := range es {
		hdr := &tar.Header{Name: e.name, Mode: int64(e.perm()), ModTime: mtime, Format: tar.FormatUSTAR}
		switch {
		case e.mode.IsDir():
			hdr.Typeflag = tar.TypeDir
		case e.link != "":
			hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, e.link
		default:
			hdr.Typeflag = tar.TypeReg
			info, err := os.Stat(e.src)
			if err != nil {
				return err
			}
			hdr.Size = info.Size()
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if err := copyFile(tw, e.src); err != nil {
				return err
			}
		}
	}
	return errors.Join(tw.Close(), zw.Close())
}

func writeZip(w io.Writer, mtime time.Time, es []entry) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, e := range es {
		if e.link != "" {
			return fmt.Errorf("%s: a zip holds no links", e.name)
		}
		hdr := &zip.FileHeader{Name: e.name, Modified: mtime, Method: zip.Deflate}
		if e.mode.IsDir() {
			hdr.Method = zip.Store
			hdr.SetMode(fs.ModeDir | e.perm())
		} else {
			hdr.SetMode(e.perm())
		}
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if !e.mode.IsDir() {
			if err := copyFile(fw, e.src); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
