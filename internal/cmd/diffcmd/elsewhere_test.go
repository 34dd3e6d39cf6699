package diffcmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eslintScan writes a log as ESLint's SARIF formatter writes it: the
// files as absolute file: URIs of the checkout it ran in (here
// /home/runner/work/app/app, a CI runner's), listed in artifacts and
// named by index, and nothing that says where that checkout was. Each
// result is "rule file:line message".
func eslintScan(t *testing.T, results ...string) string {
	t.Helper()
	const root = "file:///home/runner/work/app/app/"
	var arts, rs []string
	index := map[string]int{}
	for _, r := range results {
		rule, rest, _ := strings.Cut(r, " ")
		loc, msg, _ := strings.Cut(rest, " ")
		file, line, _ := strings.Cut(loc, ":")
		i, ok := index[file]
		if !ok {
			i = len(arts)
			index[file] = i
			arts = append(arts, fmt.Sprintf(`{"location":{"uri":%q}}`, root+file))
		}
		rs = append(rs, fmt.Sprintf(`{"level":"warning","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q,"index":%d},"region":{"startLine":%s,"startColumn":3}}}],"ruleId":%q}`,
			msg, root+file, i, line, rule))
	}
	p := filepath.Join(t.TempDir(), "eslint.sarif")
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"ESLint","version":"9.39.5"}},"artifacts":[` + strings.Join(arts, ",") +
		`],"results":[` + strings.Join(rs, ",") + `]}]}`
	if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Logs made in a checkout at another path than the clone at hand (a CI
// runner's /home/runner/work/app/app) name no file of it until that path
// is known; nothing in ESLint's logs says it. It is inferred from the
// longest path tails the URIs share with the clone's files, and the
// comparison reads the code: every result gets a line hash from its file
// and pairs on it or on the line diff. Where no file is found, a warning
// says that the code was not read.
func TestCheckoutElsewhere(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"lib/router.js": "'use strict';\n\nvar path = require('path');\n\nfunction route(req) {\n  var url = req.url;\n  return path.join('/', url);\n}\n\nmodule.exports = route;\n",
		"lib/app.js":    "'use strict';\nvar route = require('./router');\n\nmodule.exports = function app(req) { return route(req); };\n",
	}
	head := map[string]string{
		"lib/router.js": "'use strict';\n\n// Routes requests.\n\nvar path = require('path');\n\nfunction route(req) {\n  var url = req.url;\n  return path.join('/', url);\n}\n\nmodule.exports = route;\n",
		"lib/app.js":    base["lib/app.js"],
	}
	repo, ids := gitRepo(t, base, head)
	baseLog := eslintScan(t, "no-var lib/router.js:3 Unexpected var, use let or const instead.",
		"no-var lib/router.js:6 Unexpected var, use let or const instead.", "no-var lib/app.js:2 Unexpected var, use let or const instead.")
	headLog := eslintScan(t, "no-var lib/router.js:5 Unexpected var, use let or const instead.",
		"no-var lib/router.js:8 Unexpected var, use let or const instead.", "no-var lib/app.js:2 Unexpected var, use let or const instead.")

	type report struct {
		Results []struct{ State, Pass, URI string }
	}
	check := func(name string, args ...string) {
		t.Helper()
		code, out, stderr := runCLI(t, "", append(append([]string{"--format", "json"}, args...), baseLog, headLog)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		var rep report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rep.Results {
			got = append(got, r.State+" "+r.URI+" "+r.Pass)
		}
		// Paired on the line hashes of their files.
		want := []string{"unchanged lib/app.js partial-fingerprint", "updated lib/router.js partial-fingerprint", "updated lib/router.js partial-fingerprint"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"), stderr)
		}
		for _, side := range []string{"base", "head"} {
			if !strings.Contains(stderr, "3 fingerprints added to "+side+" results") || !strings.Contains(stderr, "0 results without a file") ||
				!strings.Contains(stderr, side+"'s absolute URIs are relative to /home/runner/work/app/app (inferred from the paths of its files): 2 of its 2 files are in ") {
				t.Errorf("%s, %s: stderr\n%s", name, side, stderr)
			}
		}
	}
	check("--git", "--git", repo, "--base-ref", ids[0], "--head-ref", ids[1])
	// The head in the work tree (which was not where it was scanned).
	check("--git, the work tree", "--git", repo, "--base-ref", ids[0])
	// Two checkouts.
	roots := [2]string{t.TempDir(), t.TempDir()}
	for i, files := range []map[string]string{base, head} {
		for name, text := range files {
			p := filepath.Join(roots[i], name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("source roots", "--base-source-root", roots[0], "--head-source-root", roots[1])

	// One side's checkout alone: the other side, scanned in the same
	// place, is read relative to the same directory.
	code, out, stderr := runCLI(t, "", "--format", "json", "--head-source-root", roots[1], baseLog, headLog)
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || len(rep.Results) != 3 {
		t.Fatalf("head source root alone: exit %d, %v: %s", code, err, stderr)
	}
	for _, r := range rep.Results {
		if r.State == "new" || r.State == "absent" || !strings.HasPrefix(r.URI, "lib/") {
			t.Errorf("head source root alone: %+v", r)
		}
	}

	// A repository without these files: the code is not read, and a
	// warning says so.
	other, otherIDs := gitRepo(t, map[string]string{"src/main.js": "1\n"}, map[string]string{"src/main.js": "2\n"})
	code, _, stderr = runCLI(t, "", "--git", other, "--base-ref", otherIDs[0], "--head-ref", otherIDs[1], baseLog, headLog)
	var want strings.Builder
	for i, side := range []string{"base", "head"} {
		fmt.Fprintf(&want, "sarif-diff: warning: --git: none of the 2 files %s's results name is in %s: %s's results are compared without their code\n", side, otherIDs[i], side)
		fmt.Fprintf(&want, "sarif-diff: --git: 0 fingerprints added to %s results from %s, 0 kept, 3 results without a file there (0 files not found)\n", side, otherIDs[i])
	}
	fmt.Fprintf(&want, "sarif-diff: --git: 1 files changed between %s and %s\n", otherIDs[0], otherIDs[1])
	if code != 0 || stderr != want.String() {
		t.Errorf("no file found: exit %d\n%s\nwant\n%s", code, stderr, want.String())
	}
}
