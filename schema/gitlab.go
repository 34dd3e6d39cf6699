package schema

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/sarif"
)

// GitLab's SARIF ingestion (Gitlab::Security::Parsers::Sarif, introduced
// behind the sarif_ingestion feature flag in GitLab 18.11, on by default
// from 19.1, the flag removed at general availability in 19.2): the
// limits it applies to a report. Documented at
// https://docs.gitlab.com/user/application_security/detect/sarif/#limits
// (doc/user/application_security/detect/sarif.md) and set in the parser
// (ee/lib/gitlab/security/parsers/sarif.rb, MAX_RUNS,
// MAX_RESULTS_PER_RUN, MAX_RULES_PER_RUN, MAX_TAGS_PER_RULE, MAX_CHARS;
// https://gitlab.com/gitlab-org/gitlab/-/merge_requests/260909 for the
// text limits).
const (
	// GitLabMaxRuns: a report with more runs fails whole ("SARIF file
	// contains N runs, which exceeds the maximum of 20"), nothing of it
	// ingested.
	GitLabMaxRuns = 20
	// GitLabMaxResultsPerRun: GitLab reads the first 5,000 results of a
	// run, with a warning, and ignores the rest (they are not counted as
	// dropped).
	GitLabMaxResultsPerRun = 5000
	// GitLabMaxRulesPerRun: GitLab reads the first 25,000 rules of a
	// run's tool.driver, with a warning.
	GitLabMaxRulesPerRun = 25000
	// GitLabMaxTagsPerRule: GitLab keeps the first 10 tags of a rule,
	// with a warning.
	GitLabMaxTagsPerRule = 10
	// GitLabMaxRuleNameChars and the other GitLabMax...Chars constants are the
	// longest text, in characters (Unicode code points, as Ruby's
	// String#length counts them), GitLab takes in a field it stores; a
	// result whose message, or whose rule's name, shortDescription.text,
	// fullDescription.text or helpUri, is longer is dropped. GitLab
	// rewrites every \u0000 escape of the log's text to the six
	// characters `\u0000` before parsing it (sanitize_json_data), so a
	// U+0000 counts six characters.
	GitLabMaxRuleNameChars         = 255
	GitLabMaxShortDescriptionChars = 1024
	GitLabMaxFullDescriptionChars  = 2048
	GitLabMaxMessageChars          = 2048
	GitLabMaxHelpURIChars          = 2048
)

// GitLabMaxArtifactSize is the default of the instance setting
// ci_max_artifact_size_sarif, the largest SARIF report artifact GitLab
// takes: 10 MB (of 2^20 bytes, as GitLab's plan limits count them) of
// the artifact as uploaded, gzip-compressed by the runner (GitLab's
// artifact limits are of the compressed size:
// https://gitlab.com/gitlab-org/gitlab/-/merge_requests/41238). A larger
// artifact fails its upload and nothing of it is ingested; an
// administrator may change the limit, per plan.
const GitLabMaxArtifactSize int64 = 10 << 20

// gitlabMaxPointers is how many pointers of dropped results the verdict
// names.
const gitlabMaxPointers = 5

// gitlabFormatRejection says what GitLab does with a log with a value
// that breaks its schema format: GitLab validates a SARIF report against
// the SARIF schema before parsing it (security_report(validate: true),
// StoreGroupedScansService) with json_schemer, which asserts "format" by
// default (JSONSchemer.schema's format option, default true:
// https://github.com/davishmcclurg/json_schemer#options), and rejects a
// report with any schema error whole.
const gitlabFormatRejection = "GitLab's schema validation (formats checked) rejects the report"

// gitlabAccepted tells whether GitLab's ingestion takes a log in spite of
// a finding of the standard's rules: it validates the schema, reads a
// result's ruleId or rule.id, message and first location as written, and
// never follows an index into the run's arrays (ruleIndex, artifact
// indices...) nor compares a region's bounds, so every "ref/..." and
// "region/..." finding is one it accepts.
func gitlabAccepted(id string) bool {
	return strings.HasPrefix(id, "ref/") || strings.HasPrefix(id, "region/")
}

