package cli

import "testing"

func TestStdinTwice(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  bool
	}{
		{nil, false},
		{[]string{"-"}, false},
		{[]string{"a.sarif", "-", "b.sarif"}, false},
		{[]string{"-", "a.sarif", "-"}, true},
		{[]string{"", "-", "-"}, true}, // "" is no input: a flag left unset
	} {
		if got := StdinTwice(c.names...); got != c.want {
			t.Errorf("StdinTwice(%q) = %v, want %v", c.names, got, c.want)
		}
	}
}
