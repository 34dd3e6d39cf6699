package report

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/internal/table"
	"github.com/sarifkit/sarifkit/sarif"
)

// SummaryOptions tune [WriteSummary]: the [Options] of every format,
// and the summary's own.
type SummaryOptions struct {
	Options
	// Color colours levels and baseline states with ANSI escapes (for a
	// terminal; the command leaves it off when NO_COLOR is set).
	Color bool
	// Top is how many rules and files are listed; 20 when zero.
	Top int
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiGreen  = "\x1b[32m"
	ansiDim    = "\x1b[2m"
)

// levelColor is the colour of a level.
func levelColor(level string) string {
	switch level {
	case "error":
		return ansiRed
	case "warning":
		return ansiYellow
	case "note":
		return ansiBlue
	}
	return ansiDim
}

// WriteSummary writes counts for a terminal: the results by level (the
// suppressed and, with baseline states, the absent counted apart), the
// baseline states, then the results by tool, by rule and by file, most
// first, each with its levels. What the logs say is made
// [safetext.Text]: escaped control characters, no workflow command.
//
// It reads each result once, keeping a few numbers per result (see the
// package documentation), and returns the totals it shows.
func WriteSummary(ctx context.Context, w io.Writer, inputs []sarif.Input, opts *SummaryOptions) (Totals, error) {
	o := SummaryOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Top <= 0 {
		o.Top = 20
	}
	x, err := newIndex(ctx, inputs, &o.Options, 0)
	if err != nil {
		return Totals{}, err
	}
	paint := func(color, s string) string {
		if !o.Color || color == "" {
			return s
		}
		return color + s + ansiReset
	}
	bw := bufio.NewWriter(w)
	t := x.totals()
	fmt.Fprintf(bw, "%s\n", paint(ansiBold, safetext.Text(x.title)))
	fmt.Fprintf(bw, "%s in %s\n", plural(t.Results, "result"), plural(len(x.inputs), "log"))
	var parts []string
	for _, l := range levels() {
		if n := t.ByLevel[l]; n > 0 {
			parts = append(parts, paint(levelColor(l), fmt.Sprintf("%d %s", n, l)))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(bw, "  %s\n", strings.Join(parts, ", "))
	}
	if t.Suppressed > 0 {
		fmt.Fprintf(bw, "  and %s, not counted\n", plural(t.Suppressed, "suppressed result"))
	}
	if len(t.Baseline) > 0 {
		parts = parts[:0]
		colors := map[string]string{BaselineNew: ansiRed, BaselineAbsent: ansiGreen}
		for _, s := range []string{BaselineNew, BaselineUpdated, BaselineUnchanged, BaselineAbsent} {
			parts = append(parts, paint(colors[s], fmt.Sprintf("%d %s", t.Baseline[s], s)))
		}
		fmt.Fprintf(bw, "Against the baseline: %s\n", strings.Join(parts, ", "))
	}
	section := func(title string, counts []Count, top int, extra func(Count) string, header string) {
		if len(counts) == 0 {
			return
		}
		heading := title
		if len(counts) > top {
			heading = fmt.Sprintf("%s (top %d of %d)", title, top, len(counts))
		}
		fmt.Fprintf(bw, "\n%s\n", paint(ansiBold, heading))
		tab := &table.Table{Header: []string{header, "results", "error", "warning", "note"}, Right: []bool{false, true, true, true, true}}
		if extra != nil {
			tab.Header = append(tab.Header, "tool")
		}
		tab.Style = func(col int, cell, padded string) string {
			if col >= 2 && col <= 4 && cell != "" && cell != "0" {
				return paint(levelColor(tab.Header[col]), padded)
			}
			return padded
		}
		for i, c := range counts {
			if i == top {
				break
			}
			row := []string{c.Name, strconv.Itoa(c.N), strconv.Itoa(c.Level["error"]), strconv.Itoa(c.Level["warning"]), strconv.Itoa(c.Level["note"] + c.Level["none"])}
			if extra != nil {
				row = append(row, extra(c))
			}
			tab.Add(row...)
		}
		tab.WriteText(bw, "  ")
	}
	section("By tool", x.countBy(func(rx *runIndex, _ *entry) string { return rx.tool }), 1<<30, nil, "tool")
	tools := map[string]map[string]bool{} // by rule id, of every finding
	for _, rx := range x.runs {
		for p := rx.first; p < rx.first+rx.n; p++ {
			id := x.names.name(x.entries[p].ruleID)
			if tools[id] == nil {
				tools[id] = map[string]bool{}
			}
			tools[id][rx.tool] = true
		}
	}
	section("By rule", x.countBy(func(_ *runIndex, e *entry) string { return x.names.name(e.ruleID) }), o.Top, func(c Count) string {
		return strings.Join(slices.Sorted(maps.Keys(tools[c.Name])), ", ")
	}, "rule")
	section("By file", x.countBy(func(_ *runIndex, e *entry) string {
		if e.path == 0 {
			return "(no file)"
		}
		return x.names.name(e.path)
	}), o.Top, nil, "file")
	return t, bw.Flush()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