// gitlabRuleField is a rule's text field GitLab bounds: its member path
// under the rule, the name GitLab gives the field in its log, and its
// limit.
type gitlabRuleField struct {
	path  []string
	field string
	limit int
}

// gitlabRuleFields are the rule's text fields GitLab bounds, in the order
// of the parser's extract_text_fields.
func gitlabRuleFields() [4]gitlabRuleField {
	return [...]gitlabRuleField{
		{[]string{"name"}, "rule_name", GitLabMaxRuleNameChars},
		{[]string{"shortDescription", "text"}, "short_description", GitLabMaxShortDescriptionChars},
		{[]string{"fullDescription", "text"}, "full_description", GitLabMaxFullDescriptionChars},
		{[]string{"helpUri"}, "help_uri", GitLabMaxHelpURIChars},
	}
}

// gitlabCheck is [ProfileGitLab]'s checks: it predicts, result by result,
// what GitLab's SARIF parser does with each (ee/lib/gitlab/security/
// parsers/sarif.rb, https://gitlab.com/gitlab-org/gitlab/-/merge_requests/227970,
// with the skips as warnings of
// https://gitlab.com/gitlab-org/gitlab/-/merge_requests/230137 and the
// threshold of https://gitlab.com/gitlab-org/gitlab/-/merge_requests/234268):
//
//   - only the first GitLabMaxResultsPerRun results of a run are read;
//   - a suppressed result (suppressions, none of them underReview or
//     rejected) is skipped, and not counted at all;
//   - every other result counts, and is dropped, for the first of these
//     reasons in the parser's order: no rule id (ruleId, else rule.id:
//     GitLab does not look rules up by index; an empty ruleId is no rule
//     id even when rule.id is given), a text field over its limit (the
//     message, or a text of the run's tool.driver rule of that id), no
//     locations[0].physicalLocation (only the first location counts);
//   - a result with a rule id and its texts within limits (located or
//     not) that has no rank has its severity read from the
//     security-severity property of its rule, else (blank, as Ruby's
//     blank? says) of itself, with Ruby's to_f: a value that is neither
//     blank, a string nor a number (true, a non-empty array or object)
//     raises, and GitLab fails the whole report ("SARIF security report
//     parsing failed");
//   - when more than half of the counted results of the whole report
//     (not of each run) are dropped, GitLab fails the report and ingests
//     none of it; when half or fewer are, it ingests the rest with a
//     warning; with none counted there is nothing to say.
//
// The parser's fourth reason, "nil UUID components" (a finding identity
// it cannot compute), is not predicted: what makes one nil is not
// documented. Neither are the findings GitLab merges because they share a
// file, rule and (absent) region: GitLab does not count those as dropped
// (https://docs.gitlab.com/user/application_security/detect/sarif/#deduplication-and-finding-identity).
// A log that fails the schema (a value that breaks its format included,
// see gitlabFormatRejection), or is of another SARIF version, GitLab
// rejects whole: those are errors of the validation already, and the
// verdict says that GitLab ingests none of the report rather than what
// it would drop.
//
// What the rule checks need of the run (its rules) is read at the end, so
// each result leaves a count under its run and rule id: bounded, as GitLab
// reads at most GitLabMaxResultsPerRun results of at most GitLabMaxRuns
// runs.
type gitlabCheck struct {
	mu   sync.Mutex
	runs []*gitlabRun
}

func newGitLabCheck() *gitlabCheck { return &gitlabCheck{} }

// gitlabRun counts what GitLab makes of one run's results.
type gitlabRun struct {
	counted     int // results GitLab counts: not suppressed, among the first GitLabMaxResultsPerRun
	noRuleID    dropped
	longMessage dropped
	// byRule holds the results with a rule id and a message within
	// limits, by rule id: dropped or not depends on the rule.
	byRule map[string]*gitlabRuleResults
}

type gitlabRuleResults struct {
	located, unlocated dropped
	// severityRead counts the results whose severity GitLab reads from
	// security-severity (those without a rank); badSeverity are those of
	// them whose own value GitLab's to_f fails on, kind what it is.
	severityRead int
	badSeverity  dropped
	badKind      string
}

