// Package cmddoc makes sarifkit's shell completion scripts (bash, zsh,
// fish) and its man pages from the command tree: the program, its
// commands, and each command's usage text and flag set, the very
// [pflag.FlagSet] the command parses. Nothing is written by hand, so a
// flag added to a command is completed and documented without further
// work, and a test can check that every flag is.
//
// What a flag's value is, and so how it completes, is read from the flag:
// the back-quoted word of its usage names the value (`FILE` completes
// file names, `DIR` directories), and a list of words in the usage,
// "`FORMAT`: text, json or sarif" or "... or above: error, warning or
// note", gives the values a flag takes (see [Values]).
package cmddoc

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// A Program is a command-line program with commands: sarifkit.
type Program struct {
	Name    string // "sarifkit"
	Summary string // one line: what the program does
	// Description is the program's own help, paragraphs of plain text.
	Description string
	// Flags are the flags the program takes before a command (--help,
	// --version).
	Flags *pflag.FlagSet
	// Commands are the program's commands in the order its help lists
	// them.
	Commands []Command
}

// A Command is one of a program's commands: "sarifkit diff", which may
// also be installed as a program of its own, sarif-diff.
type Command struct {
	Name    string // "diff"
	Summary string // one line for the program's help
	// Usage is the command's usage text as its --help prints it before the
	// flags: a line "Usage: PROG ...", paragraphs, sections ("Exit
	// status:", "Example:") and a last line "Flags:". It names the command
	// as the program it documents: "sarifkit diff" in the command's page,
	// OwnUsage in the page of OwnName.
	Usage string
	// OwnName is the program the command is also installed as
	// ("sarif-diff"), and OwnUsage its usage text under that name; ""
	// for a command of the program only (completion, man).
	OwnName, OwnUsage string
	// Flags is the flag set the command parses.
	Flags *pflag.FlagSet
	// Args is what the command's operands are.
	Args Args
}

// Args says what a command's operands are, for completion.
type Args struct {
	// Files: operands are file names. Otherwise the first operand is one
	// of Words (if any), and the others complete nothing.
	Files bool
	Words []string
}

// Kind is what a flag's value is, for completion.
type Kind int

const (
	// KindNone: the flag takes no value (a boolean flag).
	KindNone Kind = iota
	// KindText: a value nothing completes (a name, a number, a ref).
	KindText
	// KindFile: a file name (the usage's value word is FILE).
	KindFile
	// KindDir: a directory (the usage's value word is DIR).
	KindDir
	// KindWords: one of the words [Values] gives.
	KindWords
)

// A Flag is a flag as completion scripts and man pages show it.
type Flag struct {
	Name, Shorthand string // "output", "o"
	// Value is the name of the value ("FILE", "FORMAT"), "" for a flag
	// that takes none; Usage the flag's usage text with the back quotes
	// taken out, Default its default when not the zero value (quoted
	// when a string).
	Value, Usage, Default string
	Kind                  Kind
	Words                 []string // KindWords: the values
	Repeatable            bool     // may be given more than once
}

