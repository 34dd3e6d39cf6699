package cmddoc

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// zshQuote quotes s for a single-quoted _arguments spec or _describe
// entry: brackets and colons are escaped for _arguments, quotes for the
// shell.
func zshQuote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `:`, `\:`).Replace(s)
	return strings.ReplaceAll(s, `'`, `'\''`)
}

// zshSpecs returns the _arguments specs of flags and operands args.
func zshSpecs(flags []Flag, args Args) []string {
	var specs []string
	for _, f := range flags {
		long, short := "--"+f.Name, ""
		if f.Shorthand != "" {
			short = "-" + f.Shorthand
		}
		if f.Kind != KindNone {
			long += "="
			if short != "" {
				short += "+"
			}
		}
		var spec string
		switch {
		case short != "" && f.Repeatable:
			spec = "'*'{" + short + "," + long + "}"
		case short != "":
			spec = "'(-" + f.Shorthand + " --" + f.Name + ")'{" + short + "," + long + "}"
		case f.Repeatable:
			spec = "'*" + long
		default:
			spec = "'" + long
		}
		if !strings.HasSuffix(spec, "}") {
			spec += "["
		} else {
			spec += "'["
		}
		spec += zshQuote(shortHelp(f.Usage)) + "]"
		if f.Kind != KindNone {
			value := f.Value
			if value == "" {
				value = "value"
			}
			spec += ":" + zshQuote(value) + ":"
			switch f.Kind {
			case KindFile:
				spec += "_files"
			case KindDir:
				spec += "_files -/"
			case KindWords:
				spec += "(" + strings.Join(f.Words, " ") + ")"
			default:
				spec += " "
			}
		}
		specs = append(specs, spec+"'")
	}
	switch {
	case args.Files:
		specs = append(specs, "'*:file:_files'")
	case len(args.Words) > 0:
		specs = append(specs, "'1:argument:("+strings.Join(args.Words, " ")+")'")
	}
	return specs
}

// Zsh writes the zsh completion script: a #compdef file for a directory
// of $fpath (as _sarifkit), which may also be sourced. It completes the
// program's commands with their summaries, each command's flags with
// their usage and values, and operands, for the program and for each
// command's own program.
func (p *Program) Zsh(w io.Writer) error {
	if err := p.check(); err != nil {
		return err
	}
	fn := p.funcName("")
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `#compdef %[1]s
# zsh completion for %[2]s, made by '%[2]s completion zsh': do not edit.
# Install it as _%[2]s in a directory of $fpath, before compinit runs:
#   %[2]s completion zsh > "${fpath[1]}/_%[2]s"
# or load it in ~/.zshrc, after compinit:  source <(%[2]s completion zsh)

`, strings.Join(p.names(), " "), p.Name)
	writeFunc := func(name string, flags []Flag, args Args) {
		fmt.Fprintf(b, "%s_%s() {\n    _arguments -s -S", fn, strings.ReplaceAll(name, "-", "_"))
		for _, s := range zshSpecs(flags, args) {
			fmt.Fprintf(b, " \\\n        %s", s)
		}
		fmt.Fprintf(b, "\n}\n\n")
	}
	for _, c := range p.Commands {
		writeFunc(c.Name, Flags(c.Flags), c.Args)
	}
	writeFunc("help", nil, Args{Words: p.commandNames()[:len(p.Commands)]})
	fmt.Fprintf(b, "%s() {\n", fn)
	fmt.Fprintf(b, `    local name=${words[1]:t}
    name=${name%%.exe}
    if [[ $name == sarif-* ]]; then
        local f=%[1]s_${${name#sarif-}//-/_}
        (( $+functions[$f] )) && $f
        return
    fi
    local curcontext=$curcontext state state_descr line
    typeset -A opt_args
    local -a commands
    commands=(
`, fn)
	for _, c := range p.Commands {
		fmt.Fprintf(b, "        '%s:%s'\n", c.Name, zshQuote(c.Summary))
	}
	fmt.Fprintf(b, "        'help:%s'\n    )\n", zshQuote("list the commands, or print a command's help"))
	fmt.Fprintf(b, "    _arguments -s -C")
	for _, s := range zshSpecs(Flags(p.Flags), Args{}) {
		fmt.Fprintf(b, " \\\n        %s", s)
	}
	fmt.Fprintf(b, ` \
        '1:command:->command' \
        '*::argument:->argument'
    case $state in
    command) _describe -t commands command commands ;;
    argument)
        local f=%[1]s_${words[1]//-/_}
        (( $+functions[$f] )) && $f
        ;;
    esac
}

if [[ $funcstack[1] == %[1]s ]]; then
    %[1]s "$@"
else
    compdef %[1]s %[2]s
fi
`, fn, strings.Join(p.names(), " "))
	return b.Flush()
}