// dropped counts results and keeps the least few indices.
type dropped struct {
	n     int
	first []int32
}

func (d *dropped) add(index int) {
	d.n++
	i, _ := slices.BinarySearch(d.first, int32Of(index))
	if i < gitlabMaxPointers {
		d.first = slices.Insert(d.first, i, int32Of(index))
		if len(d.first) > gitlabMaxPointers {
			d.first = d.first[:gitlabMaxPointers]
		}
	}
}

func (d *dropped) merge(o dropped) {
	d.n += o.n
	d.first = append(d.first, o.first...)
	slices.Sort(d.first)
	if len(d.first) > gitlabMaxPointers {
		d.first = d.first[:gitlabMaxPointers]
	}
}

func (g *gitlabCheck) run(i int) *gitlabRun {
	for len(g.runs) <= i {
		g.runs = append(g.runs, &gitlabRun{byRule: map[string]*gitlabRuleResults{}})
	}
	return g.runs[i]
}

// result counts one result as GitLab would (see gitlabCheck).
func (g *gitlabCheck) result(run, index int, result any, _ string) []Finding {
	m, ok := result.(map[string]any)
	if !ok || run >= GitLabMaxRuns || index >= GitLabMaxResultsPerRun || gitlabSuppressed(m) {
		return nil
	}
	ruleID, hasRuleID := gitlabRuleID(m)
	longMessage := gitlabLongMessage(m)
	located := gitlabLocated(m)
	rank, hasRank := m["rank"]
	readSeverity := !hasRank || gitlabBlank(rank)
	props, _ := m["properties"].(map[string]any)
	badKind := gitlabBadSeverity(props)
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.run(run)
	r.counted++
	switch {
	case !hasRuleID:
		r.noRuleID.add(index)
	case longMessage:
		r.longMessage.add(index)
	default:
		k := gitlabRuleKey(ruleID)
		rr := r.byRule[k]
		if rr == nil {
			rr = &gitlabRuleResults{}
			r.byRule[k] = rr
		}
		if located {
			rr.located.add(index)
		} else {
			rr.unlocated.add(index)
		}
		if readSeverity {
			rr.severityRead++
			if badKind != "" {
				rr.badSeverity.add(index)
				if rr.badKind == "" || index == int(rr.badSeverity.first[0]) {
					rr.badKind = badKind
				}
			}
		}
	}
	return nil
}

