package merge_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sarifkit/sarifkit/merge"
	"github.com/sarifkit/sarifkit/sarif"
)

// Merge two scans of one tool into one run for upload. Merge moves the
// results as they were read, without decoding them.
func Example() {
	ctx := context.Background()
	var inputs []sarif.Input
	for _, name := range []string{"../testdata/diff/base.sarif", "../testdata/diff/head.sarif"} {
		l, err := sarif.ReadFile(ctx, name, nil)
		if err != nil {
			log.Fatal(err)
		}
		inputs = append(inputs, sarif.Input{Name: name, Log: l})
	}
	out, st, err := merge.Merge(ctx, inputs, &merge.Options{Category: "gosec"})
	if err != nil {
		log.Fatal(err)
	}
	run := out.Runs[0]
	fmt.Printf("%d runs, category %q, %d results (%d identical results folded)\n", len(out.Runs), run.Category(), len(run.Results), st.Duplicates)
	// Output:
	// 1 runs, category "gosec", 6 results (1 identical results folded)
}
