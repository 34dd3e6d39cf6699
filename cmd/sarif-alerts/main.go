// Command sarif-alerts is sarifkit alerts under its own name, for the GitHub
// Action and for scripts written before the sarifkit command: see
// [github.com/sarifkit/sarifkit/internal/cmd/alertscmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd/alertscmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

func main() { cli.Main(alertscmd.Run) }
