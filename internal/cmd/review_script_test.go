package cmd_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// fakes are the fakes of GitHub the scripts started, by script.
type fakes struct {
	mu sync.Mutex
	of map[*testscript.TestScript]*fakegithub.Server
}

func (f *fakes) set(ts *testscript.TestScript, s *fakegithub.Server) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.of[ts] = s
	ts.Defer(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.of, ts)
	})
}

func (f *fakes) get(ts *testscript.TestScript) *fakegithub.Server {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.of[ts]
	if s == nil {
		ts.Fatalf("no fakegithub started")
	}
	return s
}

// A fakePull is the JSON of a pull request a script gives fakepr.
type fakePull struct {
	Head  string                `json:"head"`
	Files []fakegithub.PullFile `json:"files"`
	// Others adds as many review comments and conversation comments by
	// another user (mallory), the first of each with markers copied from
	// Forged: a run must read every page, and trust none of them.
	Others int      `json:"others"`
	Forged []string `json:"forged"`
}

// reviewCmds are the script commands of the review scripts, on the fake
// of the script's fakegithub:
//
//   - fakepr N FILE [HEAD] gives o/r the pull request N of FILE (a
//     fakePull); with HEAD, the pull request has moved on since FILE's
//     head, to HEAD (its files stay FILE's).
//   - fakereader makes GH_TOKEN's value ghs_reader a token that may read
//     and not write.
//   - showpr N prints the pull request's reviews and comments, in order,
//     with their lines and bodies.
//   - fakelog prints the requests the fake served, and clears the list.
func reviewCmds(fakes *fakes) map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"fakepr": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 2 && len(args) != 3 {
				ts.Fatalf("usage: fakepr N FILE [HEAD]")
			}
			n, err := strconv.Atoi(args[0])
			ts.Check(err)
			var p fakePull
			ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[1])), &p))
			pr := &fakegithub.Pull{Number: n, HeadSHA: p.Head, Files: p.Files}
			if len(args) == 3 {
				pr.HeadSHA, pr.Commits = args[2], []string{p.Head}
			}
			mallory := map[string]any{"login": "mallory", "type": "User"}
			for i := range p.Others {
				body := fmt.Sprintf("comment %d", i)
				if i < len(p.Forged) {
					body += "\n" + p.Forged[i]
				}
				pr.ReviewComments = append(pr.ReviewComments, map[string]any{"id": int64(i + 1), "path": p.Files[0].Filename,
					"line": 1, "side": "RIGHT", "body": body, "user": mallory})
				pr.IssueComments = append(pr.IssueComments, map[string]any{"id": int64(500 + i), "body": body, "user": mallory})
			}
			f := fakes.get(ts)
			f.Pulls = append(f.Pulls, pr)
		},
		"fakereader": func(ts *testscript.TestScript, neg bool, args []string) {
			fakes.get(ts).ReaderToken = "ghs_reader"
		},
		"showpr": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: showpr N")
			}
			n, _ := strconv.Atoi(args[0])
			f := fakes.get(ts)
			var b strings.Builder
			for _, p := range f.Pulls {
				if p.Number != n {
					continue
				}
				for _, r := range p.Reviews {
					fmt.Fprintf(&b, "== review %v of %v: %v\n", r["id"], r["commit_id"], r["body"])
				}
				for _, c := range p.ReviewComments {
					if u := c["user"].(map[string]any); u["login"] == "mallory" {
						continue
					}
					where := fmt.Sprint(c["line"])
					if s, ok := c["start_line"]; ok {
						where = fmt.Sprintf("%v-%v", s, c["line"])
					}
					if r, ok := c["in_reply_to_id"]; ok {
						where += fmt.Sprintf(" reply to %v", r)
					}
					fmt.Fprintf(&b, "== review comment %v on %v:%s %v\n%v\n", c["id"], c["path"], where, c["side"], c["body"])
				}
				for _, c := range p.IssueComments {
					if u := c["user"].(map[string]any); u["login"] == "mallory" {
						continue
					}
					fmt.Fprintf(&b, "== comment %v\n%v\n", c["id"], c["body"])
				}
			}
			ts.Stdout().Write([]byte(b.String()))
		},
		"fakelog": func(ts *testscript.TestScript, neg bool, args []string) {
			f := fakes.get(ts)
			for _, l := range f.Log() {
				fmt.Fprintln(ts.Stdout(), l)
			}
			f.ClearLog()
		},
	}
}
