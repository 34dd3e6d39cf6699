package sarif

import (
	"strconv"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// MessageText returns the plain text of a result's message (SARIF
// §3.11): its text, or when it names one by id the rule's message string
// of that id (rule may be nil), with the placeholders {0}, {1}... replaced
// by its arguments ("{{" and "}}" stand for braces; a placeholder without
// an argument is left as written). The text may hold embedded links,
// "[text](target)"; see [MessageLinks].
func MessageText(msg *gosarif.Message, rule *gosarif.ReportingDescriptor) string {
	if msg == nil {
		return ""
	}
	var text string
	switch {
	case msg.Text != nil:
		text = *msg.Text
	case msg.ID != nil && rule != nil && rule.MessageStrings != nil:
		if s, ok := (*rule.MessageStrings)[*msg.ID]; ok && s.Text != nil {
			text = *s.Text
		}
	}
	if !strings.ContainsAny(text, "{}") {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case (c == '{' || c == '}') && i+1 < len(text) && text[i+1] == c:
			b.WriteByte(c)
			i++
		case c == '{':
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				b.WriteString(text[i:])
				return b.String()
			}
			n, err := strconv.Atoi(text[i+1 : i+end])
			if err != nil || n < 0 || n >= len(msg.Arguments) {
				b.WriteString(text[i : i+end+1])
			} else {
				b.WriteString(msg.Arguments[n])
			}
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// A MessagePart is a piece of a message's text: plain text, or the text
// of an embedded link and its target (SARIF §3.11.6): a relatedLocations
// id when Related is true, else a URI.
type MessagePart struct {
	Text    string
	Target  string // "" for plain text
	Related bool   // Target is the id of one of the result's relatedLocations
	ID      int    // that id
}

// MessageLinks splits plain message text into plain text and embedded
// links, "[text](target)", undoing the escapes "\[", "\]" and "\\" of
// link text. Brackets that make no link are text.
func MessageLinks(text string) []MessagePart {
	var parts []MessagePart
	var plain strings.Builder
	flush := func() {
		if plain.Len() > 0 {
			parts = append(parts, MessagePart{Text: plain.String()})
			plain.Reset()
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\\' && i+1 < len(text) && strings.IndexByte(`[]\`, text[i+1]) >= 0 {
			plain.WriteByte(text[i+1])
			i++
			continue
		}
		if c != '[' {
			plain.WriteByte(c)
			continue
		}
		label, target, n, ok := link(text[i:])
		if !ok {
			plain.WriteByte(c)
			continue
		}
		flush()
		p := MessagePart{Text: label, Target: target}
		if id, err := strconv.Atoi(target); err == nil && id >= 0 {
			p.Related, p.ID = true, id
		}
		parts = append(parts, p)
		i += n - 1
	}
	flush()
	return parts
}

// link reads "[label](target)" at the start of s, returning its length.
func link(s string) (label, target string, n int, ok bool) {
	var b strings.Builder
	i := 1
	for ; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && strings.IndexByte(`[]\`, s[i+1]) >= 0 {
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if c == '[' {
			return "", "", 0, false
		}
		if c == ']' {
			break
		}
		b.WriteByte(c)
	}
	if i+1 >= len(s) || s[i] != ']' || s[i+1] != '(' {
		return "", "", 0, false
	}
	// The target ends at the ")" that balances the "(", as in Markdown.
	end, depth := -1, 0
	for j := i + 2; j < len(s) && end < 0; j++ {
		switch s[j] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				end = j - (i + 2)
			}
			depth--
		}
	}
	if end < 0 {
		return "", "", 0, false
	}
	target = s[i+2 : i+2+end]
	if target == "" || strings.ContainsAny(target, " \t\n") {
		return "", "", 0, false
	}
	return b.String(), target, i + 2 + end + 1, true
}

// plainMessage is text with its embedded links replaced by their text.
func plainMessage(text string) string {
	if !strings.ContainsAny(text, "[\\") {
		return text
	}
	var b strings.Builder
	for _, p := range MessageLinks(text) {
		b.WriteString(p.Text)
	}
	return b.String()
}

// GitLabSkipsSuppressed tells whether GitLab's SARIF ingestion skips a
// result as suppressed, given the statuses of its suppressions ("" for
// one without a status): it skips a result that has suppressions, none
// of them underReview or rejected (its parser's suppressed?,
// https://gitlab.com/gitlab-org/gitlab/-/merge_requests/227970). It
// differs from [AcceptedSuppression], GitHub's reading, for a result with
// an accepted suppression and a rejected one (GitLab keeps it), and for
// one whose suppression has a status SARIF does not define (GitLab skips
// it).
func GitLabSkipsSuppressed(statuses []string) bool {
	for _, st := range statuses {
		if st == "underReview" || st == "rejected" {
			return false
		}
	}
	return len(statuses) > 0
}

// AcceptedSuppression returns the result's first suppression in effect,
// or nil when the result is not suppressed: a suppression whose status is
// accepted, or not given (SARIF §3.35.3; "underReview" and "rejected"
// ones do not suppress it), as GitHub reads it.
func AcceptedSuppression(r *gosarif.Result) *gosarif.Suppression {
	for _, s := range r.Suppressions {
		if s != nil && (s.Status == nil || *s.Status == "" || *s.Status == "accepted") {
			return s
		}
	}
	return nil
}
