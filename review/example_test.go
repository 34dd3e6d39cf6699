package review_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/sarifkit/sarifkit/review"
	"github.com/sarifkit/sarifkit/sarif"
)

// A plain log (every result new), the pull request's one changed file,
// nothing posted yet: one inline comment, with the fix as a suggestion,
// and the summary of the tool.
func ExampleBuild() {
	log, err := sarif.Read(context.Background(), strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[
	  {"ruleId":"G104","level":"warning","message":{"text":"Errors unhandled."},
	   "locations":[{"physicalLocation":{"artifactLocation":{"uri":"main.go"},"region":{"startLine":3,"startColumn":2}}}],
	   "fixes":[{"artifactChanges":[{"artifactLocation":{"uri":"main.go"},"replacements":[
	     {"deletedRegion":{"startLine":3,"startColumn":2,"endColumn":2},"insertedContent":{"text":"_ = "}}]}]}]}]}]}`), "gosec.sarif", nil)
	if err != nil {
		panic(err)
	}
	// The pull request adds line 3 of main.go.
	files := []review.File{{Path: "main.go", Status: "modified",
		Patch: "@@ -1,2 +1,3 @@\n func main() {\n \tdefer x()\n+\tf.Close()\n"}}
	plan, err := review.Build(context.Background(), log, files, nil, &review.Options{Commit: "0123456789abcdef"})
	if err != nil {
		panic(err)
	}
	for _, c := range plan.Comments {
		fmt.Printf("%s:%d\n%s", c.Path, c.Line, c.Body)
	}
	fmt.Println("---")
	fmt.Print(plan.Groups[0].Body)
	// Output:
	// main.go:3
	// **Warning** `G104` (gosec): Errors unhandled.
	//
	// ```suggestion
	// 	_ = f.Close()
	// ```
	//
	// <!-- sarifkit-review: fb05bcf186d734c4-0519dc4a54cf113039c2fa25 -->
	// ---
	// ### sarifkit review: gosec
	//
	// At commit `0123456789ab`: 1 new result, 1 commented inline, 0 listed here.
	//
	// <!-- sarifkit-review-summary: fb05bcf186d734c4 -->
}
