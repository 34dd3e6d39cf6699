package schema

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// validateTestdata validates a file of testdata/ and returns its findings.
func validateTestdata(t *testing.T, opts *Options, name string) []Finding {
	t.Helper()
	got, err := newValidator(t, opts).ValidateFile(context.Background(), filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// The reference checks on hand-built logs, each showing one family of
// checks, with the exact findings (pointer and ID). The comments say what
// the SARIF Multitool 5.7.0 reports on the same file
// (`Sarif.Multitool validate FILE --rule-kind "Sarif;Ghas"`).
func TestReferenceChecks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file string
		want []string
	}{
		// A toolComponent reference by guid finds the driver too (it
		// used to be looked up among the extensions only), case aside.
		// The Multitool has no check of toolComponent references nor of
		// rule indices into extensions: it reports neither result 4 nor
		// result 5.
		{"refs/tool-component-guid.sarif", []string{
			"/runs/0/results/4/rule/toolComponent ref/tool-component-not-found",
			"/runs/0/results/5/rule/index ref/rule-id-mismatch",
		}},
		// URIs are compared resolved: a nested artifact by its full URI
		// or by its path within its parent, a URI that differs only by
		// its originalUriBaseIds resolution, a base relative to another.
		// Only result 5 names another file. The Multitool does not
		// compare artifactLocation URIs with their artifacts at all; it
		// reports SARIF1004 on "/docs/intro.md", a relative reference
		// beginning with "/", which SARIF §3.24.2 requires of a nested
		// artifact's location.
		{"refs/artifact-uris.sarif", []string{
			"/runs/0/results/5/locations/0/physicalLocation/artifactLocation/uri ref/artifact-uri-mismatch",
		}},
		// Every index into a run-level array, in results and in the
		// run's own objects (skeleton). The Multitool (SARIF1009) reports
		// the same 15 errors at the same objects; for the second run,
		// whose arrays are absent, it reports each of the 4 references
		// as an error (TargetArrayMustExist), where we give one
		// aggregated warning per array, as for artifacts: real tools
		// (golangci-lint) write indices without the arrays.
		{"refs/index-out-of-range.sarif", []string{
			"/runs/0/addresses/0/parentIndex ref/address-index-out-of-range",
			"/runs/0/artifacts/1/parentIndex ref/artifact-index-out-of-range",
			"/runs/0/invocations/0/toolExecutionNotifications/0/locations/0/physicalLocation/artifactLocation/index ref/artifact-index-out-of-range",
			"/runs/0/logicalLocations/0/parentIndex ref/logical-location-index-out-of-range",
			"/runs/0/results/0/locations/0/logicalLocations/0/index ref/logical-location-index-out-of-range",
			"/runs/0/results/1/locations/0/logicalLocations/0/parentIndex ref/logical-location-index-out-of-range",
			"/runs/0/results/2/locations/0/physicalLocation/address/index ref/address-index-out-of-range",
			"/runs/0/results/3/locations/0/physicalLocation/address/parentIndex ref/address-index-out-of-range",
			"/runs/0/results/4/webRequest/index ref/web-request-index-out-of-range",
			"/runs/0/results/4/webResponse/index ref/web-response-index-out-of-range",
			"/runs/0/results/5/provenance/invocationIndex ref/invocation-index-out-of-range",
			"/runs/0/results/6/graphTraversals/0/runGraphIndex ref/graph-index-out-of-range",
			"/runs/0/results/7/graphTraversals/0/resultGraphIndex ref/graph-index-out-of-range",
			"/runs/0/results/8/codeFlows/0/threadFlows/0/locations/0/index ref/thread-flow-location-index-out-of-range",
			"/runs/0/results/8/codeFlows/0/threadFlows/0/locations/1/webRequest/index ref/web-request-index-out-of-range",
			"/runs/1/results/0/locations/0/logicalLocations/0/index ref/logical-location-index-without-array",
			"/runs/1/results/0/provenance/invocationIndex ref/invocation-index-without-array",
			"/runs/1/results/1/webRequest/index ref/web-request-index-without-array",
		}},
		// ruleId and rule.id must be equal (SARIF §3.27.5), exactly: a
		// hierarchical ruleId does not equal its rule's id. The Multitool
		// (SARIF1010) reports the same two results.
		{"refs/rule-reference-id.sarif", []string{
			"/runs/0/results/2/rule/id ref/rule-reference-id-mismatch",
			"/runs/0/results/3/rule/id ref/rule-reference-id-mismatch",
		}},
		// Regions that end before they start, in results and in the
		// run's threadFlowLocations; an insertion point (endColumn equal
		// to startColumn) and a region over two lines are fine. The
		// Multitool (SARIF1007) reports the first three; it reports the
		// contextRegion under SARIF1008 (not a superset of region) and
		// does not visit the run's threadFlowLocations.
		{"refs/regions.sarif", []string{
			"/runs/0/results/0/locations/0/physicalLocation/region/endLine region/end-line-before-start-line",
			"/runs/0/results/0/locations/1/physicalLocation/region/endColumn region/end-column-before-start-column",
			"/runs/0/results/0/locations/2/physicalLocation/region/endColumn region/end-column-before-start-column",
			"/runs/0/results/0/locations/3/physicalLocation/contextRegion/endLine region/end-line-before-start-line",
			"/runs/0/threadFlowLocations/0/location/physicalLocation/region/endLine region/end-line-before-start-line",
		}},
		// Message strings by id (SARIF §3.11.7, §3.11.11): too few
		// arguments (result 1), an unknown id (2), placeholders in the
		// markdown form (4, found through the hierarchical ruleId
		// "R1/sub"), globalMessageStrings (5 is fine, 6 lacks its
		// argument). The Multitool (SARIF1012) agrees on 1 and 2; it
		// also reports 3 ("{{0}} and {{1}}" are literal braces, not
		// placeholders: it counts them), 4 as an unknown id (it does not
		// resolve "R1/sub" to R1 without an index, nor read markdown),
		// and 5 and 6 as unknown ids (it does not read
		// globalMessageStrings).
		{"refs/message-arguments.sarif", []string{
			"/runs/0/results/1/message/arguments ref/message-arguments-missing",
			"/runs/0/results/2/message/id ref/message-id-not-found",
			"/runs/0/results/4/message/arguments ref/message-arguments-missing",
			"/runs/0/results/6/message/arguments ref/message-arguments-missing",
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got := validateTestdata(t, nil, c.file)
			if !slices.Equal(ids(got), c.want) {
				t.Errorf("findings:\n got %q\nwant %q", ids(got), c.want)
			}
		})
	}
}

