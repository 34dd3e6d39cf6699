package schema

import (
	"crypto/sha256"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// GitLab's SARIF ingestion (Gitlab::Security::Parsers::Sarif, behind the
// sarif_ingestion feature flag from GitLab 18.11): the limits it applies
// to a report. Documented at
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
	// fullDescription.text or helpUri, is longer is dropped.
	GitLabMaxRuleNameChars         = 255
	GitLabMaxShortDescriptionChars = 1024
	GitLabMaxFullDescriptionChars  = 2048
	GitLabMaxMessageChars          = 2048
	GitLabMaxHelpURIChars          = 2048
)

// gitlabMaxPointers is how many pointers of dropped results the verdict
// names.
const gitlabMaxPointers = 5

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
// A log that fails the schema, or is of another SARIF version, GitLab
// rejects whole: those are errors of the validation already.
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

// gitlabSuppressed tells whether GitLab skips a result as suppressed: it
// has suppressions and none is underReview or rejected (the parser's
// suppressed?).
func gitlabSuppressed(m map[string]any) bool {
	sups, _ := m["suppressions"].([]any)
	if len(sups) == 0 {
		return false
	}
	for _, s := range sups {
		sm, _ := s.(map[string]any)
		if st, _ := sm["status"].(string); st == "underReview" || st == "rejected" {
			return false
		}
	}
	return true
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
	return len(s) > GitLabMaxMessageChars && utf8.RuneCountInString(s) > GitLabMaxMessageChars
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

// gitlabRules reads a run's tool.driver rules as GitLab indexes them: the
// first GitLabMaxRulesPerRun, by id, a later rule of an id replacing an
// earlier one; for each id, the fields over their limits (none: absent).
func gitlabRules(run map[string]any, runPtr string) map[string][]gitlabLongField {
	tool, _ := run["tool"].(map[string]any)
	driver, _ := tool["driver"].(map[string]any)
	rules, _ := driver["rules"].([]any)
	out := map[string][]gitlabLongField{}
	fields := gitlabRuleFields()
	for i, r := range rules[:min(len(rules), GitLabMaxRulesPerRun)] {
		rm, _ := r.(map[string]any)
		id, ok := rm["id"].(string)
		if !ok {
			continue
		}
		var long []gitlabLongField
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
			if n := utf8.RuneCountInString(s); n > f.limit {
				long = append(long, gitlabLongField{
					ptr:   runPtr + "/tool/driver/rules/" + strconv.Itoa(i) + "/" + strings.Join(f.path, "/"),
					field: f.field, length: n, limit: f.limit})
			}
		}
		out[gitlabRuleKey(id)] = long // a later rule of the id replaces it, as index_by does
	}
	return out
}

// log sums up the runs: the limits GitLab applies to the report, each
// reason results are dropped for, and the verdict.
func (g *gitlabCheck) log(st *state, facts *logFacts) {
	root, _ := facts.skeleton.(map[string]any)
	runs, _ := root["runs"].([]any)
	if n := len(runs); n > GitLabMaxRuns {
		st.add("/runs", "gitlab/too-many-runs", SeverityError,
			"%d runs; GitLab fails a report of more than %d runs and ingests none of it", n, GitLabMaxRuns)
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
		for j, r := range info.driver.rules[:min(len(info.driver.rules), GitLabMaxRulesPerRun)] {
			if r.tags > GitLabMaxTagsPerRule {
				st.agg.add(int32Of(i), "gitlab/tags-truncated", SeverityWarning,
					info.ptr+"/tool/driver/rules/"+strconv.Itoa(j)+"/properties/tags",
					"rules have more than "+strconv.Itoa(GitLabMaxTagsPerRule)+" tags; GitLab keeps only the first "+strconv.Itoa(GitLabMaxTagsPerRule))
			}
		}
	}

	var total, droppedN int
	var firsts []string
	type reasonCount struct{ noRuleID, long, noLocation int }
	var reasons reasonCount
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
			st.add(resultPointer(i, int(r.noRuleID.first[0])), "gitlab/result-dropped-no-rule-id", SeverityWarning,
				"GitLab drops %s: no ruleId (nor rule.id; GitLab does not look a rule up by index)%s", gitlabResults(r.noRuleID), firstHere(r.noRuleID))
		}
		if r.longMessage.n > 0 {
			reasons.long += r.longMessage.n
			runDropped.merge(r.longMessage)
			st.add(resultPointer(i, int(r.longMessage.first[0]))+"/message", "gitlab/field-too-long", SeverityWarning,
				"GitLab drops %s: a message longer than %d characters, GitLab's limit%s", gitlabResults(r.longMessage), GitLabMaxMessageChars, firstHere(r.longMessage))
		}
		var unlocated dropped
		var longRules []gitlabLongField
		longResults := map[string]int{}
		for k, rr := range r.byRule {
			if long := rules[k]; len(long) > 0 {
				n := rr.located.n + rr.unlocated.n
				reasons.long += n
				runDropped.merge(rr.located)
				runDropped.merge(rr.unlocated)
				for _, f := range long {
					longRules = append(longRules, f)
					longResults[f.ptr] = n
				}
				continue
			}
			unlocated.merge(rr.unlocated)
		}
		slices.SortFunc(longRules, func(a, b gitlabLongField) int { return comparePointers(a.ptr, b.ptr) })
		for _, f := range longRules {
			st.add(f.ptr, "gitlab/field-too-long", SeverityWarning,
				"%d characters, over GitLab's limit of %d for %s: GitLab drops the %d result(s) of this rule",
				f.length, f.limit, f.field, longResults[f.ptr])
		}
		if unlocated.n > 0 {
			reasons.noLocation += unlocated.n
			runDropped.merge(unlocated)
			st.add(resultPointer(i, int(unlocated.first[0])), "gitlab/result-dropped-no-location", SeverityWarning,
				"GitLab drops %s: no physicalLocation in the first location (locations[0]; GitLab reads no other)%s", gitlabResults(unlocated), firstHere(unlocated))
		}
		droppedN += runDropped.n
		for _, idx := range runDropped.first {
			if len(firsts) < gitlabMaxPointers {
				firsts = append(firsts, resultPointer(i, int(idx)))
			}
		}
	}
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
// rounded down ("50%", "33.3%"); a share over half that would read as 50%
// (5001 of 10001) reads "over 50%", and one that would read 0% "under
// 0.1%".
func gitlabPercent(n, total int) string {
	tenths := n * 1000 / total
	switch {
	case tenths == 500 && 2*n > total:
		return "over 50%"
	case tenths == 0 && n > 0:
		return "under 0.1%"
	}
	s := strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
	return strings.TrimSuffix(s, ".0") + "%"
}
