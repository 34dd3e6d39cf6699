package safetext

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcödé 日本":   "plain text, ünïcödé 日本",
		"a\nb\r\tc":                `a\nb\r\tc`,
		"\x1b[31mred\a":            `\x1b[31mred\a`,
		"\x00\x7f\u0085\u009b":     `\x00\x7f\u0085\u009b`,
		"\u2028\u2029":             `\u2028\u2029`,
		"abc\u202edef\u2066\u200f": `abc\u202edef\u2066\u200f`,
		"bad \xff byte":            `bad \xff byte`,
		`C:\path`:                  `C:\path`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// No line of Text's output starts a workflow command, and none holds a
// control character.
func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"x\n::error::pwned.go": `x\n::error::pwned.go`,
		"::error::pwned":       `\x3a:error::pwned`,
		"  \u3000::warning::x": "  \u3000\\x3a:warning::x",
		"a ##[error]b ##[x":    `a ##\x5berror]b ##\x5bx`,
		"a::b":                 "a::b",
		"\t::x":                `\t::x`,
		": :x":                 ": :x",
	} {
		got := Text(in)
		if got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(got, "\n\r\x1b") || strings.HasPrefix(strings.TrimSpace(got), "::") {
			t.Errorf("Text(%q) = %q", in, got)
		}
	}
}

func TestCommand(t *testing.T) {
	in := "50% a:b,c\r\nd\x1b[0m ##[e"
	if got, want := CommandData(in), `50%25 a:b,c%0D%0Ad\x1b[0m ##\x5be`; got != want {
		t.Errorf("CommandData = %q, want %q", got, want)
	}
	if got, want := CommandProperty(in), `50%25 a%3Ab%2Cc%0D%0Ad\x1b[0m ##\x5be`; got != want {
		t.Errorf("CommandProperty = %q, want %q", got, want)
	}
	if s := "src/main.go"; CommandProperty(s) != s {
		t.Errorf("CommandProperty(%q) = %q", s, CommandProperty(s))
	}
}

func TestMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"plain text 1.2-3+4":                  "plain text 1.2-3+4",
		"a|b":                                 `a\|b`,
		"x\n# heading\r\ny":                   `x<br>\# heading<br>y`,
		"![i](http://x/i.png) [l](https://x)": "!\\[i\\](http\\:\u2060//x/i.png) \\[l\\](https\\:\u2060//x)",
		"<img src=x> &amp;":                   "&lt;img src=x&gt; &amp;amp;",
		"@octocat @ a@b.c":                    "@\u2060octocat @ a@\u2060b.c",
		"#12 see www.x.org":                   "\\#\u206012 see www\u2060.x.org",
		"*e* _u_ ~s~ `c` $m$ \\":              `\*e\* \_u\_ \~s\~ \` + "`" + `c\` + "`" + ` \$m\$ \\`,
		"\x1b[31m\a":                          `\\x1b\[31m\\a`,
	} {
		if got := Markdown(in); got != want {
			t.Errorf("Markdown(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := MarkdownCode("a`b|c\nd"), "`a'b\\|c\\nd`"; got != want {
		t.Errorf("MarkdownCode = %q, want %q", got, want)
	}
}

func BenchmarkTextClean(b *testing.B) {
	s := "internal/db/query.go:42:9: error G201: SQL string formatting — ünïcödé"
	for b.Loop() {
		Text(s)
	}
}

func TestLines(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb\n":                   "a\nb\n",
		"a\n::error::x\r\n\x1b[0m": "a\n\\x3a:error::x\\r\n\\x1b[0m",
	} {
		if got := Lines(in); got != want {
			t.Errorf("Lines(%q) = %q, want %q", in, got, want)
		}
	}
}

// clean's eight-bytes-at-a-time path agrees with a byte at a time: every
// byte value, at every offset of a word.
func TestCleanWords(t *testing.T) {
	base := []byte("abcdefghijklmnopqrstuvwx")
	for b := range 256 {
		for at := range len(base) {
			s := append([]byte(nil), base...)
			s[at] = byte(b)
			want := b >= 0x20 && b < 0x7f
			if got := clean(string(s)); got != want {
				t.Errorf("clean with %#x at %d = %v", b, at, got)
			}
		}
	}
}

func TestMarkdownLines(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                     "plain",
		"a\nb\n\nc":                 "a\\\nb\n\nc",
		"a\r\nb\rc":                 "a\\\nb\\\nc",
		"- item\n+ x\n= y\n1. one":  "\\- item\\\n\\+ x\\\n\\= y\\\n1\\. one",
		"2) two\n2024 was":          "2\\) two\\\n2024 was",
		"# head\n> quote\n***":      "\\# head\\\n&gt; quote\\\n\\*\\*\\*",
		"    code\n\tx":             "&#32;&#32;&#32;&#32;code\\\n&#9;x",
		"[l](javascript:x) <b>\x1b": "\\[l\\](javascript:x) &lt;b&gt;\\\\x1b",
		// GitLab's references (merge request, milestone, epic) and
		// inline diffs: escaped as its MarkdownPreEscapeFilter honours,
		// the diff markers split by a word joiner.
		"see !45 and %\"m\" and &12": "see \\!45 and \\%\"m\" and \\&12",
		"{+ add +} {- del -}":        "{\u2060+ add +\u2060} {\u2060- del -\u2060}",
		"[+ add +] [- del -]":        "\\[\u2060+ add +\u2060\\] \\[\u2060- del -\u2060\\]",
		"a+b c-d {x} -1":             "a+b c-d {x} -1",
	} {
		if got := MarkdownLines(in); got != want {
			t.Errorf("MarkdownLines(%q) = %q, want %q", in, got, want)
		}
	}
}
