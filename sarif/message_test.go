package sarif

import (
	"reflect"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

func TestMessageText(t *testing.T) {
	str := func(s string) *string { return &s }
	rule := &gosarif.ReportingDescriptor{ID: "R1", MessageStrings: &gosarif.MessageStrings{
		"default": {Text: str("Variable '{0}' is unused in {1}.")},
	}}
	for _, c := range []struct {
		msg  *gosarif.Message
		want string
	}{
		{nil, ""},
		{&gosarif.Message{Text: str("plain")}, "plain"},
		{&gosarif.Message{ID: str("default"), Arguments: []string{"x", "f"}}, "Variable 'x' is unused in f."},
		{&gosarif.Message{ID: str("missing")}, ""},
		{&gosarif.Message{Text: str("{{literal}} {0} {1} {x}"), Arguments: []string{"a"}}, "{literal} a {1} {x}"},
		{&gosarif.Message{Text: str("unclosed {0")}, "unclosed {0"},
	} {
		if got := MessageText(c.msg, rule); got != c.want {
			t.Errorf("MessageText(%+v) = %q, want %q", c.msg, got, c.want)
		}
	}
}

func TestMessageLinks(t *testing.T) {
	got := MessageLinks(`Data from [user input](1) reaches [this \[sink\]](https://example.com/x) [not a link] [x](a b)`)
	want := []MessagePart{
		{Text: "Data from "},
		{Text: "user input", Target: "1", Related: true, ID: 1},
		{Text: " reaches "},
		{Text: "this [sink]", Target: "https://example.com/x"},
		{Text: " [not a link] [x](a b)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MessageLinks:\n got %+v\nwant %+v", got, want)
	}
	if got := plainMessage(`see [this](https://x.example/a_(b)) and [here](2) \\ done`); got != `see this and here \ done` {
		t.Errorf("PlainMessage = %q", got)
	}
}

// GitLab skips a result whose suppressions are none of them underReview or
// rejected: unlike GitHub, an accepted and a rejected one keep it, and a
// status SARIF does not define suppresses.
func TestGitLabSkipsSuppressed(t *testing.T) {
	for _, c := range []struct {
		statuses []string
		want     bool
	}{
		{nil, false},
		{[]string{""}, true},
		{[]string{"accepted"}, true},
		{[]string{"underReview"}, false},
		{[]string{"rejected"}, false},
		{[]string{"accepted", "rejected"}, false},
		{[]string{"bogus"}, true},
	} {
		if got := GitLabSkipsSuppressed(c.statuses); got != c.want {
			t.Errorf("GitLabSkipsSuppressed(%q) = %v, want %v", c.statuses, got, c.want)
		}
	}
}
