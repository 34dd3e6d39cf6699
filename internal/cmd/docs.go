package cmd

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/cmddoc"
)

// tools are sarifkit's commands that install it rather than work on
// SARIF logs: they have no program of their own (no sarif-completion).
func tools() []cli.Verb {
	return []cli.Verb{
		{Name: "completion", Summary: "print the shell completion script: bash, zsh or fish",
			Cmd: newCompletion},
		{Name: "man", Summary: "write the man pages into a directory",
			Cmd: newMan},
	}
}

// Tree is sarifkit's command tree: its verbs and tools, each with the
// usage text and the flag set it parses, which the completion scripts
// and the man pages are made of.
func Tree() *cmddoc.Program {
	ios := &cli.IO{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	p := &cmddoc.Program{
		Name: "sarifkit", Summary: "read, check, compare, merge and render SARIF logs",
		Description: summary + "\n\n" + ownNames,
		Flags:       cli.New("sarifkit", "", ios).Flags,
	}
	for _, v := range Verbs() {
		own := "sarif-" + v.Name
		c := v.Cmd(ios, "sarifkit "+v.Name)
		p.Commands = append(p.Commands, cmddoc.Command{
			Name: v.Name, Summary: v.Summary, Usage: c.Usage(), Flags: c.Flags,
			OwnName: own, OwnUsage: v.Cmd(ios, own).Usage(),
			Args: cmddoc.ArgsOf(c.Usage()),
		})
	}
	for _, v := range tools() {
		c := v.Cmd(ios, "sarifkit "+v.Name)
		cc := cmddoc.Command{Name: v.Name, Summary: v.Summary, Usage: c.Usage(), Flags: c.Flags}
		if v.Name == "completion" {
			cc.Args.Words = []string{"bash", "zsh", "fish"}
		}
		p.Commands = append(p.Commands, cc)
	}
	return p
}

const completionUsage = `Usage: sarifkit completion bash|zsh|fish

Writes the completion script of the shell to standard output. It completes
the commands, their flags, and the values of the flags that take a file, a
directory or one of a few words (--format), for sarifkit and for each
command's own program (sarif-diff, ...): one script registers every name.
It is made from the commands' flags, so it is as new as the binary.

Loading it:
    bash  in ~/.bashrc:  source <(sarifkit completion bash)
          or as a file:  sarifkit completion bash > /usr/share/bash-completion/completions/sarifkit
          (linked as sarif-diff, ... there too, for bash-completion to load it for those)
    zsh   in a directory of $fpath, before compinit:  sarifkit completion zsh > "${fpath[1]}/_sarifkit"
    fish  in ~/.config/fish/config.fish:  sarifkit completion fish | source

Exit status:
    0  the script was written
    2  usage error: no shell or another one

Flags:
`

func newCompletion(ios *cli.IO, prog string) *cli.Command {
	cmd := cli.New(prog, completionUsage, ios)
	cmd.Run = func(ctx context.Context, args []string) int {
		if len(args) != 1 {
			return cmd.Fail("give one shell: bash, zsh or fish")
		}
		tree := Tree()
		write := map[string]func(io.Writer) error{"bash": tree.Bash, "zsh": tree.Zsh, "fish": tree.Fish}[args[0]]
		if write == nil {
			return cmd.Fail("unknown shell %q: bash, zsh or fish", args[0])
		}
		if err := cmd.WriteOutput(ctx, "", false, write); err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		return cli.ExitOK
	}
	return cmd
}

const manUsage = `Usage: sarifkit man --output-dir DIR

Writes the man pages, section 1, into DIR, which is created if missing:
sarifkit.1, sarifkit-COMMAND.1 for each command, and sarif-COMMAND.1 for
each command's own program (sarif-diff.1, ...). They are made from the
commands' help and flags, so they are as new as the binary. Each file is
written atomically; a new one gets mode 0666 less the umask (0644 with the
usual umask, 022), one replaced keeps its mode. Nothing is written to
standard output: there are several pages.

The pages are the same for the same binary: their date is the one
SOURCE_DATE_EPOCH gives (seconds since 1970, UTC; see
https://reproducible-builds.org/specs/source-date-epoch/), and they have no
date when it is not set, never the clock's.

Exit status:
    0  the pages were written
    2  usage error, a bad SOURCE_DATE_EPOCH, or a page that cannot be written

Example:
    sarifkit man --output-dir /usr/local/share/man/man1

Flags:
`

func newMan(ios *cli.IO, prog string) *cli.Command {
	cmd := cli.New(prog, manUsage, ios)
	var dir string
	cmd.Flags.StringVar(&dir, "output-dir", "", "write the pages into `DIR` (required)")
	cmd.Run = func(ctx context.Context, args []string) int {
		if len(args) > 0 {
			return cmd.Fail("unexpected argument %q: the pages go into --output-dir DIR", args[0])
		}
		if dir == "" {
			return cmd.Fail("--output-dir DIR is required")
		}
		date, err := sourceDate(ios.Getenv("SOURCE_DATE_EPOCH"))
		if err != nil {
			return cmd.Fail("%v", err)
		}
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return cmd.Errorf(cli.ExitUsage, "%v", err)
		}
		version, _, _ := strings.Cut(cli.Version(), ",")
		for _, page := range Tree().ManPages(cmddoc.ManOptions{Date: date, Version: version}) {
			err := cmd.WriteOutput(ctx, filepath.Join(dir, page.Name), false, func(w io.Writer) error {
				_, err := io.WriteString(w, page.Text)
				return err
			})
			if err != nil {
				return cmd.Errorf(cli.ExitUsage, "%v", err)
			}
		}
		return cli.ExitOK
	}
	return cmd
}

// sourceDate is the date, YYYY-MM-DD in UTC, of SOURCE_DATE_EPOCH's value
// epoch, "" when it is not set.
func sourceDate(epoch string) (string, error) {
	if epoch == "" {
		return "", nil
	}
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil || sec < 0 || sec > 253402300799 { // 9999-12-31T23:59:59Z
		return "", errors.New("SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not " + strconv.Quote(epoch))
	}
	return time.Unix(sec, 0).UTC().Format(time.DateOnly), nil
}

// ByName returns the program the sarifkit binary is when run as argv0:
// a verb's own, as cmd/sarif-VERB runs it, when argv0's base name is
// sarif-VERB (on Windows, sarif-VERB.exe), else sarifkit. One binary,
// linked or copied under the verbs' names, is so every program.
func ByName(argv0 string) func(ctx context.Context, ios *cli.IO, args []string) int {
	return byName(argv0, runtime.GOOS)
}

func byName(argv0, goos string) func(ctx context.Context, ios *cli.IO, args []string) int {
	name := argv0
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if goos == "windows" {
		if i := strings.LastIndexAny(name, `\:`); i >= 0 {
			name = name[i+1:]
		}
		if ext := filepath.Ext(name); strings.EqualFold(ext, ".exe") {
			name = name[:len(name)-len(ext)]
		}
	}
	if prog, ok := strings.CutPrefix(name, "sarif-"); ok && prog != "" {
		for _, v := range Verbs() {
			if v.Name == prog {
				return Programs()[name]
			}
		}
	}
	return Sarifkit
}
