package clitest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// Hostile are pieces of text a pull request can put in a log (in a file
// name, a rule id, a message, a tool name, a category) to make what CI
// reads of a command's output structure: a workflow command, a terminal
// escape, Markdown (a heading, a table row, an image, a link, a mention,
// HTML, an autolink), a CSV record break.
var Hostile = []string{
	"\n::error::pwned", "\r\n  ::warning file=x::pwned", "##[error]pwned", "|", "\n# heading", "\n| a | b |\n|---|---|",
	"![img](http://x/y.png)", "[link](http://x)", "@octocat", "<img src=x>", "https://example.com/x", "www.example.com",
	"\x1b[31m", "\a", "\u2028", "\u202e", "\x7f", "\u009b", "%0A", "*emph*", "`code`", "&lt;", "=SUM(1)",
}

// HostileText is every piece of [Hostile], after prefix.
func HostileText(prefix string) string {
	return prefix + " " + strings.Join(Hostile, " ")
}

// HostileURIs are file names made of the pieces of [Hostile]: one with a
// raw line break and workflow command, one with a pipe and Markdown,
// one with percent-encoded line breaks (a log's URI is decoded), one
// with an escape sequence, one with a mention and HTML.
var HostileURIs = []string{
	"src/x\n::error::pwned.go",
	"src/a|b # c ![i](http://x/i.png).go",
	"src/x%0A::error::pwned%0D%0A.go",
	"src/\x1b[31mred\a\u2028\u202e.go",
	"src/@octocat <img src=x> [l](http://x).go",
	"\n::error::pwned.go",
}

// HostileLog writes a SARIF log to dir/name with one run of a tool and
// category named with [HostileText], and one result per [HostileURIs],
// each with a hostile rule id, message and level, and returns its path.
func HostileLog(t testing.TB, dir, name, tool string) string {
	t.Helper()
	var results []any
	rules := []any{}
	for i, uri := range HostileURIs {
		rule := fmt.Sprintf("R%d%s", i, HostileText(""))
		rules = append(rules, map[string]any{"id": rule, "shortDescription": map[string]any{"text": HostileText("short")},
			"helpUri": "https://example.com/help", "properties": map[string]any{"tags": []string{"security"}, "security-severity": "9.1"}})
		results = append(results, map[string]any{
			"ruleId": rule, "level": []string{"error", "warning", "note"}[i%3],
			"message":             map[string]any{"text": HostileText(fmt.Sprintf("message %d", i))},
			"locations":           []any{map[string]any{"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": uri}, "region": map[string]any{"startLine": i + 1, "startColumn": 2}}}},
			"partialFingerprints": map[string]any{"primaryLocationLineHash": fmt.Sprintf("%x:1", i+1000)},
		})
	}
	log := map[string]any{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": []any{map[string]any{
		"tool":              map[string]any{"driver": map[string]any{"name": tool, "rules": rules}},
		"automationDetails": map[string]any{"id": HostileText("category") + "/"},
		"results":           results,
	}}}
	data, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// HostileName is a file name a checkout can hold, for a log given to a
// command: its messages name it.
const HostileName = "log\n::error::pwned\x1b[31m.sarif"

// TextRules say what [CheckText] allows of a format.
type TextRules struct {
	// Commands allows lines that are workflow commands, each of which
	// must then be exactly one well-formed annotation (--format github).
	Commands bool
	// CRLF allows a carriage return before each line feed (CSV).
	CRLF bool
	// Tab allows tabs.
	Tab bool
	// Quoted allows DEL, C1 controls, the Unicode separators and bidi
	// controls, and "##[", which JSON carries as they are inside its
	// strings (JSON is data, not for the log).
	Quoted bool
}

// annotation is one workflow command as sarif-diff writes it: its
// properties' values hold no bare : or , (encoded %3A, %2C).
var annotation = regexp.MustCompile(`^::(error|warning|notice)( [a-zA-Z]+=[^:,]*(,[a-zA-Z]+=[^:,]*)*)?::[^\r\n]*$`)

