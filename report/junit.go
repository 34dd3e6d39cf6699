package report

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"github.com/sarifkit/sarifkit/sarif"
	"io"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/internal/safetext"
)

// WriteJUnit writes JUnit XML as Jenkins' JUnit plugin and GitLab read
// it: a <testsuites> with one <testsuite> per tool and rule (named
// "TOOL: RULE"), one <testcase> per finding (named by its location and
// message, classname "TOOL.RULE", file and line attributes):
//
//   - a current, unsuppressed result at level error or warning fails
//     (<failure type="LEVEL">, with the rule, location, message and help
//     URI in its text);
//   - one at level note or none is skipped (<skipped message="note">): it
//     is shown, and a build does not fail on it;
//   - a suppressed one is skipped too, its message saying why;
//   - an absent one (fixed since the baseline) passes, named "fixed: ...".
//
// Names, file and messages in attributes are made [safetext.Text], one
// line; the failure's text keeps the message's lines, each made
// [safetext.Text] ([safetext.Lines]): no character XML 1.0 forbids, and
// no line that a CI log would run as a workflow command.
//
// Tools and rules come in the order the logs first name them. The
// suites are written one after the other, each reading its findings
// again from the logs, a batch at a time: what is kept meanwhile is a
// suite number per finding.
func WriteJUnit(ctx context.Context, w io.Writer, inputs []sarif.Input, opts *Options) (Totals, error) {
	x, err := newIndex(ctx, inputs, opts, 0)
	if err != nil {
		return Totals{}, err
	}
	t := x.totals()
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type skipped struct {
		Message string `xml:"message,attr"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		File      string   `xml:"file,attr,omitempty"`
		Line      int      `xml:"line,attr,omitempty"`
		Failure   *failure `xml:"failure,omitempty"`
		Skipped   *skipped `xml:"skipped,omitempty"`
	}
	// A suite per tool and rule, in the order the findings first name
	// them, with its counts; the findings are then put in suite order.
	type suite struct {
		name                             string
		first                            int // in order
		tests, failures, errors, skipped int
	}
	var suites []*suite
	index := map[[2]string]int32{}
	of := make([]int32, len(x.entries)) // each finding's suite
	for _, rx := range x.runs {
		for p := rx.first; p < rx.first+rx.n; p++ {
			e := &x.entries[p]
			k := [2]string{rx.tool, x.names.name(e.ruleID)}
			i, ok := index[k]
			if !ok {
				i = int32(len(suites))
				index[k] = i
				suites = append(suites, &suite{name: safetext.Text(k[0] + ": " + k[1])})
			}
			of[p] = i
			s := suites[i]
			s.tests++
			level := x.names.name(e.level)
			switch {
			case e.absent:
			case e.suppressed:
				s.skipped++
			case level == "error" || level == "warning":
				s.failures++
			default:
				s.skipped++
			}
		}
	}
	order := make([]int32, len(x.entries)) // positions, suite by suite
	next := 0
	for _, s := range suites {
		s.first, next = next, next+s.tests
	}
	fill := make([]int, len(suites))
	for p, i := range of {
		order[suites[i].first+fill[i]] = int32(p)
		fill[i]++
	}
	fill = nil
	var all suite
	for _, s := range suites {
		all.tests += s.tests
		all.failures += s.failures
		all.skipped += s.skipped
	}
	counts := func(name string, s *suite) []xml.Attr {
		return []xml.Attr{{Name: xml.Name{Local: "name"}, Value: name}, {Name: xml.Name{Local: "tests"}, Value: strconv.Itoa(s.tests)},
			{Name: xml.Name{Local: "failures"}, Value: strconv.Itoa(s.failures)}, {Name: xml.Name{Local: "errors"}, Value: strconv.Itoa(s.errors)},
			{Name: xml.Name{Local: "skipped"}, Value: strconv.Itoa(s.skipped)}}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	root := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: counts(x.title, &all)}
	if err := enc.EncodeToken(root); err != nil {
		return t, err
	}
	current := -1
	err = x.walk(ctx, len(order), func(k int) int { return int(order[k]) }, func(p int, f *Finding) error {
		if i := int(of[p]); i != current {
			if current >= 0 {
				if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
					return err
				}
			}
			current = i
			if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: counts(suites[i].name, suites[i])}); err != nil {
				return err
			}
		}
		loc := f.Location()
		if loc == "" {
			loc = "(no location)"
		}
		tc := testcase{Name: safetext.Text(loc + ": " + Truncate(oneLine(f.Message), 200)), Classname: safetext.Text(f.Tool + "." + f.RuleID),
			File: safetext.Text(f.Path), Line: f.Line}
		switch {
		case !f.Current():
			tc.Name = "fixed: " + tc.Name
		case f.Suppressed:
			msg := "suppressed"
			if f.Justification != "" {
				msg += ": " + f.Justification
			}
			tc.Skipped = &skipped{Message: safetext.Text(msg)}
		case f.Level == "error" || f.Level == "warning":
			var text strings.Builder
			fmt.Fprintf(&text, "%s %s at %s\n%s\n", f.Level, f.RuleID, loc, f.Message)
			if f.Rule != nil && f.Rule.HelpURI != "" {
				fmt.Fprintf(&text, "Help: %s\n", f.Rule.HelpURI)
			}
			if f.AlertURL != "" {
				fmt.Fprintf(&text, "Alert: %s\n", f.AlertURL)
			}
			tc.Failure = &failure{Message: safetext.Text(Truncate(oneLine(f.Message), 1000)), Type: safetext.Text(f.Level), Text: safetext.Lines(text.String())}
		default:
			tc.Skipped = &skipped{Message: safetext.Text(f.Level)}
		}
		return enc.EncodeElement(tc, xml.StartElement{Name: xml.Name{Local: "testcase"}})
	})
	if err != nil {
		return t, err
	}
	if current >= 0 {
		if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
			return t, err
		}
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return t, err
	}
	if err := enc.Flush(); err != nil {
		return t, err
	}
	bw.WriteString("\n")
	return t, bw.Flush()
}

// oneLine joins a text's lines with spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Truncate cuts s to at most n bytes, at a rune boundary, marking the
// cut with "...".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