// Flags returns the flags of fs that are not hidden, sorted by name.
func Flags(fs *pflag.FlagSet) []Flag {
	var out []Flag
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		value, usage := pflag.UnquoteUsage(f)
		fl := Flag{Name: f.Name, Shorthand: f.Shorthand, Value: value, Usage: usage}
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			fl.Default = f.DefValue
			if f.Value.Type() == "string" {
				fl.Default = strconv.Quote(f.DefValue)
			}
		}
		typ := f.Value.Type()
		fl.Repeatable = strings.HasSuffix(typ, "Array") || strings.HasSuffix(typ, "Slice")
		switch {
		case typ == "bool":
			fl.Kind, fl.Value = KindNone, ""
		case value == "FILE":
			fl.Kind = KindFile
		case value == "DIR":
			fl.Kind = KindDir
		default:
			fl.Kind = KindText
			if fl.Words = Values(f); fl.Words != nil {
				fl.Kind = KindWords
			}
		}
		out = append(out, fl)
	})
	slices.SortFunc(out, func(a, b Flag) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// ValuesAnnotation is the [pflag.Flag] annotation that lists a flag's
// values outright, for a flag whose usage does not say them as [Values]
// reads them.
const ValuesAnnotation = "sarifkit_values"

const (
	// word is a value a list may hold: a lowercase word.
	word = `[a-z][a-z0-9_-]*`
	// list is "a, b or c", "a or b", ending the text or a clause.
	list = `((?:` + word + `, )*` + word + `,? or ` + word + `)(?:$|[;.,])`
)

var (
	// listAfterName is a list right after the value's name: "`FORMAT`
	// table or json", "`STATE`: new, updated or any", "`LEVEL` or above:
	// error, warning or note".
	listAfterName = regexp.MustCompile("^`[A-Z]+`(?: or above)?:? " + list)
	// listAfterColon is a list a colon introduces: "with list: table,
	// json or csv".
	listAfterColon = regexp.MustCompile(`: ` + list)
	listSep        = regexp.MustCompile(`,? or |, `)
)

// Values returns the values a flag takes, when its usage lists them
// (nil otherwise), in the order given, each once: a list of lowercase
// words "a, b or c" right after the back-quoted value name, or after
// a colon anywhere in the usage. What is in parentheses is left out
// ("`STATE`: new, updated (new or updated) or any" lists new, updated
// and any). The annotation [ValuesAnnotation], when set, is the list.
func Values(f *pflag.Flag) []string {
	if v, ok := f.Annotations[ValuesAnnotation]; ok {
		return v
	}
	usage := stripParens(f.Usage)
	var lists []string
	if i := strings.IndexByte(usage, '`'); i >= 0 {
		if m := listAfterName.FindStringSubmatch(usage[i:]); m != nil {
			lists = append(lists, m[1])
		}
	}
	for _, m := range listAfterColon.FindAllStringSubmatch(usage, -1) {
		lists = append(lists, m[1])
	}
	var words []string
	for _, l := range lists {
		for _, w := range listSep.Split(l, -1) {
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
	}
	return words
}

// stripParens returns s without its parenthesized parts, and without the
// space before each, its white space made single spaces.
func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return spaceBeforePunct.ReplaceAllString(strings.Join(strings.Fields(b.String()), " "), "$1")
}

// spaceBeforePunct is what taking out a parenthesis may leave: "FILE ,".
var spaceBeforePunct = regexp.MustCompile(` ([;:,.])`)

// shortHelp cuts a usage text to its first clause, at most 80 bytes,
// for a completion menu.
func shortHelp(s string) string {
	s = stripParens(s)
	if i := strings.IndexAny(s, ";"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 80 {
		s = s[:77]
		if i := strings.LastIndexByte(s, ' '); i > 40 {
			s = s[:i]
		}
		s += "..."
	}
	return strings.ReplaceAll(s, "`", "")
}

// ArgsOf reads what a command's operands are from its usage text: the
// operands its "Usage:" line names besides the flags (what is in
// brackets or parentheses is left out). None: the command takes none
// (sarif-fetch). A first operand VERB, with a paragraph "Verbs:" listing
// them, one an indented line: it is one of those (sarif-alerts).
// Otherwise the operands are files.
func ArgsOf(usage string) Args {
	line, _, _ := strings.Cut(usage, "\n")
	var operands []string
	for _, w := range strings.Fields(stripParens(stripBrackets(line))) {
		if operand.MatchString(w) {
			operands = append(operands, w)
		}
	}
	switch {
	case len(operands) == 0:
		return Args{}
	case operands[0] == "VERB":
		_, verbs, ok := strings.Cut(usage, "\n\nVerbs:\n")
		if !ok {
			break
		}
		verbs, _, _ = strings.Cut(verbs, "\n\n")
		var words []string
		for _, l := range strings.Split(verbs, "\n") {
			if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   ") {
				words = append(words, f[0])
			}
		}
		return Args{Words: words}
	}
	return Args{Files: true}
}

// operand is an operand's name in a usage line: "FILE", "INPUT...".
var operand = regexp.MustCompile(`^[A-Z]+(\.\.\.)?$`)

// stripBrackets returns s without its bracketed parts.
func stripBrackets(s string) string {
	return strings.NewReplacer("[", "(", "]", ")").Replace(s)
}
