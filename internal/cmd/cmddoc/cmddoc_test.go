package cmddoc_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/sarifkit/sarifkit/internal/cmd/cmddoc"
)

func TestValues(t *testing.T) {
	for _, tc := range []struct {
		usage string
		want  []string
	}{
		{"report `FORMAT`: text, json, sarif, markdown or github", []string{"text", "json", "sarif", "markdown", "github"}},
		{"output `FORMAT`: text or json", []string{"text", "json"}},
		{"with --list: `FORMAT` table or json", []string{"table", "json"}},
		{"fail (exit 1) on head results that are `STATE`: new, updated (new or updated) or any", []string{"new", "updated", "any"}},
		{"with --fail-on: count only results of `LEVEL` or above: error, warning or note", []string{"error", "warning", "note"}},
		{"lines that take comments: `MODE` added (added or changed lines) or diff_context (the hunks' context lines too)", []string{"added", "diff_context"}},
		{"with list: table, json or csv (default table); with report: markdown, html or json (default markdown)", []string{"table", "json", "csv", "markdown", "html"}},
		// No list, or one of what is not a value.
		{"git `REF`, e.g. refs/heads/main (a branch name means refs/heads/NAME)", nil},
		{"with --git: the `REV`ISION BASE scanned (a commit, branch or tag)", nil},
		{"keep results whose baselineState is in `LIST` (new, unchanged, updated, absent; comma-separated or repeated)", nil},
		{"also append the counts as step outputs to `FILE` (e.g. $GITHUB_OUTPUT): new-count, absent-count, updated-count, unchanged-count", nil},
		{"with dismiss: the `REASON`: \"false positive\", \"won't fix\" or \"used in tests\"", nil},
	} {
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		fs.String("x", "", tc.usage)
		if got := cmddoc.Values(fs.Lookup("x")); !slices.Equal(got, tc.want) {
			t.Errorf("Values(%q) = %q, want %q", tc.usage, got, tc.want)
		}
	}
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.String("x", "", "a `WORD`")
	fs.SetAnnotation("x", cmddoc.ValuesAnnotation, []string{"a", "b"})
	if got := cmddoc.Values(fs.Lookup("x")); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Values with the annotation = %q", got)
	}
}

func TestArgsOf(t *testing.T) {
	alerts := "Usage: sarif-alerts VERB [flags] [NUMBER...]\n\nWorks.\n\nVerbs:\n  list      the alerts\n            page by page\n  dismiss   dismiss\n\nMore.\n"
	for _, tc := range []struct {
		usage string
		want  cmddoc.Args
	}{
		{"Usage: sarifkit diff [flags] BASE HEAD\n", cmddoc.Args{Files: true}},
		{"Usage: sarif-split --github -o DIR [flags] INPUT...\n", cmddoc.Args{Files: true}},
		{"Usage: sarifkit fetch [-R OWNER/NAME] (--ref REF | --pr N | --analysis-id ID) [flags]\n\nFILE\n", cmddoc.Args{}},
		{alerts, cmddoc.Args{Words: []string{"list", "dismiss"}}},
		{"Usage: sarifkit completion bash|zsh|fish\n", cmddoc.Args{}},
	} {
		got := cmddoc.ArgsOf(tc.usage)
		if got.Files != tc.want.Files || !slices.Equal(got.Words, tc.want.Words) {
			t.Errorf("ArgsOf(%.40q) = %+v, want %+v", tc.usage, got, tc.want)
		}
	}
}

