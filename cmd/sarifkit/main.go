// Command sarifkit reads, checks, compares, merges and renders SARIF 2.1.0
// logs, and exchanges them with GitHub code scanning: sarifkit diff,
// sarifkit merge, and the other verbs of
// [github.com/sarifkit/sarifkit/internal/cmd]. Run as sarif-VERB (a link
// or a copy of the binary under that name), it is that verb's program.
package main

import (
	"os"

	"github.com/sarifkit/sarifkit/internal/cmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

func main() { cli.Main(cmd.ByName(os.Args[0])) }
