package cmddoc

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// fishQuote quotes s in single quotes for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// fishFlags returns the options of fish's complete that describe flags
// and operands args, one line each.
func fishFlags(flags []Flag, args Args) []string {
	var lines []string
	for _, f := range flags {
		l := ""
		if f.Shorthand != "" {
			l += " -s " + f.Shorthand
		}
		l += " -l " + f.Name
		switch f.Kind {
		case KindFile:
			l += " -r -F"
		case KindDir:
			l += " -x -a '(__fish_complete_directories (commandline -ct))'"
		case KindWords:
			l += " -x -a " + fishQuote(strings.Join(f.Words, " "))
		case KindText:
			l += " -x"
		}
		lines = append(lines, l+" -d "+fishQuote(shortHelp(f.Usage)))
	}
	switch {
	case args.Files:
		lines = append(lines, " -F")
	case len(args.Words) > 0:
		lines = append(lines, " -a "+fishQuote(strings.Join(args.Words, " ")))
	}
	return lines
}

// Fish writes the fish completion script. Fish loads the completions of
// a command from a file of that name, so the one script, which
// completes the program and every command's own program, is installed
// under each name (or sourced from config.fish).
func (p *Program) Fish(w io.Writer) error {
	if err := p.check(); err != nil {
		return err
	}
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `# fish completion for %[1]s, made by '%[1]s completion fish': do not edit.
# Load it in ~/.config/fish/config.fish with:  %[1]s completion fish | source
# or install it as ~/.config/fish/completions/%[1]s.fish, linked as NAME.fish
# for each of %[2]s.

complete -c %[1]s -f
`, p.Name, strings.Join(p.names()[1:], ", "))
	top := "-n __fish_use_subcommand"
	for _, l := range fishFlags(Flags(p.Flags), Args{}) {
		fmt.Fprintf(b, "complete -c %s %s%s\n", p.Name, top, l)
	}
	for _, c := range p.Commands {
		fmt.Fprintf(b, "complete -c %s %s -a %s -d %s\n", p.Name, top, c.Name, fishQuote(c.Summary))
	}
	fmt.Fprintf(b, "complete -c %s %s -a help -d %s\n", p.Name, top, fishQuote("list the commands, or print a command's help"))
	fmt.Fprintf(b, "complete -c %s -n '__fish_seen_subcommand_from help' -a %s\n", p.Name, fishQuote(strings.Join(p.commandNames()[:len(p.Commands)], " ")))
	for _, c := range p.Commands {
		fmt.Fprintf(b, "\n# %s %s", p.Name, c.Name)
		if c.OwnName != "" {
			fmt.Fprintf(b, ", %s", c.OwnName)
		}
		fmt.Fprintf(b, "\n")
		lines := fishFlags(Flags(c.Flags), c.Args)
		for _, l := range lines {
			fmt.Fprintf(b, "complete -c %s -n '__fish_seen_subcommand_from %s'%s\n", p.Name, c.Name, l)
		}
		if c.OwnName != "" {
			fmt.Fprintf(b, "complete -c %s -f\n", c.OwnName)
			for _, l := range lines {
				fmt.Fprintf(b, "complete -c %s%s\n", c.OwnName, l)
			}
		}
	}
	return b.Flush()
}