func TestFlagKinds(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.StringP("output", "o", "", "write to `FILE`")
	fs.String("git", "", "the work tree `DIR`")
	fs.String("format", "text", "`FORMAT`: text or json")
	fs.String("ref", "", "git `REF`")
	fs.Bool("yes", false, "do it")
	fs.StringArrayP("pattern", "p", nil, "a `PATTERN`")
	fs.String("hidden", "", "not shown")
	fs.MarkHidden("hidden")
	got := cmddoc.Flags(fs)
	var lines []string
	for _, f := range got {
		lines = append(lines, fmt.Sprintf("%s/%s %s %d %q %v %s", f.Name, f.Shorthand, f.Value, f.Kind, f.Words, f.Repeatable, f.Default))
	}
	want := []string{
		`format/ FORMAT 4 ["text" "json"] false "text"`,
		`git/ DIR 3 [] false `,
		`output/o FILE 2 [] false `,
		`pattern/p PATTERN 1 [] true `,
		`ref/ REF 1 [] false `,
		`yes/  0 [] false `,
	}
	if !slices.Equal(lines, want) {
		t.Errorf("Flags:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// A name that is not a plain word cannot reach a script.
func TestUnsafeNames(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.String("x", "", "`V`: a or b$(reboot)")
	p := &cmddoc.Program{Name: "prog", Flags: pflag.NewFlagSet("prog", pflag.ContinueOnError),
		Commands: []cmddoc.Command{{Name: "c;rm", Flags: fs}}}
	for name, f := range map[string]func(*os.File) error{
		"bash": func(w *os.File) error { return p.Bash(w) },
		"zsh":  func(w *os.File) error { return p.Zsh(w) },
		"fish": func(w *os.File) error { return p.Fish(w) },
	} {
		if err := f(nil); err == nil || !strings.Contains(err.Error(), `"c;rm"`) {
			t.Errorf("%s: err = %v, want the command name refused", name, err)
		}
	}
}

// Man pages escape what roff would read as requests or escapes.
func TestManEscapes(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.String("path", "", `a \n path`)
	// Help text keeps its newlines: a line of it that starts with a
	// control character is text, not a request.
	fs.Bool("lines", false, "first line\n.so /etc/passwd\n'bp")
	p := &cmddoc.Program{Name: "prog", Summary: "does things", Flags: pflag.NewFlagSet("prog", pflag.ContinueOnError),
		Commands: []cmddoc.Command{{Name: "c", Summary: "a command\n.so /etc/group", Flags: fs,
			Usage: "Usage: prog c [flags]\n\nA paragraph\n.so /etc/passwd\n'br\n\nExample:\n    prog c --path 'x'\n\nFlags:\n"}}}
	pages := p.ManPages(cmddoc.ManOptions{Date: "2026-01-02", Version: "v1.0.0"})
	var names []string
	for _, pg := range pages {
		names = append(names, pg.Name)
	}
	if !slices.Equal(names, []string{"prog-c.1", "prog.1"}) {
		t.Fatalf("pages %q", names)
	}
	want := `.\" Made by 'prog man': do not edit.
.TH "PROG\-C" 1 "2026-01-02" "prog v1.0.0" "prog manual"
.SH NAME
prog\-c \- a command
\&.so /etc/group
.SH SYNOPSIS
.nf
\fBprog c\fR [flags]
.fi
.SH DESCRIPTION
.PP
A paragraph
\&.so /etc/passwd
\&'br
.SH OPTIONS
.TP
\fB\-\-lines\fR
first line
\&.so /etc/passwd
\&'bp
.TP
\fB\-\-path\fR \fIstring\fR
a \en path
.SH "EXAMPLES"
.PP
.RS 4
.nf
prog c \-\-path 'x'
.fi
.RE
.SH "SEE ALSO"
.BR prog (1)
`
	if pages[0].Text != want {
		t.Errorf("page:\n%s\nwant\n%s", pages[0].Text, want)
	}
}

func ExampleValues() {
	fs := pflag.NewFlagSet("sarif-report", pflag.ContinueOnError)
	fs.String("format", "summary", "report `FORMAT`: summary, html, csv, junit or codeclimate")
	fmt.Println(cmddoc.Values(fs.Lookup("format")))
	// Output: [summary html csv junit codeclimate]
}
