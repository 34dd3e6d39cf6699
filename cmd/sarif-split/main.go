// Command sarif-split is sarifkit split under its own name, for the GitHub
// Action and for scripts: see
// [github.com/sarifkit/sarifkit/internal/cmd/splitcmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/splitcmd"
)

func main() { cli.Main(splitcmd.Run) }
