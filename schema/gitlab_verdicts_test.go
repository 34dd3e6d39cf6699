package schema

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The tests of this file hold --check-gitlab to what GitLab's SARIF parser
// (ee/lib/gitlab/security/parsers/sarif.rb) does with a log that it
// refuses whole, or that the SARIF standard calls wrong and GitLab takes.

const glLoc = `"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]`

// glFindings validates a log with the profiles given.
func glFindings(t *testing.T, data string, profiles ...Profile) []Finding {
	t.Helper()
	fs, err := newValidator(t, &Options{Profiles: profiles}).ValidateBytes(context.Background(), []byte(data), "t.sarif")
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestGitLabSecuritySeverity: GitLab reads a result's severity from the
// security-severity of its rule, else (blank) of the result, with Ruby's
// to_f, which raises on true, an array or an object: the whole report
// fails. null, false, "", white space, [] and {} are blank; a string or
// number is read. Only results GitLab keeps so far (a rule id, text
// within limits) and without a rank are read.
func TestGitLabSecuritySeverity(t *testing.T) {
	t.Parallel()
	logOf := func(ruleProps, resultProps, extra string) string {
		rule := `{"id":"R1"`
		if ruleProps != "" {
			rule += `,"properties":{"security-severity":` + ruleProps + `}`
		}
		rule += `}`
		result := `{"ruleId":"R1","message":{"text":"m"},` + glLoc + extra
		if resultProps != "" {
			result += `,"properties":{"security-severity":` + resultProps + `}`
		}
		result += `}`
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[` + rule + `]}},"results":[` + result + `,` + strings.Replace(string(glOK), `"R1"`, `"R2"`, 1) + `]}]}`
	}
	const rulePtr = "/runs/0/tool/driver/rules/0/properties/security-severity"
	const resultPtr = "/runs/0/results/0/properties/security-severity"
	for _, c := range []struct {
		name                string
		rule, result, extra string
		at                  string // the invalid-security-severity finding, "" for none
	}{
		{"rule array", `[9]`, "", "", rulePtr},
		{"rule object", `{"v":9}`, "", "", rulePtr},
		{"rule true", `true`, "", "", rulePtr},
		{"rule false is blank", `false`, "", "", ""},
		{"rule null is blank", `null`, "", "", ""},
		{"rule empty array is blank", `[]`, "", "", ""},
		{"rule empty object is blank", `{}`, "", "", ""},
		{"rule string", `"9.5"`, "", "", ""},
		{"rule string that is no number", `"high"`, "", "", ""},
		{"rule number", `9.5`, "", "", ""},
		{"result array", "", `[9]`, "", resultPtr},
		{"result true", "", `true`, "", resultPtr},
		{"result array under a blank rule value", `" "`, `{"a":1}`, "", resultPtr},
		{"result array under an empty rule array", `[]`, `[1]`, "", resultPtr},
		{"the rule's value comes first", `"7.0"`, `[9]`, "", ""},
		{"a rank is read instead", `[9]`, "", `,"rank":50`, ""},
	} {
		fs := glFindings(t, logOf(c.rule, c.result, c.extra), ProfileGitLab)
		var at []string
		for _, f := range fs {
			if f.ID == "gitlab/invalid-security-severity" {
				at = append(at, f.Pointer)
				if f.Severity != SeverityError || !strings.Contains(f.Message, "fails the whole report") {
					t.Errorf("%s: %v", c.name, f)
				}
			}
		}
		if c.at == "" {
			if at != nil || HasErrors(fs) {
				t.Errorf("%s: GitLab reads the severity; got %v", c.name, fs)
			}
			continue
		}
		if !slices.Equal(at, []string{c.at}) || !HasErrors(fs) {
			t.Errorf("%s: want an error at %s, got %v", c.name, c.at, fs)
		}
		if v := verdict(t, fs); v == nil || v.ID != "gitlab/report-fails" || !strings.Contains(v.Message, "ingests none of it") {
			t.Errorf("%s: verdict %v", c.name, v)
		}
	}

	// Results GitLab drops first never have their severity read: no rule
	// id, a message over its limit. Results that are read count once
	// each, and nothing is said of what GitLab would drop of a report it
	// fails.
	long := `"` + strings.Repeat("x", GitLabMaxMessageChars+1) + `"`
	data := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[{"id":"R1"}]}},"results":[` +
		`{"message":{"text":"m"},"properties":{"security-severity":[1]}},` +
		`{"ruleId":"R1","message":{"text":` + long + `},` + glLoc + `,"properties":{"security-severity":[1]}},` +
		`{"ruleId":"R1","message":{"text":"m"},"properties":{"security-severity":[1]}},` +
		`{"ruleId":"R1","message":{"text":"m"},` + glLoc + `,"properties":{"security-severity":{"x":1}}}]}]}`
	fs := glFindings(t, data, ProfileGitLab)
	if got, want := verdicts(fs), []string{
		" gitlab/report-fails error",
		"/runs/0/results/2/properties/security-severity gitlab/invalid-security-severity error",
	}; !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(fs[1].Message, "2 results have a security-severity that is true, an array or an object (and no security-severity of their rule)") ||
		!strings.HasPrefix(fs[0].Message, "GitLab's parser fails on the security-severity of 2 result(s)") {
		t.Errorf("got %v", fs)
	}
	// A rule's finding counts the results read.
	data = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[{"id":"R1","properties":{"security-severity":true}}]}},"results":[` +
		string(glOK) + `,` + string(glOK) + `,` + string(glNoLocation) + `]}]}`
	fs = glFindings(t, data, ProfileGitLab)
	if len(fs) != 2 || fs[1].Message != `security-severity is true, which GitLab's parser cannot read as a number (Ruby's to_f): reading the severity of the 3 result(s) of this rule, it fails the whole report ("SARIF security report parsing failed")` {
		t.Errorf("got %v", fs)
	}
}

// TestGitLabFormats: GitLab validates the report against the schema with
// format assertions on (json_schemer's default), so a value that breaks
// its format is an error with the GitLab checks on, whatever GitHub
// makes of it, and GitLab refuses the report whole.
func TestGitLabFormats(t *testing.T) {
	t.Parallel()
	data := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src\\win\\a.go"},"region":{"startLine":1}}}]}]}]}`
	const ptr = "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri"
	for _, c := range []struct {
		profiles []Profile
		sev      Severity
		says     string
	}{
		{nil, SeverityWarning, `"src\\win\\a.go" is not a valid "uri-reference" (RFC 3986)`},
		{[]Profile{ProfileGitHub}, SeverityWarning, `"src\\win\\a.go" is not a valid "uri-reference" (RFC 3986); GitHub's upload action accepts it with a warning`},
		{[]Profile{ProfileGitLab}, SeverityError, `"src\\win\\a.go" is not a valid "uri-reference" (RFC 3986); GitLab's schema validation (formats checked) rejects the report`},
		{[]Profile{ProfileGitHub, ProfileGitLab}, SeverityError, `"src\\win\\a.go" is not a valid "uri-reference" (RFC 3986); GitLab's schema validation (formats checked) rejects the report (GitHub's upload action accepts it with a warning)`},
	} {
		fs := glFindings(t, data, c.profiles...)
		i := slices.IndexFunc(fs, func(f Finding) bool { return f.ID == "schema/format" })
		if i < 0 || fs[i].Pointer != ptr || fs[i].Severity != c.sev || fs[i].Message != c.says {
			t.Errorf("%v: got %v\nwant %s: %s", c.profiles, fs, c.sev, c.says)
		}
		gitlab := slices.Contains(c.profiles, ProfileGitLab)
		if v := verdict(t, fs); gitlab != (v != nil && v.ID == "gitlab/report-fails" && strings.Contains(v.Message, "rejects it whole")) {
			t.Errorf("%v: verdict %v", c.profiles, v)
		}
	}
	// A date-time too.
	data = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"invocations":[{"executionSuccessful":true,"startTimeUtc":"yesterday"}],"results":[]}]}`
	if fs := glFindings(t, data, ProfileGitLab); !HasErrors(fs) {
		t.Errorf("a bad date-time: %v", fs)
	}
}

// TestGitLabAcceptsReferences: GitLab validates the schema and follows no
// index, so what the standard says of references and regions is no
// reason for it to refuse a log: with the GitLab checks alone such a
// finding is a warning that says GitLab accepts it; with GitHub's beside,
// the finding is GitHub's to judge (a warning when GitHub accepts it too,
// an error that says who does not otherwise); without profiles an error.
func TestGitLabAcceptsReferences(t *testing.T) {
	t.Parallel()
	mismatch := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[{"id":"A"},{"id":"B"}]}},"results":[{"ruleId":"A","ruleIndex":1,"message":{"text":"m"},` + glLoc + `}]}]}`
	outOfRange := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[{"id":"A"}]}},"results":[{"ruleId":"A","ruleIndex":4,"message":{"text":"m"},` + glLoc + `}]}]}`
	region := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":"A","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":5,"endLine":2}}}]}]}]}`
	for _, c := range []struct {
		name, log, id string
		profiles      []Profile
		sev           Severity
		suffix        string
		gitlab        bool
	}{
		{"mismatch, no profile", mismatch, "ref/rule-id-mismatch", nil, SeverityError, "; an error of the SARIF standard, which GitHub's upload accepts", false},
		{"mismatch, GitHub", mismatch, "ref/rule-id-mismatch", []Profile{ProfileGitHub}, SeverityWarning, "; GitHub accepts it (an error of the SARIF standard, not an upload blocker)", false},
		{"mismatch, GitLab", mismatch, "ref/rule-id-mismatch", []Profile{ProfileGitLab}, SeverityWarning, "; GitLab accepts it (an error of the SARIF standard, which GitLab does not check)", true},
		{"mismatch, both", mismatch, "ref/rule-id-mismatch", []Profile{ProfileGitLab, ProfileGitHub}, SeverityWarning, "; GitHub and GitLab accept it (an error of the SARIF standard that blocks neither)", true},
		{"region, GitLab", region, "region/end-line-before-start-line", []Profile{ProfileGitLab}, SeverityWarning, "; GitLab accepts it (an error of the SARIF standard, which GitLab does not check)", true},
		{"out of range, no profile", outOfRange, "ref/rule-index-out-of-range", nil, SeverityError, "rules", false},
		{"out of range, GitHub", outOfRange, "ref/rule-index-out-of-range", []Profile{ProfileGitHub}, SeverityError, "rules", false},
		{"out of range, GitLab", outOfRange, "ref/rule-index-out-of-range", []Profile{ProfileGitLab}, SeverityWarning, "; GitLab accepts it (an error of the SARIF standard, which GitLab does not check)", true},
		{"out of range, both", outOfRange, "ref/rule-index-out-of-range", []Profile{ProfileGitHub, ProfileGitLab}, SeverityError, "; GitLab accepts it, GitHub does not", true},
	} {
		fs := glFindings(t, c.log, c.profiles...)
		i := slices.IndexFunc(fs, func(f Finding) bool { return f.ID == c.id })
		if i < 0 || fs[i].Severity != c.sev || !strings.HasSuffix(fs[i].Message, c.suffix) || fs[i].GitLabAccepts != c.gitlab {
			t.Errorf("%s: got %v", c.name, fs)
			continue
		}
		if HasErrors(fs) != (c.sev == SeverityError) {
			t.Errorf("%s: HasErrors %v: %v", c.name, HasErrors(fs), fs)
		}
	}
}

