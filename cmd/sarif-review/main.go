// Command sarif-review is sarifkit review under its own name, for the GitHub
// Action and for scripts: see
// [github.com/sarifkit/sarifkit/internal/cmd/reviewcmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/reviewcmd"
)

func main() { cli.Main(reviewcmd.Run) }
