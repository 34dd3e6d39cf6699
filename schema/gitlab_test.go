package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// glResult is one result of a generated log, by what GitLab makes of it.
type glResult string

const (
	glOK         glResult = `{"ruleId":"R1","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`
	glNoRuleID   glResult = `{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`
	glNoLocation glResult = `{"ruleId":"R1","message":{"text":"m"}}`
	// glBoth has no ruleId and no location: dropped once.
	glBoth glResult = `{"message":{"text":"m"}}`
	// glIndexOnly names its rule by index only: GitLab does not resolve it.
	glIndexOnly glResult = `{"ruleIndex":0,"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`
	// glRuleRefID names its rule by rule.id: GitLab reads it.
	glRuleRefID glResult = `{"rule":{"id":"R1"},"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`
	// glEmptyRuleID has "ruleId": "" beside rule.id: Ruby's || keeps "".
	glEmptyRuleID glResult = `{"ruleId":"","rule":{"id":"R1"},"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`
	// glSecondLocation has its physical location in locations[1] only.
	glSecondLocation glResult = `{"ruleId":"R1","message":{"text":"m"},"locations":[{"logicalLocations":[{"name":"f"}]},{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]}`
	// glSuppressed is skipped, not dropped, though it has no ruleId.
	glSuppressed glResult = `{"message":{"text":"m"},"suppressions":[{"kind":"inSource"}]}`
	// glContested has a suppression under review: counted (and dropped).
	glContested glResult = `{"message":{"text":"m"},"suppressions":[{"kind":"external","status":"underReview"}]}`
	// glRegionless has a file and no region: GitLab keeps it.
	glRegionless glResult = `{"ruleId":"R1","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]}`
)

