package sarif

import (
	"slices"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// A RelatedTaxon is a taxon a rule's relationship points at (SARIF
// §3.49.15, §3.53.2): the name of its taxonomy (the tool component the
// target names) and its id.
type RelatedTaxon struct {
	Taxonomy, ID string
}

// RelatedTaxa returns the taxa the rule's relationships point at, in
// order: a target's taxonomy is found in the run's taxonomies by guid,
// else name, else index (as [Run.Prune] finds it), and its id is the
// target's, else that of the taxon its index names. A target naming a
// taxonomy the run does not hold keeps the name it gives; one with
// neither a taxonomy nor an id is left out.
func (r *Run) RelatedTaxa(rule *gosarif.ReportingDescriptor) []RelatedTaxon {
	if r == nil || r.Model == nil || rule == nil {
		return nil
	}
	u := &usage{model: r.Model}
	var out []RelatedTaxon
	for _, d := range r.relationships(rule) {
		t := RelatedTaxon{Taxonomy: d.compName, ID: d.id}
		if tax, ok := u.taxonomy(d); ok {
			t.Taxonomy = r.Model.Taxonomies[tax].Name
			if taxa := r.Model.Taxonomies[tax].Taxa; t.ID == "" && d.index >= 0 && d.index < int64(len(taxa)) && taxa[d.index] != nil {
				t.ID = taxa[d.index].ID
			}
		}
		if t.ID != "" && t.Taxonomy != "" {
			out = append(out, t)
		}
	}
	return out
}

// CWEs returns the numbers of the CWE weaknesses the rule names ("79"
// for CWE-79), each once, in order: from its tags first (in the forms
// tools write them: "external/cwe/cwe-079", "CWE-79", "cwe-79",
// "CWE-79: Improper Neutralization...", slashes and all), then from its relationships
// to taxa of a taxonomy named CWE.
func (r *Run) CWEs(rule *gosarif.ReportingDescriptor) []string {
	var out []string
	add := func(n string) {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, t := range Tags(rule) {
		add(cweNumber(t))
	}
	for _, t := range r.RelatedTaxa(rule) {
		if strings.EqualFold(t.Taxonomy, "CWE") {
			if n := cweNumber(t.ID); n != "" {
				add(n)
			} else if n := strings.TrimLeft(t.ID, "0"); n != "" && strings.Trim(n, "0123456789") == "" {
				add(n) // the taxon's id is the bare number
			}
		}
	}
	return out
}

// CVEs returns the CVE ids the rule names ("CVE-2019-1549"), in upper
// case, each once, in order: its id when it is one (as scanners of
// dependencies and images name their rules), then its tags that are.
func CVEs(rule *gosarif.ReportingDescriptor) []string {
	if rule == nil {
		return nil
	}
	var out []string
	for _, s := range append([]string{rule.ID}, Tags(rule)...) {
		if id := strings.ToUpper(s); cveID(id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// cveID tells whether s is a CVE id: "CVE-", a year of four digits, "-",
// and four or more digits.
func cveID(s string) bool {
	year, seq, ok := strings.Cut(strings.TrimPrefix(s, "CVE-"), "-")
	return ok && len(s) > 4 && s[:4] == "CVE-" && len(year) == 4 && digits(year) && len(seq) >= 4 && len(seq) <= 12 && digits(seq)
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// cweNumber returns the number of the CWE a tag or id names, without
// leading zeros, or "": the tag, else its last path segment (in
// "external/cwe/cwe-079"), is "cwe" in any case, then optionally one of
// "-", "_", ":" or a space, then digits, then nothing or a character
// that is not a letter or digit. The whole tag comes first: Semgrep's
// titles have slashes of their own ("CWE-113: ... ('HTTP
// Request/Response Splitting')").
func cweNumber(tag string) string {
	if n := cwePrefix(tag); n != "" {
		return n
	}
	return cwePrefix(tag[strings.LastIndexByte(tag, '/')+1:])
}

// cwePrefix returns the number of the CWE s starts with (see
// [cweNumber]), or "".
func cwePrefix(s string) string {
	if len(s) < 4 || !strings.EqualFold(s[:3], "cwe") {
		return ""
	}
	s = s[3:]
	if strings.IndexByte("-_: ", s[0]) >= 0 {
		s = s[1:]
	}
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 || end > 9 || end < len(s) && isAlnum(s[end]) {
		return ""
	}
	if n := strings.TrimLeft(s[:end], "0"); n != "" {
		return n
	}
	return ""
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
