// Command sarif-diff is sarifkit diff under its own name, for the GitHub
// Action and for scripts written before the sarifkit command: see
// [github.com/sarifkit/sarifkit/internal/cmd/diffcmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/diffcmd"
)

func main() { cli.Main(diffcmd.Run) }
