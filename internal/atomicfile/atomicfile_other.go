//go:build !unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
)

func keepOwner(*os.File, fs.FileInfo) {}

func fdAlias(string) (int, bool) { return 0, false }

func dupFile(int, string) (*os.File, error) {
	return nil, errors.New("writing to a descriptor is not supported on this system")
}
