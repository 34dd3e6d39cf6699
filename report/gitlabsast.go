package report

import (
	"bufio"
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
)

// GitLabSASTVersion is the version of GitLab's security report schema
// that [WriteGitLabSAST] writes to, and GitLabSASTSchema that schema
// (gitlab-org/security-products/security-report-schemas, MIT), which
// every report declares.
const (
	GitLabSASTVersion = "15.2.1"
	GitLabSASTSchema  = "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v" +
		GitLabSASTVersion + "/dist/sast-report-format.json"
)

// The limits of a GitLab SAST report on a vulnerability's text, in
// characters: a name and a description as GitLab's schema limits them
// (maxLength), an identifier's type, name and value as GitLab's
// database holds them (255). Longer text is cut, ending with
// [GitLabSASTTruncated].
const (
	GitLabSASTMaxNameChars        = 255
	GitLabSASTMaxDescriptionChars = 1 << 20
	GitLabSASTMaxIdentifierChars  = 255
)

// GitLabSASTTruncated ends text of a GitLab SAST report cut to a limit.
const GitLabSASTTruncated = "… (truncated)"

// GitLabSASTTotals are the totals of a GitLab SAST report: Results are
// the vulnerabilities written (ByLevel by their SARIF level), Suppressed
// the current results left out as suppressed; NoFile counts the
// vulnerabilities written without a file (results with no physical
// location: their location is empty), Truncated the names,
// descriptions and identifiers cut to GitLab's limits. Outside counts the
// vulnerabilities whose file is not relative to the checkout: an
// absolute path (of the machine the tool ran on), a path out of it
// ("../"), or a URI that is not a file: one; FirstOutside is the first
// such file. GitLab shows them as they are and reads the file into its
// fingerprint of a finding, which then differs between pipelines whose
// checkouts differ: [Options].SourceRoot is the fix.
type GitLabSASTTotals struct {
	Totals
	NoFile, Truncated int
	Outside           int
	FirstOutside      string
	// BadTimes counts the invocation times left out of the scan's
	// times: not RFC 3339, or in a year out of 0001 to 9999 in UTC
	// (which GitLab's schema cannot hold: it rejects the report).
	BadTimes int
}

