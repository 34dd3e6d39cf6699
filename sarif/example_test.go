package sarif_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
)

// Read a log, look at its results through the helpers, and write it back.
func Example() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/valid/example-gosec.sarif", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, run := range l.Runs {
		rv := run.Resolver()
		for _, text := range run.Results {
			r, err := text.Decode()
			if err != nil {
				log.Fatal(err)
			}
			score, _ := sarif.SecuritySeverity(rv.Rule(r))
			fmt.Printf("%s %s %s %s\n", rv.Level(r), rv.RuleID(r), rv.PrimaryURI(r), sarif.SeverityBand(score))
		}
	}
	// Output:
	// error G101 internal/config/config.go high
	// warning G104 cmd/server/main.go low
}

// Reading and writing an unmodified log gives the same JSON, down to the
// digits of numbers the go-sarif model cannot hold exactly.
func ExampleLog_Write() {
	ctx := context.Background()
	in := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[],"properties":{"n":12345678901234567890,"x":null}}]}`
	l, err := sarif.Read(ctx, strings.NewReader(in), "example", nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := l.Write(os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[],"properties":{"n":12345678901234567890,"x":null}}]}
}

// Syntax errors name the file and the line and column.
func ExampleSyntaxError() {
	_, err := sarif.Read(context.Background(), strings.NewReader("{\n  \"version\": \"2.1.0\",\n  \"runs\": [}\n"), "broken.sarif", nil)
	fmt.Println(err)
	// Output:
	// broken.sarif:3:12: invalid JSON: invalid character '}' at start of value (in /runs/0)
}

func ExampleResolveURI() {
	bases := map[string][2]string{
		"SRCROOT": {"file:///home/ci/repo/", ""},
		"LIB":     {"lib/", "SRCROOT"},
	}
	uri := sarif.ResolveURI("util.go", "LIB", func(id string) (string, string, bool) {
		b, ok := bases[id]
		return b[0], b[1], ok
	})
	fmt.Println(uri)
	// Output:
	// file:///home/ci/repo/lib/util.go
}
