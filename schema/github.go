package schema

import (
	"compress/gzip"
	"fmt"
	"net/url"
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
			add(ptr+"/locations", "github/too-many-locations", Error, "%d locations; GitHub rejects more than %d per result", n, GitHubMaxLocationsPerResult)
		case n > GitHubKeptLocationsPerResult:
			add(ptr+"/locations", "github/locations-truncated", Warning, "%d locations; GitHub keeps only the first %d", n, GitHubKeptLocationsPerResult)
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
		add(ptr+"/codeFlows", "github/too-many-thread-flow-locations", Error, "%d thread flow locations; GitHub rejects more than %d per result", n, GitHubMaxThreadFlowLocations)
	case n > GitHubKeptThreadFlowLocations:
		add(ptr+"/codeFlows", "github/thread-flow-locations-truncated", Warning, "%d thread flow locations; GitHub keeps only %d", n, GitHubKeptThreadFlowLocations)
	}
	return out
}

// checkGitHub checks the log-level and run-level limits and rules of
// GitHub code scanning.
func (st *state) checkGitHub(runs []runInfo, gzSize int64, checkoutURI string) {
	if n := len(runs); n > GitHubMaxRuns {
		st.add("/runs", "github/too-many-runs", Error, "%d runs; GitHub rejects more than %d runs in one upload", n, GitHubMaxRuns)
	}
	if gzSize > GitHubMaxGzipSize {
		st.add("", "github/too-large", Error, "the gzip-compressed log is %d bytes; GitHub rejects uploads over %d bytes (10 MB)", gzSize, GitHubMaxGzipSize)
	}
	type key struct{ tool, category string }
	firstRun := map[key]int{}
	for i := range runs {
		run := &runs[i]
		k := key{run.tool, run.category}
		if j, dup := firstRun[k]; dup {
			st.add(run.ptr, "github/duplicate-category", Error,
				"runs %d and %d have the same tool %q and category %q; GitHub rejects such an upload: merge them (sarif-merge) or give them distinct automationDetails.id categories",
				j, i, run.tool, run.category)
		} else {
			firstRun[k] = i
		}
		count := 0
		if i < len(st.counts) {
			count = st.counts[i]
		}
		switch {
		case count > GitHubMaxResultsPerRun:
			st.add(run.ptr+"/results", "github/too-many-results", Error, "%d results; GitHub rejects more than %d per run", count, GitHubMaxResultsPerRun)
		case count > GitHubShownResultsPerRun:
			st.add(run.ptr+"/results", "github/results-truncated", Warning, "%d results; GitHub shows only the top %d by severity", count, GitHubShownResultsPerRun)
		}
		rules := len(run.driver.rules)
		for _, e := range run.extensions {
			rules += len(e.rules)
		}
		if rules > GitHubMaxRulesPerRun {
			st.add(run.ptr+"/tool/driver/rules", "github/too-many-rules", Error, "%d rules; GitHub rejects more than %d per run", rules, GitHubMaxRulesPerRun)
		}
		if n := len(run.extensions); n > GitHubMaxExtensionsPerRun {
			st.add(run.ptr+"/tool/extensions", "github/too-many-extensions", Error, "%d tool extensions; GitHub rejects more than %d per run", n, GitHubMaxExtensionsPerRun)
		}
		st.checkTags(run.driver, run.ptr+"/tool/driver")
		for j, e := range run.extensions {
			st.checkTags(e, run.ptr+"/tool/extensions/"+strconv.Itoa(j))
		}
	}
	st.checkRuleIDsAndURIs(runs, checkoutURI)
}

func (st *state) checkTags(c componentInfo, ptr string) {
	for i, r := range c.rules {
		p := ptr + "/rules/" + strconv.Itoa(i) + "/properties/tags"
		switch {
		case r.tags > GitHubMaxTagsPerRule:
			st.add(p, "github/too-many-tags", Error, "rule %q has %d tags; GitHub rejects more than %d", r.id, r.tags, GitHubMaxTagsPerRule)
		case r.tags > GitHubKeptTagsPerRule:
			st.add(p, "github/tags-truncated", Warning, "rule %q has %d tags; GitHub keeps only %d", r.id, r.tags, GitHubKeptTagsPerRule)
		}
	}
}

// checkRuleIDsAndURIs reports results whose rule GitHub cannot identify
// and file URIs that GitHub cannot map into the repository.
func (st *state) checkRuleIDsAndURIs(runs []runInfo, checkoutURI string) {
	checkout := ""
	if checkoutURI != "" {
		checkout = strings.TrimSuffix(checkoutURI, "/") + "/"
	}
	absolute := map[int]*aggregate{}
	outside := map[int]*aggregate{}
	for _, r := range st.refs {
		if r.run >= len(runs) {
			continue
		}
		run := &runs[r.run]
		if r.ruleID == "" {
			index := r.ruleIndex
			if r.ruleRefIndex >= 0 {
				index = r.ruleRefIndex
			}
			if index < 0 || index >= len(run.driver.rules) || run.driver.rules[index].id == "" {
				st.add(r.ptr, "github/missing-rule-id", Error, "the result has no ruleId (nor a rule reference that resolves to one); GitHub needs it to track the alert")
			}
		}
		for _, a := range r.artifacts {
			if a.uri == "" {
				continue
			}
			uri := sarif.ResolveURI(a.uri, a.uriBaseID, func(id string) (string, string, bool) {
				b, ok := run.bases[id]
				return b[0], b[1], ok && b[0] != ""
			})
			u, err := url.Parse(uri)
			if err != nil || !strings.EqualFold(u.Scheme, "file") {
				continue
			}
			switch {
			case checkout == "":
				agg(absolute, r.run).add(a.ptr + "/uri")
			case !strings.HasPrefix(uri, checkout):
				agg(outside, r.run).add(a.ptr + "/uri")
			}
		}
	}
	st.addAggregates(absolute, "github/absolute-uri", Warning,
		"artifact URIs are absolute file URIs; GitHub maps them into the repository only under the upload's checkout_uri (give it to check them)")
	st.addAggregates(outside, "github/uri-outside-checkout", Error,
		"artifact URIs are absolute file URIs outside the checkout "+strconv.Quote(checkout)+"; GitHub cannot map them to repository files")
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
