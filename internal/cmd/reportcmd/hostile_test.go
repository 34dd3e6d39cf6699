package reportcmd

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
)

// Log text never becomes structure in what CI reads: in every format, a
// hostile file name, rule id, message, tool name, title or input name is
// shown as text; the CSV keeps a record a line.
func TestHostileLogText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	log := clitest.HostileLog(t, dir, clitest.HostileName, clitest.HostileText("tool"))
	for _, format := range []string{"summary", "html", "csv", "junit", "codeclimate", "gitlab-sast"} {
		args := []string{"--format", format}
		if format != "csv" && format != "codeclimate" && format != "gitlab-sast" {
			args = append(args, "--title", clitest.HostileText("title"))
		}
		r := clitest.Run(t, Run, clitest.Env{}, append(args, log)...)
		if r.Code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", format, r.Code, r.Stderr)
		}
		clitest.CheckText(t, format+": stderr", r.Stderr, clitest.TextRules{})
		switch format {
		case "summary":
			clitest.CheckText(t, format, r.Stdout, clitest.TextRules{})
		case "csv":
			clitest.CheckCSV(t, format, r.Stdout, len(clitest.HostileURIs)+1)
		case "junit":
			clitest.CheckText(t, format, r.Stdout, clitest.TextRules{Quoted: true})
			var v any
			if err := xml.NewDecoder(strings.NewReader(r.Stdout)).Decode(&v); err != nil {
				t.Errorf("junit: not XML: %v", err)
			}
		default: // JSON, or an HTML page with JSON in it
			clitest.CheckText(t, format, r.Stdout, clitest.TextRules{Quoted: true})
		}
	}
	// An input that cannot be read is named escaped.
	bad := filepath.Join(dir, "bad\n::error::x\x1b[31m.sarif")
	if err := os.WriteFile(bad, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := clitest.Run(t, Run, clitest.Env{}, bad)
	if r.Code != 2 || !bytes.Contains([]byte(r.Stderr), []byte(`bad\n::error::x\x1b[31m.sarif`)) {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	clitest.CheckText(t, "unreadable input: stderr", r.Stderr, clitest.TextRules{})
}
