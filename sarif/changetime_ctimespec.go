//go:build darwin || freebsd || netbsd

package sarif

import (
	"os"
	"syscall"
)

// changeTime is the file's status change time (ctime) in nanoseconds, or
// 0 when the system does not say.
func changeTime(info os.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Ctimespec.Nano()
	}
	return 0
}
