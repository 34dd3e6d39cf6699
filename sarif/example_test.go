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
		for i := range run.Len() {
			text, err := run.Result(i) // wherever the result is held
			if err != nil {
				log.Fatal(err)
			}
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

// A result's rule and file, resolved through the run: the rule by index
// into a tool extension, the file through a chain of base ids.
func ExampleRun_Resolver() {
	const text = `{"version":"2.1.0","runs":[{
	  "tool":{"driver":{"name":"CodeQL"},"extensions":[{"name":"codeql/go-queries","rules":[{"id":"go/sql-injection"}]}]},
	  "originalUriBaseIds":{"SRCROOT":{"uri":"file:///home/ci/repo/"},"LIB":{"uri":"lib/","uriBaseId":"SRCROOT"}},
	  "results":[{"rule":{"index":0,"toolComponent":{"index":0}},"message":{"text":"query built from user input"},
	    "locations":[{"physicalLocation":{"artifactLocation":{"uri":"db.go","uriBaseId":"LIB"}}}]}]}]}`
	l, err := sarif.Read(context.Background(), strings.NewReader(text), "scan.sarif", nil)
	if err != nil {
		log.Fatal(err)
	}
	run := l.Runs[0]
	first, err := run.Result(0)
	if err != nil {
		log.Fatal(err)
	}
	r, err := first.Decode()
	if err != nil {
		log.Fatal(err)
	}
	rv := run.Resolver()
	fmt.Println(rv.RuleID(r), rv.Level(r), rv.PrimaryURI(r))
	// Output:
	// go/sql-injection warning file:///home/ci/repo/lib/db.go
}

// Keep a log's results on disk, change them and write the log: the same
// calls as for results in memory. The edit is applied as each result is
// read back, while the log is written.
func ExampleRun_EditResults() {
	ctx := context.Background()
	l, err := sarif.ReadFile(ctx, "../testdata/diff/head.sarif", &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close() // the file the results are read from
	run := l.Runs[0]
	err = run.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
		return r.Set("rank", float64(i))
	})
	if err != nil {
		log.Fatal(err)
	}
	// Visit every result (on every core: collect, then print in order).
	ranks := make([]string, run.Len())
	if err := run.EachResult(ctx, func(_, i int, r sarif.Result) error {
		ranks[i] = string(r.Member("rank")) + " " + string(r.Member("ruleId"))
		return nil
	}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Join(ranks, ", "))
	// Output:
	// 0 "G104", 1 "G104", 2 "G101", 3 "G204"
}

// Counts by level read most severe first; a level outside SARIF's (from
// an invalid log) comes last, quoted.
func ExampleLevelCounts_String() {
	c := sarif.LevelCounts{"note": 2, "error": 1, "fatal": 1}
	fmt.Println(c)
	// Output: 1 error, 2 note, 1 "fatal"
}
