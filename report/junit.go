package report

import (
	"encoding/xml"
	"fmt"
	"io"
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
// Tools and rules come in the order the logs first name them.
func WriteJUnit(w io.Writer, r *Report) error {
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
	type testsuite struct {
		Name      string     `xml:"name,attr"`
		Tests     int        `xml:"tests,attr"`
		Failures  int        `xml:"failures,attr"`
		Errors    int        `xml:"errors,attr"`
		Skipped   int        `xml:"skipped,attr"`
		Testcases []testcase `xml:"testcase"`
	}
	type testsuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Suites   []*testsuite `xml:"testsuite"`
	}
	out := &testsuites{Name: r.Title}
	suites := map[[2]string]*testsuite{}
	for _, f := range r.Findings {
		k := [2]string{f.Tool, f.RuleID}
		s := suites[k]
		if s == nil {
			s = &testsuite{Name: safetext.Text(f.Tool + ": " + f.RuleID)}
			suites[k] = s
			out.Suites = append(out.Suites, s)
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
			s.Skipped++
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
			s.Failures++
		default:
			tc.Skipped = &skipped{Message: safetext.Text(f.Level)}
			s.Skipped++
		}
		s.Tests++
		s.Testcases = append(s.Testcases, tc)
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
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
