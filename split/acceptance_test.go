package split_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/sarifkit/sarifkit/internal/gen"
	"github.com/sarifkit/sarifkit/internal/longtest"
	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/schema"
	"github.com/sarifkit/sarifkit/split"
)

// TestAcceptance splits generated logs over each of GitHub's limits and
// checks that GitHub's checks (schema.Validator with GitHub's) accept
// every file, that the files hold every result of the input once, as
// trimming leaves it, and that no file nor two files break what GitHub
// and its upload action refuse: more runs or bytes than a file may have,
// two runs of one tool and category, two files of one upload key. The
// long version (see package longtest) splits at GitHub's own limits:
// 60,000 results over 300 rules, 25 runs, 1,500 locations on a result,
// 12,000 thread-flow locations, a log over 10 MB gzip-compressed, 30,000
// rules; the short one at smaller limits where the log would be large.
func TestAcceptance(t *testing.T) {
	t.Parallel()
	long := longtest.Enabled()
	type limits struct {
		runs, results, rules int
		gzip                 int64
	}
	real := limits{schema.GitHubMaxRuns, schema.GitHubMaxResultsPerRun, schema.GitHubMaxRulesPerRun, schema.GitHubMaxGzipSize}
	for _, c := range []struct {
		name  string
		cfg   gen.Config
		lim   limits
		files int // at least
		parts int // of the first run, at least
	}{
		{name: "results", cfg: gen.Config{Results: longtest.Size(6000, 60000), Rules: 300, Seed: 1},
			lim: pick(long, real, limits{20, 2500, 25000, 10_000_000}), files: 1, parts: 4},
		{name: "runs", cfg: gen.Config{Results: 20, Runs: 25, Seed: 2}, lim: real, files: 2, parts: 1},
		{name: "locations", cfg: gen.Config{Results: 3, Locations: 1500, Seed: 3}, lim: real, files: 1, parts: 1},
		{name: "thread-flow-locations", cfg: gen.Config{Results: 2, CodeFlowEvery: 1, ThreadFlowLocations: 12000, Seed: 4}, lim: real, files: 1, parts: 1},
		{name: "size", cfg: gen.Config{Results: longtest.Size(2000, 20000), Locations: 40, Seed: 5},
			lim: pick(long, real, limits{20, 25000, 25000, 1_000_000}), files: 2, parts: 2},
		{name: "rules", cfg: gen.Config{Results: longtest.Size(3000, 40000), Rules: longtest.Size(300, 30000), Seed: 6},
			lim: pick(long, real, limits{20, 25000, 100, 10_000_000}), files: 1, parts: 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := genFile(t, c.cfg)
			opts := &split.Options{}
			split.SetLimits(opts, c.lim.runs, c.lim.results, c.lim.rules, c.lim.gzip)
			files, st := runSplit(t, opts, in)
			if len(files) < c.files || st.Runs[0].Parts < c.parts {
				t.Errorf("%d files, %d parts", len(files), st.Runs[0].Parts)
			}
			sameResults(t, [][]byte{trimmedInput(t, in)}, files)
			checkFiles(t, files, c.lim.runs, c.lim.results, c.lim.rules, c.lim.gzip)
		})
	}
}

func pick[T any](long bool, a, b T) T {
	if long {
		return a
	}
	return b
}

// trimmedInput is the input as trimming to GitHub's limits leaves it.
func trimmedInput(t testing.TB, name string) []byte {
	t.Helper()
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range l.Runs {
		if _, err := split.TrimRun(ctx, r, i, split.Limits{}); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := l.Write(&b, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// notKeyChar is what GitHub's upload action replaces in its upload keys.
var notKeyChar = regexp.MustCompile(`[^a-zA-Z0-9_]`)

// actionKey is the key validateUniqueCategory of GitHub's upload action
// gives a run (src/upload-lib.ts): sanitize(id) + "_" + sanitize(tool),
// sanitize replacing each UTF-16 code unit other than [a-zA-Z0-9_] with
// "_", in upper case, and "_" for an absent id.
func actionKey(id *string, tool string) string {
	sanitize := func(s string) string {
		return strings.ToUpper(notKeyChar.ReplaceAllStringFunc(s, func(m string) string {
			return strings.Repeat("_", len(utf16.Encode([]rune(m))))
		}))
	}
	k := "_"
	if id != nil {
		k = sanitize(*id)
	}
	return k + "_" + sanitize(tool)
}

// checkFiles checks the files against GitHub's checks and the limits.
func checkFiles(t testing.TB, files []written, runs, results, rules int, gz int64) {
	t.Helper()
	v, err := schema.New(&schema.Options{GitHub: true})
	if err != nil {
		t.Fatal(err)
	}
	type toolCat struct{ tool, cat string }
	seen := map[toolCat]string{}
	keys := map[string]string{}
	for _, f := range files {
		findings, err := v.ValidateBytes(context.Background(), f.text, f.name)
		if err != nil {
			t.Fatal(err)
		}
		if schema.HasErrors(findings) {
			t.Errorf("%s: GitHub's checks fail: %v", f.name, schema.Groups(findings))
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(f.text)
		zw.Close()
		if int64(b.Len()) > gz {
			t.Errorf("%s: %d bytes gzip-compressed", f.name, b.Len())
		}
		l := parse(t, f.text)
		if len(l.Runs) > runs {
			t.Errorf("%s: %d runs", f.name, len(l.Runs))
		}
		own := map[string]bool{}
		for _, r := range l.Runs {
			var id *string
			cat := ""
			if r.AutomationDetails != nil && r.AutomationDetails.ID != nil {
				id = r.AutomationDetails.ID
				cat = *id
				if i := strings.LastIndexByte(cat, '/'); i >= 0 {
					cat = cat[:i]
				}
			}
			k := toolCat{r.Tool.Driver.Name, cat}
			if other, ok := seen[k]; ok {
				t.Errorf("%s and %s: two runs of tool %q, category %q", other, f.name, k.tool, k.cat)
			}
			seen[k] = f.name
			key := actionKey(id, r.Tool.Driver.Name)
			if other, ok := keys[key]; ok && !own[key] {
				t.Errorf("%s and %s: upload key %s in both", other, f.name, key)
			}
			keys[key], own[key] = f.name, true
			if len(r.Results) > results {
				t.Errorf("%s: %d results in a run", f.name, len(r.Results))
			}
			if len(r.Tool.Driver.Rules) > rules {
				t.Errorf("%s: %d rules in a run", f.name, len(r.Tool.Driver.Rules))
			}
		}
	}
}
