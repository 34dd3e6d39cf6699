package cmddoc

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// safeName is what a program, command, flag or value name may be to
// appear in a script unquoted.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// check fails when a name of the tree could not appear in a script
// unquoted (a value such as "won't fix" is not completed, see [Values]).
func (p *Program) check() error {
	bad := func(what, s string) error {
		if !safeName.MatchString(s) {
			return fmt.Errorf("%s %q: not a name a script can hold", what, s)
		}
		return nil
	}
	if err := bad("program", p.Name); err != nil {
		return err
	}
	for _, c := range p.Commands {
		for _, n := range []string{c.Name, c.OwnName} {
			if n != "" {
				if err := bad("command", n); err != nil {
					return err
				}
			}
		}
		for _, w := range c.Args.Words {
			if err := bad("operand", w); err != nil {
				return err
			}
		}
		for _, f := range Flags(c.Flags) {
			if err := bad("flag", f.Name); err != nil {
				return err
			}
			for _, w := range f.Words {
				if err := bad("value of --"+f.Name, w); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// names returns the program's name and those of its commands' own
// programs: every name a completion script registers.
func (p *Program) names() []string {
	names := []string{p.Name}
	for _, c := range p.Commands {
		if c.OwnName != "" {
			names = append(names, c.OwnName)
		}
	}
	return names
}

// commandNames returns the names of the commands, then "help".
func (p *Program) commandNames() []string {
	var names []string
	for _, c := range p.Commands {
		names = append(names, c.Name)
	}
	return append(names, "help")
}

// funcName is the name of a function of the scripts: "_" and the
// program's name, then name ("_sarifkit_complete").
func (p *Program) funcName(name string) string {
	return "_" + strings.ReplaceAll(p.Name, "-", "_") + name
}

// flagWords returns the flags' names as typed: --name, and -s.
func flagWords(flags []Flag) []string {
	var w []string
	for _, f := range flags {
		w = append(w, "--"+f.Name)
		if f.Shorthand != "" {
			w = append(w, "-"+f.Shorthand)
		}
	}
	return w
}

// Bash writes the bash completion script: one function completing the
// program's commands, each command's flags and their values, and
// operands, registered for the program and each command's own program
// (sarif-diff completes as sarifkit diff). It runs in bash 3.2 (macOS)
// as in bash 5, with or without the bash-completion package.
func (p *Program) Bash(w io.Writer) error {
	if err := p.check(); err != nil {
		return err
	}
	fn := p.funcName("_complete")
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `# bash completion for %[1]s, made by '%[1]s completion bash': do not edit.
# Load it in ~/.bashrc with:  source <(%[1]s completion bash)
# or install it as a file, e.g. /usr/share/bash-completion/completions/%[1]s.

%[2]s() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev= pre= cmd= prog i=1 nargs=0
    [[ $COMP_CWORD -gt 0 ]] && prev=${COMP_WORDS[COMP_CWORD-1]}
    # --flag=value: bash splits the word at '=' when COMP_WORDBREAKS holds it.
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = && $COMP_CWORD -gt 1 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%%%=*} pre=${cur%%%%=*}= cur=${cur#*=}
    fi
    prog=${COMP_WORDS[0]##*/}
    prog=${prog%%.exe}
    if [[ $prog == sarif-* ]]; then
        cmd=${prog#sarif-} i=0
    else
        while [[ $i -lt $COMP_CWORD ]]; do
            case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
            esac
            i=$((i + 1))
        done
    fi
    # Operands given so far, after the command.
    i=$((i + 1))
    while [[ $i -lt $COMP_CWORD ]]; do
        case ${COMP_WORDS[i]} in
        -* | =) ;;
        *) case ${COMP_WORDS[i-1]} in -* | =) ;; *) nargs=$((nargs + 1)) ;; esac ;;
        esac
        i=$((i + 1))
    done
    local flags= args=files
    case $cmd in
`, p.Name, fn)
	writeCase := func(name string, flags []Flag, args Args) {
		fmt.Fprintf(b, "    %s)\n", name)
		fmt.Fprintf(b, "        flags=%q\n", strings.Join(flagWords(flags), " "))
		byKind := map[Kind][]string{}           // the patterns of the flags, by kind
		var words []struct{ pat, words string } // KindWords
		for _, f := range flags {
			if f.Kind == KindNone {
				continue
			}
			pat := "--" + f.Name
			if f.Shorthand != "" {
				pat = "-" + f.Shorthand + " | " + pat
			}
			if f.Kind == KindWords {
				words = append(words, struct{ pat, words string }{pat, strings.Join(f.Words, " ")})
				continue
			}
			byKind[f.Kind] = append(byKind[f.Kind], pat)
		}
		if len(words) > 0 || len(byKind) > 0 {
			fmt.Fprintf(b, "        case $prev in\n")
			for _, w := range words {
				fmt.Fprintf(b, "        %s) %s_words %q; return ;;\n", w.pat, fn, w.words)
			}
			for _, k := range []struct {
				kind Kind
				do   string
			}{{KindFile, fn + "_files -f; return"}, {KindDir, fn + "_files -d; return"}, {KindText, "return"}} {
				if pats := byKind[k.kind]; len(pats) > 0 {
					fmt.Fprintf(b, "        %s) %s ;;\n", strings.Join(pats, " | "), k.do)
				}
			}
			fmt.Fprintf(b, "        esac\n")
		}
		switch {
		case args.Files:
			fmt.Fprintf(b, "        args=files\n")
		case len(args.Words) > 0:
			fmt.Fprintf(b, "        args=%q\n", strings.Join(args.Words, " "))
		default:
			fmt.Fprintf(b, "        args=\n")
		}
		fmt.Fprintf(b, "        ;;\n")
	}
	writeCase(`"" | help`, Flags(p.Flags), Args{Words: p.commandNames()})
	for _, c := range p.Commands {
		writeCase(c.Name, Flags(c.Flags), c.Args)
	}
	fmt.Fprintf(b, `    *) args=files ;;
    esac
    if [[ $cur == -* && -z $pre ]]; then
        %[1]s_words "$flags"
    elif [[ $args == files ]]; then
        %[1]s_files -f
    elif [[ -n $args && $nargs -eq 0 ]]; then
        %[1]s_words "$args"
    fi
}

# %[1]s_words WORDS: the words that start with $cur.
%[1]s_words() {
    local IFS=$' \t\n'
    COMPREPLY=($(compgen -P "$pre" -W "$1" -- "$cur"))
}

# %[1]s_files -f|-d: the files, or the directories, that start with $cur.
%[1]s_files() {
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -P "$pre" "$1" -- "$cur"))
}

complete -F %[1]s %[2]s
`, fn, strings.Join(p.names(), " "))
	return b.Flush()
}
