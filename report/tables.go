package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"github.com/sarifkit/sarifkit/internal/table"
	"html/template"
	"io"
	"strings"

	"github.com/sarifkit/sarifkit/internal/safetext"
)

var (
	//go:embed page/tables.html
	tablesHTML string
	//go:embed page/tables.css
	tablesCSS string
	//go:embed page/tables.js
	tablesJS string
)

// A TablesPage is a page of counts: cards, an optional bar chart, and
// titled tables ([WriteTablesHTML]).
type TablesPage struct {
	Title, Subtitle string
	Cards           []Card
	ChartTitle      string
	Chart           []Count // bars, in order
	Sections        []Section
}

// A Card is a headline number; Class colours it (error, warning, note,
// new, absent).
type Card struct {
	Name  string
	N     int
	Class string
}

// A Section is a titled table.
type Section struct {
	Title string
	Table *table.Table
}

// WriteTablesHTML writes one self-contained HTML page (inline CSS and
// script, nothing fetched) of the cards, the bar chart and the tables,
// whose columns sort on a click. Every text is escaped by html/template,
// its control characters by [safetext.Escape].
func WriteTablesHTML(w io.Writer, p TablesPage) error {
	tmpl, err := template.New("tables").Parse(strings.TrimSpace(pageHead) + tablesHTML)
	if err != nil {
		return err
	}
	type bar struct {
		Name  string
		N     int
		Width float64
	}
	type section struct {
		Title  string
		Header []string
		Right  []bool
		Rows   [][]string
	}
	most := 1
	for _, c := range p.Chart {
		most = max(most, c.N)
	}
	var bars []bar
	for _, c := range p.Chart {
		bars = append(bars, bar{safetext.Escape(c.Name), c.N, float64(c.N) * 80 / float64(most)})
	}
	var sections []section
	for _, s := range p.Sections {
		right := make([]bool, len(s.Table.Header))
		copy(right, s.Table.Right)
		rows := make([][]string, len(s.Table.Rows))
		for i, r := range s.Table.Rows {
			rows[i] = escapeAll(r)
		}
		sections = append(sections, section{safetext.Escape(s.Title), escapeAll(s.Table.Header), right, rows})
	}
	cards := make([]Card, len(p.Cards))
	for i, c := range p.Cards {
		cards[i] = Card{safetext.Escape(c.Name), c.N, c.Class}
	}
	bw := bufio.NewWriter(w)
	err = tmpl.Execute(bw, map[string]any{
		"Title": safetext.Escape(p.Title), "Subtitle": safetext.Escape(p.Subtitle), "Cards": cards, "ChartTitle": safetext.Escape(p.ChartTitle), "Chart": bars,
		"Sections": sections, "CSS": template.CSS(pageCSS + tablesCSS),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "<script>%s</script>\n</body>\n</html>\n", tablesJS)
	return bw.Flush()
}
