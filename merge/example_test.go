package merge_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sarifkit/sarifkit/merge"
	"github.com/sarifkit/sarifkit/sarif"
)

// Merge two scans of one tool into one run for upload. Merge moves the
// results as they were read, without decoding them; read with their
// results on disk, the logs keep them there, and the merged log is
// written from their files.
func Example() {
	ctx := context.Background()
	var inputs []sarif.Input
	for _, name := range []string{"../testdata/diff/base.sarif", "../testdata/diff/head.sarif"} {
		l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			log.Fatal(err)
		}
		inputs = append(inputs, sarif.Input{Name: name, Log: l})
	}
	out, st, err := merge.Merge(ctx, inputs, &merge.Options{Category: "gosec"})
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close() // the files of the results on disk
	run := out.Runs[0]
	fmt.Printf("%d runs, category %q, %d results (%d identical results folded)\n", len(out.Runs), run.Category(), run.Len(), st.Duplicates)
	// Output:
	// 1 runs, category "gosec", 6 results (1 identical results folded)
}
