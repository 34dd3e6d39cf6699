package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// memForge is a forge in memory: what it is given is what Posted returns
// on the next run, as a forge keeps it.
type memForge struct {
	files    []File
	posted   []Posted
	reviews  int
	edits    int
	resolved []string
	readOnly bool
	next     int
	// refuse, when set, tells which comments the forge refuses.
	refuse func(Comment) bool
}

func (m *memForge) Files(context.Context) ([]File, error) { return m.files, nil }
func (m *memForge) Posted(context.Context) ([]Posted, error) {
	return append([]Posted(nil), m.posted...), nil
}
func (m *memForge) id() string { m.next++; return fmt.Sprint(m.next) }

func (m *memForge) Post(_ context.Context, cs []Comment) error {
	if m.readOnly {
		return fmt.Errorf("POST: 403: %w", ErrReadOnly)
	}
	if len(cs) == 0 {
		return fmt.Errorf("an empty review")
	}
	m.reviews++
	var refused []int
	for i, c := range cs {
		if m.refuse != nil && m.refuse(c) {
			refused = append(refused, i)
			continue
		}
		mk, ok := ParseMarker(c.Body)
		if !ok || mk.Key != c.Key {
			return fmt.Errorf("comment without its marker: %q", c.Body)
		}
		id := m.id()
		m.posted = append(m.posted, Posted{ID: id, ThreadID: id, Key: c.Key, Marker: mk.String(), Path: c.Path, Line: c.Line, Body: c.Body})
	}
	if refused != nil {
		return &RefusedError{Comments: refused, Err: errors.New("400 line_code can't be blank")}
	}
	return nil
}

func (m *memForge) Summary(_ context.Context, marker, body string, posted []Posted) error {
	for i, p := range m.posted {
		if p.Summary && p.Marker == marker {
			m.posted[i].Body = body
			m.edits++
			return nil
		}
	}
	m.posted = append(m.posted, Posted{ID: m.id(), Marker: marker, Summary: true, Body: body})
	return nil
}

