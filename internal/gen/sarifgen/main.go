// Command sarifgen writes a generated SARIF log for benchmarks:
//
//	go run ./internal/gen/sarifgen -results 100000 -o base.sarif
//	go run ./internal/gen/sarifgen -results 100000 -edited -o head.sarif
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
	results := flag.Int("results", 100000, "number of results")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "", "output file (required)")
	edited := flag.Bool("edited", false, "write the head of a pull request: the same log with results fixed, moved and added")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "sarifgen: -o is required")
		os.Exit(2)
	}
	err := atomicfile.Write(context.Background(), *out, nil, func(w io.Writer) error {
		return gen.Write(w, gen.Config{Results: *results, Seed: *seed, Edited: *edited})
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "sarifgen:", err)
		os.Exit(1)
	}
}
