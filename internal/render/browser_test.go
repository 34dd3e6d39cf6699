package render_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
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

var matching = regexp.MustCompile(`id="status"[^>]*data-matching="(\d+)"|data-matching="(\d+)"[^>]*id="status"`)

// shown reads how many results match the filters, and how many cards the
// page shows.
func shown(t *testing.T, dom string) (int, int) {
	t.Helper()
	if !strings.Contains(dom, `data-ready="1"`) {
		t.Fatalf("the page's script did not finish:\n%.2000s", dom)
	}
	m := matching.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no status in the page:\n%.2000s", dom)
	}
	n, _ := strconv.Atoi(m[1] + m[2])
	return n, strings.Count(dom, `<li class="result `)
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
	if err := os.WriteFile(page, render1(t, report(t, name), "html"), 0o644); err != nil {
		t.Fatal(err)
	}
	return page
}

// The page loads without console errors, shows the right counts, and its
// filters (read from the #fragment the controls write) change what is
// shown; the hostile log's markup stays text.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
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
		dom, log := browse(t, bin, diffPage, c.fragment)
		if errs := consoleErrors(log); len(errs) > 0 {
			t.Errorf("%s: console: %v", c.fragment, errs)
		}
		if n, cards := shown(t, dom); n != c.matching || cards != c.cards {
			t.Errorf("diff%s: %d matching, %d shown; want %d, %d", c.fragment, n, cards, c.matching, c.cards)
		}
		if c.fragment == "" {
			for _, count := range []string{`data-count="results">4<`, `data-count="new">2<`, `data-count="absent">1<`, `data-count="error">2<`} {
				if !strings.Contains(dom, count) {
					t.Errorf("the counts lack %s", count)
				}
			}
		}
	}

	hostile := writePage(t, "hostile")
	dom, log := browse(t, bin, hostile, "")
	if errs := consoleErrors(log); len(errs) > 0 {
		t.Errorf("hostile: console: %v", errs)
	}
	if n, _ := shown(t, dom); n != 4 {
		t.Errorf("hostile: %d shown, want 4 (the suppressed one hidden)", n)
	}
	if n, _ := shown(t, func() string { d, _ := browse(t, bin, hostile, "#suppressed=1"); return d }()); n != 5 {
		t.Errorf("hostile with suppressed: %d shown, want 5", n)
	}
	for _, bad := range []string{"<img", `href="javascript:`, "<b>rule", "pwned</title>"} {
		if strings.Contains(dom, bad) {
			t.Errorf("hostile: the page's DOM holds %q", bad)
		}
	}
	if !strings.Contains(dom, "&lt;script&gt;document.title='pwned'&lt;/script&gt;") {
		t.Errorf("hostile: the message is not shown as text")
	}
}

// Screenshots at a laptop's and a phone's width: they are written (look
// at them with SARIFKIT_SCREENSHOTS=DIR go test -run Screenshots).
func TestHTMLScreenshots(t *testing.T) {
	bin := chromium(t)
	page := writePage(t, "diff")
	dir := os.Getenv("SARIFKIT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, size := range []struct{ name, window string }{{"desktop", "1280,900"}, {"phone", "390,844"}} {
		png := filepath.Join(dir, "report-"+size.name+".png")
		_, log := browse(t, bin, page, "#baseline=new", "--window-size="+size.window, "--hide-scrollbars", "--screenshot="+png)
		st, err := os.Stat(png)
		if err != nil || st.Size() < 10_000 {
			t.Errorf("%s: no screenshot (%v)\n%s", size.name, err, log)
		}
	}
}
