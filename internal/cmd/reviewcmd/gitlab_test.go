package reviewcmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/gitlab"
	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/fakegitlab"
)

func gitlabEnv(f *fakegitlab.Server) clitest.Env {
	return clitest.Env{Vars: map[string]string{"CI_API_V4_URL": f.URL, "CI_PROJECT_ID": f.Project, "CI_MERGE_REQUEST_IID": "7", "GITLAB_TOKEN": f.Token}}
}

// gitlabLog writes a log of one result of tool lint on lines line..end of
// uri, with extra members.
func gitlabLog(t *testing.T, uri string, line, end int, extra string) string {
	p := filepath.Join(t.TempDir(), "l.sarif")
	text := fmt.Sprintf(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[{"ruleId":"A","level":"warning",`+
		`"message":{"text":"A found"},"partialFingerprints":{"primaryLocationLineHash":"a:1"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},`+
		`"region":{"startLine":%d,"endLine":%d}}}]%s}]}]}`, uri, line, end, extra)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A region from a context line to an added line of a renamed file with a
// space in its name, with a fix: GitLab takes the discussion as sent.
func TestGitLabMultiLineRenamed(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	f.Diffs = []fakegitlab.Diff{{OldPath: "old name.go", NewPath: "new name.go", RenamedFile: true, Diff: "@@ -1,3 +1,4 @@\n a\n b\n+c\n d\n"}}
	fix := `,"fixes":[{"artifactChanges":[{"artifactLocation":{"uri":"new%20name.go"},"replacements":[{"deletedRegion":{"startLine":3,"startColumn":1,"endColumn":2},"insertedContent":{"text":"C"}}]}]}]`
	r := clitest.Run(t, Run, gitlabEnv(f), "--gitlab", "--filter-mode", "diff_context", gitlabLog(t, "new%20name.go", 2, 3, fix))
	if r.Code != cli.ExitOK || r.Stdout != "" {
		t.Fatalf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	d := f.Discussions()
	if len(d) != 2 || d[0].Notes[0].Position == nil {
		t.Fatalf("discussions %+v", d)
	}
	pos, _ := json.Marshal(d[0].Notes[0].Position)
	sha := `"base_sha":"` + strings.Repeat("a", 40) + `","head_sha":"` + strings.Repeat("c", 40) + `",`
	want := `{` + sha + `"line_range":{"end":{"line_code":"` + gitlab.LineCode("new name.go", 3, 3) + `","type":"new"},"start":{"line_code":"` +
		gitlab.LineCode("new name.go", 2, 2) + `","type":"old"}},"new_line":2,"new_path":"new name.go","old_line":2,"old_path":"old name.go",` +
		`"position_type":"text","start_sha":"` + strings.Repeat("b", 40) + `"}`
	if string(pos) != want {
		t.Errorf("position\n%s\nwant\n%s", pos, want)
	}
	if body := d[0].Notes[0].Body; !strings.Contains(body, "```suggestion:-0+1\nb\nC\n```") {
		t.Errorf("body %q", body)
	}
}

// A comment GitLab refuses (a push moved its line between the diff read
// and the discussion) goes to the summary, which is still written; the
// others are posted; the run warns and exits 0.
func TestGitLabRefusedToSummary(t *testing.T) {
	t.Parallel()
	f := fakegitlab.New(t)
	f.Diffs = []fakegitlab.Diff{{OldPath: "a.go", NewPath: "a.go", Diff: "@@ -1,2 +1,4 @@\n a\n+b\n+c\n d\n"}}
	// The discussions listed, then the first (A's) refused.
	f.Fault("/projects/group%2Fproject/merge_requests/7/discussions", "none", "400")
	log := filepath.Join(t.TempDir(), "l.sarif")
	text := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lint"}},"results":[` +
		`{"ruleId":"A","message":{"text":"A found"},"partialFingerprints":{"primaryLocationLineHash":"a:1"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":2}}}]},` +
		`{"ruleId":"B","message":{"text":"B found"},"partialFingerprints":{"primaryLocationLineHash":"b:1"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":3}}}]}]}]}`
	if err := os.WriteFile(log, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, Run, gitlabEnv(f), "--gitlab", log)
	if r.Code != cli.ExitOK || r.Stdout != "" || !strings.Contains(r.Stderr, "refused") {
		t.Errorf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	d := f.Discussions()
	if len(d) != 2 || !strings.Contains(d[0].Notes[0].Body, "B found") || d[1].Notes[0].Position != nil ||
		!strings.Contains(d[1].Notes[0].Body, "`a.go:2` | A found") {
		for _, x := range d {
			t.Logf("%+v", x.Notes[0])
		}
		t.Errorf("%d discussions", len(d))
	}
}
