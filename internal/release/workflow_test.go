package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The release workflow (.github/workflows/release.yml), which cannot run
// here: on a tag v*, it builds with .ci/release, given the tag, into
// dist, and publishes dist's files as the tag's release, with a token
// that may write the repository's contents and nothing else; every
// action it uses is pinned by a full commit SHA.
func TestReleaseWorkflow(t *testing.T) {
	data, err := os.ReadFile("../../.github/workflows/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			Push struct {
				Tags     []string `yaml:"tags"`
				Branches []string `yaml:"branches"`
			} `yaml:"push"`
		} `yaml:"on"`
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
				Run  string            `yaml:"run"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("release.yml: %v", err)
	}
	if len(wf.On.Push.Tags) != 1 || wf.On.Push.Tags[0] != "v*" || len(wf.On.Push.Branches) != 0 {
		t.Errorf("on.push: tags %v, branches %v; want tags [v*] alone", wf.On.Push.Tags, wf.On.Push.Branches)
	}
	if len(wf.Permissions) != 0 {
		t.Errorf("workflow permissions %v, want none (each job its own)", wf.Permissions)
	}
	pinned := regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40}$`)
	var built, published, setup, notesChecked bool
	for name, job := range wf.Jobs {
		if len(job.Permissions) != 1 || job.Permissions["contents"] != "write" {
			t.Errorf("job %s: permissions %v, want contents: write alone", name, job.Permissions)
		}
		for _, st := range job.Steps {
			if st.Uses != "" && !pinned.MatchString(st.Uses) {
				t.Errorf("job %s: %s is not pinned by a full commit SHA", name, st.Uses)
			}
			if strings.HasPrefix(st.Uses, "actions/setup-go@") {
				// The exact Go release (not go.mod's go line, the
				// oldest it builds with), never a newer one.
				setup = goRelease.MatchString(st.With["go-version"]) && st.With["check-latest"] == "false" && st.With["go-version-file"] == ""
				if !setup {
					t.Errorf("setup-go with %v: want go-version an exact Go release, check-latest false", st.With)
				}
			}
			run := commands(st.Run)
			if setup && slices.Contains(run, "go version") && slices.Contains(run, `.ci/release "$GITHUB_REF_NAME" dist`) {
				built = true
			}
			if slices.Contains(run, `if ! grep -q '[^[:space:]]' notes.md; then`) {
				notesChecked = true
			}
			for _, c := range run {
				if strings.HasPrefix(c, `gh release create "$GITHUB_REF_NAME"`) && strings.HasSuffix(c, " dist/*") {
					published = built && notesChecked && st.Env["GH_TOKEN"] == "${{ github.token }}"
				}
			}
		}
	}
	if !built || !published {
		t.Errorf("release.yml: built with .ci/release and the tag after go version %v, then published dist/* as the tag's release, notes checked, %v", built, published)
	}
}

// goRelease is an exact Go release, 1.N.P.
var goRelease = regexp.MustCompile(`^1\.[0-9]+\.[0-9]+$`)

// commands returns the lines of a step's run: text that are commands,
// trimmed, without comments and blank lines.
func commands(run string) []string {
	var out []string
	for l := range strings.Lines(run) {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}
