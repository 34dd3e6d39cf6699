package action

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

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

// cond evaluates "a op b || c op d" with op == or !=.
func (r *runner) cond(s string) bool {
	if s == "" {
		return true
	}
	for _, alt := range strings.Split(s, "||") {
		var a, b string
		var eq bool
		if x, y, ok := strings.Cut(alt, "!="); ok {
			a, b = x, y
		} else if x, y, ok := strings.Cut(alt, "=="); ok {
			a, b, eq = x, y, true
		} else {
			r.t.Fatalf("condition %q is not understood by the test", s)
		}
		if (r.value(a) == r.value(b)) == eq {
			return true
		}
	}
	return false
}

func TestActionOnPullRequest(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: the action's steps did not run")
	}
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

	// The commands, built from this tree.
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "github.com/sarifkit/sarifkit/cmd/...")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// GitHub holds the scan of main; the pull request's scanner wrote head.
	gh := fakegithub.New(t)
	base, _ := os.ReadFile("../../testdata/diff/base.sarif")
	gh.Analyses = []fakegithub.Analysis{{ID: 11, Ref: "refs/heads/main", Tool: fakegithub.Tool{Name: "gosec"}, CreatedAt: time.Now()}}
	gh.SARIF[11] = base
	work, temp := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(work, "results"), 0o755)
	head, _ := os.ReadFile("../../testdata/diff/head.sarif")
	os.WriteFile(filepath.Join(work, "results", "gosec.sarif"), head, 0o644)
	summary := filepath.Join(temp, "summary.md")
	pathFile := filepath.Join(temp, "path")

	r := &runner{t: t, inputs: map[string]string{}, outputs: map[string]map[string]string{},
		github: map[string]string{"token": gh.Token, "action_ref": "", "event_name": "pull_request", "base_ref": "main"}}
	for k, v := range act.Inputs {
		r.inputs[k] = r.expand(v.Default)
	}
	r.inputs["sarif-files"] = "results/**/*.sarif"
	r.inputs["upload"] = "true"

	var ranDiff bool
	var diffOut []byte
	for _, st := range act.Runs.Steps {
		if !r.cond(st.If) {
			continue
		}
		if st.Uses != "" {
			t.Fatalf("step %q (%s) would run although Go is present", st.ID, st.Uses)
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
			"SARIFKIT_BIN="+bin, "GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_PATH="+pathFile,
			"RUNNER_TEMP="+temp, "GITHUB_WORKSPACE="+work, "GITHUB_REF=refs/pull/7/merge", "GITHUB_SHA="+strings.Repeat("e", 40),
			"GITHUB_REPOSITORY=o/r", "GITHUB_API_URL="+gh.URL, "GITHUB_TOKEN=", "GH_TOKEN=")
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
		if st.ID == "diff" {
			ranDiff, diffOut = true, out
			if err == nil {
				t.Errorf("the diff step passed, but head has new results and fail-on is new:\n%s", out)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %q failed: %v\n%s", st.ID, err, out)
		}
	}
	if !ranDiff {
		t.Fatal("the diff step did not run on a pull request")
	}
	if !strings.Contains(string(diffOut), "::error file=internal/config/config.go,line=12,col=2,title=gosec G101::Potential hardcoded credentials") ||
		!strings.Contains(string(diffOut), "gate failed: 2 result(s) new") {
		t.Errorf("diff step output:\n%s", diffOut)
	}
	md, _ := os.ReadFile(summary)
	if !strings.Contains(string(md), "| 2 | 1 | 1 | 1 |") {
		t.Errorf("step summary:\n%s", md)
	}
	got := map[string]string{}
	for k, v := range act.Outputs {
		got[k] = r.expand(v.Value)
	}
	if got["new-count"] != "2" || got["absent-count"] != "1" || !strings.HasSuffix(got["sarif-file"], "sarifkit-merged.sarif") {
		t.Errorf("action outputs %v", got)
	}
	uploaded := false
	for _, l := range gh.Log() {
		if strings.HasPrefix(l, "POST /repos/o/r/code-scanning/sarifs") {
			uploaded = true
		}
	}
	if !uploaded || len(gh.Upload("sarif-1")) == 0 {
		t.Error("the merged log was not uploaded")
	}
}
