// Package cli holds what the sarifkit commands share: exit codes and the
// version string. The commands themselves only parse flags, call the
// library packages and print.
package cli

import (
	"fmt"
	"io"
	"runtime/debug"
)

// Exit codes shared by every sarifkit command.
const (
	// ExitOK: success (a valid log, a passed gate).
	ExitOK = 0
	// ExitFindings: the command ran and found what it reports as failure
	// (an invalid log, a failed gate, a remote failure).
	ExitFindings = 1
	// ExitUsage: bad flags or arguments, or input that could not be read.
	ExitUsage = 2
)

// Version returns the module version the binary was built from ("(devel)"
// for a build inside the source tree).
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}

// PrintVersion writes "NAME VERSION" to w.
func PrintVersion(w io.Writer, name string) {
	fmt.Fprintf(w, "%s %s\n", name, Version())
}
