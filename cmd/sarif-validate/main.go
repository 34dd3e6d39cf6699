// Command sarif-validate is sarifkit validate under its own name, for the GitHub
// Action and for scripts written before the sarifkit command: see
// [github.com/sarifkit/sarifkit/internal/cmd/validatecmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/validatecmd"
)

func main() { cli.Main(validatecmd.Run) }
