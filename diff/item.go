// Package diff compares two SARIF logs of the same code base, a base (say,
// the scan of a pull request's target branch) and a head (the scan of the
// pull request), and classifies every result as new, absent, unchanged or
// updated. It also holds the gate that decides whether a change introduced
// results that should fail a build.
//
// Runs are paired the way GitHub code scanning pairs analyses: by tool
// (driver name) and category (automationDetails.id). Within a pair of runs,
// results are matched in passes from the strongest evidence to the weakest
// (see Pass); each result is matched at most once, and the pairs do not
// depend on the order of results in the inputs. Compare is a pure function
// of the two logs: it does no I/O.
package diff

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"sync"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// Item is one result of a log, with what the matcher and the reports read
// of it.
type Item struct {
	Run      *gosarif.Run
	Result   *gosarif.Result
	RunIndex int // index of the run in its log
	Index    int // index of the result in its run

	Tool     string
	Category string
	// RuleID is the result's rule id ("" when it has none).
	RuleID string
	// URI is the primary location's URI, resolved through uriBaseId and
	// normalised (see NormalizeURI); "" when there is none.
	URI         string
	StartLine   int
	StartColumn int
	EndLine     int
	EndColumn   int
	Message     string
	Snippet     string
	// Level is the effective level (see sarif.EffectiveLevel).
	Level string
	// SecuritySeverity is the rule's security-severity score, when
	// HasSecuritySeverity.
	SecuritySeverity    float64
	HasSecuritySeverity bool
	// Suppressed is true when the result has a suppression whose status
	// is accepted (or has no status, which means accepted).
	Suppressed bool

	partner *Item // the matched result of the other log, once matched
	pass    Pass  // how it was matched

	rule          string // matching key for the rule: the rule id, or the message
	maskedMessage string // the message with every run of digits replaced by "0"
	alertNumber   string
	fingerprint   prints // result.fingerprints
	partial       prints // result.partialFingerprints
}

// Pointer is the JSON pointer of the result in its log.
func (it *Item) Pointer() string {
	return fmt.Sprintf("/runs/%d/results/%d", it.RunIndex, it.Index)
}

// Location renders the primary location as "uri:line:col" (parts that are
// unknown are left out).
func (it *Item) Location() string {
	s := it.URI
	if s == "" {
		s = "(no location)"
	}
	if it.StartLine > 0 {
		s += fmt.Sprintf(":%d", it.StartLine)
		if it.StartColumn > 0 {
			s += fmt.Sprintf(":%d", it.StartColumn)
		}
	}
	return s
}

// uriKey is what a normalised artifact URI depends on.
type uriKey struct {
	uri, base string
	index     int
}

// uriCache remembers the normalised URIs of one run: results share files,
// and resolving and normalising a URI is the costliest part of an Item.
type uriCache struct {
	mu sync.Mutex
	m  map[uriKey]string
}

func (c *uriCache) get(run *gosarif.Run, al *gosarif.ArtifactLocation) string {
	k := uriKey{index: -1}
	if al.URI != nil {
		k.uri = *al.URI
	}
	if al.URIBaseId != nil {
		k.base = *al.URIBaseId
	}
	if al.Index != nil {
		k.index = int(*al.Index)
	}
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = NormalizeURI(sarif.ArtifactURI(run, al))
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
	return v
}

func newItem(run *gosarif.Run, runIndex, index int, r *gosarif.Result, uris *uriCache) *Item {
	it := &Item{Run: run, Result: r, RunIndex: runIndex, Index: index}
	it.Tool = sarif.ToolName(run)
	it.Category = sarif.Category(run)
	it.RuleID = sarif.RuleID(run, r)
	if r.Message.Text != nil {
		it.Message = *r.Message.Text
	} else if r.Message.ID != nil {
		it.Message = "id:" + *r.Message.ID
	}
	it.maskedMessage = maskDigits(it.Message)
	it.rule = it.RuleID
	if it.rule == "" {
		it.rule = "\x00message:" + it.Message
	}
	if pl := sarif.PrimaryLocation(r); pl != nil {
		if pl.ArtifactLocation != nil {
			it.URI = uris.get(run, pl.ArtifactLocation)
		}
		if rg := pl.Region; rg != nil {
			it.StartLine = deref(rg.StartLine)
			it.StartColumn = deref(rg.StartColumn)
			it.EndLine = deref(rg.EndLine)
			it.EndColumn = deref(rg.EndColumn)
			if rg.Snippet != nil && rg.Snippet.Text != nil {
				it.Snippet = strings.TrimSpace(*rg.Snippet.Text)
			}
		}
	}
	it.Level = sarif.EffectiveLevel(run, r)
	rule, _ := sarif.FindRule(run, r)
	it.SecuritySeverity, it.HasSecuritySeverity = sarif.SecuritySeverity(rule)
	for _, s := range r.Suppressions {
		if s != nil && (s.Status == nil || *s.Status == "" || *s.Status == "accepted") {
			it.Suppressed = true
		}
	}
	if v, ok := r.Properties["github/alertNumber"]; ok && v != nil {
		it.alertNumber = fmt.Sprint(v)
	}
	it.fingerprint = newPrints(r.Fingerprints)
	it.partial = newPrints(r.PartialFingerprints)
	return it
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// NormalizeURI turns an artifact URI into the form results are compared
// in: percent-decoded, without a file: scheme, with forward slashes, no
// leading "./", "." and ".." segments resolved, and a lower-case Windows
// drive letter. URIs of other schemes (https:...) are kept whole.
func NormalizeURI(uri string) string {
	if uri == "" {
		return ""
	}
	p := strings.ReplaceAll(uri, `\`, "/")
	if u, err := url.Parse(p); err == nil {
		switch strings.ToLower(u.Scheme) {
		case "file":
			p = u.Path
			if u.Host != "" && u.Host != "localhost" {
				p = "//" + u.Host + p
			}
		case "":
			p = u.Path
		default:
			if len(u.Scheme) != 1 { // "c:" is a drive, not a scheme
				return uri
			}
		}
	} else if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	// "/C:/x" (from file:///C:/x) and "C:/x" are the same Windows path.
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' && isLetter(p[1]) {
		p = p[1:]
	}
	if len(p) >= 2 && p[1] == ':' && isLetter(p[0]) {
		p = strings.ToLower(p[:1]) + p[1:]
	}
	abs := strings.HasPrefix(p, "/")
	unc := strings.HasPrefix(p, "//")
	p = path.Clean(p)
	if unc {
		p = "/" + p // path.Clean folds the leading "//" of a network path
	}
	if !abs {
		p = strings.TrimPrefix(p, "./")
	}
	if p == "." {
		return ""
	}
	return p
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// maskDigits replaces every run of ASCII digits by a single "0", so that
// messages that differ only in counts or line numbers compare equal.
func maskDigits(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if !digits {
				b.WriteByte('0')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteByte(c)
	}
	return b.String()
}

// lineHash returns the result's partialFingerprints.primaryLocationLineHash
// without its ":n" occurrence suffix (which changes when a file gains an
// identical line), or "".
func (it *Item) lineHash() string {
	v, _ := it.partial.get(sarif.PrimaryLocationLineHash)
	return lineHashPart(v)
}
