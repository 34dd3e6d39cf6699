// Command sarifkit reads, checks, compares, merges and renders SARIF 2.1.0
// logs, and exchanges them with GitHub code scanning: sarifkit diff,
// sarifkit merge, and the other verbs of
// [github.com/sarifkit/sarifkit/internal/cmd].
package main

import (
	"github.com/sarifkit/sarifkit/internal/cmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
)

func main() { cli.Main(cmd.Sarifkit) }
