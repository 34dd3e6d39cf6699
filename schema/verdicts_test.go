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
		// Before: all accepted. One finding a run, at the first.
		{"security severities GitHub cannot read", rules(`"7.5"`, `"Medium"`, `null`, `"undefined"`, `""`, `true`), []string{
			"/runs/0/tool/driver/rules/1/properties/security-severity github/security-severity-not-a-number error",
		}},
		{"security severities GitHub reads", rules(`"9.8"`, `"0.0"`, `"10"`, `"5"`), nil},
		{"security severities as documented but for the form", rules(`7.5`, `"11.0"`, `"-1"`), []string{
			"/runs/0/tool/driver/rules/0/properties/security-severity github/security-severity-not-a-string warning",
			"/runs/0/tool/driver/rules/1/properties/security-severity github/security-severity-out-of-range warning",
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

// The upload action's own fixtures (testdata/codeql-action, copied from
// github/codeql-action's src/testdata), with the action's verdicts: its
// test "accept results with invalid artifactLocation.uri value" logs a
// warning for the helpUri and for the artifactLocation.uri, and accepts
// the log; invalid-sarif.sarif is refused. (Before: no warning on the
// artifactLocation.uri "not a valid URI", which Go's url.Parse takes.)
func TestUploadActionFixtures(t *testing.T) {
	t.Parallel()
	v := newValidator(t, &Options{GitHub: true})
	got, err := v.ValidateFile(t.Context(), "../testdata/codeql-action/with-invalid-uri.sarif")
	if err != nil {
		t.Fatal(err)
	}
	var formats []string
	for _, f := range got {
		if f.ID == "schema/format" {
			formats = append(formats, f.Pointer+" "+string(f.Severity))
		}
	}
	want := []string{
		"/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri warning",
		"/runs/0/tool/driver/rules/0/helpUri warning",
	}
	if !slices.Equal(formats, want) || HasErrors(got) {
		t.Errorf("with-invalid-uri.sarif: format findings %q (want %q), errors: %v", formats, want, HasErrors(got))
	}
	got, err = v.ValidateFile(t.Context(), "../testdata/codeql-action/invalid-sarif.sarif")
	if err != nil || !slices.Equal(verdicts(got), []string{"/runs/0/results schema/type error"}) {
		t.Errorf("invalid-sarif.sarif: %q %v", verdicts(got), err)
	}
}

// The check of "uri-reference" is RFC 3986's grammar, as the upload
// action's (jsonschema's) is. Each verdict is the action's, obtained by
// running its format check under node on the string; on 200,000 random
// strings over URI delimiters, percent signs, spaces and non-ASCII
// letters the two disagreed only where the string has a userinfo
// ("//user@host"), which RFC 3986 allows and the action's check refuses:
// the one intended difference, marked below.
func TestURIReferenceAsTheUploadAction(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"": true, "a": true, "src/main.go": true, "file:///home/x/y.go": true, "src/my%20file.c": true,
		"C:/x": true, "a:b": true, "a/b:c": true, "//host": true, "//host:80/p": true, "//[::1]/p": true,
		"//[::1]:8080": true, "//[v1.x]/": true, "//[]/": true, "?q": true, "#f": true, "a?b?c#d?/": true,
		"file:///C:/x": true, "file://localhost/x": true, "mailto:a@b": true, "./a": true, "../a": true,
		"a//b": true, "///a": true, "////a": true, "/a:b": true, "a@b": true, "@a": true, "urn:isbn:1": true,
		"x-y+z.w:abc": true, "http://h:/": true, "http://:80": true, "http://[::1]:": true, "file:///a%2Fb": true,
		"~user": true, "a~b": true, "%41": true, "http://%41/": true,
		"not a valid URI": false, `src\main.c`: false, "src/my file.c": false, "%zz": false, "%2": false,
		"a%2": false, `c:\x`: false, "1a:b": false, ":x": false, "//host:8x/p": false, "//a@b@c": false,
		"//[zz]/": false, "//[::1]x": false, "http://[::1": false, "a#b#c": false, "café.go": false,
		"src/café.go": false, "a b": false, "http://x y": false, "x:/y z": false, "a[b]": false,
		"http://h/[x]": false, "x_y:abc": false, "-a:b": false, ".a:b": false, "a|b": false, "a^b": false,
		"a`b": false, "a{b}": false, `a"b`: false, "a<b>": false, "http://h:80:90": false, "http://h%4/": false,
		"[::1]": false, "a:[b]": false,
		// RFC 3986 allows a userinfo; the action's check refuses it.
		"//user@host/p": true, "//us:er@host": true,
	}
	for s, want := range cases {
		if got := isURIReference(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}

// A defect of the standard that GitHub's upload accepts (the action
// validates against the schema alone, and neither a region that ends
// before it starts nor references that disagree with the ids beside them
// break the schema) says so: without the GitHub checks it stays an error
// of the standard, marked GitHubAccepts; with them, whose verdict is
// GitHub's, it is a warning. What GitHub rejects (an index out of range
// stays as it was) is not marked. (Before: an error in both modes, with
// nothing to tell it from an upload blocker; sarif-upload refused such a
// log.)
func TestGitHubAcceptedDefects(t *testing.T) {
	t.Parallel()
	log := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"A"},{"id":"B"}]}},
	 "artifacts":[{"location":{"uri":"src/a.go"}}],
	 "results":[
	  {"ruleId":"A","ruleIndex":1,"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/b.go","index":0},"region":{"startLine":5,"endLine":4}}}]},
	  {"ruleId":"A","rule":{"id":"B","index":0},"ruleIndex":1,"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a.go"},"region":{"startLine":5,"startColumn":9,"endColumn":3}}}]},
	  {"ruleId":"A","ruleIndex":7,"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a.go"},"region":{"startLine":1}}}]}]}]}`)
	accepted := []string{
		"/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri ref/artifact-uri-mismatch",
		"/runs/0/results/0/locations/0/physicalLocation/region/endLine region/end-line-before-start-line",
		"/runs/0/results/0/ruleIndex ref/rule-id-mismatch",
		"/runs/0/results/1/locations/0/physicalLocation/region/endColumn region/end-column-before-start-column",
		"/runs/0/results/1/rule/id ref/rule-reference-id-mismatch",
		"/runs/0/results/1/rule/index ref/rule-index-mismatch",
	}
	for _, github := range []bool{false, true} {
		got, err := newValidator(t, &Options{GitHub: github}).ValidateBytes(t.Context(), log, "x")
		if err != nil {
			t.Fatal(err)
		}
		var marked []string
		for _, f := range got {
			switch {
			case f.ID == "ref/rule-index-out-of-range":
				if f.GitHubAccepts || f.Severity != SeverityError {
					t.Errorf("GitHub %v: %v", github, f)
				}
			case f.GitHubAccepts:
				marked = append(marked, f.Pointer+" "+f.ID)
				want := map[bool]Severity{false: SeverityError, true: SeverityWarning}[github]
				if f.Severity != want || !strings.Contains(f.Message, "GitHub") {
					t.Errorf("GitHub %v: %v, want severity %s and a word on GitHub", github, f, want)
				}
			}
		}
		if !slices.Equal(marked, accepted) {
			t.Errorf("GitHub %v: marked\n%q\nwant\n%q", github, marked, accepted)
		}
	}
}