// glLog is a log of one run per element of runs, its tool's rules the
// JSON text rules ("" for one rule, R1).
func glLog(rules string, runs ...[]glResult) []byte {
	if rules == "" {
		rules = `[{"id":"R1"}]`
	}
	var b strings.Builder
	b.WriteString(`{"version":"2.1.0","runs":[`)
	for i, rs := range runs {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"tool":{"driver":{"name":"lint","rules":%s}},"automationDetails":{"id":"c%d/"},"results":[`, rules, i)
		for j, r := range rs {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(string(r))
		}
		b.WriteString("]}")
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func glRepeat(r glResult, n int) []glResult { return slices.Repeat([]glResult{r}, n) }

// gitlabFindings validates data with the GitLab profile alone and returns
// its findings, failing the test on any other.
func gitlabFindings(t *testing.T, data []byte) []Finding {
	t.Helper()
	got, err := newValidator(t, &Options{Profiles: []Profile{ProfileGitLab}}).ValidateBytes(context.Background(), data, "t.sarif")
	if err != nil {
		t.Fatal(err)
	}
	var out []Finding
	for _, f := range got {
		switch {
		case strings.HasPrefix(f.ID, "gitlab/"):
			out = append(out, f)
		case f.ID == "ref/rule-reference-id-mismatch" && f.Severity == SeverityWarning && f.GitLabAccepts && strings.Contains(f.Message, `ruleId ""`):
			// glEmptyRuleID, which disagrees with its rule.id on purpose:
			// GitLab accepts it.
		default:
			t.Fatalf("the log is not valid: %v", f)
		}
	}
	return out
}

// verdict is the one gitlab/report-fails or gitlab/results-dropped
// finding, if any.
func verdict(t *testing.T, fs []Finding) *Finding {
	t.Helper()
	var v *Finding
	for i, f := range fs {
		if f.ID == "gitlab/report-fails" || f.ID == "gitlab/results-dropped" {
			if v != nil {
				t.Fatalf("two verdicts: %v and %v", *v, f)
			}
			v = &fs[i]
		}
	}
	return v
}

// TestGitLabThreshold is the 50% line of GitLab's ingestion: more than
// half dropped fails the report (an error); exactly half, or fewer, is a
// warning (https://gitlab.com/gitlab-org/gitlab/-/merge_requests/234268,
// INGESTION_FAILURE_THRESHOLD compared with >).
func TestGitLabThreshold(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		results []glResult
		id      string // "" for no verdict
		head    string // the start of the verdict's message
	}{
		{"none dropped", glRepeat(glOK, 4), "", ""},
		{"no results", nil, "", ""},
		{"2 of 4: exactly half", append(glRepeat(glOK, 2), glNoRuleID, glNoLocation), "gitlab/results-dropped",
			"2 of 4 result(s) (50%) would be dropped by GitLab's SARIF ingestion: no ruleId (1), no physicalLocation (1) (first at /runs/0/results/2, /runs/0/results/3); half or fewer"},
		{"2 of 5: just under", append(glRepeat(glOK, 3), glNoRuleID, glNoRuleID), "gitlab/results-dropped",
			"2 of 5 result(s) (40%)"},
		{"3 of 5: just over", append(glRepeat(glOK, 2), glNoRuleID, glNoLocation, glNoLocation), "gitlab/report-fails",
			"3 of 5 result(s) (60%) would be dropped by GitLab's SARIF ingestion: no ruleId (1), no physicalLocation (2) (first at /runs/0/results/2, /runs/0/results/3, /runs/0/results/4); more than half: GitLab fails the report"},
		{"all dropped", glRepeat(glNoLocation, 3), "gitlab/report-fails", "3 of 3 result(s) (100%)"},
		{"suppressed are not counted", append(glRepeat(glOK, 1), glNoLocation, glSuppressed, glSuppressed), "gitlab/results-dropped",
			"1 of 2 result(s) (50%)"},
		{"a contested suppression counts", []glResult{glOK, glContested}, "gitlab/results-dropped", "1 of 2 result(s) (50%)"},
		{"only suppressed", glRepeat(glSuppressed, 3), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fs := gitlabFindings(t, glLog("", c.results))
			v := verdict(t, fs)
			switch {
			case c.id == "" && v != nil:
				t.Fatalf("want no verdict, got %v", *v)
			case c.id == "":
				return
			case v == nil:
				t.Fatalf("want %s, got %v", c.id, fs)
			}
			if v.ID != c.id || !strings.HasPrefix(v.Message, c.head) || v.Pointer != "" {
				t.Errorf("got %v\nwant %s: %s...", *v, c.id, c.head)
			}
			if want := map[string]Severity{"gitlab/report-fails": SeverityError, "gitlab/results-dropped": SeverityWarning}[c.id]; v.Severity != want {
				t.Errorf("severity %s, want %s", v.Severity, want)
			}
			if HasErrors(fs) != (c.id == "gitlab/report-fails") {
				t.Errorf("HasErrors = %v for %s", HasErrors(fs), c.id)
			}
		})
	}
}

// TestGitLabPerReport: the drop rate is that of the whole report, not
// of each run (the parser's add_ingestion_feedback; "The drop rate is
// calculated across the entire SARIF artifact", GitLab's SARIF docs).
func TestGitLabPerReport(t *testing.T) {
	t.Parallel()
	fs := gitlabFindings(t, glLog("", glRepeat(glNoRuleID, 2), glRepeat(glOK, 2)))
	v := verdict(t, fs)
	if v == nil || v.ID != "gitlab/results-dropped" || !strings.HasPrefix(v.Message, "2 of 4 result(s) (50%)") {
		t.Fatalf("want a warning for 2 of 4 across runs (run 0 alone is 2 of 2), got %v", fs)
	}
	fs = gitlabFindings(t, glLog("", glRepeat(glNoRuleID, 2), append(glRepeat(glOK, 1), glNoLocation)))
	if v := verdict(t, fs); v == nil || v.ID != "gitlab/report-fails" ||
		!strings.Contains(v.Message, "3 of 4 result(s) (75%) would be dropped by GitLab's SARIF ingestion: no ruleId (2), no physicalLocation (1) (first at /runs/0/results/0, /runs/0/results/1, /runs/1/results/1)") {
		t.Fatalf("got %v", fs)
	}
}

// TestGitLabReasons: each dropped result counts once, for the first
// reason in the parser's order; which rule references GitLab reads; which
// location.
func TestGitLabReasons(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		results []glResult
		want    []string // pointer id, the verdict left out
		head    string   // the verdict's message, to its "(first at"
	}{
		{"two reasons count once", []glResult{glOK, glBoth, glOK},
			[]string{"/runs/0/results/1 gitlab/result-dropped-no-rule-id"},
			"1 of 3 result(s) (33.3%) would be dropped by GitLab's SARIF ingestion: no ruleId (1) ("},
		{"rule index is not read", []glResult{glOK, glIndexOnly},
			[]string{"/runs/0/results/1 gitlab/result-dropped-no-rule-id"}, "1 of 2 result(s) (50%)"},
		{"rule.id is read", []glResult{glOK, glRuleRefID}, nil, ""},
		{"an empty ruleId hides rule.id", []glResult{glOK, glEmptyRuleID},
			[]string{"/runs/0/results/1 gitlab/result-dropped-no-rule-id"}, "1 of 2 result(s) (50%)"},
		{"only the first location counts", []glResult{glOK, glSecondLocation},
			[]string{"/runs/0/results/1 gitlab/result-dropped-no-location"}, "1 of 2 result(s) (50%)"},
		{"a file without region is kept", []glResult{glOK, glRegionless}, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fs := gitlabFindings(t, glLog("", c.results))
			var got []string
			for _, f := range fs {
				if f.Pointer != "" {
					got = append(got, f.Pointer+" "+f.ID)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
			v := verdict(t, fs)
			if (v == nil) != (c.head == "") || v != nil && !strings.HasPrefix(v.Message, c.head) {
				t.Errorf("verdict %v, want %q...", v, c.head)
			}
		})
	}
}

// TestGitLabTextLimits: a result whose message, or whose rule's name,
// shortDescription, fullDescription or helpUri, is over GitLab's limit is
// dropped (https://gitlab.com/gitlab-org/gitlab/-/merge_requests/260909),
// counted in characters; rules are the driver's, by id, the last of an id
// winning.
func TestGitLabTextLimits(t *testing.T) {
	t.Parallel()
	str := func(s string, n int) string { b, _ := json.Marshal(strings.Repeat(s, n)); return string(b) }
	withMessage := func(text string) glResult {
		return glResult(`{"ruleId":"R1","message":{"text":` + text + `},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]}`)
	}
	cases := []struct {
		name    string
		rules   string
		results []glResult
		want    []string
		head    string
	}{
		{"message at the limit", "", []glResult{withMessage(str("x", 2048)), glOK}, nil, ""},
		{"message at the limit in characters, not bytes", "", []glResult{withMessage(str("é", 2048)), glOK}, nil, ""},
		{"message over the limit", "", []glResult{withMessage(str("x", 2049)), glOK, glOK},
			[]string{"/runs/0/results/0/message gitlab/message-too-long"},
			"1 of 3 result(s) (33.3%) would be dropped by GitLab's SARIF ingestion: a text field over its limit (1)"},
		{"markdown when there is no text", `[{"id":"R1","messageStrings":{"m":{"text":"x"}}}]`, []glResult{glResult(`{"ruleId":"R1","message":{"id":"m","markdown":` + str("x", 2049) + `},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"}}}]}`), glOK},
			[]string{"/runs/0/results/0/message gitlab/message-too-long"}, "1 of 2"},
		{"short description", `[{"id":"R1","shortDescription":{"text":` + str("x", 1025) + `}},{"id":"R2"}]`, []glResult{glOK, glOK, glOK},
			[]string{"/runs/0/tool/driver/rules/0/shortDescription/text gitlab/rule-field-too-long"},
			"3 of 3 result(s) (100%) would be dropped by GitLab's SARIF ingestion: a text field over its limit (3)"},
		{"every field of a rule, its results once", `[{"id":"R1","name":` + str("n", 256) + `,"shortDescription":{"text":` + str("x", 1025) + `},"fullDescription":{"text":` + str("x", 2049) + `},"helpUri":"https://h/` + strings.Repeat("p", 2048) + `"}]`,
			[]glResult{glOK, glNoLocation, withMessage(str("x", 3000)), glNoRuleID},
			[]string{
				"/runs/0/results/2/message gitlab/message-too-long",
				"/runs/0/results/3 gitlab/result-dropped-no-rule-id",
				"/runs/0/tool/driver/rules/0/fullDescription/text gitlab/rule-field-too-long",
				"/runs/0/tool/driver/rules/0/helpUri gitlab/rule-field-too-long",
				"/runs/0/tool/driver/rules/0/name gitlab/rule-field-too-long",
				"/runs/0/tool/driver/rules/0/shortDescription/text gitlab/rule-field-too-long",
			},
			"4 of 4 result(s) (100%) would be dropped by GitLab's SARIF ingestion: no ruleId (1), a text field over its limit (3)"},
		{"the last rule of an id wins", `[{"id":"R1","name":` + str("n", 256) + `},{"id":"R1","name":"short"}]`, []glResult{glOK}, nil, ""},
		{"a long rule no result uses", `[{"id":"R1"},{"id":"R2","name":` + str("n", 256) + `}]`, []glResult{glOK}, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fs := gitlabFindings(t, glLog(c.rules, c.results))
			var got []string
			for _, f := range fs {
				if f.Pointer != "" {
					got = append(got, f.Pointer+" "+f.ID)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
			v := verdict(t, fs)
			if (v == nil) != (c.head == "") || v != nil && !strings.HasPrefix(v.Message, c.head) {
				t.Errorf("verdict %v, want %q...", v, c.head)
			}
		})
	}
	// The message of a rule's finding names the field, its length and
	// limit, and the results it costs.
	fs := gitlabFindings(t, glLog(`[{"id":"R1","name":`+str("n", 300)+`}]`, glRepeat(glOK, 2)))
	if want := "300 characters, over GitLab's limit of 255 for rule_name: GitLab drops the 2 result(s) of this rule"; fs[1].Message != want {
		t.Errorf("got %q\nwant %q", fs[1].Message, want)
	}
}

// TestGitLabRunsAndTruncation: more than 20 runs fails the report; GitLab
// reads only the first 5,000 results of a run (the rest are not counted)
// and the first 10 tags of a rule.
func TestGitLabRunsAndTruncation(t *testing.T) {
	t.Parallel()
	runs := make([][]glResult, GitLabMaxRuns+1)
	for i := range runs {
		runs[i] = []glResult{glOK}
	}
	fs := gitlabFindings(t, glLog("", runs...))
	if len(fs) != 1 || fs[0].ID != "gitlab/too-many-runs" || fs[0].Severity != SeverityError {
		t.Errorf("21 runs: got %v", fs)
	}
	fs = gitlabFindings(t, glLog("", runs[:GitLabMaxRuns]...))
	if len(fs) != 0 {
		t.Errorf("20 runs: got %v", fs)
	}

	// 5,000 good results, then 5,001 without a location: GitLab reads the
	// first 5,000 and drops none.
	fs = gitlabFindings(t, glLog("", append(glRepeat(glOK, 5000), glRepeat(glNoLocation, 5001)...)))
	if got := ids(fs); !slices.Equal(got, []string{"/runs/0/results gitlab/results-truncated"}) {
		t.Errorf("got %q", got)
	}
	// 4,999 good and 2 without location: the 5,000th is dropped, the
	// 5,001st not read.
	fs = gitlabFindings(t, glLog("", append(glRepeat(glOK, 4999), glRepeat(glNoLocation, 2)...)))
	if v := verdict(t, fs); v == nil || !strings.HasPrefix(v.Message, "1 of 5000 result(s) (under 0.1%)") {
		t.Errorf("got %v", fs)
	}

	tags := `["a","b","c","d","e","f","g","h","i","j","k"]`
	fs = gitlabFindings(t, glLog(`[{"id":"R1","properties":{"tags":`+tags+`}},{"id":"R2","properties":{"tags":`+tags+`}}]`, []glResult{glOK}))
	if got := ids(fs); len(fs) != 1 || !slices.Equal(got, []string{"/runs/0/tool/driver/rules/0/properties/tags gitlab/tags-truncated"}) ||
		fs[0].Message != "2 rules have more than 10 tags; GitLab keeps only the first 10 (first here)" {
		t.Errorf("got %v", fs)
	}
}

// TestGitLabPointersCapped: the verdict names the first five dropped
// results, in document order, however many there are.
func TestGitLabPointersCapped(t *testing.T) {
	t.Parallel()
	fs := gitlabFindings(t, glLog("", append(glRepeat(glOK, 3), glRepeat(glNoLocation, 200)...)))
	v := verdict(t, fs)
	want := "200 of 203 result(s) (98.5%) would be dropped by GitLab's SARIF ingestion: no physicalLocation (200) (first at /runs/0/results/3, /runs/0/results/4, /runs/0/results/5, /runs/0/results/6, /runs/0/results/7, ...); more than half: GitLab fails the report and ingests none of it"
	if v == nil || v.Message != want {
		t.Errorf("got %v\nwant %s", v, want)
	}
	// The per-reason finding is one line for the run, at the first.
	if g := Groups(fs); len(g) != 2 || g[1].First.Pointer != "/runs/0/results/3" || g[1].First.Message != "GitLab drops 200 results: no physicalLocation in the first location (locations[0]; GitLab reads no other) (first here)" {
		t.Errorf("groups %v", g)
	}
}

// TestGitLabPercent: the share is rounded to the nearest tenth, as
// GitLab's warning writes it; a share that is not half never reads as
// 50%, nor one under all as 100%.
func TestGitLabPercent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n, total int
		want     string
	}{{1, 2, "50%"}, {1, 3, "33.3%"}, {2, 3, "66.7%"}, {5001, 10001, "over 50%"}, {5000, 10001, "under 50%"}, {4995, 10000, "under 50%"}, {4994, 10000, "49.9%"},
		{1, 5000, "under 0.1%"}, {1, 2000, "0.1%"}, {9999, 10000, "under 100%"}, {3, 3, "100%"}} {
		if got := gitlabPercent(c.n, c.total); got != c.want {
			t.Errorf("gitlabPercent(%d, %d) = %q, want %q", c.n, c.total, got, c.want)
		}
	}
}

