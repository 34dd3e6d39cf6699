package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

func TestUploadCLI(t *testing.T) {
	f := fakegithub.New(t)
	env := map[string]string{"GH_TOKEN": f.Token, "GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": f.URL}
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
		return code, out.String(), errb.String()
	}
	sha := strings.Repeat("d", 40)
	code, stdout, stderr := run("--ref", "refs/heads/main", "--commit", sha, "--wait", "--poll-interval", "10ms", "../../testdata/valid/example-gosec.sarif")
	if code != 0 || !strings.Contains(stdout, "uploaded: sarif-1") || !strings.Contains(stdout, "processing: complete") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if len(f.Upload("sarif-1")) == 0 {
		t.Fatal("nothing uploaded")
	}
	f.Final, f.Errors = "failed", []string{"expected artifact location"}
	code, _, stderr = run("--ref", "refs/heads/main", "--commit", sha, "--wait", "--poll-interval", "10ms", "../../testdata/valid/example-gosec.sarif")
	if code != 1 || !strings.Contains(stderr, "GitHub: expected artifact location") {
		t.Errorf("failed processing: exit %d: %s", code, stderr)
	}
	// Refused before sending: GitHub would reject it.
	before := len(f.Log())
	code, _, stderr = run("--ref", "refs/heads/main", "--commit", sha, "../../testdata/invalid/github-limits.sarif")
	if code != 2 || !strings.Contains(stderr, "github/duplicate-category") || !strings.Contains(stderr, "not uploaded") || len(f.Log()) != before {
		t.Errorf("refusal: exit %d: %s", code, stderr)
	}
	for _, args := range [][]string{{"x.sarif"}, {"--ref", "r", "--commit", sha}, {"--ref", "r", "--commit", sha, "../../testdata/invalid/truncated.sarif"}} {
		if code, _, _ := run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	f.Fault("/repos/o/r/code-scanning/sarifs", "500")
	if code, _, stderr := run("--ref", "refs/heads/main", "--commit", sha, "../../testdata/valid/example-gosec.sarif"); code != 1 || !strings.Contains(stderr, "500") {
		t.Errorf("server error: exit %d: %s", code, stderr)
	}
}
