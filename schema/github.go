package schema

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/sarif"
)

// GitHub code scanning's upload limits: an upload over a maximum is
// rejected; above the "kept" number GitHub accepts the upload but keeps
// or shows only that many.
const (
	GitHubMaxRuns                       = 20
	GitHubMaxResultsPerRun              = 25000
	GitHubShownResultsPerRun            = 5000
	GitHubMaxRulesPerRun                = 25000
	GitHubMaxExtensionsPerRun           = 100
	GitHubMaxThreadFlowLocations        = 10000
	GitHubKeptThreadFlowLocations       = 1000
	GitHubMaxLocationsPerResult         = 1000
	GitHubKeptLocationsPerResult        = 100
	GitHubMaxTagsPerRule                = 20
	GitHubKeptTagsPerRule               = 10
	GitHubMaxGzipSize             int64 = 10_000_000 // "10 MB"; the smaller reading of the documentation
)

// githubResultChecks checks one result against the per-result limits.
func githubResultChecks(result any, ptr, file string) []Finding {
	m, ok := result.(map[string]any)
	if !ok {
		return nil
	}
	var out []Finding
	add := func(p, id string, sev Severity, format string, args ...any) {
		out = append(out, Finding{File: file, Pointer: p, ID: id, Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	if locs, ok := m["locations"].([]any); ok {
		switch n := len(locs); {
		case n > GitHubMaxLocationsPerResult:
			add(ptr+"/locations", "github/too-many-locations", SeverityError, "%d locations; GitHub rejects more than %d per result", n, GitHubMaxLocationsPerResult)
		case n > GitHubKeptLocationsPerResult:
			add(ptr+"/locations", "github/locations-truncated", SeverityWarning, "%d locations; GitHub keeps only the first %d", n, GitHubKeptLocationsPerResult)
		}
	}
	n := 0
	flows, _ := m["codeFlows"].([]any)
	for _, f := range flows {
		fm, _ := f.(map[string]any)
		tfs, _ := fm["threadFlows"].([]any)
		for _, tf := range tfs {
			tfm, _ := tf.(map[string]any)
			locs, _ := tfm["locations"].([]any)
			n += len(locs)
		}
	}
	switch {
	case n > GitHubMaxThreadFlowLocations:
		add(ptr+"/codeFlows", "github/too-many-thread-flow-locations", SeverityError, "%d thread flow locations; GitHub rejects more than %d per result", n, GitHubMaxThreadFlowLocations)
	case n > GitHubKeptThreadFlowLocations:
		add(ptr+"/codeFlows", "github/thread-flow-locations-truncated", SeverityWarning, "%d thread flow locations; GitHub keeps only %d", n, GitHubKeptThreadFlowLocations)
	}
	return out
}

// checkGitHub checks the log-level and run-level limits and rules of
// GitHub code scanning.
func (st *state) checkGitHub(runs []runInfo, gzSize int64) {
	if n := len(runs); n > GitHubMaxRuns {
		st.add("/runs", "github/too-many-runs", SeverityError, "%d runs; GitHub rejects more than %d runs in one upload", n, GitHubMaxRuns)
	}
	if gzSize > GitHubMaxGzipSize {
		st.add("", "github/too-large", SeverityError, "the gzip-compressed log is %d bytes; GitHub rejects uploads over %d bytes (10 MB)", gzSize, GitHubMaxGzipSize)
	}
	firstRun := map[sarif.RunKey]int{}
	for i := range runs {
		run := &runs[i]
		if j, dup := firstRun[run.key]; dup {
			st.add(run.ptr, "github/duplicate-category", SeverityError,
				"runs %d and %d are one run to GitHub (%v): GitHub rejects an upload with two runs of one tool (name, fullName, version, semanticVersion, guid) and automationDetails.id; merge them into one run or give them distinct automationDetails.id",
				j, i, run.key)
		} else {
			firstRun[run.key] = i
		}
		count := 0
		if i < len(st.counts) {
			count = st.counts[i]
		}
		switch {
		case count > GitHubMaxResultsPerRun:
			st.add(run.ptr+"/results", "github/too-many-results", SeverityError, "%d results; GitHub rejects more than %d per run", count, GitHubMaxResultsPerRun)
		case count > GitHubShownResultsPerRun:
			st.add(run.ptr+"/results", "github/results-truncated", SeverityWarning, "%d results; GitHub shows only the top %d by severity", count, GitHubShownResultsPerRun)
		}
		rules := len(run.driver.rules)
		for _, e := range run.extensions {
			rules += len(e.rules)
		}
		if rules > GitHubMaxRulesPerRun {
			st.add(run.ptr+"/tool/driver/rules", "github/too-many-rules", SeverityError, "%d rules; GitHub rejects more than %d per run", rules, GitHubMaxRulesPerRun)
		}
		if n := len(run.extensions); n > GitHubMaxExtensionsPerRun {
			st.add(run.ptr+"/tool/extensions", "github/too-many-extensions", SeverityError, "%d tool extensions; GitHub rejects more than %d per run", n, GitHubMaxExtensionsPerRun)
		}
		st.checkTags(run.driver, run.ptr+"/tool/driver")
		for j, e := range run.extensions {
			st.checkTags(e, run.ptr+"/tool/extensions/"+strconv.Itoa(j))
		}
	}
}

// checkRunShapes checks that the log has an array of runs, and what the
// upload needs of every run: an array of results (the upload action
// counts them and refuses a run without one, "Missing 'results' array in
// run", although the schema lets a run leave results out when the tool
// did not run; null is a schema error already), and rules whose security
// severity GitHub can read.
func (st *state) checkRunShapes(skeleton any, runs []runInfo) {
	if root, ok := skeleton.(map[string]any); ok {
		if v, present := root["runs"]; present && v == nil {
			st.add("/runs", "github/missing-runs", SeverityError,
				"runs is null; GitHub's upload action refuses a log without a runs array (\"Missing 'runs' array\")")
		}
	}
	for i := range runs {
		run := &runs[i]
		if !run.results {
			st.add(run.ptr, "github/missing-results", SeverityError,
				"the run has no results array; GitHub's upload action refuses such a log (\"Missing 'results' array in run\"): give the run \"results\": [] when the tool found nothing")
		}
		st.checkSecuritySeverity(int32Of(i), run.driver, run.ptr+"/tool/driver")
		for j, e := range run.extensions {
			st.checkSecuritySeverity(int32Of(i), e, run.ptr+"/tool/extensions/"+strconv.Itoa(j))
		}
	}
}

// securitySeverity is what GitHub makes of a rule's
// properties["security-severity"]: documented as a string holding a
// number from 0.0 to 10.0. GitHub's processing fails on a value it cannot
// read as a number ("could not convert rules: invalid security severity
// value, is not a number"), null included, and rejects the upload.
type securitySeverity uint8

const (
	severityOK         securitySeverity = iota // absent, or a string holding a number from 0 to 10
	severityNotANumber                         // anything GitHub cannot read as a number
	severityJSONNumber                         // a JSON number where GitHub documents a string
	severityOutOfRange                         // a number outside 0.0 to 10.0
)

// readSecuritySeverity reads a rule's properties["security-severity"].
func readSecuritySeverity(props map[string]any) securitySeverity {
	v, present := props["security-severity"]
	if !present {
		return severityOK
	}
	var f float64
	switch v := v.(type) {
	case string:
		var err error
		if f, err = strconv.ParseFloat(v, 64); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return severityNotANumber
		}
	case json.Number:
		return severityJSONNumber
	default:
		return severityNotANumber
	}
	if f < 0 || f > 10 {
		return severityOutOfRange
	}
	return severityOK
}

// checkSecuritySeverity checks the security severity of a tool
// component's rules, in run number run. A tool that writes a value
// GitHub cannot read usually writes it on many rules (Snyk's null): one
// finding a run, with the count and the first.
func (st *state) checkSecuritySeverity(run int32, c componentInfo, ptr string) {
	for i, r := range c.rules {
		p := ptr + "/rules/" + strconv.Itoa(i) + "/properties/security-severity"
		switch r.severity {
		case severityNotANumber:
			st.agg.add(run, "github/security-severity-not-a-number", SeverityError, p,
				"rules have a security-severity that is not a number in a string (such as \"7.5\"); GitHub's processing fails on such a value (\"invalid security severity value, is not a number\") and rejects the upload")
		case severityJSONNumber:
			st.agg.add(run, "github/security-severity-not-a-string", SeverityWarning, p,
				"rules have a security-severity that is a JSON number; GitHub documents a string holding the number (\"7.5\")")
		case severityOutOfRange:
			st.agg.add(run, "github/security-severity-out-of-range", SeverityWarning, p,
				"rules have a security-severity outside 0.0 to 10.0, the range GitHub documents (critical from 9.0, high from 7.0, medium from 4.0, low above 0)")
		}
	}
}

func (st *state) checkTags(c componentInfo, ptr string) {
	for i, r := range c.rules {
		p := ptr + "/rules/" + strconv.Itoa(i) + "/properties/tags"
		switch {
		case r.tags > GitHubMaxTagsPerRule:
			st.add(p, "github/too-many-tags", SeverityError, "rule %q has %d tags; GitHub rejects more than %d", r.id, r.tags, GitHubMaxTagsPerRule)
		case r.tags > GitHubKeptTagsPerRule:
			st.add(p, "github/tags-truncated", SeverityWarning, "rule %q has %d tags; GitHub keeps only %d", r.id, r.tags, GitHubKeptTagsPerRule)
		}
	}
}

// githubAccepted tells whether a finding of the standard's rules is one
// that GitHub's upload does not check: the upload action validates
// against the schema alone, and GitHub's processing takes a region that
// ends before it starts, and a result whose rule or artifact references
// disagree (it reads ruleId, and the location's own uri).
func githubAccepted(id string) bool {
	switch id {
	case "region/end-line-before-start-line", "region/end-column-before-start-column",
		"ref/rule-index-mismatch", "ref/rule-id-mismatch", "ref/rule-reference-id-mismatch", "ref/artifact-uri-mismatch":
		return true
	}
	return false
}

// markAccepted weighs each finding of the standard's rules that a
// consumer accepts (see [Profile] accepts) against the profiles on, so
// that a defect of the standard is told from what a consumer refuses:
// without profiles, an error that says GitHub's upload accepts it; when
// every selected profile accepts it, a warning whose verdict is theirs,
// saying which accept it; when one does not, an error that says which
// accept it and which do not.
func (st *state) markAccepted() {
	for i := range st.findings {
		f := &st.findings[i]
		if f.Severity != SeverityError || !githubAccepted(f.ID) && !gitlabAccepted(f.ID) {
			continue
		}
		f.GitHubAccepts = githubAccepted(f.ID)
		if len(st.profiles) == 0 {
			if f.GitHubAccepts {
				f.Message += "; an error of the SARIF standard, which GitHub's upload accepts"
			}
			continue
		}
		var accept, reject []string
		for _, p := range st.profiles {
			if p.accepts(f.ID) {
				accept = append(accept, p.title())
				f.GitLabAccepts = f.GitLabAccepts || p == ProfileGitLab
			} else {
				reject = append(reject, p.title())
			}
		}
		switch {
		case len(accept) == 0:
			// An error for every consumer on: nothing to add.
		case len(reject) > 0:
			f.Message += "; " + strings.Join(accept, " and ") + " " + acceptVerb(accept) + " it, " + strings.Join(reject, " and ") + " does not"
		case len(accept) == 1 && accept[0] == "GitHub":
			f.Severity = SeverityWarning
			f.Message += "; GitHub accepts it (an error of the SARIF standard, not an upload blocker)"
		case len(accept) == 1:
			f.Severity = SeverityWarning
			f.Message += "; " + accept[0] + " accepts it (an error of the SARIF standard, which " + accept[0] + " does not check)"
		default:
			f.Severity = SeverityWarning
			f.Message += "; " + strings.Join(accept, " and ") + " accept it (an error of the SARIF standard that blocks neither)"
		}
	}
}

// acceptVerb agrees with the consumers named.
func acceptVerb(names []string) string {
	if len(names) == 1 {
		return "accepts"
	}
	return "accept"
}

// locationProblem is what keeps GitHub from placing a result: the first
// piece missing from its primary location. GitHub uses only the first
// element of locations ("Only the first value of this array is used",
// GitHub's SARIF support documentation) and its processing fails on a
// result without one ("locationFromSarifResult: expected at least one
// location", github/codeql-action#1738) or without an artifact URI
// ("expected artifact location", microsoft/sarif-sdk#2704): the whole
// upload is rejected.
type locationProblem uint8

const (
	locationOK locationProblem = iota
	noLocations
	noPhysicalLocation
	noArtifactLocation
	noArtifactURI
)

// pointer is where the problem is, below the result's pointer.
func (p locationProblem) pointer() string {
	return [...]string{"", "", "/locations/0", "/locations/0/physicalLocation", "/locations/0/physicalLocation/artifactLocation"}[p]
}

// startLineProblem is why GitHub cannot show a result on a line: its
// primary location has no region, or a region without startLine (GitHub
// documents region.startLine as required; Multitool GH1003).
type startLineProblem uint8

const (
	startLineOK startLineProblem = iota
	noRegion
	noStartLine
)

func (p startLineProblem) pointer() string {
	return [...]string{"", "/locations/0/physicalLocation", "/locations/0/physicalLocation/region"}[p]
}

// primaryLocation reads a result's locations[0] as GitHub does. When the
// location gives no uri but an artifact index, the URI is that artifact's,
// known only with the run: artifact is that index, else -1.
func primaryLocation(result map[string]any) (p locationProblem, artifact int, s startLineProblem) {
	locs, _ := result["locations"].([]any)
	if len(locs) == 0 {
		return noLocations, -1, startLineOK
	}
	loc, _ := locs[0].(map[string]any)
	pl, ok := loc["physicalLocation"].(map[string]any)
	if !ok {
		return noPhysicalLocation, -1, startLineOK
	}
	if region, ok := pl["region"].(map[string]any); !ok {
		s = noRegion
	} else if _, ok := region["startLine"]; !ok {
		s = noStartLine
	}
	al, ok := pl["artifactLocation"].(map[string]any)
	if !ok {
		return noArtifactLocation, -1, s
	}
	if uri, _ := al["uri"].(string); uri != "" {
		return locationOK, -1, s
	}
	if i := intOr(al["index"], -1); i >= 0 {
		return locationOK, i, s
	}
	return noArtifactURI, -1, s
}

// checkoutPrefix is a checkout URI ending in "/", or "" for none.
func checkoutPrefix(checkoutURI string) string {
	if checkoutURI == "" {
		return ""
	}
	return strings.TrimSuffix(checkoutURI, "/") + "/"
}

// checkResult reports what GitHub cannot take of a result: a missing
// rule id, a primary location without a file or a line, a message without
// text, and artifact URIs that GitHub cannot map into the repository.
func (st *state) checkResult(r *resultRefs, runs []runInfo, checkout string) {
	agg := st.agg
	run := &runs[r.run]
	ptr := r.pointer()
	if run.rules.RuleID(r.ruleRef()) == "" {
		st.add(ptr, "github/missing-rule-id", SeverityError, "the result has no ruleId (nor a rule reference that resolves to one); GitHub needs it to track the alert")
	}
	primary := r.primary
	if i := int(r.primaryArtifact); i >= 0 && (i >= len(run.artifacts) || run.artifacts[i].uri == "") {
		primary = noArtifactURI
	}
	if primary != locationOK {
		agg.add(r.run, "github/no-location", SeverityError, ptr+primary.pointer(),
			"results have no artifact URI in their first location (locations[0].physicalLocation.artifactLocation.uri); "+
				"GitHub's processing fails on such a result and rejects the upload")
	}
	if r.noStartLine != startLineOK {
		agg.add(r.run, "github/region-without-start-line", SeverityWarning, ptr+r.noStartLine.pointer(),
			"results have no region.startLine in their first location; GitHub cannot show them on a line")
	}
	if r.noMessageText {
		agg.add(r.run, "github/message-without-text", SeverityError, ptr+"/message",
			"result messages have no text; GitHub does not look message strings up by id: its processing fails (\"expected a result message\") and rejects the upload")
	}
	for _, a := range r.artifacts {
		if a.uri == "" {
			continue
		}
		switch st.classifyURI(r.run, run, a, checkout) {
		case uriRelative, uriInCheckout:
		case uriNotFile:
			if !a.shown {
				break
			}
			if checkout != "" {
				agg.add(r.run, "github/non-file-uri", SeverityError, ptr+a.at+"/uri",
					"result locations have URIs whose scheme is not file; GitHub's processing fails on them (\"SARIF URI scheme ... did not match the checkout URI scheme file\") and rejects the upload")
			} else {
				agg.add(r.run, "github/non-file-uri", SeverityWarning, ptr+a.at+"/uri",
					"result locations have URIs whose scheme is not file; GitHub cannot show them, and its processing fails on them when the upload gives a checkout_uri (as the upload action always does)")
			}
		case uriAbsolute:
			agg.add(r.run, "github/absolute-uri", SeverityWarning, ptr+a.at+"/uri",
				"artifact URIs are absolute file URIs; GitHub maps them into the repository only under the upload's checkout_uri (give it to check them)")
		case uriOutsideCheckout:
			agg.add(r.run, "github/uri-outside-checkout", SeverityWarning, ptr+a.at+"/uri",
				"artifact URIs are absolute file URIs outside the checkout "+strconv.Quote(checkout)+
					"; GitHub accepts the upload and keeps them as they are, but cannot show them as repository files")
		case uriBaseIgnored:
			agg.add(r.run, "github/uri-base-ignored", SeverityWarning, ptr+a.at+"/uriBaseId",
				"artifact URIs are relative to a uriBaseId that originalUriBaseIds puts elsewhere than the checkout "+strconv.Quote(checkout)+
					"; GitHub ignores originalUriBaseIds and takes them relative to the checkout, which may name other files")
		}
	}
}

// uriClass is what the GitHub checks make of an artifact URI.
type uriClass uint8

const (
	uriRelative        uriClass = iota // no scheme: relative to the checkout
	uriNotFile                         // a scheme other than file
	uriAbsolute                        // an absolute file URI, and no checkout to judge it by
	uriOutsideCheckout                 // an absolute file URI outside the checkout
	uriInCheckout                      // an absolute file URI in the checkout
	// uriBaseIgnored: a relative URI whose uriBaseId the run's
	// originalUriBaseIds resolve to another file than the one at that path
	// in the checkout, where GitHub takes it.
	uriBaseIgnored
)

// uriClassKey is what the class of a URI depends on, within a
// validation.
type uriClassKey struct {
	run            int32
	uri, uriBaseID string
}

// maxURIClasses bounds state.uriClasses.
const maxURIClasses = 1 << 16

// classifyURI says what an artifact location's URI is to GitHub. Code
// scanning reads the URI as it is written: it does not resolve uriBaseId
// through the run's originalUriBaseIds, and takes a relative URI relative
// to the checkout (as the upload action's fingerprinting does, and GitHub
// documents for relative URIs); a relative URI is therefore never outside
// the checkout, but with a checkout to compare with, one whose base the
// log puts elsewhere is told apart (uriBaseIgnored). Results share files,
// and parsing a URI is the costliest part of the GitHub checks, so the
// answers are kept (up to maxURIClasses of them).
func (st *state) classifyURI(runIndex int32, run *runInfo, a artifactRef, checkout string) uriClass {
	k := uriClassKey{runIndex, a.uri, a.uriBaseID}
	if c, ok := st.uriClasses[k]; ok {
		return c
	}
	uri := a.uri
	var c uriClass
	switch scheme := sarif.Scheme(uri); {
	case scheme == "":
		c = uriRelative
		if a.uriBaseID != "" && checkout != "" && !baseIsCheckout(run, a, checkout) {
			c = uriBaseIgnored
		}
	case scheme != "file":
		c = uriNotFile
	case checkout == "":
		c = uriAbsolute
	case !underCheckout(uri, checkout):
		c = uriOutsideCheckout
	default:
		c = uriInCheckout
	}
	if st.uriClasses == nil {
		st.uriClasses = map[uriClassKey]uriClass{}
	}
	if len(st.uriClasses) < maxURIClasses {
		st.uriClasses[k] = c
	}
	return c
}

// gzipCounter compresses what is written to it on another goroutine and
// counts the compressed bytes, so that measuring GitHub's gzip size limit
// costs little parse time.
type gzipCounter struct {
	ch   chan []byte
	done chan int64
}

func newGzipCounter() *gzipCounter {
	g := &gzipCounter{ch: make(chan []byte, 64), done: make(chan int64)}
	go func() {
		var c countWriter
		zw := gzip.NewWriter(&c)
		for b := range g.ch {
			zw.Write(b)
		}
		zw.Close()
		g.done <- c.n
	}()
	return g
}

func (g *gzipCounter) Write(p []byte) (int, error) {
	g.ch <- append([]byte(nil), p...)
	return len(p), nil
}

// Close flushes the compressor and returns the compressed size.
func (g *gzipCounter) Close() int64 {
	close(g.ch)
	return <-g.done
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// baseIsCheckout tells whether a relative URI with a uriBaseId names the
// same file resolved through the run's originalUriBaseIds as GitHub makes
// of it, relative to the checkout; a base the run does not define, or
// defines relative to nothing, says nothing else and counts as the
// checkout.
func baseIsCheckout(run *runInfo, a artifactRef, checkout string) bool {
	resolved := run.arts.Resolve(a.uri, a.uriBaseID)
	if sarif.Scheme(resolved) != "file" {
		return true
	}
	return sarif.NormalizeURI(resolved) == sarif.NormalizeURI(checkout+a.uri)
}

// underCheckout tells whether a file: URI names a file under the checkout
// (a file: URI): compared as paths, so that percent-encoding and the case
// of a Windows drive letter do not matter.
func underCheckout(uri, checkout string) bool {
	_, ok := sarif.RelativePath(uri, checkout)
	return ok
}