// gitlabRuleKey is a rule id as gitlabRun.byRule and gitlabRules key it:
// itself, or NUL and the SHA-256 of a long one (or of one that starts
// with NUL), so that what is kept per id stays small whatever the log
// holds.
func gitlabRuleKey(id string) string {
	if len(id) <= 64 && !strings.HasPrefix(id, "\x00") {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return "\x00" + string(sum[:])
}

// gitlabSuppressed tells whether GitLab skips a result as suppressed
// ([sarif.GitLabSkipsSuppressed]).
func gitlabSuppressed(m map[string]any) bool {
	sups, _ := m["suppressions"].([]any)
	if len(sups) == 0 {
		return false
	}
	statuses := make([]string, len(sups))
	for i, s := range sups {
		sm, _ := s.(map[string]any)
		statuses[i], _ = sm["status"].(string)
	}
	return sarif.GitLabSkipsSuppressed(statuses)
}

// gitlabBlank tells whether Ruby's blank? is true of a JSON value: null,
// false, a string empty or of white space only, an empty array or
// object.
func gitlabBlank(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case string:
		return strings.TrimSpace(v) == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// gitlabBadSeverity says what the security-severity of props (a rule's
// or a result's properties) is when GitLab's parser fails on it: not
// blank, and neither a string nor a number, which Ruby's to_f reads
// (true, a non-empty array or object, on which to_f raises
// NoMethodError); "" otherwise.
func gitlabBadSeverity(props map[string]any) string {
	v := props["security-severity"]
	if gitlabBlank(v) {
		return ""
	}
	switch v.(type) {
	case bool:
		return "true"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return ""
}

// gitlabChars is the length GitLab gives a text: its characters, a
// U+0000 counting six (GitLab rewrites the escape \u0000 to those six
// characters before parsing; JSON text holds no other U+0000).
func gitlabChars(s string) int {
	return utf8.RuneCountInString(s) + 5*strings.Count(s, "\x00")
}

// gitlabRuleID is the rule id GitLab reads, result.ruleId || result.rule.id,
// and whether it is one: not blank, as Ruby's blank? says (nil, false, a
// string empty or of white space only, an empty array or object). A
// ruleId that is present but empty hides rule.id, as Ruby's || keeps "".
// What is no string (a schema error) gets an id that names no rule.
func gitlabRuleID(m map[string]any) (string, bool) {
	v, present := m["ruleId"]
	if !present || v == nil || v == false {
		rule, _ := m["rule"].(map[string]any)
		v = rule["id"]
	}
	switch v := v.(type) {
	case nil:
		return "", false
	case bool: // false was passed over for rule.id; true is not blank
		return "\x00", v
	case string:
		return v, strings.TrimSpace(v) != ""
	case []any:
		return "\x00", len(v) > 0
	case map[string]any:
		return "\x00", len(v) > 0
	}
	// A number: a schema error already; Ruby's blank? is false for it,
	// and it names no rule of a string id.
	return "\x00", true
}

// gitlabLongMessage tells whether the message GitLab reads
// (message.text, else message.markdown) is longer than
// GitLabMaxMessageChars characters.
func gitlabLongMessage(m map[string]any) bool {
	msg, _ := m["message"].(map[string]any)
	v := msg["text"]
	if v == nil {
		v = msg["markdown"]
	}
	s, _ := v.(string)
	// A byte is at most six characters (a U+0000).
	return 6*len(s) > GitLabMaxMessageChars && gitlabChars(s) > GitLabMaxMessageChars
}

// gitlabLocated tells whether a result has what GitLab takes as its
// location: locations[0].physicalLocation, any object (GitLab reads only
// the first location; a later one does not help).
func gitlabLocated(m map[string]any) bool {
	locs, _ := m["locations"].([]any)
	if len(locs) == 0 {
		return false
	}
	loc, _ := locs[0].(map[string]any)
	pl, present := loc["physicalLocation"]
	return present && pl != nil && pl != false
}

// gitlabLongField is a rule text over its limit.
type gitlabLongField struct {
	ptr, field string
	length     int
	limit      int
}

// gitlabRule is what GitLab makes of one rule of a run's tool.driver: its
// text fields over their limits, and whether its security-severity,
// which GitLab reads before the result's, is set (not blank) and, if
// GitLab fails on it, what it is (see gitlabBadSeverity) and where.
type gitlabRule struct {
	long        []gitlabLongField
	severitySet bool
	badKind     string
	severityPtr string
}

// gitlabRules reads a run's tool.driver rules as GitLab indexes them: the
// first GitLabMaxRulesPerRun, by id, a later rule of an id replacing an
// earlier one.
func gitlabRules(run map[string]any, runPtr string) map[string]*gitlabRule {
	tool, _ := run["tool"].(map[string]any)
	driver, _ := tool["driver"].(map[string]any)
	rules, _ := driver["rules"].([]any)
	out := map[string]*gitlabRule{}
	fields := gitlabRuleFields()
	for i, r := range rules[:min(len(rules), GitLabMaxRulesPerRun)] {
		rm, _ := r.(map[string]any)
		id, ok := rm["id"].(string)
		if !ok {
			continue
		}
		rulePtr := runPtr + "/tool/driver/rules/" + strconv.Itoa(i)
		rule := &gitlabRule{severityPtr: rulePtr + "/properties/security-severity"}
		for _, f := range fields {
			v := any(rm)
			for _, k := range f.path {
				vm, _ := v.(map[string]any)
				v = vm[k]
			}
			s, ok := v.(string)
			if !ok {
				continue
			}
			if n := gitlabChars(s); n > f.limit {
				rule.long = append(rule.long, gitlabLongField{
					ptr:   rulePtr + "/" + strings.Join(f.path, "/"),
					field: f.field, length: n, limit: f.limit})
			}
		}
		props, _ := rm["properties"].(map[string]any)
		rule.severitySet = !gitlabBlank(props["security-severity"])
		rule.badKind = gitlabBadSeverity(props)
		out[gitlabRuleKey(id)] = rule // a later rule of the id replaces it, as index_by does
	}
	return out
}

// gitlabOtherVersion is GitLab's verdict on a log of another SARIF
// version than 2.1.0, which its schema validation refuses.
func gitlabOtherVersion(file string) Finding {
	return Finding{File: file, ID: "gitlab/report-fails", Severity: SeverityError,
		Message: "GitLab ingests SARIF 2.1.0 only: it rejects a log of another version whole, ingesting none of it"}
}

// gitlabSchemaError tells whether a finding is one of the SARIF schema,
// which GitLab's validation of the report refuses.
func gitlabSchemaError(f *Finding) bool {
	return f.Severity == SeverityError && (strings.HasPrefix(f.ID, "schema/") || f.ID == "json/number-range" || f.ID == "sarif/version")
}

// log sums up the runs: the limits GitLab applies to the report, each
// reason results are dropped for, and the verdict.
func (g *gitlabCheck) log(st *state, facts *logFacts) {
	root, _ := facts.skeleton.(map[string]any)
	runs, _ := root["runs"].([]any)
	if facts.gzSize > GitLabMaxArtifactSize {
		st.add("", "gitlab/artifact-too-large", SeverityWarning,
			"the gzip-compressed log is %d bytes; GitLab refuses a SARIF report artifact over %d bytes compressed (10 MB) by default, and ingests none of it (an instance setting, ci_max_artifact_size_sarif, that may differ)",
			facts.gzSize, GitLabMaxArtifactSize)
	}
	if n := len(runs); n > GitLabMaxRuns {
		st.add("/runs", "gitlab/too-many-runs", SeverityError,
			"%d runs; GitLab fails a report of more than %d runs and ingests none of it", n, GitLabMaxRuns)
		return
	}
	var schemaErrors int
	var firstSchema *Finding
	for i := range st.findings {
		if f := &st.findings[i]; gitlabSchemaError(f) {
			schemaErrors++
			if firstSchema == nil || comparePointers(f.Pointer, firstSchema.Pointer) < 0 {
				firstSchema = f
			}
		}
	}
	if schemaErrors > 0 {
		at := ""
		if firstSchema.Pointer != "" {
			at = ", the first at " + firstSchema.Pointer
		}
		st.add("", "gitlab/report-fails", SeverityError,
			"the log breaks the SARIF schema (%d error(s)%s); GitLab validates a report against the schema and rejects it whole, ingesting none of it", schemaErrors, at)
		return
	}
	for i, info := range facts.runs {
		if i < len(st.counts) && st.counts[i] > GitLabMaxResultsPerRun {
			st.add(info.ptr+"/results", "gitlab/results-truncated", SeverityWarning,
				"%d results; GitLab reads only the first %d of a run and ignores the rest", st.counts[i], GitLabMaxResultsPerRun)
		}
		if n := len(info.driver.rules); n > GitLabMaxRulesPerRun {
			st.add(info.ptr+"/tool/driver/rules", "gitlab/rules-truncated", SeverityWarning,
				"%d rules; GitLab reads only the first %d of a run's tool.driver", n, GitLabMaxRulesPerRun)
		}
		var tagged int
		var first string
		var firstRule ruleInfo
		for j, r := range info.driver.rules[:min(len(info.driver.rules), GitLabMaxRulesPerRun)] {
			if r.tags > GitLabMaxTagsPerRule {
				if tagged == 0 {
					first, firstRule = info.ptr+"/tool/driver/rules/"+strconv.Itoa(j)+"/properties/tags", r
				}
				tagged++
			}
		}
		switch {
		case tagged == 1:
			st.add(first, "gitlab/tags-truncated", SeverityWarning, "rule %q has %d tags; GitLab keeps only the first %d", firstRule.id, firstRule.tags, GitLabMaxTagsPerRule)
		case tagged > 1:
			st.add(first, "gitlab/tags-truncated", SeverityWarning, "%d rules have more than %d tags; GitLab keeps only the first %d (first here)", tagged, GitLabMaxTagsPerRule, GitLabMaxTagsPerRule)
		}
	}

	var total, droppedN, badSeverity int
	var firsts []string
	type reasonCount struct{ noRuleID, long, noLocation int }
	var reasons reasonCount
	var drops, severities []Finding
	drop := func(ptr, id, format string, args ...any) {
		drops = append(drops, Finding{File: st.file, Pointer: ptr, ID: id, Severity: SeverityWarning, Message: fmt.Sprintf(format, args...)})
	}
	for i, r := range g.runs {
		if r == nil || i >= len(runs) {
			continue
		}
		runPtr := "/runs/" + strconv.Itoa(i)
		rm, _ := runs[i].(map[string]any)
		rules := gitlabRules(rm, runPtr)
		total += r.counted
		var runDropped dropped
		if r.noRuleID.n > 0 {
			reasons.noRuleID += r.noRuleID.n
			runDropped.merge(r.noRuleID)
			drop(resultPointer(i, int(r.noRuleID.first[0])), "gitlab/result-dropped-no-rule-id",
				"GitLab drops %s: no ruleId (nor rule.id; GitLab does not look a rule up by index)%s", gitlabResults(r.noRuleID), firstHere(r.noRuleID))
		}
		if r.longMessage.n > 0 {
			reasons.long += r.longMessage.n
			runDropped.merge(r.longMessage)
			drop(resultPointer(i, int(r.longMessage.first[0]))+"/message", "gitlab/message-too-long",
				"GitLab drops %s: a message longer than %d characters, GitLab's limit%s", gitlabResults(r.longMessage), GitLabMaxMessageChars, firstHere(r.longMessage))
		}
		var unlocated, badResults dropped
		badResultKind := ""
		var longRules []gitlabLongField
		longResults := map[string]int{}
		for k, rr := range r.byRule {
			rule := rules[k]
			if rule != nil && len(rule.long) > 0 {
				n := rr.located.n + rr.unlocated.n
				reasons.long += n
				runDropped.merge(rr.located)
				runDropped.merge(rr.unlocated)
				for _, f := range rule.long {
					longRules = append(longRules, f)
					longResults[f.ptr] = n
				}
				continue
			}
			unlocated.merge(rr.unlocated)
			switch {
			case rule != nil && rule.severitySet:
				if rule.badKind != "" && rr.severityRead > 0 {
					badSeverity += rr.severityRead
					severities = append(severities, Finding{File: st.file, Pointer: rule.severityPtr, ID: "gitlab/invalid-security-severity", Severity: SeverityError,
						Message: fmt.Sprintf("security-severity is %s, which GitLab's parser cannot read as a number (Ruby's to_f): reading the severity of the %d result(s) of this rule, it fails the whole report (\"SARIF security report parsing failed\")", rule.badKind, rr.severityRead)})
				}
			case rr.badSeverity.n > 0:
				badSeverity += rr.badSeverity.n
				if badResults.n == 0 || rr.badSeverity.first[0] < badResults.first[0] {
					badResultKind = rr.badKind
				}
				badResults.merge(rr.badSeverity)
			}
		}
		if badResults.n > 0 {
			what := "a security-severity that is " + badResultKind
			if badResults.n > 1 {
				what = "a security-severity that is true, an array or an object"
			}
			severities = append(severities, Finding{File: st.file, Pointer: resultPointer(i, int(badResults.first[0])) + "/properties/security-severity", ID: "gitlab/invalid-security-severity", Severity: SeverityError,
				Message: fmt.Sprintf("%s %s (and no security-severity of %s rule), which GitLab's parser cannot read as a number (Ruby's to_f): it fails the whole report (\"SARIF security report parsing failed\")%s",
					gitlabResults(badResults), gitlabHave(badResults, what), gitlabTheir(badResults), firstHere(badResults))})
		}
		slices.SortFunc(longRules, func(a, b gitlabLongField) int { return comparePointers(a.ptr, b.ptr) })
		for _, f := range longRules {
			drop(f.ptr, "gitlab/rule-field-too-long",
				"%d characters, over GitLab's limit of %d for %s: GitLab drops the %d result(s) of this rule",
				f.length, f.limit, f.field, longResults[f.ptr])
		}
		if unlocated.n > 0 {
			reasons.noLocation += unlocated.n
			runDropped.merge(unlocated)
			drop(resultPointer(i, int(unlocated.first[0])), "gitlab/result-dropped-no-location",
				"GitLab drops %s: no physicalLocation in the first location (locations[0]; GitLab reads no other)%s", gitlabResults(unlocated), firstHere(unlocated))
		}
		droppedN += runDropped.n
		for _, idx := range runDropped.first {
			if len(firsts) < gitlabMaxPointers {
				firsts = append(firsts, resultPointer(i, int(idx)))
			}
		}
	}
	if badSeverity > 0 {
		// GitLab fails on the first: what it would drop does not matter.
		st.findings = append(st.findings, severities...)
		st.add("", "gitlab/report-fails", SeverityError,
			"GitLab's parser fails on the security-severity of %d result(s) (true, an array or an object, which Ruby's to_f cannot read): GitLab fails the report (\"SARIF security report parsing failed\") and ingests none of it", badSeverity)
		return
	}
	st.findings = append(st.findings, drops...)
	if droppedN == 0 {
		return
	}
	var causes []string
	for _, c := range []struct {
		n    int
		what string
	}{{reasons.noRuleID, "no ruleId"}, {reasons.long, "a text field over its limit"}, {reasons.noLocation, "no physicalLocation"}} {
		if c.n > 0 {
			causes = append(causes, c.what+" ("+strconv.Itoa(c.n)+")")
		}
	}
	more := ""
	if droppedN > len(firsts) {
		more = ", ..."
	}
	head := strconv.Itoa(droppedN) + " of " + strconv.Itoa(total) + " result(s) (" + gitlabPercent(droppedN, total) + ") would be dropped by GitLab's SARIF ingestion: " +
		strings.Join(causes, ", ") + " (first at " + strings.Join(firsts, ", ") + more + ")"
	// "More than half": dropped/total > 0.5, INGESTION_FAILURE_THRESHOLD
	// compared with > in add_ingestion_feedback; exactly half is a warning.
	if 2*droppedN > total {
		st.add("", "gitlab/report-fails", SeverityError, "%s; more than half: GitLab fails the report and ingests none of it", head)
		return
	}
	st.add("", "gitlab/results-dropped", SeverityWarning, "%s; half or fewer: GitLab ingests the rest with a warning", head)
}

// gitlabHave says "has" of one result, "have" of several, then what.
func gitlabHave(d dropped, what string) string {
	if d.n == 1 {
		return "has " + what
	}
	return "have " + what
}

// gitlabTheir says "its" of one result, "their" of several.
func gitlabTheir(d dropped) string {
	if d.n == 1 {
		return "its"
	}
	return "their"
}

// gitlabResults says "1 result" or "N results".
func gitlabResults(d dropped) string {
	if d.n == 1 {
		return "1 result"
	}
	return strconv.Itoa(d.n) + " results"
}

// firstHere says, of several results, that the finding is at the first.
func firstHere(d dropped) string {
	if d.n == 1 {
		return ""
	}
	return " (first here)"
}

// gitlabPercent writes n/total as a percentage with at most one decimal,
// rounded to the nearest ("50%", "33.3%", "66.7%"), as GitLab writes the
// share in its warning; a share that would round to the 50% line or to
// 100% without being it reads "over 50%", "under 50%" or "under 100%",
// and one that would read 0% "under 0.1%".
func gitlabPercent(n, total int) string {
	tenths := (2*n*1000 + total) / (2 * total)
	switch {
	case tenths == 500 && 2*n > total:
		return "over 50%"
	case tenths == 500 && 2*n < total:
		return "under 50%"
	case tenths == 1000 && n < total:
		return "under 100%"
	case tenths == 0 && n > 0:
		return "under 0.1%"
	}
	s := strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
	return strings.TrimSuffix(s, ".0") + "%"
}
