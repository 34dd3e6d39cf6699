package action

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sarifkit/sarifkit/internal/cmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
	"github.com/sarifkit/sarifkit/internal/longtest"
)

// TestMain makes the test binary the commands too: run under a
// command's name (a link made by testCommands), it is that command.
func TestMain(m *testing.M) {
	if run := cmd.Programs()[filepath.Base(os.Args[0])]; run != nil {
		cli.Main(run) // the command the action's step runs; it exits
	}
	os.Exit(m.Run())
}

// testCommands returns a directory holding the commands as links to the
// test binary: what the action's install step takes, through
// SARIFKIT_BIN, instead of building them.
func testCommands(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name := range cmd.Programs() {
		if err := os.Symlink(exe, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// processedAtOnce has gh answer the first poll of the action's uploads
// (sarif-1, or those given) with its final status: the fake answers
// "pending" to the first two polls of an upload id, and the upload step
// polls every 5 s.
func processedAtOnce(t *testing.T, gh *fakegithub.Server, ids ...string) {
	t.Helper()
	if len(ids) == 0 {
		ids = []string{"sarif-1"}
	}
	for _, id := range ids {
		processedAtOnce1(t, gh, id)
	}
}

func processedAtOnce1(t *testing.T, gh *fakegithub.Server, id string) {
	t.Helper()
	for range 2 {
		req, err := http.NewRequestWithContext(t.Context(), "GET", gh.URL+"/repos/o/r/code-scanning/sarifs/"+id, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+gh.Token)
		req.Header.Set("X-GitHub-Api-Version", fakegithub.APIVersion)
		req.Header.Set("User-Agent", "sarifkit-test")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("polling the upload before it was made: %s", resp.Status)
		}
	}
}

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			With  map[string]string `yaml:"with"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// runner evaluates the small part of the Actions expression language the
// action uses, and fails the test on anything else.
type runner struct {
	t       *testing.T
	inputs  map[string]string
	github  map[string]string
	outputs map[string]map[string]string // step id -> outputs
}

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func (r *runner) value(expr string) string {
	expr = strings.TrimSpace(expr)
	parts := strings.Split(expr, ".")
	switch {
	case len(parts) == 2 && parts[0] == "inputs":
		v, ok := r.inputs[parts[1]]
		if !ok {
			r.t.Fatalf("unknown input in %q", expr)
		}
		return v
	case len(parts) == 2 && parts[0] == "github":
		return r.github[parts[1]]
	case len(parts) > 2 && parts[0] == "github" && parts[1] == "event":
		v, ok := r.github[strings.TrimPrefix(expr, "github.")]
		if !ok {
			r.t.Fatalf("event field %q not given by the test", expr)
		}
		return v
	case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
		return r.outputs[parts[1]][parts[3]]
	case strings.HasPrefix(expr, "'") && strings.HasSuffix(expr, "'"):
		return strings.Trim(expr, "'")
	}
	r.t.Fatalf("expression %q is not understood by the test", expr)
	return ""
}

func (r *runner) expand(s string) string {
	return exprRe.ReplaceAllStringFunc(s, func(m string) string { return r.value(exprRe.FindStringSubmatch(m)[1]) })
}

// cond evaluates "a op b && c op d || e op f" with op == or != (&&
// binding tighter than ||).
func (r *runner) cond(s string) bool {
	if s == "" {
		return true
	}
	for _, alt := range strings.Split(s, "||") {
		all := true
		for _, term := range strings.Split(alt, "&&") {
			var a, b string
			var eq bool
			if x, y, ok := strings.Cut(term, "!="); ok {
				a, b = x, y
			} else if x, y, ok := strings.Cut(term, "=="); ok {
				a, b, eq = x, y, true
			} else {
				r.t.Fatalf("condition %q is not understood by the test", s)
			}
			all = all && (r.value(a) == r.value(b)) == eq
		}
		if all {
			return true
		}
	}
	return false
}

// result is what one run of the action left.
type result struct {
	steps   map[string]string // step id -> combined output, for the steps that ran
	failed  map[string]bool   // step ids that failed
	outputs map[string]string // the action's outputs
	summary string            // $GITHUB_STEP_SUMMARY
	bin     string            // where the install step put the commands
}

// runAction runs the action's steps on a pull request against gh, with
// the inputs given over the defaults, as GitHub runs a composite action:
// bash -eo pipefail, each step's env, GITHUB_OUTPUT, GITHUB_PATH and
// GITHUB_STEP_SUMMARY files, GITHUB_ACTION_PATH at this repository. A
// step that fails stops the run, unless it is the diff step (a failing
// gate), whose failure is recorded. With bin set, the install step takes
// the commands from there instead of building them.
func runAction(t *testing.T, gh *fakegithub.Server, inputs map[string]string, bin string, gitCheckout ...bool) result {
	t.Helper()
	return runActionAt(t, gh, inputs, bin, at{gitCheckout: len(gitCheckout) > 0 && gitCheckout[0]})
}

// at is where runActionAt runs the action: whether the workspace is a
// git checkout, github.action_ref ("" by default), the ref the runner
// checked the action out at (the last element of GITHUB_ACTION_PATH,
// .../_actions/sarifkit/sarifkit/REF; none by default, the repository's
// directory), where its releases are (SARIFKIT_RELEASE_URL), and whether
// a step other than the diff may fail (it then ends the run, as on
// GitHub, instead of the test).
type at struct {
	gitCheckout bool
	actionRef   string
	pathRef     string
	releaseURL  string
	mayFail     bool
}

// runActionAt is runAction at the ref and with the workspace w says.
func runActionAt(t *testing.T, gh *fakegithub.Server, inputs map[string]string, bin string, w at) result {
	t.Helper()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var act actionFile
	if err := yaml.Unmarshal(data, &act); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if act.Runs.Using != "composite" {
		t.Fatalf("runs.using %q", act.Runs.Using)
	}
	actionPath, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if w.pathRef != "" {
		dir := filepath.Join(t.TempDir(), "_actions", "sarifkit", "sarifkit")
		os.MkdirAll(dir, 0o755)
		if err := os.Symlink(actionPath, filepath.Join(dir, w.pathRef)); err != nil {
			t.Fatal(err)
		}
		actionPath = filepath.Join(dir, w.pathRef)
	}
	work, temp := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(work, "results"), 0o755)
	head, _ := os.ReadFile("../../testdata/diff/head.sarif")
	os.WriteFile(filepath.Join(work, "results", "gosec.sarif"), head, 0o644)
	summary := filepath.Join(temp, "summary.md")
	pathFile := filepath.Join(temp, "path")
	baseSHA := strings.Repeat("b", 40) // a commit the workspace, no checkout, lacks
	if w.gitCheckout {
		// The workspace is a checkout whose history has the base commit.
		for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base"}} {
			if out, err := exec.Command("git", append([]string{"-C", work}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
		out, err := exec.Command("git", "-C", work, "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		baseSHA = strings.TrimSpace(string(out))
	}

	r := &runner{t: t, inputs: map[string]string{}, outputs: map[string]map[string]string{},
		github: map[string]string{"token": gh.Token, "action_ref": w.actionRef, "action_path": actionPath, "event_name": "pull_request", "base_ref": "main",
			"event.pull_request.base.sha": baseSHA, "event.pull_request.number": "7"}}
	for k, v := range act.Inputs {
		r.inputs[k] = r.expand(v.Default)
	}
	r.inputs["sarif-files"] = "results/**/*.sarif"
	maps.Copy(r.inputs, inputs)

	res := result{steps: map[string]string{}, failed: map[string]bool{}, outputs: map[string]string{}}
	for _, st := range act.Runs.Steps {
		if !r.cond(st.If) {
			continue
		}
		if st.Uses != "" {
			// Only the cache may run beside Go's own steps: it keeps the
			// build cache between runs, which a test cannot have.
			if !strings.HasPrefix(st.Uses, "actions/cache@") {
				t.Fatalf("step %q (%s) would run although Go is present", st.ID, st.Uses)
			}
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q", st.ID, st.Shell)
		}
		outFile := filepath.Join(temp, "output-"+st.ID)
		os.WriteFile(outFile, nil, 0o644)
		script := filepath.Join(temp, "step-"+st.ID+".sh")
		os.WriteFile(script, []byte(r.expand(st.Run)), 0o755)
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = work
		extraPath, _ := os.ReadFile(pathFile)
		path := strings.Join(strings.Fields(string(extraPath)), string(os.PathListSeparator))
		env := append(os.Environ(),
			"PATH="+path+string(os.PathListSeparator)+os.Getenv("PATH"),
			"GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_PATH="+pathFile, "GITHUB_ACTION_PATH="+actionPath,
			"RUNNER_TEMP="+temp, "GITHUB_WORKSPACE="+work, "GITHUB_REF=refs/pull/7/merge", "GITHUB_SHA="+strings.Repeat("e", 40),
			"GITHUB_REPOSITORY=o/r", "GITHUB_API_URL="+gh.URL, "GITHUB_SERVER_URL=https://github.com", "GITHUB_TOKEN=", "GH_TOKEN=", "GH_REPO=", "GH_HOST=")
		if bin != "" {
			env = append(env, "SARIFKIT_BIN="+bin)
		}
		if w.releaseURL != "" {
			env = append(env, "SARIFKIT_RELEASE_URL="+w.releaseURL)
		}
		for k, v := range st.Env {
			env = append(env, k+"="+r.expand(v))
		}
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		outs := map[string]string{}
		lines, _ := os.ReadFile(outFile)
		for _, l := range strings.Split(string(lines), "\n") {
			if k, v, ok := strings.Cut(l, "="); ok {
				outs[k] = v
			}
		}
		r.outputs[st.ID] = outs
		res.steps[st.ID] = string(out)
		if err != nil {
			res.failed[st.ID] = true
			if st.ID != "diff" && w.mayFail {
				break
			}
			if st.ID != "diff" {
				t.Fatalf("step %q failed: %v\n%s", st.ID, err, out)
			}
		}
	}
	for k, v := range act.Outputs {
		res.outputs[k] = r.expand(v.Value)
	}
	md, _ := os.ReadFile(summary)
	res.summary = string(md)
	extraPath, _ := os.ReadFile(pathFile)
	res.bin = strings.TrimSpace(string(extraPath))
	return res
}

// githubWithBase returns a fake GitHub that holds a gosec scan of main,
// testdata/diff/base.sarif, and the log.
func githubWithBase(t *testing.T) (*fakegithub.Server, []byte) {
	gh := fakegithub.New(t)
	base, err := os.ReadFile("../../testdata/diff/base.sarif")
	if err != nil {
		t.Fatal(err)
	}
	gh.Analyses = []fakegithub.Analysis{{ID: 11, Ref: "refs/heads/main", Tool: fakegithub.Tool{Name: "gosec"}, CreatedAt: time.Now()}}
	gh.SARIF[11] = base
	return gh, base
}

// The action on a pull request: it builds the commands from its own
// checkout, merges, uploads (waiting while GitHub processes the upload),
// fetches the scan of the base branch, compares, annotates, fails the
// gate and writes the step summary and outputs. Then the first pull
// request, when GitHub has no analysis of the base branch yet: skipped
// with a warning, or every result new.
//
// Building the commands (go build ./cmd/...: linking eight programs) and
// waiting for the upload (two polls answered "pending", 5 s apart) take
// nearly all of the test's time: both happen with SARIFKIT_LONG_TESTS=1
// (package internal/longtest), as CI runs the test. By default the
// install step is given this test binary as the commands (SARIFKIT_BIN;
// it runs them as their mains do), and the upload is processed by the
// first poll; every other step is the same.
func TestActionOnPullRequest(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: the action's steps did not run")
	}
	// GitHub holds the scan of main; the pull request's scanner wrote head.
	gh, base := githubWithBase(t)
	prebuilt := ""
	if !longtest.Enabled() {
		prebuilt = testCommands(t)
		processedAtOnce(t, gh)
	}
	res := runAction(t, gh, map[string]string{"upload": "true"}, prebuilt)
	if _, err := os.Stat(filepath.Join(res.bin, "sarif-diff")); err != nil {
		t.Fatalf("the install step built no sarif-diff in %s: %v", res.bin, err)
	}
	if prebuilt != "" && res.bin != prebuilt {
		t.Fatalf("the install step put %s on the PATH, not SARIFKIT_BIN %s", res.bin, prebuilt)
	}
	if !res.failed["diff"] {
		t.Errorf("the diff step passed, but head has new results and fail-on is new:\n%s", res.steps["diff"])
	}
	if !strings.Contains(res.steps["diff"], "::error file=internal/config/config.go,line=12,col=2,title=gosec G101::Potential hardcoded credentials") ||
		!strings.Contains(res.steps["diff"], "gate failed: 2 result(s) new") {
		t.Errorf("diff step output:\n%s", res.steps["diff"])
	}
	if !strings.Contains(res.summary, "| 2 | 1 | 1 | 1 |") {
		t.Errorf("step summary:\n%s", res.summary)
	}
	if res.outputs["new-count"] != "2" || res.outputs["absent-count"] != "1" || !strings.HasSuffix(res.outputs["sarif-file"], "sarifkit-merged.sarif") ||
		res.outputs["base-missing"] != "false" {
		t.Errorf("action outputs %v", res.outputs)
	}
	uploaded, polls := false, 0
	for _, l := range gh.Log() {
		if strings.HasPrefix(l, "POST /repos/o/r/code-scanning/sarifs") {
			uploaded = true
		}
		if l == "GET /repos/o/r/code-scanning/sarifs/sarif-1" {
			polls++
		}
	}
	if !uploaded || len(gh.Upload("sarif-1")) == 0 {
		t.Error("the merged log was not uploaded")
	}
	// The upload step waited until the upload was processed: the fake
	// answered "pending" twice (to the step, or to processedAtOnce).
	if polls != 3 {
		t.Errorf("the upload was polled %d times, want 3: %v", polls, gh.Log())
	}

	// Not a git checkout: the logs are compared alone, and the summary
	// says so.
	if !strings.Contains(res.summary, "The logs were compared alone: the workspace is not a git checkout") {
		t.Errorf("summary lacks the note on reading the code:\n%s", res.summary)
	}
	// A checkout that has the base commit: the comparison reads the code
	// (the results' files are not in it, so they fall back to the other
	// passes, with the same answer).
	withGit := runAction(t, gh, nil, res.bin, true)
	if !strings.Contains(withGit.steps["diff"], "sarif-diff: --git:") || strings.Contains(withGit.summary, "compared alone") ||
		withGit.outputs["new-count"] != "2" || withGit.outputs["absent-count"] != "1" {
		t.Errorf("with the base commit: %v\n%s\n%s", withGit.outputs, withGit.steps["diff"], withGit.summary)
	}

	// A reviewer dismissed the G204 alert on GitHub: with fail-on
	// updated, its moved result in the pull request (updated) would
	// fail the gate, but it inherits the dismissal; the two new ones
	// still fail it.
	dismissed := fakegithub.New(t)
	dismissed.Analyses = gh.Analyses
	dismissed.SARIF[11] = []byte(strings.Replace(string(base), `"message": {"text": "Subprocess launched with variable"},`,
		`"message": {"text": "Subprocess launched with variable"}, "properties": {"github/alertNumber": 7},`, 1))
	dismissed.Alerts = []map[string]any{{"number": 7, "state": "dismissed", "dismissed_reason": "won't fix",
		"most_recent_instance": map[string]any{"ref": "refs/heads/main"}}}
	kept := runAction(t, dismissed, map[string]string{"fail-on": "updated"}, res.bin)
	if !kept.failed["diff"] || !strings.Contains(kept.steps["diff"], "gate failed: 2 result(s)") ||
		!strings.Contains(kept.steps["base"], "1 results suppressed, as their alerts are dismissed on GitHub") ||
		strings.Contains(kept.steps["diff"], "title=gosec G204") {
		t.Errorf("a dismissed alert:\n%s\n%s", kept.steps["base"], kept.steps["diff"])
	}

	// The first pull request: no analysis of main yet.
	empty := fakegithub.New(t)
	skipped := runAction(t, empty, nil, res.bin)
	if _, ran := skipped.steps["diff"]; ran {
		t.Errorf("on-missing-base skip: the diff step ran:\n%s", skipped.steps["diff"])
	}
	if !strings.Contains(skipped.summary, "GitHub has no code scanning analysis of `main` for these tools yet: the comparison was skipped") ||
		!strings.Contains(skipped.steps["base"], "::warning title=sarifkit::No analysis of main on GitHub yet") || skipped.outputs["base-missing"] != "true" {
		t.Errorf("on-missing-base skip: summary %q, base step %q, outputs %v", skipped.summary, skipped.steps["base"], skipped.outputs)
	}
	allNew := runAction(t, empty, map[string]string{"on-missing-base": "all-new"}, res.bin)
	if !allNew.failed["diff"] || !strings.Contains(allNew.steps["diff"], "gate failed: 4 result(s) new") || allNew.outputs["new-count"] != "4" {
		t.Errorf("on-missing-base all-new: %v\n%s", allNew.outputs, allNew.steps["diff"])
	}
	if !strings.Contains(allNew.summary, "every result of this pull request counts as new") {
		t.Errorf("on-missing-base all-new: summary %q", allNew.summary)
	}
}

// filter-patterns and filter-severity, filter-sarif's inputs: the merged
// log is filtered before upload and comparison, and the base alike, so
// that a result filtered out counts neither as new nor as absent. The
// patterns reach the command through the environment: shell syntax in
// them is never run.
func TestActionFilter(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: the action's steps did not run")
	}
	gh, _ := githubWithBase(t)
	bin := testCommands(t)
	marker := filepath.Join(t.TempDir(), "pwned")
	// head: cmd/server/main.go (twice), internal/config/config.go (new),
	// internal/exec/run.go; base: main.go, run.go, internal/store/store.go
	// (absent in head).
	patterns := "-internal/**\n+internal/exec/**\n-x$(touch " + marker + ")`touch " + marker + "`;touch " + marker + "\n"
	res := runAction(t, gh, map[string]string{"filter-patterns": patterns}, bin)
	if !strings.Contains(res.steps["filter"], "sarif-filter: 4 results: 3 kept, 1 dropped (patterns 1)") {
		t.Errorf("filter step:\n%s", res.steps["filter"])
	}
	if !strings.Contains(res.steps["diff"], "sarif-filter: 3 results: 2 kept, 1 dropped (patterns 1)") ||
		res.outputs["new-count"] != "1" || res.outputs["absent-count"] != "0" {
		t.Errorf("the comparison of the filtered logs: %v\n%s", res.outputs, res.steps["diff"])
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("shell syntax in filter-patterns was run")
	}
	// filter-severity alone: errors only (G101 new, G204 updated; the
	// warnings go, the base's absent one too).
	sev := runAction(t, gh, map[string]string{"filter-severity": "error"}, bin)
	if !strings.Contains(sev.steps["filter"], "sarif-filter: 4 results: 2 kept, 2 dropped (severity 2)") ||
		sev.outputs["new-count"] != "1" || sev.outputs["absent-count"] != "0" {
		t.Errorf("filter-severity: %v\n%s\n%s", sev.outputs, sev.steps["filter"], sev.steps["diff"])
	}
	// Neither: the step does not run.
	none := runAction(t, gh, nil, bin)
	if _, ran := none.steps["filter"]; ran {
		t.Error("the filter step ran without filter inputs")
	}
}

// review: true posts the comparison's new results on the pull request:
// two inline comments (head's G104 and G101 are on lines it added), one
// summary; the gate still runs. With a read-only token (a fork's) the
// review goes to the step summary, the annotations stay, and the step
// fails only on the gate.
func TestActionReview(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: the action's steps did not run")
	}
	gh, _ := githubWithBase(t)
	gh.Pulls = []*fakegithub.Pull{{Number: 7, HeadSHA: strings.Repeat("e", 40), Files: []fakegithub.PullFile{
		{Filename: "cmd/server/main.go", Status: "modified", Patch: "@@ -50,2 +50,3 @@\n \tdefer cancel()\n \tx()\n+\tlistener.Close()\n"},
		{Filename: "internal/config/config.go", Status: "modified", Patch: "@@ -11,0 +12,1 @@\n+const apiToken = \"hunter2\"\n"},
	}}}
	bin := testCommands(t)
	res := runAction(t, gh, map[string]string{"review": "true"}, bin)
	pr := gh.Pulls[0]
	if len(pr.Reviews) != 1 || len(pr.ReviewComments) != 2 || len(pr.IssueComments) != 1 {
		t.Fatalf("review: %d reviews, %d comments, %d summaries\n%s", len(pr.Reviews), len(pr.ReviewComments), len(pr.IssueComments), res.steps["diff"])
	}
	lines := map[string]any{}
	for _, c := range pr.ReviewComments {
		lines[c["path"].(string)] = c["line"]
	}
	if lines["cmd/server/main.go"] != 52 || lines["internal/config/config.go"] != 12 {
		t.Errorf("comment lines: %v", lines)
	}
	if !res.failed["diff"] || !strings.Contains(res.steps["diff"], "gate failed: 2 result(s) new") {
		t.Errorf("the gate did not run after the review:\n%s", res.steps["diff"])
	}
	// Again: nothing new posted.
	runAction(t, gh, map[string]string{"review": "true"}, bin)
	if len(pr.Reviews) != 1 || len(pr.IssueComments) != 1 {
		t.Errorf("second run: %d reviews, %d summaries", len(pr.Reviews), len(pr.IssueComments))
	}

	// A fork's token: the review in the step summary, annotations too.
	fork, _ := githubWithBase(t)
	fork.Pulls = []*fakegithub.Pull{{Number: 7, HeadSHA: strings.Repeat("e", 40), Files: gh.Pulls[0].Files}}
	fork.ReaderToken = fork.Token
	ro := runAction(t, fork, map[string]string{"review": "true", "fail-on": ""}, bin)
	if ro.failed["diff"] || !strings.Contains(ro.summary, "2 new results (not posted: no permission to comment)") ||
		!strings.Contains(ro.steps["diff"], "sarif-review: warning: the token may not comment on pull request 7 of o/r") ||
		!strings.Contains(ro.steps["diff"], "::error file=internal/config/config.go,line=12") {
		t.Errorf("read-only: failed %v\nsummary:\n%s\nstep:\n%s", ro.failed, ro.summary, ro.steps["diff"])
	}
}

// The action with split: the merged log (head's gosec run and 25 runs of
// another tool: more runs than an upload may have) is uploaded as the two
// files of its split, each waited for; the pull request is compared with
// the base's analyses of the split's runs.
func TestActionSplitUpload(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: the action's steps did not run")
	}
	gh := fakegithub.New(t)
	bin := testCommands(t)
	processedAtOnce(t, gh, "sarif-1", "sarif-2")
	runs25, err := filepath.Abs("../../testdata/split/runs25.sarif")
	if err != nil {
		t.Fatal(err)
	}
	res := runAction(t, gh, map[string]string{"upload": "true", "split": "true", "sarif-files": "results/**/*.sarif " + runs25}, bin)
	var posts []string
	for _, l := range gh.Log() {
		if strings.HasPrefix(l, "POST /repos/o/r/code-scanning/sarifs") {
			posts = append(posts, l)
		}
	}
	if len(posts) != 2 || len(gh.Upload("sarif-1")) == 0 || len(gh.Upload("sarif-2")) == 0 {
		t.Fatalf("uploads %v\n%s", posts, res.steps["upload"])
	}
	if dir := res.outputs["split-dir"]; !strings.HasSuffix(dir, "sarifkit-split") {
		t.Errorf("split-dir %q", dir)
	}
	if !strings.Contains(res.steps["split"], "sarif-split: 1 inputs, 26 runs in, 29 results; 2 files, 26 runs, 29 results out") {
		t.Errorf("split step:\n%s", res.steps["split"])
	}
	// GitHub has the base's analyses of the lint run's category c3 and of
	// gosec: only those of the head's (split) runs are fetched, and the
	// comparison pairs them by tool and category.
	withBase := fakegithub.New(t)
	base, _ := os.ReadFile("../../testdata/diff/base.sarif")
	withBase.Analyses = []fakegithub.Analysis{{ID: 11, Ref: "refs/heads/main", Tool: fakegithub.Tool{Name: "gosec"}, CreatedAt: time.Now()}}
	withBase.SARIF[11] = base
	compared := runAction(t, withBase, map[string]string{"split": "true", "sarif-files": "results/**/*.sarif " + runs25}, bin)
	if compared.outputs["new-count"] != "27" || compared.outputs["absent-count"] != "1" {
		t.Errorf("compared: %v\n%s\n%s", compared.outputs, compared.steps["base"], compared.steps["diff"])
	}
}

// releaseHost serves a release of version for this machine, made by
// .ci/release, as GitHub's release host does (BASE/VERSION/FILE), and
// returns BASE.
func releaseHost(t *testing.T, version string) string {
	t.Helper()
	// Read here, the scripts count in go test's cache: the test binary
	// has the commands' code, not the scripts that ship and install them.
	for _, script := range []string{"../../.ci/release", "../../install.sh"} {
		if _, err := os.ReadFile(script); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "dist")
	cmd := exec.Command("../../.ci/release", version, dir)
	cmd.Env = append(os.Environ(), "SARIFKIT_RELEASE_TARGETS="+runtime.GOOS+"/"+runtime.GOARCH, "SOURCE_DATE_EPOCH=1765000000", "SARIFKIT_RELEASE_DIRTY=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf(".ci/release: %v\n%s", err, out)
	}
	srv := httptest.NewServer(http.StripPrefix("/releases/download/"+version+"/", http.FileServer(http.Dir(dir))))
	t.Cleanup(srv.Close)
	return srv.URL + "/releases/download"
}

// The action at a version tag installs that release's sarifkit with
// install.sh (here from a local release host), without setting up or
// running Go, and runs its steps with it; at a tag that has no release,
// or at a branch, it builds from its checkout (the test binary stands in
// for the build, SARIFKIT_BIN, unless SARIFKIT_LONG_TESTS=1). The step
// summary says which.
func TestActionInstallsRelease(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: the action's steps did not run")
	}
	switch runtime.GOOS + "/" + runtime.GOARCH {
	case "linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64":
	default:
		t.Skipf("SKIP: install.sh has no release for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	const version = "v0.1.0"
	releases := releaseHost(t, version)
	gh, _ := githubWithBase(t)
	// Nested in another composite action, github.action_ref is the outer
	// one's: the path says which release is the action's.
	res := runActionAt(t, gh, nil, "", at{actionRef: "v2.0.0", pathRef: version, releaseURL: releases})
	for _, id := range []string{"go", "cache-dirs", "install"} {
		if out, ran := res.steps[id]; ran {
			t.Errorf("step %s ran although the release was installed:\n%s", id, out)
		}
	}
	if !strings.Contains(res.steps["release"], "installed sarifkit "+version) ||
		!strings.Contains(res.summary, "sarifkit "+version+": installed from its release (SHA-256 checked).") {
		t.Errorf("release step:\n%s\nsummary:\n%s", res.steps["release"], res.summary)
	}
	out, err := exec.Command(filepath.Join(res.bin, "sarif-diff"), "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "sarif-diff "+version+",") {
		t.Errorf("the installed sarif-diff --version: %v: %s", err, out)
	}
	if !res.failed["diff"] || res.outputs["new-count"] != "2" || res.outputs["absent-count"] != "1" {
		t.Errorf("the comparison with the installed release: %v\n%s", res.outputs, res.steps["diff"])
	}

	prebuilt := ""
	if !longtest.Enabled() {
		prebuilt = testCommands(t)
	}
	for _, ref := range []string{"v9.9.9", "main"} {
		// github.action_ref names the release there is: not the action's.
		built := runActionAt(t, gh, nil, prebuilt, at{actionRef: version, pathRef: ref, releaseURL: releases})
		if _, ran := built.steps["install"]; !ran {
			t.Errorf("at %s: the install step did not run", ref)
		}
		how := "sarifkit: the prebuilt commands of SARIFKIT_BIN."
		if prebuilt == "" {
			how = "sarifkit: built from the checkout of the action, with go"
		}
		warned := strings.Contains(built.steps["release"], "::warning title=sarifkit::No release of v9.9.9 could be installed: building from the action's checkout")
		if !strings.Contains(built.summary, how) || strings.Contains(built.summary, "installed from its release") || warned != (ref == "v9.9.9") ||
			built.outputs["new-count"] != "2" {
			t.Errorf("at %s: %v\nrelease step:\n%s\nsummary:\n%s", ref, built.outputs, built.steps["release"], built.summary)
		}
	}
}

// fakeRelease is a release of version for this machine whose sarifkit is
// a script printing sarifkit's --version line for says; with tamper, its
// SHA256SUMS has another digest.
func fakeRelease(t *testing.T, version, says string, tamper bool) map[string][]byte {
	t.Helper()
	top := "sarifkit_" + strings.TrimPrefix(version, "v") + "_" + runtime.GOOS + "_" + runtime.GOARCH
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	script := "#!/bin/sh\necho 'sarifkit " + says + ", a fake'\n"
	tw.WriteHeader(&tar.Header{Name: top + "/", Typeflag: tar.TypeDir, Mode: 0o755})
	tw.WriteHeader(&tar.Header{Name: top + "/sarifkit", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(script))})
	tw.Write([]byte(script))
	tw.Close()
	zw.Close()
	sum := sha256.Sum256(buf.Bytes())
	if tamper {
		sum[0] ^= 1
	}
	return map[string][]byte{top + ".tar.gz": buf.Bytes(), "SHA256SUMS": []byte(hex.EncodeToString(sum[:]) + "  " + top + ".tar.gz\n")}
}

// The action installs a release only when its sarifkit --version names
// the action's ref (else it removes it, and builds, with a warning), and
// fails the job on a release that does not match its SHA256SUMS
// (install.sh's exit 4) instead of building around it.
func TestActionReleaseChecks(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: the action's steps did not run")
	}
	switch runtime.GOOS + "/" + runtime.GOARCH {
	case "linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64":
	default:
		t.Skipf("SKIP: install.sh has no release for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	if _, err := os.ReadFile("../../install.sh"); err != nil {
		t.Fatal(err)
	}
	releases := map[string]map[string][]byte{
		"v0.2.0": fakeRelease(t, "v0.2.0", "v0.1.0", false),
		"v0.3.0": fakeRelease(t, "v0.3.0", "v0.3.0", true),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version, name, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/releases/download/"), "/")
		b, ok := releases[version][name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	base := srv.URL + "/releases/download"
	gh, _ := githubWithBase(t)

	other := runActionAt(t, gh, nil, testCommands(t), at{pathRef: "v0.2.0", releaseURL: base})
	if _, ran := other.steps["install"]; !ran || other.outputs["new-count"] != "2" ||
		!strings.Contains(other.steps["release"], "::warning title=sarifkit::The release v0.2.0 installed a sarifkit that is not v0.2.0") ||
		strings.Contains(other.summary, "installed from its release") {
		t.Errorf("a release whose sarifkit is another version: %v\nrelease step:\n%s\nsummary:\n%s", other.outputs, other.steps["release"], other.summary)
	}

	tampered := runActionAt(t, gh, nil, testCommands(t), at{pathRef: "v0.3.0", releaseURL: base, mayFail: true})
	if !tampered.failed["release"] || !strings.Contains(tampered.steps["release"], "::error title=sarifkit::The release v0.3.0 does not match its SHA256SUMS") {
		t.Errorf("a tampered release: failed %v\n%s", tampered.failed, tampered.steps["release"])
	}
	for _, id := range []string{"go", "install", "merge"} {
		if _, ran := tampered.steps[id]; ran {
			t.Errorf("a tampered release: step %s ran", id)
		}
	}
}

// The fallback build sets up the newest patch release of Go (not
// go.mod's go line, the oldest it builds with), and every action the
// steps use is pinned by a full commit SHA.
func TestActionSetupGo(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var act actionFile
	if err := yaml.Unmarshal(data, &act); err != nil {
		t.Fatal(err)
	}
	pinned := regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40}$`)
	setup := 0
	for _, st := range act.Runs.Steps {
		if st.Uses == "" {
			continue
		}
		if !pinned.MatchString(st.Uses) {
			t.Errorf("%s is not pinned by a full commit SHA", st.Uses)
		}
		if strings.HasPrefix(st.Uses, "actions/setup-go@") {
			setup++
			if st.With["go-version"] != "1.26.x" || st.With["go-version-file"] != "" {
				t.Errorf("setup-go with %v, want go-version 1.26.x", st.With)
			}
		}
	}
	if setup != 1 {
		t.Errorf("%d setup-go steps", setup)
	}
	if strings.Contains(string(data), "${{ github.action_ref }}") {
		t.Errorf("action.yml reads github.action_ref")
	}
}
