package diffcmd

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
)

// tree reads the files under dir into a map, as gitRepo takes them.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(dir + "/" + p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The flawfinder history of testdata/diff/flawfinder (see diff's
// TestSharedFingerprints) with --git: identical lines share a
// fingerprint value, which pairs results only within a file and in line
// order, and git's line diff wins over a fingerprint that disagrees with
// it. Every result gets its true state and partner.
func TestGitFlawfinderHistory(t *testing.T) {
	t.Parallel()
	dir := td + "diff/flawfinder/"
	repo, ids := gitRepo(t, tree(t, dir+"base"), tree(t, dir+"head"))
	var truth struct {
		Pairs       [][2]int
		New, Absent []int
	}
	data, err := os.ReadFile(dir + "truth.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "--format", "json", "--git", repo, "--base-ref", ids[0], "--head-ref", ids[1], dir+"base.sarif", dir+"head.sarif")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Results []struct{ State, Pass, BasePointer, HeadPointer string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	index := func(pointer string) int {
		if pointer == "" {
			return -1
		}
		var i int
		fmt.Sscanf(pointer[strings.LastIndexByte(pointer, '/')+1:], "%d", &i)
		return i
	}
	var wrong []string
	for _, r := range rep.Results {
		b, h := index(r.BasePointer), index(r.HeadPointer)
		var ok bool
		switch r.State {
		case "new":
			ok = slices.Contains(truth.New, h)
		case "absent":
			ok = slices.Contains(truth.Absent, b)
		default:
			ok = slices.Contains(truth.Pairs, [2]int{b, h})
		}
		if !ok {
			wrong = append(wrong, fmt.Sprintf("%s %d->%d (%s)", r.State, b, h, r.Pass))
		}
	}
	if len(rep.Results) != len(truth.Pairs)+len(truth.New)+len(truth.Absent) || len(wrong) > 0 {
		t.Errorf("%d results, wrong calls: %q", len(rep.Results), wrong)
	}
}
