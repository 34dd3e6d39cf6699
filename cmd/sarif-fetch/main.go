// Command sarif-fetch is sarifkit fetch under its own name, for the GitHub
// Action and for scripts written before the sarifkit command: see
// [github.com/sarifkit/sarifkit/internal/cmd/fetchcmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/fetchcmd"
)

func main() { cli.Main(fetchcmd.Run) }
