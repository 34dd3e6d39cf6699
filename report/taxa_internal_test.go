package report

import (
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// Rules' CWEs and CVEs are read only for the formats that show them.
func TestIndexTaxa(t *testing.T) {
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
	  {"id":"CVE-2021-44228","properties":{"tags":["external/cwe/cwe-079"]}}]}},"results":[{"ruleId":"CVE-2021-44228","message":{"text":"m"}}]}]}`)
	in := []sarif.Input{{Name: "x", Log: l}}
	for _, c := range []struct {
		needs needs
		cwes  int
	}{{0, 0}, {needSource, 0}, {needTaxa, 1}, {needSource | needTaxa, 1}} {
		x, err := newIndex(t.Context(), in, nil, c.needs)
		if err != nil {
			t.Fatal(err)
		}
		if r := x.rules[0]; len(r.CWE) != c.cwes || len(r.CVE) != c.cwes {
			t.Errorf("needs %b: CWE %q, CVE %q", c.needs, r.CWE, r.CVE)
		}
	}
}
