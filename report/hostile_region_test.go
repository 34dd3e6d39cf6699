package report_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/report"
	"github.com/sarifkit/sarifkit/sarif"
)

// regionChild makes the test binary render hostileRegionLog in a child
// process: the panic this guards against happens on a worker goroutine,
// where it would kill the whole test binary.
const regionChild = "SARIFKIT_HOSTILE_REGION_CHILD"

// hostileRegionLog has a result whose endLine is the largest 64-bit
// integer (valid JSON, a valid int64: the log is not refused), beside one
// on an ordinary line of the same file, so that the file is read.
const hostileRegionLog = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1,"endLine":9223372036854775807}}}]},
{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":2}}}]}]}]}`

// A log's region is attacker text: an endLine near the top of int64 must
// not crash the report (sourceRegion's end = endLine+context overflows,
// and attach then makes a slice of negative capacity). Found in review
// of issue 24; the same panic was in internal/render before the move.
func TestHostileRegionDoesNotPanic(t *testing.T) {
	if os.Getenv(regionChild) != "" {
		files := fstest.MapFS{"a.go": {Data: []byte("l1\nl2\nl3\nl4\n")}}
		in := []sarif.Input{{Name: "l", Log: sariftest.Parse(t, hostileRegionLog)}}
		for _, format := range []string{"html", "codeclimate", "gitlab-sast"} {
			var err error
			opts := &report.Options{Source: files}
			switch format {
			case "html":
				_, err = report.WriteHTML(t.Context(), io.Discard, in, opts)
			case "gitlab-sast":
				_, err = report.WriteGitLabSAST(t.Context(), io.Discard, in, opts)
			default:
				_, err = report.WriteCodeClimate(t.Context(), io.Discard, in, opts)
			}
			if err != nil {
				t.Logf("%s: %v", format, err)
			}
		}
		return
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileRegionDoesNotPanic$")
	cmd.Env = append(os.Environ(), regionChild+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil || strings.Contains(out.String(), "panic") {
		t.Fatalf("rendering a log with endLine 9223372036854775807 crashed (%v):\n%s", err, firstLines(out.String(), 12))
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
