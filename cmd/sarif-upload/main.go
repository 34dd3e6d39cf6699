// Command sarif-upload is sarifkit upload under its own name, for the GitHub
// Action and for scripts written before the sarifkit command: see
// [github.com/sarifkit/sarifkit/internal/cmd/uploadcmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/uploadcmd"
)

func main() { cli.Main(uploadcmd.Run) }
