package diff

import (
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/sarif"
)

// Item is one result of a log, with what the matcher and the reports read
// of it.
type Item struct {
	Index int // index of the result in its run

	// RuleID is the result's rule id ("" when it has none).
	RuleID string
	// URI is the primary location's URI, resolved through uriBaseId and
	// artifact indices, and normalised (see [sarif.NormalizeURI]); ""
	// when there is none.
	URI         string
	StartLine   int
	StartColumn int
	EndLine     int
	EndColumn   int
	Message     string
	Snippet     string
	// SecuritySeverity is the rule's security-severity score, when
	// HasSecuritySeverity.
	SecuritySeverity    float64
	HasSecuritySeverity bool
	// Suppressed is true when the result has a suppression whose status
	// is accepted (or has no status, which means accepted), or when it is
	// a head result whose base partner is suppressed (Inherited; unless
	// Options.OwnSuppressionsOnly).
	Suppressed bool
	// Inherited is true when Suppressed comes from the base partner.
	Inherited bool

	level   levelCode
	settled bool // left alone for good (see matcher.lineMap)
	stale   bool // baselineState "absent": gone before the log was written
	pass    passIndex

	rr      *runReader // the reader of the run the result is in
	partner *Item      // the matched result of the other log, once matched

	partial prints // result.partialFingerprints
	rare    *rareEvidence
}

// rareEvidence is what few results carry, held apart so that the items
// of those that do not are smaller: a log has hundreds of thousands.
type rareEvidence struct {
	fingerprint prints // result.fingerprints
	alertNumber string
	// rule is the matching key of a result without a rule id (see
	// Item.rule); masked its message with digits masked, when it has
	// digits (see Item.maskedMessage).
	rule, masked string
	// level is a level other than SARIF's four (an invalid log's).
	level string
}

// rule returns the matching key for the result's rule: its rule id, or
// for a result without one its message.
func (it *Item) rule() string {
	if it.RuleID == "" && it.rare != nil {
		return it.rare.rule
	}
	return it.RuleID
}

// maskedMessage returns the message with every run of digits replaced
// by "0" (see maskDigits).
func (it *Item) maskedMessage() string {
	if it.rare != nil && it.rare.masked != "" {
		return it.rare.masked
	}
	return it.Message
}

// fingerprint returns the result's fingerprints.
func (it *Item) fingerprint() prints {
	if it.rare == nil {
		return nil
	}
	return it.rare.fingerprint
}

// alertNumber returns the result's github/alertNumber property, or "".
func (it *Item) alertNumber() string {
	if it.rare == nil {
		return ""
	}
	return it.rare.alertNumber
}

// Run returns the run the result is in.
func (it *Item) Run() *sarif.Run { return it.rr.run }

// RunIndex returns the index of the result's run in its log.
func (it *Item) RunIndex() int { return it.rr.runIndex }

// Tool returns the name of the tool of the result's run.
func (it *Item) Tool() string { return it.rr.tool }

// Category returns the category of the result's run (see
// [sarif.Run.Category]).
func (it *Item) Category() string { return it.rr.category }

// Result returns the result's JSON text, read from disk when its log
// holds it there (see [sarif.ReadOptions].ResultsOnDisk).
func (it *Item) Result() (sarif.Result, error) { return it.rr.run.Result(it.Index) }

