package filter_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/sarifkit/sarifkit/filter"
	"github.com/sarifkit/sarifkit/sarif"
)

// Drop the results in test files, as filter-sarif's users write it, and
// keep only errors and warnings.
func Example() {
	const text = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "lint"}}, "results": [
	  {"ruleId": "no-eval", "level": "error", "message": {"text": "eval"},
	   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.js"}}}]},
	  {"ruleId": "no-eval", "level": "error", "message": {"text": "eval in a test"},
	   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.test.js"}}}]},
	  {"ruleId": "semi", "level": "note", "message": {"text": "a semicolon"},
	   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/app.js"}}}]}]}]}`
	ctx := context.Background()
	l, err := sarif.Read(ctx, strings.NewReader(text), "lint.sarif", nil)
	if err != nil {
		log.Fatal(err)
	}
	patterns, err := filter.ParsePatterns(filter.SplitLines("+**/*.js\n-**/*.test.js"))
	if err != nil {
		log.Fatal(err)
	}
	st, err := filter.Filter(ctx, l, &filter.Options{Patterns: patterns, MinLevel: "warning"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st)
	// Output: 3 results: 1 kept, 2 dropped (level 1, patterns 1)
}