// TestGitLabRefusesWhole: a log that breaks the schema (a ruleId that is
// no string, which GitLab's identifier extractor would also fail on) is
// refused whole: the verdict says so, and nothing says what GitLab would
// drop or ingest.
func TestGitLabRefusesWhole(t *testing.T) {
	t.Parallel()
	for _, id := range []string{`5`, `false`, `["R"]`, `{"id":"R"}`} {
		data := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[{"ruleId":` + id + `,"message":{"text":"m"},` + glLoc + `},` +
			`{"ruleId":"R","message":{"text":"m"}},` + strings.Repeat(string(glOK)+",", 3) + string(glOK) + `]}]}`
		fs := glFindings(t, data, ProfileGitLab)
		v := verdict(t, fs)
		if v == nil || v.ID != "gitlab/report-fails" || v.Message != "the log breaks the SARIF schema (1 error(s), the first at /runs/0/results/0/ruleId); GitLab validates a report against the schema and rejects it whole, ingesting none of it" {
			t.Errorf("ruleId %s: verdict %v", id, v)
		}
		for _, f := range fs {
			if strings.HasPrefix(f.ID, "gitlab/result") || strings.Contains(f.Message, "ingests the rest") || strings.Contains(f.Message, "GitLab drops") {
				t.Errorf("ruleId %s: %v", id, f)
			}
		}
	}
}

// TestGitLabOtherVersion: a log of another SARIF version is refused
// whole, and the GitLab checks say so.
func TestGitLabOtherVersion(t *testing.T) {
	t.Parallel()
	data := `{"version":"2.0.0","runs":[{"tool":{"driver":{"name":"T"}},"results":[` + string(glNoLocation) + `]}]}`
	if got, want := verdicts(glFindings(t, data, ProfileGitLab)), []string{" gitlab/report-fails error", "/version sarif/version error"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := verdicts(glFindings(t, data, ProfileGitHub)); len(got) != 1 {
		t.Errorf("GitHub alone: %q", got)
	}
}

// TestGitLabNulEscape: GitLab rewrites each \u0000 escape to the six
// characters `\u0000` before parsing (sanitize_json_data), so a U+0000
// counts six characters against a limit.
func TestGitLabNulEscape(t *testing.T) {
	t.Parallel()
	at := func(s string) glResult {
		return glResult(`{"ruleId":"R1","message":{"text":"` + s + `"},` + glLoc + `}`)
	}
	fs := gitlabFindings(t, glLog("", []glResult{at(strings.Repeat("x", GitLabMaxMessageChars-1) + `\u0000`), glOK}))
	if v := verdict(t, fs); v == nil || !strings.HasPrefix(v.Message, "1 of 2 result(s) (50%) would be dropped by GitLab's SARIF ingestion: a text field over its limit (1)") {
		t.Errorf("2,047 characters and a NUL: %v", fs)
	}
	fs = gitlabFindings(t, glLog("", []glResult{at(strings.Repeat("x", GitLabMaxMessageChars-6) + `\u0000`), glOK}))
	if len(fs) != 0 {
		t.Errorf("2,042 characters and a NUL: %v", fs)
	}
	fs = gitlabFindings(t, glLog(`[{"id":"R1","name":"`+strings.Repeat("n", 250)+`\u0000"}]`, []glResult{glOK}))
	if len(fs) != 2 || fs[1].Message != "256 characters, over GitLab's limit of 255 for rule_name: GitLab drops the 1 result(s) of this rule" {
		t.Errorf("a rule name of 250 characters and a NUL: %v", fs)
	}
}

// TestGitLabRulesCap: GitLab indexes only the first 25,000 rules of a
// run: a later rule of an id does not replace the earlier one.
func TestGitLabRulesCap(t *testing.T) {
	t.Parallel()
	var rules strings.Builder
	rules.WriteString(`[{"id":"R1"}`)
	for i := 1; i < GitLabMaxRulesPerRun; i++ {
		rules.WriteString(`,{"id":"F` + strconv.Itoa(i) + `"}`)
	}
	// The 25,001st rule: R1 again, with a name over GitLab's limit.
	rules.WriteString(`,{"id":"R1","name":"` + strings.Repeat("n", 300) + `"}]`)
	fs := gitlabFindings(t, glLog(rules.String(), []glResult{glOK}))
	if got := ids(fs); !slices.Equal(got, []string{"/runs/0/tool/driver/rules gitlab/rules-truncated"}) ||
		fs[0].Message != "25001 rules; GitLab reads only the first 25000 of a run's tool.driver" {
		t.Errorf("got %v", fs)
	}
}

// TestGitLabBlankRuleID: a ruleId of white space only (Unicode's, as
// Ruby's blank? reads it) is no rule id.
func TestGitLabBlankRuleID(t *testing.T) {
	t.Parallel()
	for _, id := range []string{`" "`, `"\t\n"`, `"\u00a0"`, `"\u3000"`} {
		r := glResult(`{"ruleId":` + id + `,"message":{"text":"m"},` + glLoc + `}`)
		fs := gitlabFindings(t, glLog("", []glResult{r, glOK}))
		if got := ids(fs); !slices.Equal(got, []string{" gitlab/results-dropped", "/runs/0/results/0 gitlab/result-dropped-no-rule-id"}) {
			t.Errorf("ruleId %s: %q", id, got)
		}
	}
	// A rule id with white space around it is one.
	if fs := gitlabFindings(t, glLog(`[{"id":" R1 "}]`, []glResult{glResult(`{"ruleId":" R1 ","message":{"text":"m"},` + glLoc + `}`)})); len(fs) != 0 {
		t.Errorf("got %v", fs)
	}
}

// TestGitLabTagsOneRule: one rule over the tag limit is named, in the
// singular.
func TestGitLabTagsOneRule(t *testing.T) {
	t.Parallel()
	tags, _ := json.Marshal(strings.Split("abcdefghijkl", ""))
	fs := gitlabFindings(t, glLog(`[{"id":"R1","properties":{"tags":`+string(tags)+`}}]`, []glResult{glOK}))
	if len(fs) != 1 || fs[0].Message != `rule "R1" has 12 tags; GitLab keeps only the first 10` {
		t.Errorf("got %v", fs)
	}
}

// TestGitLabArtifactSize: a log whose compressed size is over GitLab's
// default limit of a SARIF artifact is a warning (the limit is an
// instance setting).
func TestGitLabArtifactSize(t *testing.T) {
	t.Parallel()
	skeleton := map[string]any{"version": "2.1.0", "runs": []any{}}
	for _, c := range []struct {
		size int64
		want []string
	}{
		{GitLabMaxArtifactSize, nil},
		{GitLabMaxArtifactSize + 1, []string{" gitlab/artifact-too-large warning"}},
	} {
		st := &state{file: "t.sarif", agg: aggregates{}}
		newGitLabCheck().log(st, &logFacts{skeleton: skeleton, gzSize: c.size})
		if got := verdicts(st.findings); !slices.Equal(got, c.want) {
			t.Errorf("%d bytes: %v", c.size, st.findings)
		}
	}
}