// Pointer is the JSON pointer of the result in its log.
func (it *Item) Pointer() string {
	return fmt.Sprintf("/runs/%d/results/%d", it.rr.runIndex, it.Index)
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

// runReader reads the items of one run: its resolver, and the normalised
// URIs met so far (results share files, and resolving and normalising a
// URI is the costliest part of an Item), shared by the workers.
type runReader struct {
	roots          *checkoutRoots // where the run's absolute URIs are relative to
	run            *sarif.Run
	runIndex       int
	tool, category string
	rv             *sarif.Resolver
	mu             sync.Mutex
	uris           map[uriKey]string
	strings        *interner // one copy of each string the items keep; nil once they are read
}

func newRunReader(run *sarif.Run, runIndex int, root, flag string, in *interner) *runReader {
	rr := &runReader{strings: in, run: run, runIndex: runIndex, roots: runRoots(run, root, flag), tool: run.Tool(), category: run.Category(),
		rv: run.Resolver(), uris: map[uriKey]string{}}
	return rr
}

// A levelCode is one of SARIF's levels, or levelOther for another.
type levelCode uint8

const levelOther levelCode = 255

// levels are the levels of the codes below levelOther.
var levels = [...]string{sarif.LevelWarning, sarif.LevelError, sarif.LevelNote, sarif.LevelNone}

// Level returns the result's level (see [sarif.Resolver.Level]).
func (it *Item) Level() string {
	switch {
	case it.level != levelOther:
		return levels[it.level]
	case it.rare != nil:
		return it.rare.level
	}
	return ""
}

func (rr *runReader) uri(al *gosarif.ArtifactLocation) string {
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
	rr.mu.Lock()
	v, ok := rr.uris[k]
	rr.mu.Unlock()
	if ok {
		return v
	}
	v = relative(sarif.NormalizeURI(rr.rv.Artifacts.ArtifactLocation(al)), rr.roots)
	rr.mu.Lock()
	rr.uris[k] = v
	rr.mu.Unlock()
	return v
}

// An interner holds one copy of each string the items of a comparison
// keep: messages, snippets, URIs and fingerprints repeat from result to
// result, and from base to head, where most results are unchanged. It is
// safe for concurrent use; a nil interner copies every string.
type interner struct {
	seed   maphash.Seed
	shards [16]internShard
}

type internShard struct {
	mu sync.Mutex
	m  map[string]string
}

func newInterner() *interner {
	in := &interner{seed: maphash.MakeSeed()}
	for i := range in.shards {
		in.shards[i].m = map[string]string{}
	}
	return in
}

// bytes returns the string of b.
func (in *interner) bytes(b []byte) string {
	if in == nil {
		return string(b)
	}
	sh := &in.shards[maphash.Bytes(in.seed, b)%uint64(len(in.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	s, ok := sh.m[string(b)]
	if !ok {
		s = string(b)
		sh.m[s] = s
	}
	return s
}

// string returns the interner's copy of s.
func (in *interner) string(s string) string {
	if in == nil {
		return s
	}
	sh := &in.shards[maphash.String(in.seed, s)%uint64(len(in.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if c, ok := sh.m[s]; ok {
		return c
	}
	sh.m[s] = s
	return s
}

// itemOf makes the item of result index of the run, whose model is r.
func (rr *runReader) itemOf(index int, r *gosarif.Result) *Item {
	it := &Item{rr: rr, Index: index}
	it.RuleID = rr.rv.RuleID(r) // the interner's copy, or the rule's
	if r.Message.Text != nil {
		it.Message = *r.Message.Text
	} else if r.Message.ID != nil {
		it.Message = rr.strings.string("id:" + *r.Message.ID)
	}
	if pl := sarif.PrimaryLocation(r); pl != nil {
		if pl.ArtifactLocation != nil {
			it.URI = rr.uri(pl.ArtifactLocation)
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
	it.SecuritySeverity, it.HasSecuritySeverity = sarif.SecuritySeverity(rr.rv.Rule(r))
	it.Suppressed = sarif.AcceptedSuppression(r) != nil
	var rare rareEvidence
	if v, ok := r.Properties["github/alertNumber"]; ok && v != nil {
		rare.alertNumber = fmt.Sprint(v)
	}
	if it.RuleID == "" {
		rare.rule = "\x00message:" + it.Message
	}
	if masked := maskDigits(it.Message); masked != it.Message {
		rare.masked = rr.strings.string(masked)
	}
	it.level = levelOther
	level := rr.rv.Level(r)
	if i := slices.Index(levels[:], level); i >= 0 {
		it.level = levelCode(i)
	} else {
		rare.level = level
	}
	rare.fingerprint = newPrints(r.Fingerprints)
	if rare.fingerprint != nil || rare.alertNumber != "" || rare.rule != "" || rare.masked != "" || rare.level != "" {
		it.rare = &rare
	}
	it.stale = r.BaselineState != nil && *r.BaselineState == string(StateAbsent)
	it.partial = newPrints(r.PartialFingerprints)
	return it
}

// items reads every result of the log, in log order, on all cores,
// keeping in's copy of each string.
// Results the log holds on disk are read from there.
func items(ctx context.Context, l *sarif.Log, root, flag string, in *interner) ([]*Item, []*runReader, error) {
	var readers []*runReader
	var out []*Item
	for ri, run := range l.Runs {
		if run == nil || run.Model == nil {
			continue
		}
		rr := newRunReader(run, ri, root, flag, in)
		readers = append(readers, rr)
		start := len(out)
		out = append(out, make([]*Item, run.Len())...)
		sums := make([]summarizer, parallel.Workers())
		for w := range sums {
			sums[w].in = in
		}
		err := run.EachResult(ctx, func(w, i int, res sarif.Result) error {
			if r := sums[w].summary(res); r != nil {
				out[start+i] = rr.itemOf(i, r)
			}
			for _, p := range sums[w].problems {
				run.NoteLenient(i, p.member, p.what, "")
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return slices.DeleteFunc(out, func(it *Item) bool { return it == nil }), readers, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

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
