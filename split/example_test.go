package split_test

import (
	"context"
	"fmt"
	"io"
	"log"

	"github.com/sarifkit/sarifkit/sarif"
	"github.com/sarifkit/sarifkit/split"
)

// Split two logs for upload: each file Split hands over is one upload
// that GitHub accepts. A program writes each (to a directory, say); here
// the files are only listed.
func ExampleSplit() {
	ctx := context.Background()
	var inputs []sarif.Input
	for _, name := range []string{"../testdata/diff/head.sarif", "../testdata/valid/example-gosec.sarif"} {
		l, err := sarif.ReadFile(ctx, name, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			log.Fatal(err)
		}
		defer l.Close() // after Split: the files are written from the inputs'
		inputs = append(inputs, sarif.Input{Name: name, Log: l})
	}
	st, err := split.Split(ctx, inputs, &split.Options{
		Write: func(ctx context.Context, f *split.File) error {
			fmt.Printf("%s.sarif: %d runs, %d results\n", f.Name, len(f.Log.Runs), f.Results)
			return f.Log.Write(io.Discard, nil)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d results in, %d files\n", st.ResultsIn, len(st.Files))
	// Output:
	// gosec-and-1-more.sarif: 2 runs, 6 results
	// 6 results in, 1 files
}

// The categories of the parts of a divided run.
func ExamplePartID() {
	fmt.Println(split.PartID("gosec/", true, 0))
	fmt.Println(split.PartID("gosec/2024-06-01", true, 1))
	fmt.Println(split.PartID("gosec", true, 2))
	fmt.Println(split.PartID("", false, 3))
	// Output:
	// gosec/part-0/
	// gosec/part-1/2024-06-01
	// gosec/part-2/
	// part-3/
}
