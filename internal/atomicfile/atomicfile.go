// Package atomicfile writes files atomically: to a temporary file in the
// same directory, renamed over the target only when everything was
// written, so that a failed write leaves the target as it was and
// nothing behind.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write creates or replaces the named file with what write writes. Errors
// name the target, never the temporary file.
func Write(name string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(name)
	if info, err := os.Stat(name); err == nil && info.IsDir() {
		return fmt.Errorf("writing %s: it is a directory", name)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("writing %s: directory %s does not exist", name, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, ""))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	if err = os.Rename(f.Name(), name); err != nil {
		return fmt.Errorf("writing %s: %w", name, pathless(err, f.Name()))
	}
	return nil
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
