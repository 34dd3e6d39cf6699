package alertscmd

import (
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// Alerts carry what the logs uploaded said (rule ids, tool names, file
// paths, dismissal comments): every format shows it as text; the CSV
// keeps a record a line; the Markdown report's tables keep their cells.
func TestHostileAlertText(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	for i, p := range clitest.HostileURIs {
		a := alert(i+1, []string{"open", "open", "dismissed", "open", "fixed"}[i%5], clitest.HostileText("rule"), p)
		a["tool"] = map[string]any{"name": clitest.HostileText("tool")}
		if i == 2 {
			a["dismissed_reason"] = clitest.HostileText("reason")
			a["dismissed_comment"] = clitest.HostileText("comment")
		}
		f.Alerts = append(f.Alerts, a)
	}
	env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GH_REPO": "o/r", "GITHUB_API_URL": f.URL}}
	for _, args := range [][]string{
		{"list"}, {"list", "--format", "csv"}, {"list", "--format", "json"},
		{"report"}, {"report", "--format", "html"}, {"report", "--format", "json"},
		{"dismiss", "--reason", "won't fix", "--path", "src/**", "--dry-run"},
		{"dismiss", "--reason", "won't fix", "--path", "src/**"},
	} {
		r := clitest.Run(t, Run, env, args...)
		label := strings.Join(args, " ")
		if r.Code != 0 && r.Code != 2 {
			t.Fatalf("%s: exit %d, stderr %q", label, r.Code, r.Stderr)
		}
		clitest.CheckText(t, label+": stderr", r.Stderr, clitest.TextRules{})
		switch {
		case label == "list --format csv":
			clitest.CheckCSV(t, label, r.Stdout, len(clitest.HostileURIs)+1)
		case label == "report":
			clitest.CheckMarkdown(t, label, r.Stdout, "# Code scanning alerts of o/r", "## Open alerts by severity",
				"## Age of open alerts (median 30 days, 90th percentile 30 days)", "## Fixed", "## Dismissed by reason",
				"## The ten repositories with the most open alerts", "## The ten rules with the most open alerts",
				"## Open alerts by tool", "## Open alerts by repository")
		case strings.Contains(label, "json"), strings.Contains(label, "html"):
			clitest.CheckText(t, label, r.Stdout, clitest.TextRules{Quoted: true})
		default:
			clitest.CheckText(t, label, r.Stdout, clitest.TextRules{})
		}
	}
}
