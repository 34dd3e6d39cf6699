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
	if args.Files {
		lines = append(lines, " -F")
	}
	return lines
}

// fishWords returns the condition (and, ...) and the options of fish's
// complete that offer words as the first operand only.
func fishWords(words []string) (cond, opts string) {
	return "not __fish_seen_subcommand_from " + strings.Join(words, " "), " -a " + fishQuote(strings.Join(words, " "))
}

// Fish writes the fish completion script. Fish loads the completions of
// a command from a file of that name, so the one script, which
// completes the program and every command's own program, is installed
// under each name (or sourced from config.fish).
func (p *Program) Fish(w io.Writer) error {
	if err := p.check(); err != nil {
		return err
	}
	using := "_" + p.funcName("_using")
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `# fish completion for %[1]s, made by '%[1]s completion fish': do not edit.
# Load it in ~/.config/fish/config.fish with:  %[1]s completion fish | source
# or install it as ~/.config/fish/completions/%[1]s.fish, linked as NAME.fish
# for each of %[2]s.

# %[3]s COMMAND: whether the command line's command (its first word
# after %[1]s that is no flag) is COMMAND.
function %[3]s
    for t in (commandline -opc)[2..-1]
        string match -q -- '-*' $t; and continue
        test "$t" = "$argv[1]"
        return
    end
    return 1
end

complete -c %[1]s -f
`, p.Name, strings.Join(p.names()[1:], ", "), using)
	top := "-n __fish_use_subcommand"
	for _, l := range fishFlags(Flags(p.Flags), Args{}) {
		fmt.Fprintf(b, "complete -c %s %s%s\n", p.Name, top, l)
	}
	for _, c := range p.Commands {
		fmt.Fprintf(b, "complete -c %s %s -a %s -d %s\n", p.Name, top, c.Name, fishQuote(c.Summary))
	}
	fmt.Fprintf(b, "complete -c %s %s -a help -d %s\n", p.Name, top, fishQuote("list the commands, or print a command's help"))
	cond, opts := fishWords(p.commandNames()[:len(p.Commands)])
	fmt.Fprintf(b, "complete -c %s -n '%s help; and %s'%s\n", p.Name, using, cond, opts)
	for _, c := range p.Commands {
		fmt.Fprintf(b, "\n# %s %s", p.Name, c.Name)
		if c.OwnName != "" {
			fmt.Fprintf(b, ", %s", c.OwnName)
		}
		fmt.Fprintf(b, "\n")
		lines := fishFlags(Flags(c.Flags), c.Args)
		for _, l := range lines {
			fmt.Fprintf(b, "complete -c %s -n '%s %s'%s\n", p.Name, using, c.Name, l)
		}
		if len(c.Args.Words) > 0 {
			cond, opts := fishWords(c.Args.Words)
			fmt.Fprintf(b, "complete -c %s -n '%s %s; and %s'%s\n", p.Name, using, c.Name, cond, opts)
		}
		if c.OwnName != "" {
			fmt.Fprintf(b, "complete -c %s -f\n", c.OwnName)
			for _, l := range lines {
				fmt.Fprintf(b, "complete -c %s%s\n", c.OwnName, l)
			}
			if len(c.Args.Words) > 0 {
				cond, opts := fishWords(c.Args.Words)
				fmt.Fprintf(b, "complete -c %s -n '%s'%s\n", c.OwnName, cond, opts)
			}
		}
	}
	return b.Flush()
}
