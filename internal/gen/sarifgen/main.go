// Command sarifgen writes a generated SARIF log for benchmarks:
//
//	go run ./internal/gen/sarifgen -results 100000 -o base.sarif
//	go run ./internal/gen/sarifgen -results 100000 -edited -o head.sarif
//
// and logs over GitHub's limits, for sarif-split:
//
//	go run ./internal/gen/sarifgen -results 60000 -rules 300 -o many.sarif
//	go run ./internal/gen/sarifgen -results 10 -runs 25 -o runs.sarif
//	go run ./internal/gen/sarifgen -results 10 -locations 1500 -o locs.sarif
//	go run ./internal/gen/sarifgen -results 10 -code-flow-every 1 -thread-flow-locations 12000 -o flows.sarif
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sarifkit/sarifkit/internal/atomicfile"
	"github.com/sarifkit/sarifkit/internal/gen"
)

func main() {
	var c gen.Config
	flag.IntVar(&c.Results, "results", 100000, "number of results (of each run)")
	flag.Uint64Var(&c.Seed, "seed", 1, "random seed")
	flag.IntVar(&c.Rules, "rules", 0, "number of rules (40 when 0)")
	flag.IntVar(&c.Runs, "runs", 1, "number of runs, each with its own category")
	flag.IntVar(&c.Locations, "locations", 1, "locations of each result")
	flag.IntVar(&c.CodeFlowEvery, "code-flow-every", 0, "put a code flow on one result in this many (10 when 0, none when negative)")
	flag.IntVar(&c.ThreadFlowLocations, "thread-flow-locations", 0, "locations of each code flow's thread flow (3 to 7 when 0)")
	out := flag.String("o", "", "output file (required)")
	flag.BoolVar(&c.Edited, "edited", false, "write the head of a pull request: the same log with results fixed, moved and added")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "sarifgen: -o is required")
		os.Exit(2)
	}
	err := atomicfile.Write(context.Background(), *out, nil, func(w io.Writer) error {
		return gen.Write(w, c)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "sarifgen:", err)
		os.Exit(1)
	}
}