// TestProfilesShareTheGitHubVerdicts: turning on GitLab's profile beside
// GitHub's changes none of GitHub's verdicts (every finding keeps its
// severity; only a finding of the standard's rules that GitLab accepts
// says so too), and Profiles with ProfileGitHub is Options.GitHub.
func TestProfilesShareTheGitHubVerdicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, f := range []string{
		"../testdata/invalid/github-limits.sarif", "../testdata/resolve/questions.sarif",
		"../testdata/invalid/broken-references.sarif", "../testdata/corpus/real/gosec-gin-v1.10.0.sarif",
	} {
		want, err := newValidator(t, &Options{GitHub: true}).ValidateFile(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []*Options{{Profiles: []Profile{ProfileGitHub}}, {GitHub: true, Profiles: []Profile{ProfileGitLab, ProfileGitHub}}} {
			got, err := newValidator(t, o).ValidateFile(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got = slices.DeleteFunc(got, func(f Finding) bool { return strings.HasPrefix(f.ID, "gitlab/") })
			if slices.Contains(o.Profiles, ProfileGitLab) {
				got = slices.Clone(got)
				for i := range got {
					if got[i].GitLabAccepts && i < len(want) {
						g, w := got[i].Message, want[i].Message
						if w, ok := strings.CutSuffix(w, "; GitHub accepts it (an error of the SARIF standard, not an upload blocker)"); ok {
							if g != w+"; GitHub and GitLab accept it (an error of the SARIF standard that blocks neither)" {
								t.Errorf("%s: %q", f, g)
							}
						} else if g != w+"; GitLab accepts it, GitHub does not" {
							t.Errorf("%s: %q", f, g)
						}
						got[i].Message, got[i].GitLabAccepts = want[i].Message, false
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s with %v:\n got %v\nwant %v", f, o.Profiles, got, want)
			}
		}
	}
	if _, err := New(&Options{Profiles: []Profile{7}}); err == nil || err.Error() != "schema: unknown profile Profile(7)" {
		t.Errorf("an unknown profile: %v", err)
	}
}

// TestGitLabCorpus: what GitLab would drop of real and fixture logs,
// checked by hand against the parser's rules (and an independent reading
// of them): the real logs lose nothing; two fixtures break the schema's
// uri-reference format, and a log of 25 runs is over GitLab's limit of
// runs: GitLab refuses those whole.
func TestGitLabCorpus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := newValidator(t, &Options{Profiles: []Profile{ProfileGitLab}})
	for _, c := range []struct{ file, verdict string }{
		{"corpus/real/eslint-express-lib.sarif", ""},
		{"corpus/real/golangci-lint-gin-v1.10.0.sarif", ""},
		{"corpus/real/gosec-gin-v1.9.0.sarif", ""},
		{"filter/filter-sarif/logs/edge-cases.sarif", "gitlab/report-fails: the log breaks the SARIF schema (4 error(s), the first at /runs/0/results/3/locations/0/physicalLocation/artifactLocation/uri)"},
		{"filter/selectors.sarif", "gitlab/report-fails: the log breaks the SARIF schema (1 error(s), the first at /runs/0/results/7/locations/0/physicalLocation/artifactLocation/uri)"},
		{"resolve/questions.sarif", "gitlab/report-fails: 15 of 23 result(s) (65.2%) would be dropped by GitLab's SARIF ingestion: no ruleId (9), no physicalLocation (6) (first at /runs/0/results/0, /runs/0/results/1, /runs/0/results/2, /runs/0/results/3, /runs/0/results/4, ...)"},
		{"valid/tricky-roundtrip.sarif", "gitlab/report-fails: 1 of 1 result(s) (100%) would be dropped by GitLab's SARIF ingestion: no ruleId (1) (first at /runs/2/results/1)"},
		{"split/runs25.sarif", "/runs: gitlab/too-many-runs: 25 runs"},
	} {
		fs, err := v.ValidateFile(ctx, "../testdata/"+c.file)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if i := slices.IndexFunc(fs, func(f Finding) bool { return f.ID == "gitlab/too-many-runs" }); i >= 0 {
			got = fs[i].String()
			got = got[strings.Index(got, ": ")+2:]
			got, _, _ = strings.Cut(got, "; ")
		} else if v := verdict(t, fs); v != nil {
			got = v.String()
			got = got[strings.Index(got, ": ")+2:]
			got, _, _ = strings.Cut(got, "; ")
		}
		if got != c.verdict {
			t.Errorf("%s:\n got %s\nwant %s", c.file, got, c.verdict)
		}
	}
}

// TestGitLabLongRuleIDs: rule ids are kept hashed when long, and still
// match their rules.
func TestGitLabLongRuleIDs(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("r", 500)
	res := glResult(strings.Replace(string(glOK), `"R1"`, `"`+long+`"`, 1))
	fs := gitlabFindings(t, glLog(`[{"id":"`+long+`","name":"`+strings.Repeat("n", 256)+`"},{"id":"R1"}]`, []glResult{res, glOK, glOK}))
	if v := verdict(t, fs); v == nil || !strings.HasPrefix(v.Message, "1 of 3 result(s) (33.3%) would be dropped by GitLab's SARIF ingestion: a text field over its limit (1)") {
		t.Errorf("got %v", fs)
	}
	if a, b := gitlabRuleKey(long), gitlabRuleKey(long+"x"); a == b || len(a) != 33 || gitlabRuleKey("R1") != "R1" || gitlabRuleKey("\x00") == "\x00" {
		t.Errorf("keys %q %q", a, b)
	}
}