// review is a run: a plan of l built on what m holds, applied to m.
func (m *memForge) review(t *testing.T, l *sarif.Log, o *Options) *Plan {
	t.Helper()
	ctx := context.Background()
	posted, _ := m.Posted(ctx)
	p, err := Build(ctx, l, m.files, posted, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(ctx, m, posted); err != nil {
		t.Fatal(err)
	}
	return p
}

func (m *memForge) Resolve(_ context.Context, p Posted, note string) error {
	if !strings.Contains(note, KindFixed) {
		return fmt.Errorf("a note without its marker")
	}
	m.resolved = append(m.resolved, p.Key)
	for i := range m.posted {
		if m.posted[i].ID == p.ID {
			m.posted[i].Resolved = true
		}
	}
	return nil
}

// result is the JSON of a result of rule on path:line (to end), with
// extra members.
func result(rule, path string, line, end int, extra string) string {
	return fmt.Sprintf(`{"ruleId":%q,"level":"warning","message":{"text":"%s found"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":%d,"endLine":%d}}}]%s}`,
		rule, rule, path, line, end, extra)
}

func testLog(t *testing.T, results ...string) *sarif.Log {
	t.Helper()
	return toolLog(t, "lint", results...)
}

// toolLog is a log of one run of tool, category go/.
func toolLog(t *testing.T, tool string, results ...string) *sarif.Log {
	t.Helper()
	text := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"` + tool + `"}},"automationDetails":{"id":"go/"},"results":[` + strings.Join(results, ",") + `]}]}`
	l, err := sarif.Read(context.Background(), strings.NewReader(text), "test.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// patch: a.go lines 10-12 added, 13 context, 14 removed then 14-15 added;
// b.go a second hunk far below.
var files = []File{
	{Path: "a.go", Status: "modified", Patch: "@@ -8,4 +8,8 @@\n ctx8\n ctx9\n+add10\n+add11\n+add12\n ctx13\n-old\n+add14\n+add15\n ctx16\n"},
	{Path: "b.go", Status: "modified", Patch: "@@ -1,2 +1,3 @@\n one\n+two\n three\n@@ -40,1 +41,2 @@\n forty\n+fortyone\n"},
	{Path: "bin.png", Status: "added"},
	{Path: "bad.go", Status: "modified", Patch: "@@ -1,2 +1,2 @@\n+x\n"},
}

func TestBuildLines(t *testing.T) {
	l := testLog(t,
		result("R1", "a.go", 10, 10, ""),                       // added: inline
		result("R2", "a.go", 11, 14, ""),                       // added, to line 14 of the same hunk: 11-14
		result("R3", "a.go", 13, 13, ""),                       // context: summary, inline in diff_context
		result("R4", "a.go", 3, 3, ""),                         // outside the hunks
		result("R5", "b.go", 2, 42, ""),                        // ends in another hunk: one line
		result("R6", "c.go", 1, 1, ""),                         // file not changed
		result("R7", "bin.png", 1, 1, ""),                      // no patch
		result("R8", "../x.go", 1, 1, ""),                      // outside the repository
		result("R9", "a.go", 12, 12, `,"baselineState":"new"`), // a report: R1-R8 are base results then
	)
	p, err := Build(context.Background(), l, files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The log has a baselineState: a report, only R9 is new.
	if len(p.Comments) != 1 || p.Comments[0].Line != 12 {
		t.Fatalf("report: comments %+v", p.Comments)
	}
	l = testLog(t,
		result("R1", "a.go", 10, 10, ""),
		result("R2", "a.go", 11, 14, ""),
		result("R3", "a.go", 13, 13, ""),
		result("R4", "a.go", 3, 3, ""),
		result("R5", "b.go", 2, 42, ""),
		result("R6", "c.go", 1, 1, ""),
		result("R7", "bin.png", 1, 1, ""),
		result("R8", "../x.go", 1, 1, ""),
		result("R10", "bad.go", 1, 1, ""), // a patch that cannot be read
		result("R11", "file:///srv/scan/a.go", 1, 1, ""),
		result("R12", "https://example.com/a.go", 1, 1, ""),
		result("R13", "/srv/scan/a.go", 1, 1, ""),
	)
	for _, mode := range []FilterMode{Added, DiffContext} {
		p, err := Build(context.Background(), l, files, nil, &Options{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range p.Comments {
			got = append(got, fmt.Sprintf("%s:%d-%d old %d-%d", c.Path, c.StartLine, c.Line, c.OldLine, c.OldEndLine))
		}
		want := "a.go:10-10 old 0-0,a.go:11-14 old 0-0,b.go:2-2 old 0-0"
		if mode == DiffContext {
			want = "a.go:10-10 old 0-0,a.go:11-14 old 0-0,a.go:13-13 old 10-10,b.go:2-2 old 0-0"
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: comments\n got %s\nwant %s", mode, strings.Join(got, ","), want)
		}
		why := map[string]string{}
		for _, it := range p.Groups[0].Items {
			why[it.RuleID] = it.Why
		}
		wantWhy := map[string]string{"R4": "line not changed", "R6": "file not changed", "R7": "no diff from the forge (binary, or too large)", "R8": "a path outside the repository",
			"R11": "an absolute path, and the checkout is not known", "R12": "not a file of the repository", "R13": "an absolute path outside the checkout",
			"R10": "the forge's diff of the file cannot be read"}
		if mode == Added {
			wantWhy["R3"] = "line not changed"
		}
		for r, w := range wantWhy {
			if why[r] != w {
				t.Errorf("%s: %s: why %q, want %q", mode, r, why[r], w)
			}
		}
	}
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	l := testLog(t, result("R1", "a.go", 10, 10, ""), result("R1", "a.go", 11, 11, ""), result("R2", "a.go", 12, 12, ""), result("R3", "a.go", 13, 13, ""))
	f := &memForge{files: files}
	run := func(l *sarif.Log, o *Options) *Plan { t.Helper(); return f.review(t, l, o) }
	p := run(l, &Options{MaxComments: 2})
	if len(p.Comments) != 2 || f.reviews != 1 || len(p.Groups) != 1 {
		t.Fatalf("first run: %d comments, %d reviews, %d groups", len(p.Comments), f.reviews, len(p.Groups))
	}
	if !strings.Contains(p.Groups[0].Body, "over the limit of 2 inline comments") || !strings.Contains(p.Groups[0].Body, "line not changed") {
		t.Errorf("summary:\n%s", p.Groups[0].Body)
	}
	// Again: nothing posted, the summary edited, the limit still full.
	p = run(l, &Options{MaxComments: 2})
	if len(p.Comments) != 0 || f.reviews != 1 || f.edits != 1 {
		t.Fatalf("second run: %d comments, %d reviews, %d edits", len(p.Comments), f.reviews, f.edits)
	}
	// A higher limit comments the third; the two identical-but-for-line
	// R1 results have keys of their own.
	p = run(l, &Options{MaxComments: 5})
	if len(p.Comments) != 1 || p.Comments[0].Line != 12 {
		t.Fatalf("third run: %+v", p.Comments)
	}
	// R1 at 11 is fixed and the code above moved: R1 now on line 10 is
	// still the first R1, R2 moved to 14: nothing new, one fixed.
	l2 := testLog(t, result("R1", "a.go", 10, 10, ""), result("R2", "a.go", 14, 14, ""), result("R3", "a.go", 13, 13, ""))
	p = run(l2, &Options{MaxComments: 5})
	if len(p.Comments) != 0 || len(f.resolved) != 1 || len(p.Groups[0].Fixed) != 1 || p.Groups[0].Fixed[0].Line != 11 {
		t.Fatalf("fixed run: %d comments, resolved %v, fixed %+v", len(p.Comments), f.resolved, p.Groups[0].Fixed)
	}
	if !strings.Contains(p.Groups[0].Body, "**Fixed since an earlier review** (1):\n- `a.go:11`") {
		t.Errorf("summary:\n%s", p.Groups[0].Body)
	}
	run(l2, &Options{MaxComments: 5})
	if len(f.resolved) != 1 {
		t.Errorf("resolved twice: %v", f.resolved)
	}
	// Read-only: the error comes back, Markdown lists every result.
	f2 := &memForge{files: files, readOnly: true}
	p, err := Build(ctx, l, files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(ctx, f2, nil); err == nil || !strings.Contains(err.Error(), "may not write") {
		t.Errorf("read-only: %v", err)
	}
	if md := p.Markdown(); strings.Count(md, "would be inline") != 3 || strings.Contains(md, "<!--") {
		t.Errorf("read-only Markdown:\n%s", md)
	}
}

func fixOf(path string, region, insert string) string {
	return fmt.Sprintf(`,"fixes":[{"description":{"text":"fix it"},"artifactChanges":[{"artifactLocation":{"uri":%q},"replacements":[{"deletedRegion":%s,"insertedContent":{"text":%q}}]}]}]`, path, region, insert)
}

func TestSuggestions(t *testing.T) {
	fs := []File{{Path: "s.go", Patch: "@@ -1,0 +1,4 @@\n+\tx := f(a, b)\n+\ty := \"😀\" + z\n+\tbad := 1\n+\t```\n"}}
	for _, c := range []struct {
		name       string
		res        string
		flavor     Flavor
		want       string // the block, "" for none
		wantText   bool   // a fix described in text
		columnKind string
	}{
		{name: "columns", res: result("R", "s.go", 1, 1, fixOf("s.go", `{"startLine":1,"startColumn":9,"endColumn":10}`, "c")),
			want: "```suggestion\n\tx := f(c, b)\n```\n"},
		{name: "whole line", res: result("R", "s.go", 1, 1, fixOf("s.go", `{"startLine":1}`, "\tx := g()")),
			want: "```suggestion\n\tx := g()\n```\n"},
		{name: "whole line and one more", res: result("R", "s.go", 1, 1, fixOf("s.go", `{"startLine":1}`, "\tx := g()\n\ty := 0")),
			want: "```suggestion\n\tx := g()\n\ty := 0\n```\n"},
		{name: "line text deleted", res: result("R", "s.go", 1, 1, fixOf("s.go", `{"startLine":1}`, "")),
			want: "```suggestion\n\n```\n"},
		{name: "line deleted", res: result("R", "s.go", 1, 2, fixOf("s.go", `{"startLine":1,"startColumn":1,"endLine":2,"endColumn":1}`, "")),
			want: "```suggestion\n\ty := \"😀\" + z\n```\n"},
		{name: "two lines joined", res: result("R", "s.go", 1, 2, fixOf("s.go", `{"startLine":1,"endLine":2}`, "A")),
			want: "```suggestion\nA\n```\n"},
		{name: "two lines, GitLab", flavor: GitLab, res: result("R", "s.go", 1, 2, fixOf("s.go", `{"startLine":1,"startColumn":2,"endLine":2,"endColumn":3}`, "")),
			want: "```suggestion:-0+1\n\t := \"😀\" + z\n```\n"},
		{name: "utf-16 columns", res: result("R", "s.go", 2, 2, fixOf("s.go", `{"startLine":2,"startColumn":11,"endColumn":13}`, "!")),
			want: "```suggestion\n\ty := \"😀\"! z\n```\n"},
		{name: "code points", columnKind: "unicodeCodePoints", res: result("R", "s.go", 2, 2, fixOf("s.go", `{"startLine":2,"startColumn":10,"endColumn":12}`, "!")),
			want: "```suggestion\n\ty := \"😀\"! z\n```\n"},
		{name: "mid surrogate", res: result("R", "s.go", 2, 2, fixOf("s.go", `{"startLine":2,"startColumn":9,"endColumn":10}`, "!")), wantText: true},
		{name: "backticks", res: result("R", "s.go", 4, 4, fixOf("s.go", `{"startLine":4,"startColumn":2}`, "````")),
			want: "`````suggestion\n\t````\n`````\n"},
		{name: "other file", res: result("R", "s.go", 1, 1, fixOf("t.go", `{"startLine":1}`, "x")), wantText: true},
		{name: "other lines", res: result("R", "s.go", 1, 1, fixOf("s.go", `{"startLine":2}`, "x")), wantText: true},
		{name: "bidi", res: result("R", "s.go", 3, 3, fixOf("s.go", `{"startLine":3,"startColumn":2,"endColumn":5}`, "b\u202ead")), wantText: true},
		{name: "offsets", res: result("R", "s.go", 1, 1, fixOf("s.go", `{"charOffset":1,"charLength":2}`, "x")), wantText: true},
		{name: "no change", res: result("R", "s.go", 1, 1, fixOf("s.go", `{"startLine":1,"startColumn":2,"endColumn":3}`, "x")), wantText: true},
		{name: "no fix", res: result("R", "s.go", 1, 1, "")},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"columnKind":"` + or(c.columnKind, "utf16CodeUnits") + `","results":[` + c.res + `]}]}`
			l, err := sarif.Read(context.Background(), strings.NewReader(text), "test.sarif", nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Build(context.Background(), l, fs, nil, &Options{Flavor: c.flavor})
			if err != nil || len(p.Comments) != 1 {
				t.Fatalf("%v, %+v", err, p)
			}
			body := p.Comments[0].Body
			i := strings.Index(body, "```")
			got := ""
			if i >= 0 {
				got = body[i:]
				fence := got[:len(got)-len(strings.TrimLeft(got, "`"))]
				got = got[:strings.Index(got, "\n"+fence+"\n")+len(fence)+2]
			}
			if got != c.want {
				t.Errorf("suggestion\n got %q\nwant %q\nin %s", got, c.want, body)
			}
			if c.wantText != strings.Contains(body, "A fix is offered: fix it (not as a suggestion") {
				t.Errorf("text: %s", body)
			}
		})
	}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestHostileText(t *testing.T) {
	msg := "@octocat #12 <img src=x onerror=alert(1)> [x](https://evil.example) ![i](http://x/i.png) **b**\n### head\n| a | b |\n::error::x"
	res := fmt.Sprintf(`{"ruleId":"R<b>@admin","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":10}}}]}`, msg)
	l := testLog(t, res, strings.Replace(res, `"startLine":10`, `"startLine":3`, 1))
	p, err := Build(context.Background(), l, files, nil, nil)
	if err != nil || len(p.Comments) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	for _, body := range []string{p.Comments[0].Body, p.Groups[0].Body, p.Markdown()} {
		// Code spans show their text as it is: the rule id is one.
		text := strings.ReplaceAll(body, "`R<b>@admin`", "")
		for _, bad := range []string{"<img", "<b>", "@octocat", "@admin", "[x]", "![i]", "\n### head", "\n| a", "https://", "#12", "\n::"} {
			if strings.Contains(text, bad) {
				t.Errorf("%q in\n%s", bad, body)
			}
		}
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(line, "<!--") {
				if _, ok := ParseMarker(line); !ok {
					t.Errorf("a marker line that is no marker: %q", line)
				}
			}
		}
	}
}