// CheckText fails the test when out, what a command wrote, holds a line
// that the GitHub Actions runner would run as a workflow command (it
// starts with "::" after white space, or holds "##["), but for
// well-formed annotations where rules allow them, or a character that
// drives a terminal or breaks a line: a C0 control other than the line
// feeds between lines (and tabs or CRLF where rules allow), DEL, a C1
// control, U+2028, U+2029 or a bidi control.
func CheckText(t testing.TB, label, out string, rules TextRules) {
	t.Helper()
	if rules.CRLF {
		out = strings.ReplaceAll(out, "\r\n", "\n")
	}
	for i, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		if strings.HasPrefix(trimmed, "::") && (!rules.Commands || trimmed != line || !annotation.MatchString(line)) {
			t.Errorf("%s: line %d is a workflow command: %q", label, i+1, line)
		}
		if strings.Contains(line, "##[") && !rules.Quoted {
			t.Errorf("%s: line %d holds a legacy workflow command: %q", label, i+1, line)
		}
		for _, r := range line {
			bad := r < 0x20 && !(r == '\t' && rules.Tab)
			if !rules.Quoted {
				bad = bad || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029 ||
					r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
			}
			if bad {
				t.Errorf("%s: line %d holds %U: %q", label, i+1, r, line)
				break
			}
		}
	}
}

// escaped tells whether the byte at i of s follows an odd number of
// backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

var (
	codeSpan = regexp.MustCompile("(^|[^\\\\])`[^`]*`")
	mention  = regexp.MustCompile(`@[A-Za-z0-9]`)
	autolink = regexp.MustCompile(`(?i)(https?|ftp)://|www\.`)
)

// CheckMarkdown fails the test when out, Markdown a command wrote, lets
// log text become structure: a heading other than those given, a table
// row with another number of cells (unescaped |) than its header, an
// unescaped image, link, code span or HTML tag (other than <br>), an
// @mention, an autolink. It checks out as text too (see [CheckText]).
func CheckMarkdown(t testing.TB, label, out string, headings ...string) {
	t.Helper()
	CheckText(t, label, out, TextRules{})
	cells := -1
	for i, line := range strings.Split(out, "\n") {
		n := i + 1
		if strings.HasPrefix(strings.TrimLeft(line, " "), "#") && !contains(headings, line) {
			t.Errorf("%s: line %d is a heading: %q", label, n, line)
		}
		if strings.HasPrefix(line, "|") {
			c := 0
			for j := 0; j < len(line); j++ {
				if line[j] == '|' && (j == 0 || line[j-1] != '\\') {
					c++
				}
			}
			if cells < 0 {
				cells = c
			} else if c != cells {
				t.Errorf("%s: line %d has %d cell separators, its table %d: %q", label, n, c, cells, line)
			}
		} else {
			cells = -1
		}
		line := codeSpan.ReplaceAllString(line, "${1}`code`") // shown as it is
		for j := 0; j < len(line); j++ {
			switch {
			case strings.HasPrefix(line[j:], "![") && !escaped(line, j) && !escaped(line, j+1):
				t.Errorf("%s: line %d holds an image: %q", label, n, line)
			case strings.HasPrefix(line[j:], "](") && !escaped(line, j):
				t.Errorf("%s: line %d holds a link: %q", label, n, line)
			case line[j] == '<' && !strings.HasPrefix(line[j:], "<br>"):
				t.Errorf("%s: line %d holds HTML: %q", label, n, line)
			case line[j] == '`' && !escaped(line, j) && !strings.HasPrefix(line, "|"):
				t.Errorf("%s: line %d holds a code span: %q", label, n, line)
			}
		}
		if mention.MatchString(line) || autolink.MatchString(line) {
			t.Errorf("%s: line %d holds a mention or an autolink: %q", label, n, line)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// CheckCSV fails the test when out, CSV a command wrote, does not read
// back as records rows (the header included), each one physical line
// (CRLF ended), or fails [CheckText].
func CheckCSV(t testing.TB, label, out string, records int) {
	t.Helper()
	CheckText(t, label, out, TextRules{CRLF: true})
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	lines := bytes.Count([]byte(out), []byte("\r\n"))
	if len(rows) != records || lines != records || strings.Count(out, "\n") != records {
		t.Errorf("%s: %d records in %d lines, want %d:\n%q", label, len(rows), lines, records, out)
	}
}
