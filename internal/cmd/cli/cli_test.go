package cli

import (
	"bytes"
	"runtime/debug"
	"slices"
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

// The version says the release linked in, else the module's version,
// and the commit when the version does not already name it.
func TestDescribeVersion(t *testing.T) {
	t.Parallel()
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "d3f49c8a59e7c1e2a0b4"}, {Key: "vcs.time", Value: "2026-12-05T23:30:24Z"}}
	dirty := append(slices.Clone(vcs), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	for _, c := range []struct {
		info   *debug.BuildInfo
		linked string
		want   string
	}{
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}}, "", "v1.2.3, go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "v1.3.0", "v1.3.0, go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "", "(devel), commit d3f49c8a59e7 of 2026-12-05T23:30:24Z, go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: ""}, Settings: dirty}, "", "(devel), commit d3f49c8a59e7+dirty of 2026-12-05T23:30:24Z, go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261205233024-d3f49c8a59e7+dirty"}, Settings: dirty}, "", "v0.0.0-20261205233024-d3f49c8a59e7+dirty, go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "v1.3.0", "v1.3.0, commit d3f49c8a59e7 of 2026-12-05T23:30:24Z, go1.26.8"},
		{nil, "v1.3.0", "v1.3.0"},
		{nil, "", "(unknown)"},
	} {
		if got := describe(c.info, c.linked); got != c.want {
			t.Errorf("describe(%+v, %q) = %q; want %q", c.info, c.linked, got, c.want)
		}
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	if v := Version(); !strings.Contains(v, ", go1.") {
		t.Errorf("Version() = %q: no Go version", v)
	}
}