func TestParseMarker(t *testing.T) {
	key := "0123456789abcdef-0123456789abcdef01234567"
	for body, want := range map[string]bool{
		"text\n<!-- sarifkit-review: " + key + " -->\n":               true,
		"<!-- sarifkit-review: " + key + " -->":                       true,
		"<!-- sarifkit-review-fixed: " + key + " -->":                 true,
		"<!-- sarifkit-review-summary: 0123456789abcdef -->":          true,
		"<!-- sarifkit-review-summary: " + key + " -->":               false,
		"<!-- sarifkit-review: 0123456789abcdef -->":                  false,
		"x <!-- sarifkit-review: " + key + " -->":                     false,
		"<!-- sarifkit-review: " + strings.ToUpper(key) + " -->":      false,
		"<!-- sarifkit-review: " + key + "0 -->":                      false,
		"<!-- sarifkit-review: ../etc/passwd -->":                     false,
		"<!-- sarifkit-reviewx: " + key + " -->":                      false,
		"`<!-- sarifkit-review: " + key + " -->`":                     false,
		"<!-- sarifkit-review: " + key + " -->\r\n\n":                 true,
		"<!-- sarifkit-review: " + key + " -->\ntext":                 false,
		"```suggestion\n<!-- sarifkit-review: " + key + " -->\n```\n": false,
	} {
		if _, ok := ParseMarker(body); ok != want {
			t.Errorf("ParseMarker(%q): %v, want %v", body, ok, want)
		}
	}
}

