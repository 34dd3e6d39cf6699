package review

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/safetext"
)

// Bounds of what a comment quotes of a log: comments stay below the
// forges' limits (65,536 characters on GitHub, 1,000,000 on GitLab).
// Escaped text is bounded too: at most 4 bytes a rune of what is quoted
// (text that escapes to more is quoted shorter).
const (
	maxBody         = 60000 // bytes of a comment or summary: fewer characters than GitHub takes
	maxMessage      = 4000  // runes of a result's message in its comment
	maxCellMessage  = 300   // runes of a result's message in a summary's table
	maxRows         = 100   // results a summary lists
	maxFixed        = 100   // fixed results a summary lists
	maxSuggestion   = 200   // lines of a suggestion
	maxSuggestBytes = 16000 // bytes of a suggestion's code
)

// md is s, clipped to n runes, as Markdown text (safetext.Markdown), or
// as a code span when code is set; at most 4n bytes.
func md(s string, n int, code bool) string {
	for {
		var e string
		if code {
			e = safetext.MarkdownCode(clip(s, n))
		} else {
			e = safetext.Markdown(clip(s, n))
		}
		if len(e) <= 4*n+8 || n <= 1 {
			return e
		}
		n /= 2
	}
}

// clip cuts s to at most n runes, with "…" after what it cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if n == 0 {
			i = k
			break
		}
		n--
	}
	return s[:i] + "…"
}

// levelWord is a level as a comment shows it: SARIF's levels, else
// "Result" (a level is log text).
func levelWord(level string) string {
	switch level {
	case "error":
		return "Error"
	case "warning":
		return "Warning"
	case "note":
		return "Note"
	case "none":
		return "None"
	}
	return "Result"
}

// commentBody is the Markdown of an inline comment: the level, rule and
// tool, the message, the fix as a suggestion (or described), the marker.
func commentBody(it *Item, cm *Comment, lines []string, o Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", levelWord(it.Level))
	if it.RuleID != "" {
		b.WriteString(" " + md(it.RuleID, 200, true))
	}
	fmt.Fprintf(&b, " (%s): %s\n", md(it.Tool, 200, false), md(it.Message, maxMessage, false))
	code, desc, state := suggestion(it.src, cm, lines, o.Root)
	switch state {
	case fixSuggested:
		b.WriteString("\n" + fence(code, cm, o.Flavor))
		if desc != "" {
			b.WriteString("\nSuggested fix: " + md(desc, 1000, false) + "\n")
		}
	case fixElsewhere:
		b.WriteString("\nA fix is offered")
		if desc != "" {
			b.WriteString(": " + md(desc, 1000, false))
		}
		b.WriteString(" (not as a suggestion: it changes lines outside this comment, another file, or code that cannot be shown safely).\n")
	}
	b.WriteString("\n" + Marker{KindComment, it.Key}.String() + "\n")
	return b.String()
}

