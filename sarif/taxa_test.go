package sarif_test

import (
	"slices"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// CWE numbers come from a rule's tags, in the forms tools write them,
// then from its relationships to a CWE taxonomy (by name, or by index
// into the run's taxonomies), each once.
func TestCWEs(t *testing.T) {
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
	  {"id":"A","properties":{"tags":["security","external/cwe/cwe-079","CWE-89: Improper Neutralization","cwe_22","CWE-79","cwe-0","cwe-12x","cwex-1","owasp-a03","CWE-113: Improper Neutralization of CRLF Sequences in HTTP Headers ('HTTP Request/Response Splitting')","Cwe 352 a/b","see/CWE-20"]}},
	  {"id":"B","relationships":[{"target":{"id":"CWE-327","toolComponent":{"name":"CWE"}}},{"target":{"index":0,"toolComponent":{"index":0}}},{"target":{"id":"X-1","toolComponent":{"name":"other"}}}]}
	]}},"taxonomies":[{"name":"CWE","taxa":[{"id":"798"}]}],"results":[]}]}`)
	run := l.Runs[0]
	rules := run.Model.Tool.Driver.Rules
	if got := run.CWEs(rules[0]); !slices.Equal(got, []string{"79", "89", "22", "113", "352", "20"}) {
		t.Errorf("tags: %q", got)
	}
	if got := run.CWEs(rules[1]); !slices.Equal(got, []string{"327", "798"}) {
		t.Errorf("relationships: %q", got)
	}
	if got := run.RelatedTaxa(rules[1]); len(got) != 3 || got[1].Taxonomy != "CWE" || got[1].ID != "798" || got[2].Taxonomy != "other" {
		t.Errorf("related taxa: %+v", got)
	}
}

// A result's own security-severity is read as a rule's: a decimal
// number, in a string or not; not a number that is not finite (NaN,
// Inf), nor hexadecimal, nor words.
func TestResultSecuritySeverity(t *testing.T) {
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[
	  {"message":{"text":"a"},"properties":{"security-severity":"3.9"}},{"message":{"text":"b"}},
	  {"message":{"text":"c"},"properties":{"security-severity":"NaN"}},
	  {"message":{"text":"d"},"properties":{"security-severity":"Inf"}},
	  {"message":{"text":"e"},"properties":{"security-severity":"-Infinity"}},
	  {"message":{"text":"f"},"properties":{"security-severity":"0x1p3"}},
	  {"message":{"text":"g"},"properties":{"security-severity":" 7.5e0 "}},
	  {"message":{"text":"h"},"properties":{"security-severity":9.8}},
	  {"message":{"text":"i"},"properties":{"security-severity":"1e999"}},
	  {"message":{"text":"j"},"properties":{"security-severity":"high"}}]}]}`)
	for i, want := range []float64{3.9, -1, -1, -1, -1, -1, 7.5, 9.8, -1, -1} {
		r, _ := l.Runs[0].Result(i)
		res, err := l.Runs[0].DecodeResult(i, r)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := sarif.ResultSecuritySeverity(res)
		if ok != (want >= 0) || ok && got != want {
			t.Errorf("result %d: %v %v", i, got, ok)
		}
	}
}

// CVE ids come from a rule's id and its tags, in upper case, once each.
func TestCVEs(t *testing.T) {
	l := sariftest.Parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
	  {"id":"CVE-2019-1549","properties":{"tags":["security","cve-2021-44228","CVE-2019-1549","CVE-21-1","CVE-2021-123","CVE-2021-1234x"]}},
	  {"id":"G101"}]}},"results":[]}]}`)
	rules := l.Runs[0].Model.Tool.Driver.Rules
	if got := sarif.CVEs(rules[0]); !slices.Equal(got, []string{"CVE-2019-1549", "CVE-2021-44228"}) {
		t.Errorf("%q", got)
	}
	if got := sarif.CVEs(rules[1]); got != nil {
		t.Errorf("%q", got)
	}
}