// A summary of a tool whose run has no result left: edited to say so,
// its fixed results listed. A log without the tool's run leaves it alone.
func TestGoneTool(t *testing.T) {
	ctx := context.Background()
	f := &memForge{files: files}
	l := testLog(t, result("R1", "a.go", 10, 10, ""))
	posted, _ := f.Posted(ctx)
	p, err := Build(ctx, l, files, posted, nil)
	if err != nil || p.Apply(ctx, f, posted) != nil {
		t.Fatal(err)
	}
	empty, err := sarif.Read(ctx, strings.NewReader(`{"version":"2.1.0","runs":[]}`), "empty.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	posted, _ = f.Posted(ctx)
	p, err = Build(ctx, empty, files, posted, nil)
	if err != nil || len(p.Groups) != 0 || len(p.Resolve) != 0 || len(p.Comments) != 0 {
		t.Fatalf("a log without runs: %v %+v", err, p)
	}
	p, err = Build(ctx, testLog(t), files, posted, nil)
	if err != nil || len(p.Groups) != 1 || len(p.Resolve) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	if want := "### sarifkit review: lint, category `go`\n\nNo new results.\n\n**Fixed since an earlier review** (1):\n- `a.go:10`\n\n" + p.Groups[0].Marker + "\n"; !strings.HasSuffix(p.Groups[0].Body, want) {
		t.Errorf("summary:\n%s\nwant it to end with\n%s", p.Groups[0].Body, want)
	}
}

// Two jobs review the same request, one tool each: neither calls the
// other's results fixed, nor edits its summary.
func TestTwoTools(t *testing.T) {
	f := &memForge{files: files}
	run := func(l *sarif.Log) *Plan { t.Helper(); return f.review(t, l, nil) }
	codeql := toolLog(t, "CodeQL", result("R1", "a.go", 10, 10, ""), result("R2", "a.go", 3, 3, ""))
	semgrep := toolLog(t, "Semgrep", result("S1", "a.go", 11, 11, ""))
	run(codeql)
	p := run(semgrep)
	if len(p.Comments) != 1 || len(p.Resolve) != 0 || len(p.Groups) != 1 || p.Groups[0].Tool != "Semgrep" || len(p.Groups[0].Fixed) != 0 {
		t.Fatalf("the second tool's run: %d comments, resolve %+v, groups %+v", len(p.Comments), p.Resolve, p.Groups)
	}
	p = run(codeql)
	if len(p.Comments) != 0 || len(p.Resolve) != 0 || len(p.Groups) != 1 || p.Groups[0].Tool != "CodeQL" || f.edits != 1 {
		t.Fatalf("the first tool again: %d comments, resolve %+v, groups %+v, %d edits", len(p.Comments), p.Resolve, p.Groups, f.edits)
	}
	summaries := 0
	for _, ps := range f.posted {
		if ps.Summary {
			summaries++
		}
	}
	if summaries != 2 || len(f.resolved) != 0 || f.reviews != 2 {
		t.Errorf("%d summaries, %d reviews, resolved %v: want 2, 2, none", summaries, f.reviews, f.resolved)
	}
}

// A fix whose text holds the marker of another result's key: no
// suggestion, and the key stays the other result's.
func TestForgedMarkerInFix(t *testing.T) {
	ctx := context.Background()
	b := result("B", "a.go", 11, 11, `,"fingerprints":{"k":"b"}`)
	p, err := Build(ctx, testLog(t, b), files, nil, nil)
	if err != nil || len(p.Comments) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	forged := Marker{KindComment, p.Comments[0].Key}.String()
	a := result("A", "a.go", 10, 10, `,"fingerprints":{"k":"a"}`+fixOf("a.go", `{"startLine":10}`, "add10 := 2\n"+forged+"\n"))
	f := &memForge{files: files}
	for i, l := range []*sarif.Log{testLog(t, a), testLog(t, a, b)} {
		posted, _ := f.Posted(ctx)
		p, err := Build(ctx, l, files, posted, nil)
		if err != nil || len(p.Comments) != 1 {
			t.Fatalf("run %d: %v %+v", i+1, err, p)
		}
		if err := p.Apply(ctx, f, posted); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
		if i == 0 && (strings.Contains(p.Comments[0].Body, forged) || !strings.Contains(p.Comments[0].Body, "A fix is offered: fix it (not as a suggestion")) {
			t.Errorf("the forged marker is in the comment:\n%s", p.Comments[0].Body)
		}
		if i == 1 && p.Comments[0].Line != 11 {
			t.Errorf("run 2 commented line %d, want B's 11", p.Comments[0].Line)
		}
	}
}

// A comment the forge refuses: its result goes to the summary, which is
// still written; the others are posted, fixed results still resolved.
func TestRefused(t *testing.T) {
	ctx := context.Background()
	f := &memForge{files: files}
	p, err := Build(ctx, testLog(t, result("R1", "a.go", 10, 10, ""), result("R2", "a.go", 11, 11, "")), files, nil, nil)
	if err != nil || p.Apply(ctx, f, nil) != nil {
		t.Fatal(err)
	}
	f.refuse = func(c Comment) bool { return c.Line == 12 }
	posted, _ := f.Posted(ctx)
	p, err = Build(ctx, testLog(t, result("R1", "a.go", 10, 10, ""), result("R3", "a.go", 12, 12, ""), result("R4", "a.go", 14, 14, "")), files, posted, nil)
	if err != nil || len(p.Comments) != 2 {
		t.Fatalf("%v %+v", err, p)
	}
	err = p.Apply(ctx, f, posted)
	var re *RefusedError
	if !errors.As(err, &re) || len(re.Comments) != 1 || re.Comments[0] != 0 {
		t.Fatalf("Apply: %v, want the RefusedError of comment 0", err)
	}
	if len(p.Comments) != 1 || p.Comments[0].Line != 14 || len(f.resolved) != 1 || f.edits != 1 {
		t.Errorf("comments %+v, resolved %v, %d summary edits", p.Comments, f.resolved, f.edits)
	}
	want := "3 new results, 2 commented inline, 1 listed here.\n\n| Level | Rule | Location | Message | Not inline |\n|---|---|---|---|---|\n" +
		"| Warning | `R3` | `a.go:12` | R3 found | refused by the forge |\n"
	if !strings.Contains(p.Groups[0].Body, want) {
		t.Errorf("summary:\n%s\nwant it to hold\n%s", p.Groups[0].Body, want)
	}
}

// Comments stay below the forges' limits however long or hostile the
// text a log gives them: no suggestion quoting a 70,000-character line,
// a summary of 150 escaped-heavy results cut with "… and N more".
func TestBodySizes(t *testing.T) {
	long := strings.Repeat("x", 70000)
	fs := []File{{Path: "a.js", Patch: "@@ -0,0 +1,2 @@\n+var a=1;" + long + "\n+b\n"}}
	rs := []string{result("A", "a.js", 1, 1, fixOf("a.js", `{"startLine":1,"startColumn":7,"endColumn":8}`, "2"))}
	for i := range 150 {
		q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		rs = append(rs, fmt.Sprintf(`{"ruleId":%s,"message":{"text":%s},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%s},"region":{"startLine":%d}}}]}`,
			q(strings.Repeat("\x02", 250)+fmt.Sprint(i)), q(strings.Repeat("\x01", 400)+fmt.Sprint(i)), q(strings.Repeat("%01", 300)+fmt.Sprint(i)+".go"), i+1))
	}
	p, err := Build(context.Background(), testLog(t, rs...), fs, nil, nil)
	if err != nil || len(p.Comments) != 1 || len(p.Groups) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	if b := p.Comments[0].Body; len(b) > maxBody || strings.Contains(b, "```suggestion") || !strings.Contains(b, "A fix is offered: fix it (not as a suggestion") {
		t.Errorf("comment of %d bytes:\n%.300s", len(b), b)
	}
	b := p.Groups[0].Body
	if len(b) > maxBody || !strings.Contains(b, "\n… and ") || !strings.HasSuffix(b, p.Groups[0].Marker+"\n") {
		t.Errorf("summary of %d bytes:\n%.300s", len(b), b)
	}
	if rows := strings.Count(b, "\n| Warning |"); rows < 10 {
		t.Errorf("%d rows listed", rows)
	}
}

// A result fixed, then back: commented again, once.
func TestReintroduced(t *testing.T) {
	f := &memForge{files: files}
	run := func(l *sarif.Log) *Plan { t.Helper(); return f.review(t, l, nil) }
	r1 := result("R1", "a.go", 10, 10, "")
	for i, c := range []struct {
		log               *sarif.Log
		comments, resolve int
	}{{testLog(t, r1), 1, 0}, {testLog(t), 0, 1}, {testLog(t, r1), 1, 0}, {testLog(t, r1), 0, 0}, {testLog(t), 0, 1}} {
		p := run(c.log)
		if len(p.Comments) != c.comments || len(p.Resolve) != c.resolve {
			t.Errorf("run %d: %d comments, %d resolved; want %d, %d", i+1, len(p.Comments), len(p.Resolve), c.comments, c.resolve)
		}
	}
}

// A run that cannot post prints every result, however many; the summary
// it would post stops at 100.
func TestMarkdownAll(t *testing.T) {
	var rs []string
	for i := range 150 {
		rs = append(rs, result(fmt.Sprint("R", i), "z.go", i+1, i+1, ""))
	}
	p, err := Build(context.Background(), testLog(t, rs...), files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(p.Markdown(), "\n| Warning |"); n != 150 {
		t.Errorf("Markdown lists %d results, want 150", n)
	}
	if n := strings.Count(p.Groups[0].Body, "\n| Warning |"); n != 100 || !strings.Contains(p.Groups[0].Body, "\n… and 50 more.\n") {
		t.Errorf("the summary lists %d results, want 100 and \"… and 50 more.\"", n)
	}
}

// An absolute URI is the repository's file when it is under the
// checkout; else the summary says it is outside.
func TestAbsoluteURIs(t *testing.T) {
	l := testLog(t, result("R1", "file:///srv/scan/a.go", 10, 10, ""), result("R2", "file:///srv/other/a.go", 10, 10, ""))
	p, err := Build(context.Background(), l, files, nil, &Options{Root: "file:///srv/scan/"})
	if err != nil || len(p.Comments) != 1 || p.Comments[0].Path != "a.go" {
		t.Fatalf("%v %+v", err, p)
	}
	for _, it := range p.Groups[0].Items {
		if it.RuleID == "R2" && it.Why != "an absolute path outside the checkout" {
			t.Errorf("R2: why %q", it.Why)
		}
	}
}

// A commented result suppressed since: its thread is closed saying so,
// not "fixed".
func TestSuppressedNote(t *testing.T) {
	ctx := context.Background()
	f := &memForge{files: files}
	r1 := result("R1", "a.go", 10, 10, "")
	p, err := Build(ctx, testLog(t, r1), files, nil, nil)
	if err != nil || p.Apply(ctx, f, nil) != nil {
		t.Fatal(err)
	}
	posted, _ := f.Posted(ctx)
	sup := strings.TrimSuffix(r1, "}") + `,"suppressions":[{"kind":"inSource","status":"accepted"}]}`
	p, err = Build(ctx, testLog(t, sup), files, posted, &Options{Commit: "0123456789abcdef"})
	if err != nil || len(p.Resolve) != 1 {
		t.Fatalf("%v %+v", err, p)
	}
	if note := p.Note(p.Resolve[0]); !strings.HasPrefix(note, "This result is suppressed at commit 0123456789ab: no longer reviewed.\n\n<!-- sarifkit-review-fixed: ") {
		t.Errorf("note: %q", note)
	}
}

// Two results with one fingerprint: one comment, the other listed in
// the summary, saying why.
func TestSameKey(t *testing.T) {
	fp := `,"partialFingerprints":{"primaryLocationLineHash":"abc:1"}`
	p, err := Build(context.Background(), testLog(t, result("R1", "a.go", 10, 10, fp), result("R1", "a.go", 11, 11, fp)), files, nil, nil)
	if err != nil || len(p.Comments) != 1 || p.Comments[0].Line != 10 {
		t.Fatalf("%v %+v", err, p)
	}
	if want := "| Warning | `R1` | `a.go:11` | R1 found | the same key as another result |\n"; !strings.Contains(p.Groups[0].Body, want) {
		t.Errorf("summary:\n%s\nwant it to hold\n%s", p.Groups[0].Body, want)
	}
}

// One rule reported twice on one line, at two columns (gosec's G103 on
// `unsafe.Slice(unsafe.StringData(s), len(s))`): one line hash, two
// results, two comments; with the same column, one key as above.
func TestSameLineTwoColumns(t *testing.T) {
	at := func(col int) string {
		return fmt.Sprintf(`{"ruleId":"G103","message":{"text":"unsafe"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":10,"startColumn":%d}}}],"partialFingerprints":{"primaryLocationLineHash":"abc:1"}}`, col)
	}
	p, err := Build(context.Background(), testLog(t, at(9), at(22)), files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Comments) != 2 || p.Comments[0].Key == p.Comments[1].Key {
		t.Errorf("comments %+v, want two with their own keys", p.Comments)
	}
}