// fence writes code as a suggestion block, in a fence longer than any
// run of backticks in it.
func fence(code string, cm *Comment, fl Flavor) string {
	n, run := 3, 0
	for _, r := range code {
		if r == '`' {
			run++
			n = max(n, run+1)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", n)
	info := "suggestion"
	if fl == GitLab {
		info += ":-0+" + strconv.Itoa(cm.Line-cm.StartLine)
	}
	return f + info + "\n" + code + f + "\n"
}

// What a result's fixes give its comment.
const (
	fixNone      = iota // no fix
	fixSuggested        // a suggestion
	fixElsewhere        // a fix described in text
)

// suggestion returns the code that replaces the commented lines (lines
// holds their text), each of its lines with its line end when a fix of the result applies to them alone: its
// replacements all in the comment's file, within its lines, not
// overlapping, by lines and columns (not by offsets). desc is the fix's
// description.
func suggestion(f *found, cm *Comment, lines []string, root string) (code, desc string, state int) {
	if f == nil || len(f.res.Fixes) == 0 {
		return "", "", fixNone
	}
	state = fixElsewhere
	for k, fix := range f.res.Fixes {
		if fix == nil {
			continue
		}
		d := ""
		if fix.Description != nil {
			d = strings.TrimSpace(derefs(fix.Description.Text))
		}
		if k == 0 {
			desc = d
		}
		if c, ok := applyFix(f, fix.ArtifactChanges, cm, lines, root); ok {
			return c, d, fixSuggested
		}
	}
	return "", desc, state
}

func derefs(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// applyFix applies a fix's changes to the commented lines.
func applyFix(f *found, changes []*gosarif.ArtifactChange, cm *Comment, lines []string, root string) (string, bool) {
	if len(changes) == 0 || len(lines) > maxSuggestion {
		return "", false
	}
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	if n > maxSuggestBytes {
		return "", false // lines too long to quote
	}
	utf16Columns := f.run.Model.ColumnKind != "unicodeCodePoints"
	// The commented lines as one text, each with its line end.
	starts := make([]int, len(lines)+1)
	var text strings.Builder
	for i, l := range lines {
		starts[i] = text.Len()
		text.WriteString(l)
		text.WriteByte('\n')
	}
	starts[len(lines)] = text.Len()
	type edit struct {
		from, to int
		insert   string
	}
	var edits []edit
	arts := f.run.Artifacts()
	for _, ch := range changes {
		if ch == nil || repoPath(arts.ArtifactLocation(&ch.ArtifactLocation), root) != cm.Path || len(ch.Replacements) == 0 {
			return "", false
		}
		for _, rp := range ch.Replacements {
			if rp == nil {
				return "", false
			}
			reg := rp.DeletedRegion
			sl := deref(reg.StartLine)
			el := max(deref(reg.EndLine), sl)
			if sl < cm.StartLine || el > cm.Line || reg.CharOffset != nil || reg.ByteOffset != nil {
				return "", false
			}
			si, ei := sl-cm.StartLine, el-cm.StartLine
			var from, to int
			if reg.StartColumn == nil && reg.EndColumn == nil {
				// Whole lines: their text, not the last one's line end
				// (SARIF §3.30.2).
				from, to = starts[si], starts[ei]+len(lines[ei])
			} else {
				sc, ok1 := column(lines[si], max(deref(reg.StartColumn), 1), utf16Columns)
				ec, ok2 := len(lines[ei]), true
				if reg.EndColumn != nil {
					ec, ok2 = column(lines[ei], *reg.EndColumn, utf16Columns)
				}
				if !ok1 || !ok2 {
					return "", false
				}
				from, to = starts[si]+sc, starts[ei]+ec
			}
			if to < from {
				return "", false
			}
			ins := ""
			if rp.InsertedContent != nil {
				if rp.InsertedContent.Text == nil {
					return "", false // binary content
				}
				ins = *rp.InsertedContent.Text
			}
			edits = append(edits, edit{from, to, ins})
		}
	}
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(a.from, b.from) })
	var out strings.Builder
	src, at := text.String(), 0
	for _, e := range edits {
		if e.from < at {
			return "", false // overlapping replacements
		}
		out.WriteString(src[at:e.from])
		out.WriteString(e.insert)
		at = e.to
	}
	out.WriteString(src[at:])
	// The code's lines, each with its line end ("" for none).
	code := strings.ReplaceAll(out.String(), "\r\n", "\n")
	if code != "" && !strings.HasSuffix(code, "\n") {
		code += "\n"
	}
	if strings.Count(code, "\n") > maxSuggestion || len(code) > maxSuggestBytes || !printable(code) || code == src {
		return "", false
	}
	return code, true
}

// printable tells whether code may be shown as a suggestion: no control
// character but tabs and line feeds, no bidirectional control (a
// suggestion is accepted with a click: it must be what it shows), no
// HTML comment (nothing of a log looks like a marker).
func printable(code string) bool {
	if strings.Contains(code, "<!--") {
		return false
	}
	for _, l := range strings.Split(code, "\n") {
		l = strings.ReplaceAll(l, "\t", "")
		if safetext.Escape(l) != l || strings.ContainsRune(l, '\uFEFF') {
			return false
		}
	}
	return true
}

// column returns the byte offset in line of a 1-based SARIF column,
// counted in UTF-16 code units or in code points; ok is false when it is
// beyond the line's end (the column just after it is its end).
func column(line string, col int, utf16Units bool) (int, bool) {
	if col < 1 {
		return 0, false
	}
	n := col - 1
	for i, r := range line {
		if n <= 0 {
			return i, n == 0
		}
		if utf16Units {
			n -= utf16.RuneLen(r)
		} else {
			n--
		}
	}
	return len(line), n == 0
}

func shortCommit(c string) string { return c[:min(len(c), 12)] }

// render writes the group's summary, cut to fit in a comment; all lists
// every result, those commented inline too, uncut and without the marker
// (what a run that cannot post prints).
func (g *Group) render(o Options, all bool) string {
	var b strings.Builder
	b.WriteString("### sarifkit review")
	if g.Tool != "" {
		b.WriteString(": " + md(g.Tool, 200, false))
	}
	if g.Category != "" {
		b.WriteString(", category " + md(g.Category, 200, true))
	}
	b.WriteString("\n\n")
	inline, listed := 0, []*Item{}
	for _, it := range g.Items {
		if it.inline() && !all {
			inline++
		} else {
			listed = append(listed, it)
		}
	}
	if o.Commit != "" {
		fmt.Fprintf(&b, "At commit %s: ", safetext.MarkdownCode(shortCommit(o.Commit)))
	}
	switch {
	case len(g.Items) == 0:
		if o.Commit == "" {
			b.WriteString("No new results.\n")
		} else {
			b.WriteString("no new results.\n")
		}
	case all:
		fmt.Fprintf(&b, "%s (not posted: no permission to comment).\n", plural(len(g.Items), "new result"))
	default:
		fmt.Fprintf(&b, "%s, %d commented inline, %d listed here.\n", plural(len(g.Items), "new result"), inline, len(listed))
	}
	if len(listed) > 0 {
		b.WriteString("\n| Level | Rule | Location | Message | Not inline |\n|---|---|---|---|---|\n")
		for i, it := range listed {
			loc := "(none)"
			if it.Path != "" {
				loc = it.Path
				if it.StartLine > 0 {
					loc += ":" + strconv.Itoa(it.StartLine)
				}
				loc = md(loc, 300, true)
			}
			why := it.Why
			if it.inline() {
				why = "would be inline"
			}
			row := fmt.Sprintf("| %s | %s | %s | %s | %s |\n", levelWord(it.Level), md(it.RuleID, 200, true),
				loc, md(it.Message, maxCellMessage, false), why)
			if !all && (i == maxRows || b.Len()+len(row) > maxRows*maxBody/(maxRows+maxFixed)) {
				fmt.Fprintf(&b, "\n… and %d more.\n", len(listed)-i)
				break
			}
			b.WriteString(row)
		}
	}
	if len(g.Fixed) > 0 {
		fmt.Fprintf(&b, "\n**Fixed since an earlier review** (%d):\n", len(g.Fixed))
		fixed := slices.Clone(g.Fixed)
		slices.SortFunc(fixed, func(a, b Posted) int { return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line)) })
		for i, ps := range fixed {
			loc := ps.Path
			if ps.Line > 0 {
				loc += ":" + strconv.Itoa(ps.Line)
			}
			entry := "- " + md(loc, 300, true) + "\n"
			if !all && (i == maxFixed || b.Len()+len(entry) > maxBody-200) {
				fmt.Fprintf(&b, "- … and %d more\n", len(fixed)-i)
				break
			}
			b.WriteString(entry)
		}
	}
	if !all {
		b.WriteString("\n" + g.Marker + "\n")
	}
	return b.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
