package schema_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sarifkit/sarifkit/schema"
)

func Example() {
	v, err := schema.New(&schema.Options{GitHub: true})
	if err != nil {
		log.Fatal(err)
	}
	findings, err := v.ValidateBytes(context.Background(), []byte(`{"version":"2.1.0","runs":[{
		"tool":{"driver":{"name":"lint","rules":[{"id":"R1"}]}},
		"results":[
			{"ruleId":"R1","level":"fatal","message":{"text":"m"},
			 "locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":3}}}]},
			{"ruleId":"R2","ruleIndex":0,"message":{"text":"m"}}]}]}`), "scan.sarif")
	if err != nil {
		log.Fatal(err) // not JSON, or unreadable
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	fmt.Println("valid:", !schema.HasErrors(findings))
	// Output:
	// scan.sarif:4:27: /runs/0/results/0/level: schema/enum: "fatal" is not allowed: value must be one of "none", "note", "warning", "error"
	// scan.sarif:6:4: /runs/0/results/1: github/no-location: results have no artifact URI in their first location (locations[0].physicalLocation.artifactLocation.uri); GitHub's processing fails on such a result and rejects the upload
	// scan.sarif:6:31: /runs/0/results/1/ruleIndex: warning: ref/rule-id-mismatch: rule index 0 points at rule "R1", but the result's rule id is "R2"; GitHub accepts it (an error of the SARIF standard, not an upload blocker)
	// valid: false
}

// GitLab's SARIF ingestion drops results without a rule id or without a
// physical location in their first location, and fails the report when
// it drops more than half of them.
func ExampleProfileGitLab() {
	v, err := schema.New(&schema.Options{Profiles: []schema.Profile{schema.ProfileGitLab}})
	if err != nil {
		log.Fatal(err)
	}
	findings, err := v.ValidateBytes(context.Background(), []byte(`{"version":"2.1.0","runs":[{
		"tool":{"driver":{"name":"lint","rules":[{"id":"R1"}]}},
		"results":[
			{"ruleId":"R1","message":{"text":"m"},
			 "locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":3}}}]},
			{"ruleId":"R1","message":{"text":"m"},
			 "locations":[{"logicalLocations":[{"fullyQualifiedName":"main.f"}]}]}]}]}`), "scan.sarif")
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	fmt.Println("GitLab ingests it:", !schema.HasErrors(findings))
	// Output:
	// scan.sarif: warning: gitlab/results-dropped: 1 of 2 result(s) (50%) would be dropped by GitLab's SARIF ingestion: no physicalLocation (1) (first at /runs/0/results/1); half or fewer: GitLab ingests the rest with a warning
	// scan.sarif:6:4: /runs/0/results/1: warning: gitlab/result-dropped-no-location: GitLab drops 1 result: no physicalLocation in the first location (locations[0]; GitLab reads no other)
	// GitLab ingests it: true
}
