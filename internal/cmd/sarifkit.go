// Package cmd is the sarifkit program: one binary whose verbs are the
// commands (sarifkit diff, sarifkit merge, ...). Each verb lives in its
// own package, internal/cmd/VERBcmd, in the shape the gh CLI gives its
// commands: an Options struct, a NewCmd constructor that binds the flags
// to it, and a run function the tests call; the same verb runs as the
// program sarif-VERB (cmd/sarif-VERB), which the GitHub Action and older
// scripts call. What every command shares (exit codes, messages, output
// files, the GitHub context) is in package cli.
package cmd

import (
	"context"
	"fmt"
	"io"

	"github.com/sarifkit/sarifkit/internal/cmd/alertscmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/diffcmd"
	"github.com/sarifkit/sarifkit/internal/cmd/fetchcmd"
	"github.com/sarifkit/sarifkit/internal/cmd/filtercmd"
	"github.com/sarifkit/sarifkit/internal/cmd/mergecmd"
	"github.com/sarifkit/sarifkit/internal/cmd/reportcmd"
	"github.com/sarifkit/sarifkit/internal/cmd/reviewcmd"
	"github.com/sarifkit/sarifkit/internal/cmd/splitcmd"
	"github.com/sarifkit/sarifkit/internal/cmd/uploadcmd"
	"github.com/sarifkit/sarifkit/internal/cmd/validatecmd"
	"github.com/sarifkit/sarifkit/internal/safetext"
)

// Verbs are sarifkit's commands, in the order its help lists them.
func Verbs() []cli.Verb {
	return []cli.Verb{
		diffcmd.Verb(), mergecmd.Verb(), filtercmd.Verb(), splitcmd.Verb(), validatecmd.Verb(), reportcmd.Verb(),
		fetchcmd.Verb(), uploadcmd.Verb(), alertscmd.Verb(), reviewcmd.Verb(),
	}
}

// Programs are the programs the module builds, by name: sarifkit and
// each verb's own, sarif-VERB, each as its main runs it. Tests run the
// test binary as any of them.
func Programs() map[string]func(ctx context.Context, ios *cli.IO, args []string) int {
	m := map[string]func(ctx context.Context, ios *cli.IO, args []string) int{"sarifkit": Sarifkit}
	for _, v := range Verbs() {
		prog := "sarif-" + v.Name
		m[prog] = func(ctx context.Context, ios *cli.IO, args []string) int { return v.Run(ctx, ios, prog, args) }
	}
	return m
}

// Sarifkit runs the sarifkit program with its command-line arguments:
//
//	sarifkit VERB [flags] [args]   runs a verb
//	sarifkit help [VERB]           lists the verbs, or prints a verb's help
//	sarifkit --version             prints the version
func Sarifkit(ctx context.Context, ios *cli.IO, args []string) int {
	if len(args) == 0 {
		usage(ios.Err)
		return cli.ExitUsage
	}
	find := func(name string) (cli.Verb, bool) {
		for _, v := range append(Verbs(), tools()...) {
			if v.Name == name {
				return v, true
			}
		}
		return cli.Verb{}, false
	}
	switch name, rest := args[0], args[1:]; {
	case name == "help" && len(rest) == 1:
		v, ok := find(rest[0])
		if !ok {
			return unknown(ios, rest[0])
		}
		return v.Run(ctx, ios, "sarifkit "+v.Name, []string{"--help"})
	case name == "help" || name == "-h" || name == "--help":
		if len(rest) > 0 {
			return tooMany(ios, name)
		}
		usage(ios.Out)
		return cli.ExitOK
	case name == "version" || name == "--version":
		if len(rest) > 0 {
			return tooMany(ios, name)
		}
		fmt.Fprintf(ios.Out, "sarifkit %s\n", cli.Version())
		return cli.ExitOK
	default:
		v, ok := find(name)
		if !ok {
			return unknown(ios, name)
		}
		return v.Run(ctx, ios, "sarifkit "+v.Name, rest)
	}
}

func tooMany(ios *cli.IO, name string) int {
	fmt.Fprintf(ios.Err, "sarifkit: too many arguments to %s\nRun 'sarifkit help' for usage.\n", safetext.Text(name))
	return cli.ExitUsage
}

func unknown(ios *cli.IO, name string) int {
	fmt.Fprintf(ios.Err, "sarifkit: unknown command %q\nRun 'sarifkit help' for usage.\n", safetext.Text(name))
	return cli.ExitUsage
}

// summary says what sarifkit does, in its help and its man page.
const summary = `sarifkit reads, checks, compares, merges and renders SARIF 2.1.0 logs, and
exchanges them with GitHub code scanning.`

// ownNames says that each verb is a program too, in sarifkit's help and
// its man page.
const ownNames = `Each command is also installed under its own name, sarif-COMMAND (sarif-diff,
...), with the same flags.`

func usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: sarifkit COMMAND [flags] [args]\n\n%s\n\nCommands:\n", summary)
	for _, v := range Verbs() {
		fmt.Fprintf(w, "  %-11s %s\n", v.Name, v.Summary)
	}
	fmt.Fprintf(w, "\n%s\n\nInstallation:\n", ownNames)
	for _, v := range tools() {
		fmt.Fprintf(w, "  %-11s %s\n", v.Name, v.Summary)
	}
	fmt.Fprint(w, `
Run 'sarifkit help COMMAND' for a command's flags and examples, and
'sarifkit --version' for the version.
`)
}
