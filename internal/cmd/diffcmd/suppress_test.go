package diffcmd

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A head result matched to a base result whose suppression is accepted
// (a dismissal on GitHub, as sarif-fetch --alert-states writes it, or a
// SARIF suppression of the base scan) inherits it: it counts as the
// head's own in every gate mode and every report. The head here has the
// dismissed G104 unchanged (or moved: updated) and a G101 that no one
// dismissed; base also has a G204 whose suppression was rejected, which
// does not suppress.
func TestSuppressionsInherited(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	result := func(rule, uri string, line int, extra string) string {
		return `{"ruleId":"` + rule + `","level":"error","message":{"text":"` + rule + ` finding"},` +
			`"locations":[{"physicalLocation":{"artifactLocation":{"uri":"` + uri + `"},"region":{"startLine":` + strconv.Itoa(line) + `}}}]` + extra + `}`
	}
	write := func(name string, results ...string) string {
		p := filepath.Join(dir, name)
		log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[` + strings.Join(results, ",") + `]}]}`
		if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dismissed := `,"suppressions":[{"kind":"external","status":"accepted","justification":"dismissed on GitHub as won't fix"}]`
	rejected := `,"suppressions":[{"kind":"inSource","status":"rejected"}]`
	base := write("base.sarif", result("G104", "a.go", 10, dismissed), result("G101", "b.go", 3, ""), result("G204", "c.go", 7, rejected))
	same := write("same.sarif", result("G104", "a.go", 10, ""), result("G101", "b.go", 3, ""), result("G204", "c.go", 7, rejected))
	moved := write("moved.sarif", result("G104", "a.go", 12, ""), result("G101", "b.go", 3, ""), result("G204", "c.go", 7, rejected))

	// The gate: only the G101 and the G204 (unchanged) count for any;
	// nothing is new or updated but the dismissed G104, which does not
	// count.
	inherited := "sarif-diff: warning: 1 head result(s) suppressed as the base result they match is (dismissed on GitHub, or suppressed in the base log): they do not count in the gate\n"
	for _, c := range []struct {
		failOn, head string
		code         int
		msg          string
	}{
		{"any", same, 1, "sarif-diff: gate failed: 2 result(s) in head\n"},
		{"updated", same, 0, "sarif-diff: gate passed: no result new or updated\n"},
		{"new", same, 0, "sarif-diff: gate passed: no result new\n"},
		{"any", moved, 1, "sarif-diff: gate failed: 2 result(s) in head\n"},
		{"updated", moved, 0, "sarif-diff: gate passed: no result new or updated\n"},
		{"new", moved, 0, "sarif-diff: gate passed: no result new\n"},
	} {
		code, _, stderr := runCLI(t, "", "--fail-on", c.failOn, base, c.head)
		if code != c.code || stderr != inherited+c.msg {
			t.Errorf("--fail-on %s, %s: exit %d, %s; want %d and %q", c.failOn, filepath.Base(c.head), code, stderr, c.code, c.msg)
		}
	}
	// The base alone suppressed, the same head: --fail-on any passes.
	lone := write("lone-base.sarif", result("G104", "a.go", 10, dismissed))
	loneHead := write("lone-head.sarif", result("G104", "a.go", 10, ""))
	if code, _, stderr := runCLI(t, "", "--fail-on", "any", lone, loneHead); code != 0 || stderr != inherited+"sarif-diff: gate passed: no result in head\n" {
		t.Errorf("a dismissed result unchanged, --fail-on any: exit %d, %s", code, stderr)
	}
	// Asked not to inherit, the head's own suppressions alone count.
	if code, _, stderr := runCLI(t, "", "--fail-on", "updated", "--inherit-suppressions=false", base, moved); code != 1 || stderr != "sarif-diff: gate failed: 1 result(s) new or updated\n" {
		t.Errorf("--inherit-suppressions=false: exit %d, %s", code, stderr)
	}

	// Every report says so.
	note := "1 head result(s) suppressed as the base result they match is"
	for _, c := range []struct {
		format string
		want   []string
		not    []string
	}{
		{"json", []string{`"suppressed": true`, `"gateFailures": 2`, note}, nil},
		{"sarif", []string{`"suppressions":[{"justification":"dismissed on GitHub as won't fix","kind":"external","status":"accepted"}]`}, nil},
		{"markdown", []string{note}, nil},
		{"github", []string{"::warning title=SARIF comparison::" + note, "title=gosec G101", "title=gosec G204"}, []string{"title=gosec G104"}},
		{"text", []string{"0 new, 0 absent, 1 updated, 2 unchanged\n"}, nil},
		{"explain", []string{"a.go:12: error G104: G104 finding (suppressed, as in base)\n", "b.go:3: error G101: G101 finding\n"}, nil},
	} {
		args := []string{"--format", c.format, "--fail-on", "any", base, moved}
		if c.format == "explain" {
			args[1] = "text"
			args = append([]string{"--explain"}, args...)
		}
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 1 {
			t.Errorf("%s: exit %d: %s", c.format, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%s: the report lacks %q:\n%s", c.format, w, stdout)
			}
		}
		for _, w := range c.not {
			if strings.Contains(stdout, w) {
				t.Errorf("%s: the report has %q:\n%s", c.format, w, stdout)
			}
		}
		wantErr := inherited + "sarif-diff: gate failed: 2 result(s) in head\n"
		if c.format != "text" && c.format != "explain" {
			wantErr = inherited + "sarif-diff: 0 new, 0 absent, 1 updated, 2 unchanged\n" + "sarif-diff: gate failed: 2 result(s) in head\n"
		}
		if stderr != wantErr {
			t.Errorf("%s: stderr %s", c.format, stderr)
		}
	}
}