// The messages name the values involved, and a tool's bug repeated on
// every result is one finding.
func TestReferenceMessages(t *testing.T) {
	t.Parallel()
	got := validateTestdata(t, nil, "refs/index-out-of-range.sarif")
	want := map[string]string{
		"/runs/0/results/5/provenance/invocationIndex":                 "invocationIndex 1 is out of range: the run has 1 invocations",
		"/runs/0/results/7/graphTraversals/0/resultGraphIndex":         "resultGraphIndex 1 is out of range: the result has 1 graphs",
		"/runs/1/results/0/locations/0/logicalLocations/0/index":       "2 objects refer to run.logicalLocations by index, but the run has none (first here)",
		"/runs/0/results/1/locations/0/logicalLocations/0/parentIndex": "parentIndex 2 is out of range: the run has 1 logicalLocations",
	}
	seen := 0
	for _, f := range got {
		if w, ok := want[f.Pointer]; ok {
			seen++
			if f.Message != w {
				t.Errorf("%s: message %q, want %q", f.Pointer, f.Message, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d findings found", seen, len(want))
	}
	got = validateTestdata(t, nil, "refs/message-arguments.sarif")
	if len(got) == 0 || got[0].Message != `message string "default" of rule "R1" needs 2 arguments, the message has 1` {
		t.Errorf("got %v", got)
	}
}

// What GitHub cannot take of a result, checked on its first location (the
// only one GitHub uses), each kind aggregated per run. With a checkout
// URI, a location URI whose scheme is not file is an error: GitHub's
// processing compares it with the checkout's scheme and fails.
//
// The Multitool 5.7.0, with GH1001, GH1003, GH1005 and GH1007 enabled
// (they are off by default), crashes on this file (FormatException
// formatting GH1001's message for a location without an artifact URI).
// With results 2 to 5 removed it reports, all as errors: GH1001 on
// results 0 and 1; GH1003 on results 6 and 7 and the three of run 1;
// GH1005 on the https and docker URIs (not on "C:/build/src/a.go", which
// it takes for a Windows path and reports as an invalid URI, SARIF1002;
// GitHub parses it as scheme "c" and fails: "SARIF URI scheme "c" did not
// match the checkout URI scheme "file""); GH1007 on result 8. Its newer
// GH1015/GH1017 report results 0, 1 and 8 too, and result 5 (an artifact
// index whose artifact gives the URI, which we resolve as the upload
// action does).
func TestGitHubResultChecks(t *testing.T) {
	t.Parallel()
	const file = "github/unshowable.sarif"
	lines := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Pointer+" "+string(f.Severity)+" "+f.ID+" "+strings.SplitN(f.Message, " ", 2)[0])
		}
		return out
	}
	// The last word is the count, when aggregated.
	want := []string{
		"/runs/0/results/0 error github/no-location 5",
		"/runs/0/results/6/locations/0/physicalLocation warning github/region-without-start-line 2",
		"/runs/0/results/8/message error github/message-without-text result",
		"/runs/0/results/9/locations/0/physicalLocation/artifactLocation/uri warning github/non-file-uri 3",
		"/runs/1/results/0/locations/0/physicalLocation warning github/region-without-start-line 3",
	}
	if got := lines(validateTestdata(t, &Options{GitHub: true}, file)); !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
	want[3] = strings.Replace(want[3], "warning", "error", 1)
	if got := lines(validateTestdata(t, &Options{GitHub: true, CheckoutURI: "file:///srv/scan/"}, file)); !slices.Equal(got, want) {
		t.Errorf("with a checkout URI:\n got %q\nwant %q", got, want)
	}
	if got := validateTestdata(t, nil, file); len(got) != 0 {
		t.Errorf("without GitHub checks the log is valid SARIF, got %v", got)
	}
}
