// Command sarif-report is sarifkit report under its own name, for the GitHub
// Action and for scripts written before the sarifkit command: see
// [github.com/sarifkit/sarifkit/internal/cmd/reportcmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/reportcmd"
)

func main() { cli.Main(reportcmd.Run) }
