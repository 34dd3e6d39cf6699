package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A progress line shows on a terminal only, and is cleared when done.
func TestProgress(t *testing.T) {
	t.Parallel()
	for _, terminal := range []bool{true, false} {
		var errb bytes.Buffer
		c := New("x", "Usage: x\n", &IO{Err: &errb, ErrTerminal: terminal})
		p := c.NewProgress("reading big.sarif", 200e6)
		p.Set(50e6)
		time.Sleep(250 * time.Millisecond)
		p.Set(100e6)
		p.Done()
		got := errb.String()
		if !terminal {
			if got != "" {
				t.Errorf("not a terminal: %q", got)
			}
			continue
		}
		if !strings.Contains(got, "\rx: reading big.sarif: 25% (50.0 of 200.0 MB)") || !strings.Contains(got, "50% (100.0 of 200.0 MB)") || !strings.HasSuffix(got, "\r\x1b[K") {
			t.Errorf("terminal: %q", got)
		}
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	if v := Version(); !strings.Contains(v, ", go1.") {
		t.Errorf("Version() = %q: no Go version", v)
	}
}
