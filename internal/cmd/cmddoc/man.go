package cmddoc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// A Page is a man page: its file name ("sarifkit-diff.1") and its roff
// text.
type Page struct {
	Name string
	Text string
}

// ManOptions are what a man page's title line says besides its name.
type ManOptions struct {
	// Date is the date the pages give, as YYYY-MM-DD; "" for none. It is
	// never the clock's: builds that must be reproducible give a fixed
	// one (SOURCE_DATE_EPOCH's).
	Date string
	// Version is the program's version, shown in the pages' footer.
	Version string
}

// ManPages returns the program's man pages, in section 1: NAME.1 for the
// program, NAME-COMMAND.1 for each command, and OWNNAME.1 for each
// command's own program (the same page, under that name and with its
// usage text), sorted by file name. Each command's page has the
// sections of its usage text (DESCRIPTION, and EXIT STATUS and EXAMPLES
// when it has them) and OPTIONS, made of its flag set.
func (p *Program) ManPages(opts ManOptions) []Page {
	var pages []Page
	pages = append(pages, Page{Name: p.Name + ".1", Text: p.programPage(opts)})
	for _, c := range p.Commands {
		full := p.Name + "-" + c.Name
		also := []string{p.Name}
		if c.OwnName != "" {
			also = append(also, c.OwnName)
		}
		pages = append(pages, Page{Name: full + ".1", Text: p.commandPage(opts, full, p.Name+" "+c.Name, c.Summary, c.Usage, c.Flags, also)})
		if c.OwnName != "" {
			pages = append(pages, Page{Name: c.OwnName + ".1", Text: p.commandPage(opts, c.OwnName, c.OwnName, c.Summary, c.OwnUsage, c.Flags, []string{p.Name, full})})
		}
	}
	slices.SortFunc(pages, func(a, b Page) int { return strings.Compare(a.Name, b.Name) })
	return pages
}

