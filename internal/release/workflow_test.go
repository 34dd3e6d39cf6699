package main

import (
	"os"
	"regexp"
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
	var built, published bool
	for name, job := range wf.Jobs {
		if len(job.Permissions) != 1 || job.Permissions["contents"] != "write" {
			t.Errorf("job %s: permissions %v, want contents: write alone", name, job.Permissions)
		}
		for _, st := range job.Steps {
			if st.Uses != "" && !pinned.MatchString(st.Uses) {
				t.Errorf("job %s: %s is not pinned by a full commit SHA", name, st.Uses)
			}
			if strings.Contains(st.Run, `.ci/release "$GITHUB_REF_NAME" dist`) {
				built = true
			}
			if strings.Contains(st.Run, `gh release create "$GITHUB_REF_NAME"`) && strings.Contains(st.Run, "dist/*") {
				published = built && st.Env["GH_TOKEN"] == "${{ github.token }}"
			}
		}
	}
	if !built || !published {
		t.Errorf("release.yml: built with .ci/release and the tag %v, then published dist/* as the tag's release %v", built, published)
	}
}
