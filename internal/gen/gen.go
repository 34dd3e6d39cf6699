// Package gen writes large, realistic SARIF logs for benchmarks and
// scenario tests: many rules with GitHub properties, results with regions,
// snippets and partial fingerprints, and code flows on a share of them,
// shaped like the output of real security scanners. The output is
// deterministic for a given Config.
package gen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Config describes the log to write.
type Config struct {
	Results int    // number of results
	Rules   int    // number of rules; 40 when zero
	Files   int    // number of distinct files; Results/20+1 when zero
	Seed    uint64 // random seed
	// CodeFlowEvery puts a code flow on one result in this many; 10 when
	// zero, none when negative.
	CodeFlowEvery int
	ToolName      string // "gen-scanner" when empty
	// Runs is the number of runs, 1 when zero: run k > 0 has the
	// automationDetails.id "gen-k/" and results of its own.
	Runs int
	// Locations is the number of locations of every result, 1 when zero:
	// the first is where the result is, the others elsewhere in its file.
	Locations int
	// ThreadFlowLocations, when positive, is the number of locations of
	// the thread flow of each result with a code flow, instead of 3 to 7.
	ThreadFlowLocations int
	// Edited writes the head of a pull request instead of its base: the
	// same log with 5% of the results fixed (left out), the results of one
	// file in eight moved down by a few lines, and one new result in fifty.
	Edited bool
}

var words = strings.Fields(`the value of user input flows into a query without sanitization which may
allow an attacker to read or modify data possible nil dereference unchecked error returned by call
function is too complex consider refactoring variable shadows declaration in outer scope
hard coded credential found in source file weak random number generator used for security`)

// Write writes one SARIF 2.1.0 log with a single run to w.
func Write(w io.Writer, c Config) error {
	if c.Rules == 0 {
		c.Rules = 40
	}
	if c.Files == 0 {
		c.Files = c.Results/20 + 1
	}
	if c.CodeFlowEvery == 0 {
		c.CodeFlowEvery = 10
	}
	if c.ToolName == "" {
		c.ToolName = "gen-scanner"
	}
	if c.Runs == 0 {
		c.Runs = 1
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[`)
	for k := range c.Runs {
		if k > 0 {
			bw.WriteString(",")
		}
		writeRun(bw, c, k)
	}
	fmt.Fprintf(bw, "]}\n")
	return bw.Flush()
}

// writeRun writes run k of the log.
func writeRun(bw *bufio.Writer, c Config, k int) {
	seed := c.Seed + uint64(k)*1000003
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// Edits draw from their own stream, so that base and head share every
	// result they have in common.
	edits := rand.New(rand.NewPCG(seed+1, 99))
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	id := "gen/"
	if k > 0 {
		id = fmt.Sprintf("gen-%d/", k)
	}
	p(`{"tool":{"driver":{"name":%q,"semanticVersion":"1.4.2","informationUri":"https://example.com/scanner","rules":[`, c.ToolName)
	levels := []string{"error", "warning", "note"}
	precisions := []string{"very-high", "high", "medium", "low"}
	for i := range c.Rules {
		if i > 0 {
			p(",")
		}
		p(`{"id":"GEN%03d","name":"Rule%d","shortDescription":{"text":"%s"},"fullDescription":{"text":"%s"},"help":{"text":"%s","markdown":"**%s**"},"defaultConfiguration":{"level":%q},"properties":{"tags":["security","external/cwe/cwe-%d"],"precision":%q,"security-severity":"%.1f"}}`,
			i, i, sentence(rng, 6), sentence(rng, 16), sentence(rng, 20), sentence(rng, 5),
			levels[i%3], 20+i, precisions[i%4], float64(i%100)/10)
	}
	p(`]}},"originalUriBaseIds":{"SRCROOT":{"uri":"file:///src/project/"}},"automationDetails":{"id":%q},"results":[`, id)
	written := 0
	var one bytes.Buffer
	for i := range c.Results {
		rule := rng.IntN(c.Rules)
		fileN := rng.IntN(c.Files)
		file := fmt.Sprintf("pkg/module%d/file%d.go", fileN%97, fileN)
		line := 1 + rng.IntN(2000)
		fixed := edits.IntN(100) < 5
		added := edits.IntN(50) == 0
		if c.Edited {
			if fileN%8 == 3 {
				line += 3 + fileN%11
			}
			if added {
				// A new result in the same file, then this one as before.
				if written > 0 {
					p(",")
				}
				written++
				p(`{"ruleId":"GEN%03d","level":"warning","message":{"text":"new finding %d %s"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q,"uriBaseId":"SRCROOT"},"region":{"startLine":%d}}}]}`,
					rule, i, sentence(edits, 5), file, 1+edits.IntN(2000))
			}
		}
		// The result is always drawn, so that base and head stay in step,
		// and written unless the edit fixed it.
		one.Reset()
		q := func(format string, args ...any) { fmt.Fprintf(&one, format, args...) }
		col := 1 + rng.IntN(60)
		q(`{"ruleId":"GEN%03d","ruleIndex":%d,"level":%q,"message":{"text":"%s"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q,"uriBaseId":"SRCROOT"},"region":{"startLine":%d,"startColumn":%d,"endLine":%d,"endColumn":%d,"snippet":{"text":"%s"}}}}`,
			rule, rule, levels[rule%3], sentence(rng, 8+rng.IntN(8)), file, line, col, line, col+5+rng.IntN(30), sentence(rng, 6))
		for l := 1; l < c.Locations; l++ {
			q(`,{"physicalLocation":{"artifactLocation":{"uri":%q,"uriBaseId":"SRCROOT"},"region":{"startLine":%d,"startColumn":%d}},"message":{"text":"%s"}}`,
				file, 1+rng.IntN(2000), 1+rng.IntN(80), sentence(rng, 3))
		}
		q(`],"partialFingerprints":{"primaryLocationLineHash":"%016x:1"}`, rng.Uint64())
		if c.CodeFlowEvery > 0 && i%c.CodeFlowEvery == 0 {
			q(`,"codeFlows":[{"threadFlows":[{"locations":[`)
			n := 3 + rng.IntN(5)
			if c.ThreadFlowLocations > 0 {
				n = c.ThreadFlowLocations
			}
			for k := range n {
				if k > 0 {
					q(",")
				}
				q(`{"location":{"physicalLocation":{"artifactLocation":{"uri":%q,"uriBaseId":"SRCROOT"},"region":{"startLine":%d}},"message":{"text":"step %d"}}}`, file, 1+rng.IntN(2000), k)
			}
			q(`]}]}]`)
		}
		q(`,"properties":{"confidence":%s}}`, strconv.Itoa(rng.IntN(100)))
		if c.Edited && fixed {
			continue
		}
		if written > 0 {
			p(",")
		}
		written++
		bw.Write(one.Bytes())
	}
	p(`]}`)
}

func sentence(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()
}