// WriteGitLabSAST writes a GitLab security report of type SAST
// (artifacts:reports:sast; GitLab's schema version [GitLabSASTVersion]),
// which fills a merge request's security widget, the pipeline's security
// tab and the project's vulnerability report. It holds a vulnerability
// per current result of every run, in the logs' order, read from them a
// batch at a time:
//
//   - results of kind pass or notApplicable ([Finding.Problem]: SARIF
//     says they are no problem) are left out, counted in
//     Totals.NotProblems;
//   - results GitLab's own SARIF ingestion skips as suppressed are left
//     out: those with suppressions none of which is underReview or
//     rejected (https://gitlab.com/gitlab-org/gitlab/-/merge_requests/227970);
//     so are absent results of a comparison of two logs (sarif-diff):
//     GitLab compares the report with the target branch's itself, so
//     it is given what the scanned code has (new, unchanged, updated);
//   - id: a UUID (RFC 9562 version 8: the first 16 bytes of a SHA-256)
//     of the tool, the run's category, the rule, the file (as shown:
//     relative to the checkout), the region (lines and columns) and the
//     result's own fingerprint, else its message (Trivy tells the
//     packages of an image apart by message only): the same result gets
//     the same id on every run, wherever the log is read from, and ids
//     are unique within the report (results alike in all of these are
//     told apart by their order). GitLab does not read it to track a
//     vulnerability: its parser (gitlabhq,
//     lib/gitlab/ci/parsers/security/common.rb) makes the finding's UUID
//     of the report type, the primary identifier and the location's
//     fingerprint (the file and lines), or of the vulnerability's
//     tracking signatures when that is enabled, so results of one rule
//     at the same file and lines (Trivy's results per package, results
//     apart only by column) are one finding there. The report writes no
//     tracking signatures: they need the scanned code's syntax (scope
//     offsets), which a SARIF log does not hold;
//   - identifiers: the rule id first (the primary identifier, of type
//     TOOL_rule_id as GitLab's analyzers name theirs, linked to the
//     rule's helpUri), then a "cwe" identifier per CWE the rule names
//     ([Rule].CWE), then a "cve" identifier per CVE ([Rule].CVE), as
//     GitLab's SARIF ingestion adds them;
//   - name: the rule's short description, else its name, else its id
//     (on one line: its runs of white space made one space);
//     description: the message's text, as Markdown that shows it as
//     text (GitLab renders descriptions); at most [GitLabSASTMaxNameChars] and
//     [GitLabSASTMaxDescriptionChars] characters;
//   - severity, in the order of GitLab's SARIF ingestion
//     (https://gitlab.com/gitlab-org/gitlab/-/merge_requests/271129):
//     the rule's security-severity, else the result's, in GitHub's
//     bands (9.0 Critical, 7.0 High, 4.0 Medium, above 0 Low, else
//     Info), else the level (the result's, else the rule's default, as
//     [sarif.Resolver.Level] resolves it): error High (not Critical),
//     warning Medium, note Low, none Info. GitLab's first parser
//     (https://gitlab.com/gitlab-org/gitlab/-/merge_requests/227970)
//     read result.rank before all of these, so that the rank SARIF
//     gives a result without one (-1) made it Critical; 271129 lets a
//     negative rank fall through to the order above but still reads a
//     rank of 0 to 100 first. The report reads no rank: a rank orders a
//     tool's own results, it is not a severity, and what the rules and
//     levels say is what GitLab shows for the same log uploaded as SARIF
//     without ranks;
//   - location: file (relative to the checkout), start_line and
//     end_line; empty for a result without a file;
//   - scan: scanner and analyzer name the tools (drivers) of every run,
//     each name and version once: several are joined with ", ", each
//     named with its version ("CodeQL 2.20.0, CodeQL 2.19.0, gosec"),
//     their versions listed in that order ("unknown" for none), their
//     vendors (driver.organization, else the tool's name) once each;
//     the id joins the tools' names with "+", so it changes with the
//     set of tools in the logs;
//     start_time and end_time span the runs' invocations, in UTC, else
//     [Options].Now (the current time when zero); status success.
func WriteGitLabSAST(ctx context.Context, w io.Writer, inputs []sarif.Input, opts *Options) (GitLabSASTTotals, error) {
	x, err := newIndex(ctx, inputs, opts, needTaxa)
	if err != nil {
		return GitLabSASTTotals{}, err
	}
	now := time.Time{}
	if opts != nil {
		now = opts.Now
	}
	if now.IsZero() {
		now = time.Now()
	}
	t := GitLabSASTTotals{Totals: x.totals()}
	scan, badTimes := scanOf(inputs, now)
	t.BadTimes = badTimes
	t.Results, t.Suppressed, t.ByLevel = 0, 0, sarif.LevelCounts{}
	var current []int32 // the positions of the findings GitLab may see
	for p := range x.entries {
		if !x.entries[p].absent {
			current = append(current, int32(p))
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	head, err := json.Marshal(struct {
		Version string   `json:"version"`
		Schema  string   `json:"schema"`
		Scan    sastScan `json:"scan"`
	}{GitLabSASTVersion, GitLabSASTSchema, scan})
	if err != nil {
		return t, err
	}
	// One vulnerability a line: readable, and far faster than indenting.
	bw.Write(safetext.JSON(head[:len(head)-1]))
	bw.WriteString(`,"vulnerabilities":[`)
	first := true
	ids := newStableIDs("\x00occurrence\x00") // to tell alike results apart
	err = x.walk(ctx, len(current), func(k int) int { return int(current[k]) }, func(_ int, f *Finding) error {
		if f.gitlabSuppressed {
			t.Suppressed++
			return nil
		}
		if !f.Problem() {
			t.NotProblems++
			return nil
		}
		t.Results++
		t.ByLevel[f.Level]++
		v := t.vulnerability(f, ids)
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n  ")
		_, err = bw.Write(safetext.JSON(b))
		return err
	})
	if err != nil {
		return t, err
	}
	if !first {
		bw.WriteString("\n")
	}
	bw.WriteString("]}\n")
	return t, bw.Flush()
}

type sastVendor struct {
	Name string `json:"name"`
}

type sastComponent struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	URL     string     `json:"url,omitempty"`
	Version string     `json:"version"`
	Vendor  sastVendor `json:"vendor"`
}

type sastScan struct {
	Analyzer  sastComponent `json:"analyzer"`
	Scanner   sastComponent `json:"scanner"`
	Type      string        `json:"type"`
	StartTime string        `json:"start_time"`
	EndTime   string        `json:"end_time"`
	Status    string        `json:"status"`
}

type sastIdentifier struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type sastLocation struct {
	File      string `json:"file,omitempty"`
	StartLine int    `json:"start_line,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
}

type sastLink struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url"`
}

type sastVulnerability struct {
	ID          string           `json:"id"`
	Category    string           `json:"category"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Severity    string           `json:"severity"`
	Identifiers []sastIdentifier `json:"identifiers"`
	Links       []sastLink       `json:"links,omitempty"`
	Location    sastLocation     `json:"location"`
}

// vulnerability is the finding f as GitLab reads it; ids are the ids
// given so far.
func (t *GitLabSASTTotals) vulnerability(f *Finding, ids *stableIDs) sastVulnerability {
	v := sastVulnerability{Category: "sast", Severity: gitlabSeverity(f)}
	v.ID = gitlabID(f, ids)
	ruleID := f.RuleID
	if ruleID == "" {
		ruleID = "(none)"
	}
	var short, long, helpURI string
	var cwes, cves []string
	if r := f.Rule; r != nil {
		short, long = visibleLine(r.Short), visibleLine(r.Name)
		helpURI, cwes, cves = r.HelpURI, r.CWE, r.CVE
	}
	name := cmp.Or(short, long, visibleLine(ruleID), ruleID)
	var cut bool
	v.Name, cut = truncate(safetext.Escape(name), GitLabSASTMaxNameChars)
	t.count(cut)
	if f.Message != "" {
		v.Description, cut = truncate(safetext.MarkdownLines(f.Message), GitLabSASTMaxDescriptionChars)
		t.count(cut)
	}
	primary := sastIdentifier{Type: identifierType(f.Tool), Name: t.identifier(safetext.Escape(ruleID))}
	primary.Value = primary.Name
	if web(helpURI) {
		primary.URL = helpURI
		v.Links = []sastLink{{URL: helpURI}}
	}
	v.Identifiers = append(v.Identifiers, primary)
	for _, n := range cwes {
		v.Identifiers = append(v.Identifiers, sastIdentifier{Type: "cwe", Name: "CWE-" + n, Value: n,
			URL: "https://cwe.mitre.org/data/definitions/" + n + ".html"})
	}
	for _, id := range cves {
		v.Identifiers = append(v.Identifiers, sastIdentifier{Type: "cve", Name: id, Value: id,
			URL: "https://www.cve.org/CVERecord?id=" + id})
	}
	if f.Path != "" {
		if outsideCheckout(f.Path) {
			if t.Outside++; t.Outside == 1 {
				t.FirstOutside = f.Path
			}
		}
		v.Location.File = f.Path
		if f.Line > 0 {
			v.Location.StartLine, v.Location.EndLine = f.Line, max(f.EndLine, f.Line)
		}
	} else {
		t.NoFile++
	}
	return v
}

// identifier is s cut to [GitLabSASTMaxIdentifierChars], counted when
// it is.
func (t *GitLabSASTTotals) identifier(s string) string {
	s, cut := truncate(s, GitLabSASTMaxIdentifierChars)
	t.count(cut)
	return s
}

func (t *GitLabSASTTotals) count(cut bool) {
	if cut {
		t.Truncated++
	}
}

// gitlabID returns the finding's id: a UUID of its key, told apart from
// the ids of alike findings before it by its order among them.
func gitlabID(f *Finding, ids *stableIDs) string {
	basis := []string{"tool", f.Tool, "category", f.Category, "rule", f.RuleID, "file", f.Path,
		"region", strconv.Itoa(f.Line), strconv.Itoa(f.Column), strconv.Itoa(f.EndLine), strconv.Itoa(f.EndColumn)}
	if f.Fingerprint != "" {
		basis = append(basis, "fingerprint", f.FingerprintKey, f.Fingerprint)
	} else {
		basis = append(basis, "message", f.Message)
	}
	sum := ids.next(basis...)
	var id [16]byte
	copy(id[:], sum[:])
	id[6] = id[6]&0x0f | 0x80 // version 8
	id[8] = id[8]&0x3f | 0x80 // variant 10
	h := hex.EncodeToString(id[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// gitlabSeverity is the finding's severity as GitLab names it (see
// [WriteGitLabSAST]).
func gitlabSeverity(f *Finding) string {
	score, ok := f.SecuritySeverity, f.HasSecuritySeverity
	if !ok {
		score, ok = f.resultSeverity, f.hasResultSeverity
	}
	if ok {
		switch sarif.SeverityBand(score) {
		case "critical":
			return "Critical"
		case "high":
			return "High"
		case "medium":
			return "Medium"
		case "low":
			return "Low"
		}
		return "Info"
	}
	switch f.Level {
	case sarif.LevelError:
		return "High"
	case sarif.LevelWarning:
		return "Medium"
	case sarif.LevelNote:
		return "Low"
	}
	return "Info"
}

// gitlabSuppressed tells whether GitLab's SARIF ingestion skips the
// result as suppressed ([sarif.GitLabSkipsSuppressed]).
func gitlabSuppressed(res *gosarif.Result) bool {
	if len(res.Suppressions) == 0 {
		return false
	}
	statuses := make([]string, len(res.Suppressions))
	for i, s := range res.Suppressions {
		if s != nil && s.Status != nil {
			statuses[i] = *s.Status
		}
	}
	return sarif.GitLabSkipsSuppressed(statuses)
}

// scanOf describes the scan of the inputs: their tools, and the span of
// their invocations (else now); bad counts the invocations' times left
// out (see [GitLabSASTTotals].BadTimes).
func scanOf(inputs []sarif.Input, now time.Time) (scan sastScan, bad int) {
	type tool struct{ name, version, vendor, url string }
	var tools []tool
	var start, end time.Time
	for _, in := range inputs {
		for _, run := range in.Log.Runs {
			if run == nil || run.Model == nil {
				continue
			}
			for _, inv := range run.Model.Invocations {
				if inv == nil {
					continue
				}
				bad += unreadTimes(run, inv)
				for _, p := range []*time.Time{inv.StartTimeUTC, inv.EndTimeUTC} {
					if p == nil || p.IsZero() {
						continue
					}
					if y := p.UTC().Year(); y < 1 || y > 9999 {
						bad++
						continue
					}
					if start.IsZero() || p.Before(start) {
						start = *p
					}
					if end.IsZero() || p.After(end) {
						end = *p
					}
				}
			}
			d := run.Model.Tool.Driver
			tl := tool{name: run.Tool()}
			if d != nil {
				tl.version = cmp.Or(deref(d.Version), deref(d.SemanticVersion), deref(d.DottedQuadFileVersion))
				tl.vendor = deref(d.Organization)
				tl.url = deref(d.InformationURI)
			}
			if !slices.ContainsFunc(tools, func(t tool) bool { return t.name == tl.name && t.version == tl.version }) {
				tools = append(tools, tl)
			}
		}
	}
	if start.IsZero() {
		start, end = now, now
	}
	// One tool is its name and version; several (by name and version)
	// are named each with its version, their versions listed in the
	// same order.
	var names, ids, versions, vendors []string
	clean := func(s string) string { return strings.TrimSpace(safetext.Escape(s)) }
	add := func(list []string, s string) []string {
		if s = clean(s); s != "" && !slices.Contains(list, s) {
			list = append(list, s)
		}
		return list
	}
	for _, tl := range tools {
		name, version := cmp.Or(clean(tl.name), "SARIF"), clean(tl.version)
		if len(tools) > 1 && version != "" {
			name += " " + version
		}
		names = append(names, name)
		versions = append(versions, cmp.Or(version, "unknown"))
		ids = add(ids, identifierSlug(tl.name))
		vendors = add(vendors, cmp.Or(tl.vendor, tl.name))
	}
	c := sastComponent{
		ID: cmp.Or(strings.Join(ids, "+"), "sarif"), Name: cmp.Or(strings.Join(names, ", "), "SARIF"),
		Version: cmp.Or(strings.Join(versions, ", "), "unknown"),
		Vendor:  sastVendor{Name: cmp.Or(strings.Join(vendors, ", "), "unknown")},
	}
	if len(tools) == 1 && web(tools[0].url) {
		c.URL = tools[0].url
	}
	const layout = "2006-01-02T15:04:05"
	return sastScan{Analyzer: c, Scanner: c, Type: "sast", Status: "success",
		StartTime: start.UTC().Format(layout), EndTime: end.UTC().Format(layout)}, bad
}

// unreadTimes counts the times of an invocation that the log has but
// that were not read as times (the model holds none: not RFC 3339, such
// as one without a time zone).
func unreadTimes(run *sarif.Run, inv *gosarif.Invocation) int {
	if inv.StartTimeUTC != nil && inv.EndTimeUTC != nil {
		return 0
	}
	b, err := run.Encode(inv)
	if err != nil {
		return 0
	}
	var raw struct {
		Start json.RawMessage `json:"startTimeUtc"`
		End   json.RawMessage `json:"endTimeUtc"`
	}
	if json.Unmarshal(b, &raw) != nil {
		return 0
	}
	n := 0
	for _, m := range []struct {
		t   *time.Time
		raw json.RawMessage
	}{{inv.StartTimeUTC, raw.Start}, {inv.EndTimeUTC, raw.End}} {
		if m.t == nil && len(m.raw) > 0 && string(m.raw) != "null" {
			n++
		}
	}
	return n
}

// outsideCheckout tells whether a finding's path, as [displayPath]
// makes it, is not relative to the checkout: absolute ("/x", "C:/x",
// "//host/x"), leading out of it ("../x"), or a URI of another scheme
// ("https://x").
func outsideCheckout(p string) bool {
	if strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") {
		return true
	}
	scheme, _, ok := strings.Cut(p, ":")
	if !ok || scheme == "" || strings.ContainsRune(scheme, '/') {
		return false
	}
	for i, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// visibleLine is s on one line, each run of white space one space, or ""
// when s has nothing a reader sees: white space, format characters
// (U+200B, U+2060, U+FEFF...) and other characters Unicode says to
// ignore when not supported.
func visibleLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) {
			return s
		}
	}
	return ""
}

// identifierType is the type of the primary identifier of a tool's
// rules: TOOL_rule_id, as GitLab's analyzers name theirs
// (gosec_rule_id), its TOOL cut to fit [GitLabSASTMaxIdentifierChars].
func identifierType(tool string) string {
	const suffix = "_rule_id"
	slug := identifierSlug(tool) // ASCII
	return strings.ReplaceAll(slug[:min(len(slug), GitLabSASTMaxIdentifierChars-len(suffix))], "-", "_") + suffix
}

// identifierSlug is the tool's name in lower case, each run of other
// characters than letters and digits a "-": "sarif" when none is left.
func identifierSlug(tool string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(tool) {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "sarif"
	}
	return b.String()
}

// web tells whether u is an http(s) URL, as GitLab's schema wants a
// link's.
func web(u string) bool {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(u, "http://")
	}
	return ok && rest != "" && len(u) < 2048 && safetext.Escape(u) == u && !strings.ContainsAny(u, " <>\"")
}

// truncate cuts s to at most limit characters, ending with
// [GitLabSASTTruncated], and tells whether it did. It does not end s inside
// an escape: a final lone backslash or an unfinished character
// reference goes.
func truncate(s string, limit int) (string, bool) {
	if utf8.RuneCountInString(s) <= limit {
		return s, false
	}
	keep := limit - utf8.RuneCountInString(GitLabSASTTruncated)
	i := 0
	for n := 0; n < keep; n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	s = s[:i]
	if amp := strings.LastIndexByte(s, '&'); amp >= 0 && amp >= len(s)-6 && !strings.Contains(s[amp:], ";") {
		s = s[:amp]
	}
	if trailing := len(s) - len(strings.TrimRight(s, `\`)); trailing%2 == 1 {
		s = s[:len(s)-1]
	}
	return s + GitLabSASTTruncated, true
}
