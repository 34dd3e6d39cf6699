// Package table lays out rows of cells under a header for a terminal
// (aligned columns) or as a Markdown table: the tables of the summaries,
// the diff report and the alert list. Cells are made safe for where they
// go ([safetext]): a log's text never drives a terminal nor breaks a
// Markdown table.
package table

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/internal/safetext"
)

// A Table is rows of cells under a header, written aligned for a terminal
// ([Table.WriteText]) or as a Markdown table ([Table.WriteMarkdown]).
type Table struct {
	Header []string
	// Right lists the columns aligned to the right (numbers).
	Right []bool
	// Raw lists the columns whose cells are Markdown already (a code span
	// made safe by the caller with [safetext.MarkdownCode]): WriteMarkdown
	// leaves them as they are.
	Raw  []bool
	Rows [][]string
	// Style, when set, decorates a cell for the terminal (colour) after
	// it is padded: col and the cell's text are given.
	Style func(col int, cell, padded string) string
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// WriteText writes the table with its columns padded to their widest
// cell, two spaces apart, every line indented by indent. Cells are made
// [safetext.Text] first: a log's text never drives the terminal nor
// starts a workflow command.
func (t *Table) WriteText(w io.Writer, indent string) error {
	rows := make([][]string, 0, len(t.Rows)+1)
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		clean := make([]string, len(row))
		for i, c := range row {
			clean[i] = safetext.Text(c)
		}
		rows = append(rows, clean)
	}
	widths := make([]int, len(t.Header))
	for _, row := range rows {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	for r, row := range rows {
		b.WriteString(indent)
		for i := range widths {
			c := ""
			if i < len(row) {
				c = row[i]
			}
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			padded := c + pad
			if i < len(t.Right) && t.Right[i] {
				padded = pad + c
			}
			if i == len(widths)-1 && !(i < len(t.Right) && t.Right[i]) {
				padded = c // no trailing spaces
			}
			if t.Style != nil && r > 0 {
				padded = t.Style(i, c, padded)
			}
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(padded)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the table in GitHub's Markdown, each cell but
// those of Raw columns made text by [safetext.Markdown]: every row one
// line, with as many cells as the header.
func (t *Table) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	row := func(cells []string, header bool) {
		b.WriteString("|")
		for len(cells) < len(t.Header) {
			cells = append(cells, "")
		}
		for i, c := range cells {
			if header || i >= len(t.Raw) || !t.Raw[i] {
				c = safetext.Markdown(c)
			}
			fmt.Fprintf(&b, " %s |", c)
		}
		b.WriteString("\n")
	}
	row(t.Header, true)
	b.WriteString("|")
	for i := range t.Header {
		if i < len(t.Right) && t.Right[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r, false)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
