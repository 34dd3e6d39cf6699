package cmd_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sarifkit/sarifkit/internal/fakegitlab"
)

// gitlabCmds are the script commands of the GitLab scripts (review-gitlab*):
//
//   - fakegitlab FILE starts a fake of GitLab's API on loopback for the
//     rest of the script, whose merge request 7 of group/project has the
//     diffs of FILE (JSON: a list of fakegitlab.Diff), and points the
//     commands at it: CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID,
//     GITLAB_TOKEN.
//   - gitlabnote BODY adds a note by another user (mallory) to the merge
//     request: a forged marker, say.
//   - gitlabreader makes GITLAB_TOKEN a token that may read, not write.
//   - gitlabfault PATH FAULT... queues faults (see [fakegitlab.Server.Fault]).
//   - showmr prints the merge request's discussions, in order: author,
//     state, position, and the first note's body.
//   - gitlablog prints the requests the fake received (method, path and
//     query, the token's header) and the count of those that reached
//     another host, with how many carried a token.
func gitlabCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	var (
		mu    sync.Mutex
		fakes = map[*testscript.TestScript]*fakegitlab.Server{}
	)
	get := func(ts *testscript.TestScript) *fakegitlab.Server {
		mu.Lock()
		defer mu.Unlock()
		f := fakes[ts]
		if f == nil {
			ts.Fatalf("no fakegitlab started")
		}
		return f
	}
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"fakegitlab": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: fakegitlab FILE")
			}
			f := fakegitlab.Start()
			ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &f.Diffs))
			mu.Lock()
			fakes[ts] = f
			mu.Unlock()
			ts.Defer(func() {
				f.Close()
				mu.Lock()
				delete(fakes, ts)
				mu.Unlock()
			})
			ts.Setenv("CI_API_V4_URL", f.URL)
			ts.Setenv("CI_PROJECT_ID", f.Project)
			ts.Setenv("CI_MERGE_REQUEST_IID", fmt.Sprint(f.IID))
			ts.Setenv("GITLAB_TOKEN", f.Token)
		},
		"gitlabnote": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: gitlabnote BODY")
			}
			get(ts).AddDiscussion(fakegitlab.User{ID: 13, Username: "mallory"}, strings.ReplaceAll(args[0], `\n`, "\n"), nil)
		},
		"gitlabreader": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 0 {
				ts.Fatalf("usage: gitlabreader")
			}
			ts.Setenv("GITLAB_TOKEN", get(ts).ReaderToken)
		},
		"gitlabfault": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: gitlabfault PATH FAULT...")
			}
			get(ts).Fault(args[0], args[1:]...)
		},
		"showmr": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 0 {
				ts.Fatalf("usage: showmr")
			}
			var b strings.Builder
			for i, d := range get(ts).Discussions() {
				n := d.Notes[0]
				state := "note"
				if n.Resolvable {
					state = "open"
					if n.Resolved {
						state = "resolved"
					}
				}
				fmt.Fprintf(&b, "discussion %d by %s, %s", i+1, n.Author.Username, state)
				if p := n.Position; p != nil {
					pos, _ := json.Marshal(map[string]any{"old_path": p["old_path"], "new_path": p["new_path"],
						"old_line": p["old_line"], "new_line": p["new_line"], "line_range": p["line_range"]})
					fmt.Fprintf(&b, " at %s", pos)
				}
				fmt.Fprintf(&b, "\n%s\n\n", strings.TrimSuffix(n.Body, "\n"))
				for _, r := range d.Notes[1:] {
					fmt.Fprintf(&b, "  reply by %s: %s\n\n", r.Author.Username, strings.TrimSuffix(r.Body, "\n"))
				}
			}
			fmt.Fprint(ts.Stdout(), b.String())
		},
		"gitlablog": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 0 {
				ts.Fatalf("usage: gitlablog")
			}
			f := get(ts)
			for _, r := range f.Requests() {
				auth, _, _ := strings.Cut(r.Auth, ":")
				fmt.Fprintf(ts.Stdout(), "%s %s %s\n", r.Method, r.URI, auth)
			}
			away, tokens := f.Elsewhere(), 0
			for _, r := range away {
				if r.Auth != "" {
					tokens++
				}
			}
			fmt.Fprintf(ts.Stdout(), "to another host: %d requests, %d with a token\n", len(away), tokens)
		},
	}
}

// gitlabEnv are the variables of GitLab CI the scripts start without.
var gitlabEnv = []string{"CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_PROJECT_ID", "CI_MERGE_REQUEST_IID", "CI_COMMIT_SHA", "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "GITLAB_TOKEN", "CI_JOB_TOKEN"}
