package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/internal/longtest"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/report/alertreport"
)

// chromium finds a headless-capable Chromium (Debian's package is
// "chromium"), or skips the test saying why.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not found (Debian: apt-get install chromium): the HTML report cannot be tested in a browser here")
	return ""
}

// browse loads page (with a #fragment) in headless Chromium and returns
// the DOM after its script ran, and what Chromium logged.
func browse(t *testing.T, bin, page, fragment string, extra ...string) (dom, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}, extra...)
	if len(extra) == 0 {
		args = append(args, "--dump-dom")
	}
	args = append(args, "file://"+page+fragment)
	// Headless Chromium now and then dies of a signal on a busy machine:
	// a crash (not an exit status) is tried again, twice.
	for attempt := 1; ; attempt++ {
		cmd := exec.CommandContext(ctx, bin, args...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if err == nil {
			return out.String(), errb.String()
		}
		var ee *exec.ExitError
		if attempt < 3 && errors.As(err, &ee) && !ee.Exited() && ctx.Err() == nil {
			t.Logf("chromium %s: %v; trying again", fragment, err)
			continue
		}
		t.Fatalf("chromium %s: %v\n%s", fragment, err, errb.String())
	}
}

// consoleErrors are the lines of Chromium's log that report the page's
// console messages or uncaught errors (the page logs nothing itself).
func consoleErrors(log string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") {
			out = append(out, line)
		}
	}
	return out
}

func writePage(t *testing.T, name string) string {
	t.Helper()
	page := filepath.Join(t.TempDir(), name+".html")
	if err := os.WriteFile(page, render1(t, reportOf(t, name), "html"), 0o644); err != nil {
		t.Fatal(err)
	}
	return page
}

// The page loads without errors, shows the right counts, and a filtered
// address (#level=error, as the controls write it) opens filtered; the
// hostile log's markup stays text.
func TestHTMLInBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, chromium(t))
	diffPage := writePage(t, "diff")
	for _, c := range []struct {
		fragment        string
		matching, cards int
	}{
		{"", 5, 5},
		{"#level=error", 2, 2},
		{"#baseline=new", 2, 2},
		{"#baseline=absent", 1, 1},
		{"#level=error&baseline=new", 1, 1},
		{"#q=credentials", 1, 1},
		{"#rule=G104", 3, 3},
		{"#file=internal/exec/run.go", 1, 1},
		{"#level=note", 0, 0},
	} {
		b.open("file://" + diffPage + c.fragment)
		want := fmt.Sprintf("%d %d", c.matching, c.cards)
		if got := b.eval(`document.getElementById("status").dataset.matching + " " + document.querySelectorAll("li.result").length`); got != want {
			t.Errorf("diff%s: matching and shown %s, want %s", c.fragment, got, want)
		}
		if c.fragment == "" {
			counts := b.eval(`[...document.querySelectorAll("[data-count]")].map(e => e.dataset.count + "=" + e.textContent).join(" ")`)
			if counts != "results=4 error=2 warning=2 new=2 updated=1 unchanged=1 absent=1" {
				t.Errorf("counts: %s", counts)
			}
		}
	}
	b.open("file://" + writePage(t, "hostile"))
	if got := b.eval(`document.querySelector("li.result .msg").textContent`); got != "<script>document.title='pwned'</script> see this and that (src/a\"b.js:7)" {
		t.Errorf("hostile: the first message reads %q", got)
	}
	if errs := b.pageErrors(); len(errs) > 0 {
		t.Errorf("the page threw or logged errors: %v", errs)
	}
	// The console as Chromium logs it, for a page loaded on its own.
	_, log := browse(t, b.bin, diffPage, "")
	if errs := consoleErrors(log); len(errs) > 0 {
		t.Errorf("console: %v", errs)
	}
}

// Screenshots at a laptop's and a phone's width: they are written (look
// at them with SARIFKIT_SCREENSHOTS=DIR go test -run Screenshots). Each
// starts a browser of its own: the phone's is taken with
// SARIFKIT_LONG_TESTS=1 (package internal/longtest), as CI takes it, or
// when SARIFKIT_SCREENSHOTS asks for them; by default, the laptop's.
func TestHTMLScreenshots(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	page := writePage(t, "diff")
	dir := os.Getenv("SARIFKIT_SCREENSHOTS")
	sizes := []struct{ name, window string }{{"desktop", "1280,900"}, {"phone", "390,844"}}
	if dir == "" {
		dir = t.TempDir()
		sizes = sizes[:longtest.Size(1, 2)]
	}
	for _, size := range sizes {
		png := filepath.Join(dir, "report-"+size.name+".png")
		_, log := browse(t, bin, page, "#baseline=new", "--window-size="+size.window, "--hide-scrollbars", "--screenshot="+png)
		st, err := os.Stat(png)
		if err != nil || st.Size() < 10_000 {
			t.Errorf("%s: no screenshot (%v)\n%s", size.name, err, log)
		}
	}
}

