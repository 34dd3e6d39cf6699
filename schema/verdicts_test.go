package schema

import (
	"slices"
	"strings"
	"testing"
)

// verdicts renders findings as "pointer id severity" lines.
func verdicts(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Pointer+" "+f.ID+" "+string(f.Severity))
	}
	return out
}

// The GitHub checks give GitHub's verdict. Each expectation was checked
// against github/codeql-action's upload code (upload-lib.ts: the schema
// validation with its format warnings, then the count of results that
// refuses a run without a results array) run under node on the same log,
// or, for what GitHub's processing refuses after the upload, against the
// error GitHub answers (upload-lib.ts lists "could not convert rules:
// invalid security severity value, is not a number" among the invalid
// uploads; codeql-action#2187 shows it for "undefined" and null) and its
// documentation (an absolute URI outside the checkout is kept as it is).
func TestGitHubVerdicts(t *testing.T) {
	t.Parallel()
	const checkout = "file:///home/runner/work/app/app"
	run := func(members string) []byte {
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R"}]}}` + members + `}]}`)
	}
	located := func(artifactLocation string) string {
		return `,"results":[{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":` + artifactLocation + `,"region":{"startLine":1}}}]}]`
	}
	rules := func(severities ...string) []byte {
		var rs []string
		for _, s := range severities {
			rs = append(rs, `{"id":"R","properties":{"security-severity":`+s+`}}`)
		}
		return []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[` + strings.Join(rs, ",") + `]}},"results":[]}]}`)
	}
	cases := []struct {
		name string
		log  []byte
		want []string
	}{
		// The action: "Invalid SARIF. Missing 'results' array in run."
		// Before: accepted.
		{"run without results", run(``), []string{"/runs/0 github/missing-results error"}},
		{"run with no results", run(`,"results":[]`), nil},
		// The action: "Invalid SARIF. Missing 'runs' array."
		{"runs null", []byte(`{"version":"2.1.0","runs":null}`), []string{"/runs github/missing-runs error"}},
		// Before: all accepted.
		{"security severities GitHub cannot read", rules(`"Medium"`, `null`, `"undefined"`, `""`, `true`), []string{
			"/runs/0/tool/driver/rules/0/properties/security-severity github/security-severity-not-a-number error",
			"/runs/0/tool/driver/rules/1/properties/security-severity github/security-severity-not-a-number error",
			"/runs/0/tool/driver/rules/2/properties/security-severity github/security-severity-not-a-number error",
			"/runs/0/tool/driver/rules/3/properties/security-severity github/security-severity-not-a-number error",
			"/runs/0/tool/driver/rules/4/properties/security-severity github/security-severity-not-a-number error",
		}},
		{"security severities GitHub reads", rules(`"9.8"`, `"0.0"`, `"10"`, `"5"`), nil},
		{"security severities as documented but for the form", rules(`7.5`, `"11.0"`, `"-1"`), []string{
			"/runs/0/tool/driver/rules/0/properties/security-severity github/security-severity-not-a-string warning",
			"/runs/0/tool/driver/rules/1/properties/security-severity github/security-severity-out-of-range warning",
			"/runs/0/tool/driver/rules/2/properties/security-severity github/security-severity-out-of-range warning",
		}},
		// GitHub's documentation: file:///tmp/go-build/tmp.go stays as it
		// is, and the upload is accepted. Before: an error.
		{"absolute URI outside the checkout", run(located(`{"uri":"file:///tmp/go-build/tmp.go"}`)),
			[]string{"/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri github/uri-outside-checkout warning"}},
		{"absolute URI in the checkout", run(located(`{"uri":"file:///home/runner/work/app/app/src/a.go"}`)), nil},
		// Code scanning takes a relative URI relative to the checkout,
		// whatever its uriBaseId (the action's fingerprinting does the
		// same): the base put elsewhere is a warning, not the error
		// "outside the checkout" it was.
		{"relative URI, base elsewhere", run(`,"originalUriBaseIds":{"SRC":{"uri":"file:///src/app/"}}` + located(`{"uri":"src/a.go","uriBaseId":"SRC"}`)),
			[]string{"/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uriBaseId github/uri-base-ignored warning"}},
		{"relative URI, base the checkout", run(`,"originalUriBaseIds":{"SRC":{"uri":"file:///home/runner/work/app/app/"}}` + located(`{"uri":"src/a.go","uriBaseId":"SRC"}`)), nil},
		{"relative URI, base undefined", run(located(`{"uri":"src/a.go","uriBaseId":"%SRCROOT%"}`)), nil},
	}
	v := newValidator(t, &Options{GitHub: true, CheckoutURI: checkout})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := v.ValidateBytes(t.Context(), c.log, "x")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(verdicts(got), c.want) {
				t.Errorf("findings:\n got %q\nwant %q", verdicts(got), c.want)
			}
		})
	}
}