// roff escapes text for roff lines: backslashes, hyphens (minus signs,
// so that flags and commands copied from the page work), and a control
// character (. or ') at the start of any of its lines: help text keeps
// its newlines, and a line ".so FILE" of it would otherwise be a request.
func roff(s string) string {
	s = strings.NewReplacer(`\`, `\e`, `-`, `\-`).Replace(s)
	return escapeControls(s)
}

// escapeControls prefixes each line of s that starts with a control
// character with \& (a zero-width character), which makes it text.
func escapeControls(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// roffArg quotes s as a macro's argument, on the macro's line (newlines
// become spaces).
func roffArg(s string) string {
	return quoteArg(strings.ReplaceAll(s, `\`, `\e`), true)
}

// quoteArg quotes s, whose backslashes are escaped, as a macro's
// argument; hyphens become minus signs when minus is set (a date's stay
// hyphens: \- would render as a minus sign in the page's footer).
func quoteArg(s string, minus bool) string {
	if minus {
		s = strings.ReplaceAll(s, "-", `\-`)
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", `"`, `\(dq`).Replace(s)
	return `"` + s + `"`
}

func (p *Program) header(b *strings.Builder, opts ManOptions, name, summary string) {
	fmt.Fprintf(b, ".\\\" Made by '%s man': do not edit.\n", p.Name)
	source := p.Name
	if opts.Version != "" {
		source += " " + opts.Version
	}
	fmt.Fprintf(b, ".TH %s 1 %s %s %s\n", roffArg(strings.ToUpper(name)), quoteArg(strings.ReplaceAll(opts.Date, `\\`, `\\e`), false), roffArg(source), roffArg(p.Name+" manual"))
	fmt.Fprintf(b, ".SH NAME\n%s \\- %s\n", roff(name), roff(summary))
}

func (p *Program) programPage(opts ManOptions) string {
	var b strings.Builder
	p.header(&b, opts, p.Name, p.Summary)
	fmt.Fprintf(&b, ".SH SYNOPSIS\n.B %s\n.I COMMAND\n[flags] [args]\n", roff(p.Name))
	fmt.Fprintf(&b, ".SH DESCRIPTION\n")
	sections := writeText(&b, p.Description)
	fmt.Fprintf(&b, ".SH COMMANDS\n")
	var also []string
	for _, c := range p.Commands {
		full := p.Name + "-" + c.Name
		fmt.Fprintf(&b, ".TP\n.B %s\n%s; see \\fB%s\\fR(1).\n", roff(c.Name), roff(c.Summary), roff(full))
		also = append(also, full)
		if c.OwnName != "" {
			also = append(also, c.OwnName)
		}
	}
	fmt.Fprintf(&b, ".TP\n.B help \\fR[\\fICOMMAND\\fR]\nlist the commands, or print a command's help.\n")
	writeOptions(&b, Flags(p.Flags))
	writeSections(&b, sections)
	writeSeeAlso(&b, also)
	return b.String()
}

// commandPage is the page name of the command typed as prog ("sarifkit
// diff"), whose usage text names it so.
func (p *Program) commandPage(opts ManOptions, name, prog, summary, usage string, fs *pflag.FlagSet, also []string) string {
	var b strings.Builder
	p.header(&b, opts, name, summary)
	usage = strings.TrimSuffix(strings.TrimRight(usage, "\n"), "Flags:")
	synopsis, body, _ := strings.Cut(usage, "\n\n")
	fmt.Fprintf(&b, ".SH SYNOPSIS\n.nf\n")
	for _, l := range strings.Split(synopsis, "\n") {
		l = strings.TrimPrefix(l, "Usage: ")
		if rest, ok := strings.CutPrefix(l, prog+" "); ok {
			fmt.Fprintf(&b, "\\fB%s\\fR %s\n", roff(prog), roff(rest))
			continue
		}
		fmt.Fprintf(&b, "%s\n", roff(l))
	}
	fmt.Fprintf(&b, ".fi\n.SH DESCRIPTION\n")
	sections := writeText(&b, body)
	writeOptions(&b, Flags(fs))
	writeSections(&b, sections)
	writeSeeAlso(&b, also)
	return b.String()
}

// section is a section of a usage text that has a place of its own in a
// man page, after OPTIONS.
type section struct{ title, text string }

// ownSections are the usage texts' headings that are man page sections,
// by heading.
var ownSections = map[string]string{"Exit status": "EXIT STATUS", "Example": "EXAMPLES", "Examples": "EXAMPLES"}

// heading tells whether a paragraph's first line is a heading: a few
// capitalized words ending with a colon ("Exit status:").
func heading(line string) (string, bool) {
	h, ok := strings.CutSuffix(line, ":")
	if !ok || h == "" || h[0] < 'A' || h[0] > 'Z' || len(strings.Fields(h)) > 4 {
		return "", false
	}
	return h, true
}

// writeText writes the paragraphs of text (a usage text's body), and
// returns the sections that go after OPTIONS.
func writeText(b *strings.Builder, text string) []section {
	var sections []section
	for _, para := range strings.Split(strings.Trim(text, "\n"), "\n\n") {
		lines := strings.Split(para, "\n")
		if h, ok := heading(lines[0]); ok {
			if title, own := ownSections[h]; own {
				sections = append(sections, section{title, strings.Join(lines[1:], "\n")})
				continue
			}
			fmt.Fprintf(b, ".SS %s\n", roffArg(h))
			lines = lines[1:]
		}
		writeParagraph(b, lines)
	}
	return sections
}

// writeParagraph writes lines as a paragraph: runs of lines that start
// with a space are preformatted (indented, as they are), the others
// filled.
func writeParagraph(b *strings.Builder, lines []string) {
	fmt.Fprintf(b, ".PP\n")
	for i := 0; i < len(lines); {
		if !strings.HasPrefix(lines[i], " ") {
			fmt.Fprintf(b, "%s\n", roff(lines[i]))
			i++
			continue
		}
		j := i
		indent := len(lines[i])
		for ; j < len(lines) && strings.HasPrefix(lines[j], " "); j++ {
			indent = min(indent, len(lines[j])-len(strings.TrimLeft(lines[j], " ")))
		}
		fmt.Fprintf(b, ".RS 4\n.nf\n")
		for _, l := range lines[i:j] {
			fmt.Fprintf(b, "%s\n", roff(l[indent:]))
		}
		fmt.Fprintf(b, ".fi\n.RE\n")
		i = j
	}
}

func writeSections(b *strings.Builder, sections []section) {
	for _, title := range []string{"EXIT STATUS", "EXAMPLES"} {
		for _, s := range sections {
			if s.title == title {
				fmt.Fprintf(b, ".SH %s\n", roffArg(title))
				writeParagraph(b, strings.Split(s.text, "\n"))
			}
		}
	}
}

func writeOptions(b *strings.Builder, flags []Flag) {
	fmt.Fprintf(b, ".SH OPTIONS\n")
	for _, f := range flags {
		fmt.Fprintf(b, ".TP\n")
		if f.Shorthand != "" {
			fmt.Fprintf(b, "\\fB\\-%s\\fR, ", roff(f.Shorthand))
		}
		fmt.Fprintf(b, "\\fB\\-\\-%s\\fR", roff(f.Name))
		if f.Value != "" {
			fmt.Fprintf(b, " \\fI%s\\fR", roff(f.Value))
		}
		usage := f.Usage
		if f.Default != "" {
			usage += fmt.Sprintf(" (default %s)", f.Default)
		}
		fmt.Fprintf(b, "\n%s\n", roff(usage))
	}
}

func writeSeeAlso(b *strings.Builder, names []string) {
	fmt.Fprintf(b, ".SH \"SEE ALSO\"\n")
	for i, n := range names {
		sep := ","
		if i == len(names)-1 {
			sep = ""
		}
		fmt.Fprintf(b, ".BR %s (1)%s\n", roff(n), sep)
	}
}
