package review

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// Kinds of [Marker].
const (
	// KindComment marks an inline comment on a result.
	KindComment = "sarifkit-review"
	// KindSummary marks the summary comment of a tool and category.
	KindSummary = "sarifkit-review-summary"
	// KindFixed marks a reply saying that a commented result is fixed.
	KindFixed = "sarifkit-review-fixed"
)

// A Marker is the hidden line that finds sarifkit's comments again: an
// HTML comment, "<!-- KIND: KEY -->", that the forge does not show. KEY
// is a result's key (an inline comment, a reply) or a group's (a
// summary): hex digits, a result's being its group's, "-", and its own.
type Marker struct {
	Kind string
	Key  string
}

// String is the marker's line.
func (m Marker) String() string { return "<!-- " + m.Kind + ": " + m.Key + " -->" }

// Group is the key of the group (tool and category) of a result's key,
// or the key itself for a summary's.
func (m Marker) Group() string {
	g, _, _ := strings.Cut(m.Key, "-")
	return g
}

var markerLine = regexp.MustCompile(`^<!-- (sarifkit-review(?:-summary|-fixed)?): ([0-9a-f]{16}(?:-[0-9a-f]{24})?) -->$`)

// ParseMarker reads the marker of a comment's body: its last line (blank
// lines after it aside), where sarifkit writes it, after everything a log
// gives a comment; ok is false when that line is no marker. A marker
// anywhere else (in a suggestion's code, in quoted text) is not read.
// Only well-formed keys are read, of the length sarifkit writes: a marker
// is the body's only text that decides anything, and it holds no text of
// a log.
func ParseMarker(body string) (m Marker, ok bool) {
	body = strings.TrimRight(body, " \t\r\n")
	last := body[strings.LastIndexByte(body, '\n')+1:]
	s := markerLine.FindStringSubmatch(last)
	if s == nil {
		return Marker{}, false
	}
	m = Marker{Kind: s[1], Key: s[2]}
	if (m.Kind == KindSummary) != !strings.Contains(m.Key, "-") {
		return Marker{}, false
	}
	return m, true
}

// hashHex is the first n hex digits of the SHA-256 of parts, each
// followed by a NUL.
func hashHex(n int, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:n]
}

// groupKey is the key of a tool and category.
func groupKey(tool, category string) string { return hashHex(16, "group", tool, category) }
