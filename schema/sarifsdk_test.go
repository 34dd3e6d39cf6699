package schema

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The SARIF SDK's functional test inputs for the Multitool rules we
// implement (see testdata/sarif-sdk/README.md), with our exact findings
// and, in the comments, how they compare with the SDK's expected outputs.
// The GH files are validated with GitHub checks, the others without.
func TestSarifSDKInputs(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		// Expected: the same 9 findings; the region without a start
		// (their RegionStartPropertyMustBePresent) is the schema's
		// region.anyOf for us.
		"SARIF1007.RegionPropertiesMustBeConsistent_Invalid.sarif": {
			"/runs/0/results/0/codeFlows/0/threadFlows/0/locations/0/location/physicalLocation/region/endColumn region/end-column-before-start-column",
			"/runs/0/results/0/locations/0/physicalLocation/region/endColumn region/end-column-before-start-column",
			"/runs/0/results/0/relatedLocations/0/physicalLocation/region/endColumn region/end-column-before-start-column",
			"/runs/0/results/0/stacks/0/frames/0/location/physicalLocation/region/endColumn region/end-column-before-start-column",
			"/runs/0/results/1/codeFlows/0/threadFlows/0/locations/0/location/physicalLocation/region/endLine region/end-line-before-start-line",
			"/runs/0/results/1/locations/0/physicalLocation/region/endLine region/end-line-before-start-line",
			"/runs/0/results/1/relatedLocations/0/physicalLocation/region/endLine region/end-line-before-start-line",
			"/runs/0/results/1/relatedLocations/1/physicalLocation/region schema/anyOf",
			"/runs/0/results/1/stacks/0/frames/0/location/physicalLocation/region/endLine region/end-line-before-start-line",
		},
		"SARIF1007.RegionPropertiesMustBeConsistent_Valid.sarif": nil,
		// Expected: 15 errors. We agree on the 9 indices past the end of
		// an array; the 6 indices into arrays the run lacks
		// (logicalLocations twice, threadFlowLocations, webRequests and
		// webResponses twice each, graphs) are one warning per array, as
		// for artifacts (tools write such indices; the data is not
		// lost). We also check what SARIF1009 does not: rule.index into
		// an extension without rules (result 1) and a toolComponent
		// index past tool.extensions (result 2).
		"SARIF1009.IndexPropertiesMustBeConsistentWithArrays_Invalid.sarif": {
			"/runs/0/addresses/0/parentIndex ref/address-index-out-of-range",
			"/runs/0/artifacts/0/parentIndex ref/artifact-index-out-of-range",
			"/runs/0/results/0/codeFlows/0/threadFlows/0/locations/0/index ref/thread-flow-location-index-without-array",
			"/runs/0/results/0/codeFlows/0/threadFlows/0/locations/0/webRequest/index ref/web-request-index-without-array",
			"/runs/0/results/0/codeFlows/0/threadFlows/0/locations/0/webResponse/index ref/web-response-index-without-array",
			"/runs/0/results/0/graphTraversals/0/resultGraphIndex ref/graph-index-out-of-range",
			"/runs/0/results/0/graphTraversals/1/runGraphIndex ref/graph-index-without-array",
			"/runs/0/results/0/locations/0/logicalLocations/0/index ref/logical-location-index-without-array",
			"/runs/0/results/0/locations/0/physicalLocation/address/index ref/address-index-out-of-range",
			"/runs/0/results/0/locations/0/physicalLocation/artifactLocation/index ref/artifact-index-out-of-range",
			"/runs/0/results/0/provenance/invocationIndex ref/invocation-index-out-of-range",
			"/runs/0/results/0/rule/index ref/rule-index-out-of-range",
			"/runs/0/results/1/rule/index ref/rule-index-without-rules",
			"/runs/0/results/2/rule/toolComponent/index ref/tool-component-index-out-of-range",
		},
		"SARIF1009.IndexPropertiesMustBeConsistentWithArrays_Valid.sarif": nil,
		// Expected: results 1 and 2 (we agree), and result 0, which has
		// neither ruleId nor rule.id: SARIF §3.27.5 asks direct producers
		// for one of them but lets converters of tools without rule ids
		// omit it, so we report it only where it matters, with GitHub
		// checks (github/missing-rule-id).
		"SARIF1010.RuleIdMustBeConsistent_Invalid.sarif": {
			"/runs/0/results/1/rule/id ref/rule-reference-id-mismatch",
			"/runs/0/results/2/rule/id ref/rule-reference-id-mismatch",
		},
		"SARIF1010.RuleIdMustBeConsistent_Valid.sarif": nil,
		// Expected: the same 4 results.
		"SARIF1012.MessageArgumentsMustBeConsistentWithRule_Invalid.sarif": {
			"/runs/0/results/0/message/arguments ref/message-arguments-missing",
			"/runs/0/results/1/message/arguments ref/message-arguments-missing",
			"/runs/0/results/2/message/id ref/message-id-not-found",
			"/runs/0/results/3/message/id ref/message-id-not-found",
		},
		"SARIF1012.MessageArgumentsMustBeConsistentWithRule_Valid.sarif": nil,
		// Expected: results 0, 1 and 2 (locations 0, 1 and 2) and
		// result 2's related location. GitHub uses only locations[0], so
		// we check only that, and results 0 to 2 give one aggregated
		// error.
		"GH1001.ProvideRequiredLocationProperties_Invalid.sarif": {"/runs/0/results/0 github/no-location"},
		// Valid for GH1001; it has no regions (GH1003 is a separate file
		// there).
		"GH1001.ProvideRequiredLocationProperties_Valid.sarif": {"/runs/0/results/0/locations/0/physicalLocation github/region-without-start-line"},
		// Expected: locations 0, 1 and 2 of result 0; we check the first,
		// the one GitHub shows, and warn (GitHub accepts the upload).
		"GH1003.ProvideRequiredRegionProperties_Invalid.sarif": {"/runs/0/results/0/locations/0/physicalLocation github/region-without-start-line"},
		"GH1003.ProvideRequiredRegionProperties_Valid.sarif":   nil,
		// Expected: the location and the related location (we agree, as
		// one aggregated finding); the file has no regions.
		"GH1005.LocationsMustBeRelativeUrisOrFilePaths_Invalid.sarif": {
			"/runs/0/results/0/locations/0/physicalLocation github/region-without-start-line",
			"/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri github/non-file-uri",
		},
		// The Multitool accepts the https URI of result 1 because it
		// begins with invocations[0].workingDirectory; GitHub's
		// processing knows nothing of working directories (it compares
		// the scheme with the checkout's), so we report it.
		"GH1005.LocationsMustBeRelativeUrisOrFilePaths_Valid.sarif": {
			"/runs/0/results/0/locations/0/physicalLocation github/region-without-start-line",
			"/runs/0/results/0/locations/1/physicalLocation/artifactLocation/uri github/absolute-uri",
			"/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri github/non-file-uri",
		},
		// Expected: the message (we agree); the results have no
		// locations, which GitHub rejects too.
		"GH1007.ProvideFullyFormattedMessageStrings_Invalid.sarif": {
			"/runs/0/results/0 github/no-location",
			"/runs/0/results/0/message github/message-without-text",
		},
		"GH1007.ProvideFullyFormattedMessageStrings_Valid.sarif": {"/runs/0/results/0 github/no-location"},
	}
	files, _ := filepath.Glob("testdata/sarif-sdk/*.sarif")
	if len(files) != len(cases) {
		t.Errorf("%d files in testdata/sarif-sdk, %d expectations: add the missing ones", len(files), len(cases))
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			got := validateTestdata(t, &Options{GitHub: strings.HasPrefix(name, "GH")}, "sarif-sdk/"+name)
			if !slices.Equal(ids(got), want) {
				t.Errorf("findings:\n got %q\nwant %q", ids(got), want)
			}
		})
	}
}
