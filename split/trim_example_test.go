package split_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/split"
)

// A run whose rule has more tags than GitHub accepts, and whose result's
// code flow refers to a thread-flow location of the run by index, which
// GitHub does not show.
func ExampleTrimRun() {
	ctx := context.Background()
	tags := `"t01","t02","t03","t04","t05","t06","t07","t08","t09","t10","t11","t12","t13","t14","t15","t16","t17","t18","t19","t20","t21","t22"`
	l, err := sarif.Read(ctx, strings.NewReader(`{"version":"2.1.0","runs":[{
		"tool":{"driver":{"name":"scanner","rules":[{"id":"r1","properties":{"tags":[`+tags+`]}}]}},
		"threadFlowLocations":[{"location":{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},"region":{"startLine":3}}}}],
		"results":[{"ruleId":"r1","message":{"text":"m"},"codeFlows":[{"threadFlows":[{"locations":[{"index":0,"executionOrder":1}]}]}]}]}]}`), "example.sarif", nil)
	if err != nil {
		log.Fatal(err)
	}
	trims, err := split.TrimRun(ctx, l.Runs[0], 0, split.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range trims {
		fmt.Println(t)
	}
	r, err := l.Runs[0].Result(0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", r)
	// Output:
	// /runs/0/tool/driver/rules/0/properties/tags: rule "r1": 22 tags trimmed to 20
	// /runs/0/results/0/codeFlows: 1 thread-flow location referring to run.threadFlowLocations inlined
	// {"ruleId":"r1","message":{"text":"m"},"codeFlows":[{"threadFlows":[{"locations":[{"executionOrder":1,"location":{"physicalLocation":{"artifactLocation":{"uri":"src/a.c"},"region":{"startLine":3}}}}]}]}]}
}
