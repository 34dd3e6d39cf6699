package safetext

import (
	"strings"
	"unicode/utf8"
)

// CommandData returns s fit as the message of a GitHub Actions workflow
// command ("::error file=...::MESSAGE"), encoded as the Actions toolkit
// encodes it (% as %25, CR as %0D, LF as %0A: the runner decodes these,
// and the annotation keeps its lines), every other special character
// [Escape]d: the command stays one line, and no escape sequence reaches
// the log. "##[", which starts an older form of command anywhere in a
// line, is written "##\x5b", as [Text] writes it.
func CommandData(s string) string { return command2(s, false) }

// CommandProperty returns s fit as the value of a workflow command's
// property (file=, title=): encoded as [CommandData], and : as %3A and ,
// as %2C, which would end the value.
func CommandProperty(s string) string { return command2(s, true) }

func command2(s string, property bool) string {
	if clean(s) && !strings.ContainsAny(s, "%:,#") {
		return s
	}
	var b []byte
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '%':
			b = append(b, "%25"...)
		case r == '\r':
			b = append(b, "%0D"...)
		case r == '\n':
			b = append(b, "%0A"...)
		case property && r == ':':
			b = append(b, "%3A"...)
		case property && r == ',':
			b = append(b, "%2C"...)
		case r == '#' && strings.HasPrefix(s[i:], "##["):
			b = append(b, `##\x5b`...)
			n = 3
		default:
			b = appendEscaped(b, s[i:i+n])
		}
		i += n
	}
	return string(b)
}