// The page used as a person uses it: choosing in the selects, typing a
// search, ticking "show suppressed", paging; each changes what is shown
// and the address, and nothing throws.
func TestHTMLInteraction(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	b := newBrowser(t, bin)
	b.open("file://" + writePage(t, "diff"))
	state := func() string {
		return b.eval(`document.getElementById("status").dataset.matching + " " + document.querySelectorAll("li.result").length + " " + location.hash`)
	}
	choose := func(name, value string) string {
		b.eval(fmt.Sprintf(`(() => { const s = document.querySelector("[name=%s]"); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, name, value))
		return state()
	}
	if got := state(); got != "5 5 " {
		t.Errorf("at first: %q", got)
	}
	for _, c := range []struct{ name, value, want string }{
		{"level", "error", "2 2 #level=error"},
		{"baseline", "new", "1 1 #level=error&baseline=new"},
		{"level", "", "2 2 #baseline=new"},
		{"baseline", "", "5 5 "},
		{"rule", "G104", "3 3 #rule=G104"},
		{"file", "cmd/server/main.go", "2 2 #rule=G104&file=cmd%2Fserver%2Fmain.go"},
	} {
		if got := choose(c.name, c.value); got != c.want {
			t.Errorf("choosing %s=%q: %q, want %q", c.name, c.value, got, c.want)
		}
	}
	choose("rule", "")
	choose("file", "")
	b.eval(`(() => { const q = document.querySelector("[name=q]"); q.value = "credentials"; q.dispatchEvent(new Event("input", {bubbles: true})); })()`)
	if got := state(); got != "1 1 #q=credentials" {
		t.Errorf("typing a search: %q", got)
	}
	if errs := b.pageErrors(); len(errs) > 0 {
		t.Errorf("the page threw or logged errors: %v", errs)
	}

	// Suppressed results on demand.
	b.open("file://" + writePage(t, "hostile"))
	if got := state(); got != "4 4 " {
		t.Errorf("hostile at first: %q", got)
	}
	b.eval(`document.querySelector("[name=suppressed]").click()`)
	if got := state(); got != "5 5 #suppressed=1" {
		t.Errorf("show suppressed: %q", got)
	}
	if got := b.eval(`document.title`); got != "Report of hostile" {
		t.Errorf("the title became %q", got)
	}
	if got := b.eval(`document.querySelectorAll("img, iframe, a[href^=javascript]").length`); got != "0" {
		t.Errorf("%s elements made of the log's text", got)
	}

	// Pages of 100: a generated log of 250 results.
	b.open("file://" + writeGenerated(t, 250))
	page := func() string {
		return b.eval(`document.getElementById("status").dataset.page + " " + document.querySelectorAll("li.result").length + " " + document.getElementById("next").disabled`)
	}
	if got := page(); got != "1 100 false" {
		t.Errorf("page 1: %q", got)
	}
	b.eval(`document.getElementById("next").click()`)
	b.eval(`document.getElementById("next").click()`)
	if got := page(); got != "3 50 true" {
		t.Errorf("page 3: %q", got)
	}
	b.eval(`document.getElementById("prev").click()`)
	if got := page(); got != "2 100 false" {
		t.Errorf("back to page 2: %q", got)
	}
	if errs := b.pageErrors(); len(errs) > 0 {
		t.Errorf("the page threw or logged errors: %v", errs)
	}
}

// writeGenerated writes the page of a generated log of n results.
func writeGenerated(t *testing.T, n int) string {
	t.Helper()
	var log bytes.Buffer
	if err := gen.Write(&log, gen.Config{Results: n, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	r, err := report.Collect(t.Context(), []report.Input{{Name: "gen", Log: sariftest.Parse(t, log.String())}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := report.WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "gen.html")
	if err := os.WriteFile(name, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// The alerts report's page: its tables sort on a click, numbers as
// numbers, and its chart has a bar per severity.
func TestAlertReportInBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	rep := alertreport.New("Alerts of gen", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	for i := range 2000 {
		data, _ := json.Marshal(fakegithub.GeneratedAlert(i, 20))
		var a fetch.Alert
		if err := json.Unmarshal(data, &a); err != nil {
			t.Fatal(err)
		}
		rep.Add(&a, "")
	}
	var page bytes.Buffer
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "alerts.html")
	os.WriteFile(name, page.Bytes(), 0o644)
	b := newBrowser(t, bin)
	b.open("file://" + name)
	// Security severities, and the severities of rules without one.
	if got := b.eval(`[...document.querySelectorAll(".bar-label")].map(e => e.textContent).join(",")`); got != "critical,high,medium,low,error,warning,note" {
		t.Errorf("bars: %s", got)
	}
	// The tool table: sort by tool name, then by count (descending first).
	col := func(section, col int) string {
		return b.eval(fmt.Sprintf(`[...document.querySelectorAll("table")[%d].tBodies[0].rows].map(r => r.cells[%d].textContent).join(",")`, section, col))
	}
	tools := 6 // "Open alerts by tool"
	if got := b.eval(fmt.Sprintf(`document.querySelectorAll("section h2")[%d].textContent`, tools+1)); got != "Open alerts by tool" {
		t.Fatalf("section %d is %q", tools, got)
	}
	b.eval(fmt.Sprintf(`document.querySelectorAll("table")[%d].querySelectorAll("th")[0].click()`, tools))
	if got := col(tools, 0); got != "CodeQL,gosec,Semgrep" { // case aside
		t.Errorf("sorted by tool: %s", got)
	}
	b.eval(fmt.Sprintf(`document.querySelectorAll("table")[%d].querySelectorAll("th")[1].click()`, tools))
	counts := strings.Split(col(tools, 1), ",")
	for i := 1; i < len(counts); i++ {
		x, _ := strconv.Atoi(counts[i-1])
		y, _ := strconv.Atoi(counts[i])
		if x < y {
			t.Errorf("not sorted by count, descending: %v", counts)
		}
	}
	if errs := b.pageErrors(); len(errs) > 0 {
		t.Errorf("the page threw or logged errors: %v", errs)
	}
	if dir := os.Getenv("SARIFKIT_SCREENSHOTS"); dir != "" {
		browse(t, bin, name, "", "--window-size=1280,1400", "--hide-scrollbars", "--screenshot="+filepath.Join(dir, "alerts-desktop.png"))
	}
}
