package schema

import (
	"slices"
	"strings"
	"testing"
)

// GitHub's duplicate-run check keys a run as github/codeql-action does
// (createRunKey in src/sarif/index.ts at f3f1edbed): the driver's name,
// fullName, version, semanticVersion and guid, and the whole
// automationDetails.id. The verdicts are those of the action's
// areAllRunsUnique, run under node on the same runs. (Before, the check
// keyed on the name and the category alone, and reported every case below
// but the last two as a duplicate.)
func TestGitHubRunIdentity(t *testing.T) {
	t.Parallel()
	v := newValidator(t, &Options{GitHub: true})
	logOf := func(runs ...string) []byte {
		var rs []string
		for _, r := range runs {
			driver, ad, _ := strings.Cut(r, "|")
			s := `{"tool":{"driver":{` + driver + `}},"results":[]`
			if ad != "" {
				s += `,"automationDetails":` + ad
			}
			rs = append(rs, s+"}")
		}
		return []byte(`{"version":"2.1.0","runs":[` + strings.Join(rs, ",") + `]}`)
	}
	dup := []string{"/runs/1 github/duplicate-category"}
	for _, c := range []struct {
		name string
		log  []byte
		want []string
	}{
		{"two run ids of one category", logOf(`"name":"gosec"|{"id":"cat/2024-01-01"}`, `"name":"gosec"|{"id":"cat/2024-01-02"}`), nil},
		{"abc and abc/", logOf(`"name":"gosec"|{"id":"abc"}`, `"name":"gosec"|{"id":"abc/"}`), nil},
		{"versions", logOf(`"name":"gosec","version":"2.0.0"`, `"name":"gosec","version":"2.1.0"`), nil},
		{"guids", logOf(`"name":"gosec","guid":"00000000-0000-4000-8000-000000000001"`, `"name":"gosec","guid":"00000000-0000-4000-8000-000000000002"`), nil},
		{"semantic versions", logOf(`"name":"gosec","semanticVersion":"1.0.0"`, `"name":"gosec","semanticVersion":"1.1.0"`), nil},
		{"full names", logOf(`"name":"gosec","fullName":"gosec A"`, `"name":"gosec","fullName":"gosec B"`), nil},
		{"an empty version and none", logOf(`"name":"gosec","version":""`, `"name":"gosec"`), nil},
		{"no automationDetails and an empty id", logOf(`"name":"gosec"`, `"name":"gosec"|{"id":""}`), nil},
		{"one id", logOf(`"name":"gosec","version":"2.0.0"|{"id":"cat/"}`, `"name":"gosec","version":"2.0.0"|{"id":"cat/"}`), dup},
		{"no automationDetails and automationDetails without id", logOf(`"name":"gosec"`, `"name":"gosec"|{"description":{"text":"d"}}`), dup},
	} {
		got, err := v.ValidateBytes(t.Context(), c.log, "x")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), c.want) {
			t.Errorf("%s: findings\n got %q\nwant %q", c.name, ids(got), c.want)
		}
	}

	// The action's own fixture (src/testdata/tool-names.sarif): two runs
	// of "CodeQL command-line toolchain" clash; a driver named "" and one
	// whose name is null do not (the null is a schema error). Before, runs
	// 3 and 4 were reported too. (Its runs have no results array, which
	// the upload refuses: github/missing-results, not looked at here.)
	got, err := v.ValidateFile(t.Context(), "../testdata/runs/codeql-action-tool-names.sarif")
	if err != nil {
		t.Fatal(err)
	}
	var gh []Finding
	for _, f := range got {
		if strings.HasPrefix(f.ID, "github/") && f.ID != "github/missing-results" {
			gh = append(gh, f)
		}
	}
	if want := dup; !slices.Equal(ids(gh), want) {
		t.Errorf("tool-names.sarif: GitHub findings\n got %q\nwant %q", ids(gh), want)
	}
	if len(gh) == 1 && !strings.Contains(gh[0].Message, `runs 0 and 1 are one run to GitHub (tool "CodeQL command-line toolchain", no automationDetails.id)`) {
		t.Errorf("message %q", gh[0].Message)
	}
}
