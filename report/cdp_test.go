package report_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// A chrome is headless Chromium driven over the DevTools protocol on a
// pipe (--remote-debugging-pipe: commands on its fd 3, replies and events
// on its fd 4, each message ended by a NUL byte), so that a test can use
// the page as a person does (choose in a select, type, click) and see
// what the page's script reports and throws. One is started for all the
// tests of the package (see [newBrowser]), each test in tabs of its own.
type chrome struct {
	cmd     *exec.Cmd
	in      *os.File
	mu      sync.Mutex
	next    int
	waiting map[int]chan cdpMessage
	errors  map[string][]string // exceptions thrown and console errors, by session
	exited  chan struct{}       // closed when the process has ended
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// shared is the Chromium of the package's tests, started by the first
// that needs one and closed by TestMain.
var shared struct {
	once sync.Once
	c    *chrome
	err  error
}

// A browser is a test's view of the shared Chromium: the tabs it opens
// (the last one is where eval runs) and the errors they gave.
type browser struct {
	t        *testing.T
	bin      string
	c        *chrome
	session  string
	sessions []string
	opened   func(targetID string)
}

// newBrowser returns a test's browser on the Chromium at bin, started
// once for all the tests; the tabs the test opens are closed when it
// ends.
func newBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	shared.once.Do(func() { shared.c, shared.err = startChrome(bin) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	b := &browser{t: t, bin: bin, c: shared.c}
	var targets []string
	t.Cleanup(func() {
		for _, id := range targets {
			b.call("", "Target.closeTarget", map[string]any{"targetId": id})
		}
	})
	b.opened = func(id string) { targets = append(targets, id) }
	return b
}

func startChrome(bin string) (*chrome, error) {
	cmdR, cmdW, err := os.Pipe() // we write commands, Chromium reads fd 3
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe() // Chromium writes fd 4, we read
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sarifkit-chromium-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
		"--user-data-dir="+dir, "--remote-debugging-pipe", "--window-size=1280,900", "about:blank")
	cmd.ExtraFiles = []*os.File{cmdR, outW}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmdR.Close()
	outW.Close()
	c := &chrome{cmd: cmd, in: cmdW, waiting: map[int]chan cdpMessage{}, errors: map[string][]string{}, exited: make(chan struct{})}
	go c.read(outR)
	go func() {
		cmd.Wait()
		os.RemoveAll(dir)
		close(c.exited)
	}()
	return c, nil
}

// closeShared closes the shared Chromium, if it was started.
func closeShared() {
	c := shared.c
	if c == nil {
		return
	}
	msg, _ := json.Marshal(cdpMessage{ID: 1 << 30, Method: "Browser.close", Params: json.RawMessage("{}")})
	c.mu.Lock()
	c.in.Write(append(msg, 0))
	c.in.Close()
	c.mu.Unlock()
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
	}
}

func (c *chrome) read(r *os.File) {
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			c.mu.Lock()
			for id, ch := range c.waiting {
				close(ch)
				delete(c.waiting, id)
			}
			c.mu.Unlock()
			return
		}
		var m cdpMessage
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil {
			continue
		}
		c.mu.Lock()
		switch {
		case m.ID != 0:
			if ch := c.waiting[m.ID]; ch != nil {
				ch <- m
				delete(c.waiting, m.ID)
			}
		case m.Method == "Runtime.exceptionThrown":
			c.errors[m.SessionID] = append(c.errors[m.SessionID], string(m.Params))
		case m.Method == "Runtime.consoleAPICalled" && strings.Contains(string(m.Params), `"type":"error"`):
			c.errors[m.SessionID] = append(c.errors[m.SessionID], string(m.Params))
		}
		c.mu.Unlock()
	}
}

// call sends a command (to the attached page when session is set) and
// returns its result.
func (b *browser) call(session, method string, params any) json.RawMessage {
	b.t.Helper()
	c := b.c
	c.mu.Lock()
	c.next++
	id := c.next
	ch := make(chan cdpMessage, 1)
	c.waiting[id] = ch
	c.mu.Unlock()
	p, _ := json.Marshal(params)
	if params == nil {
		p = []byte("{}")
	}
	msg, _ := json.Marshal(cdpMessage{ID: id, SessionID: session, Method: method, Params: p})
	c.mu.Lock()
	_, err := c.in.Write(append(msg, 0))
	c.mu.Unlock()
	if err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			b.t.Fatalf("%s: Chromium went away", method)
		}
		if m.Error != nil {
			b.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		return m.Result
	case <-time.After(60 * time.Second):
		b.t.Fatalf("%s: no answer in a minute", method)
	}
	return nil
}

// open loads url in a new tab and waits for the page's script to finish.
func (b *browser) open(url string) {
	b.t.Helper()
	var target struct{ TargetID string }
	json.Unmarshal(b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}), &target)
	b.opened(target.TargetID)
	var att struct{ SessionID string }
	json.Unmarshal(b.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}), &att)
	b.session = att.SessionID
	b.sessions = append(b.sessions, att.SessionID)
	b.call(b.session, "Runtime.enable", nil)
	b.call(b.session, "Page.enable", nil)
	b.call(b.session, "Page.navigate", map[string]any{"url": url})
	deadline := time.Now().Add(30 * time.Second)
	for b.eval(`document.body && document.body.dataset.ready || ""`) != "1" {
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: the page's script did not finish", url)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// eval evaluates a JavaScript expression in the page and returns its
// value as text.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	json.Unmarshal(b.call(b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}), &r)
	if r.ExceptionDetails != nil {
		b.t.Fatalf("%s: %s", expr, r.ExceptionDetails.Text)
	}
	if r.Result.Value == nil {
		return ""
	}
	return fmt.Sprint(r.Result.Value)
}

// pageErrors are the exceptions and console errors the test's tabs gave
// so far.
func (b *browser) pageErrors() []string {
	b.c.mu.Lock()
	defer b.c.mu.Unlock()
	var out []string
	for _, s := range b.sessions {
		out = append(out, b.c.errors[s]...)
	}
	return out
}

// screenshot writes a PNG of the page at the given size in CSS pixels,
// as a phone (mobile) or a laptop shows it.
func (b *browser) screenshot(name string, width, height int, mobile bool) {
	b.t.Helper()
	b.call(b.session, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
	// Under load, headless Chromium can answer the first capture after a
	// resize with a frame not yet painted (a blank image of a few hundred
	// bytes): a small image is captured again, a few times, before the
	// caller judges it.
	var shot struct{ Data []byte }
	for try := 0; try < 5; try++ {
		json.Unmarshal(b.call(b.session, "Page.captureScreenshot", map[string]any{"format": "png"}), &shot)
		if len(shot.Data) >= 10_000 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := os.WriteFile(name, shot.Data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
