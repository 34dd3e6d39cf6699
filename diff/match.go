package diff

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/sarifkit/sarifkit/sarif"
)

// State classifies a result of the comparison.
type State string

const (
	// New: in head, not matched to any result of base.
	New State = "new"
	// Absent: in base, not matched to any result of head (fixed, or gone).
	Absent State = "absent"
	// Unchanged: matched, with the same location and message.
	Unchanged State = "unchanged"
	// Updated: matched, but the location or the message differs.
	Updated State = "updated"
)

// Pass names the evidence a pair of results was matched on. The passes
// run in this order, strongest evidence first.
type Pass string

const (
	// PassFingerprint: same rule and a shared result.fingerprints value.
	PassFingerprint Pass = "fingerprint"
	// PassPartialFingerprint: same rule, same file and a shared
	// partialFingerprints value (primaryLocationLineHash...).
	PassPartialFingerprint Pass = "partial-fingerprint"
	// PassAlertNumber: the same github/alertNumber property (logs fetched
	// from GitHub carry it).
	PassAlertNumber Pass = "alert-number"
	// PassLocation: same rule, file, start line and message.
	PassLocation Pass = "location"
	// PassRegion: same rule, file, start line and start column, with a
	// message that differs only in its numbers (tools reword messages:
	// "string `x` has 39 occurrences" becomes "has 41 occurrences").
	PassRegion Pass = "region"
	// PassSnippet: same rule, file and region snippet; nearest line first.
	PassSnippet Pass = "snippet"
	// PassRenamedFile: a file that has results only in base paired with
	// one that has results only in head, whose results agree on rule and
	// snippet or message; the results are then matched on those.
	PassRenamedFile Pass = "renamed-file"
	// PassShiftedLine: same rule, file and message (up to its numbers) at
	// another line; nearest first to where the line moved, as estimated
	// from the results already matched in the same file.
	PassShiftedLine Pass = "shifted-line"
)

// NotCompared: in base, in a run whose tool and category head has no
// run of (the configuration did not run on head). Such results are not
// absent: GitHub code scanning, too, keeps the alerts of a configuration
// that did not run.
const NotCompared State = "not-compared"

// Match is one entry of a comparison: a pair of matched results, or a
// result of one side alone.
type Match struct {
	State State `json:"state"`
	// Pass is how the pair was matched; "" for results of one side alone.
	Pass Pass  `json:"pass,omitempty"`
	Base *Item `json:"-"`
	Head *Item `json:"-"`
}

// Item returns the head result of the match, or the base result of an
// absent or not compared one.
func (m *Match) Item() *Item {
	if m.Head != nil {
		return m.Head
	}
	return m.Base
}

// RunPair says how the runs of one tool were paired: base's runs of
// category BaseCategory with head's of HeadCategory. The categories
// differ only when the tool has one category in base and another in
// head, none of them shared (a scan given a category it lacked before):
// those are paired, since they are the same configuration. InBase or
// InHead is false for a tool and category that the other log lacks: its
// base results are NotCompared, its head results New.
type RunPair struct {
	Tool         string `json:"tool"`
	BaseCategory string `json:"baseCategory"`
	HeadCategory string `json:"headCategory"`
	InBase       bool   `json:"inBase"`
	InHead       bool   `json:"inHead"`
	BaseResults  int    `json:"baseResults"`
	HeadResults  int    `json:"headResults"`
}

// Unusual tells whether the pairing is worth a warning: one side lacks
// the tool and category, or the categories differ.
func (p RunPair) Unusual() bool {
	return !p.InBase || !p.InHead || p.BaseCategory != p.HeadCategory
}

// Diff is the outcome of comparing two logs.
type Diff struct {
	// Matches lists every compared result of both logs once: the head
	// results in log order (with their base partner, if any), then the
	// absent and not compared base results in log order.
	Matches []Match
	// Runs lists how the runs of base and head were paired, by tool and
	// category, in the order of their first appearance in head, then
	// base.
	Runs []RunPair
	// StaleBase and StaleHead count the results left out of the
	// comparison because they already had baselineState "absent" (the
	// output of an earlier comparison, given as a log to compare): they
	// were gone before that log was written.
	StaleBase, StaleHead int
}

// Count returns the number of matches in state s.
func (d *Diff) Count(s State) int {
	n := 0
	for i := range d.Matches {
		if d.Matches[i].State == s {
			n++
		}
	}
	return n
}

// runKey identifies the runs that GitHub code scanning compares with each
// other: those of one tool and category.
type runKey struct{ tool, category string }

// Compare compares the log head against the log base. Its only error is
// ctx's, when ctx is done before it is.
func Compare(ctx context.Context, base, head *sarif.Log) (*Diff, error) {
	d := &Diff{}
	headItems, err := items(ctx, head)
	if err != nil {
		return nil, err
	}
	baseItems, err := items(ctx, base)
	if err != nil {
		return nil, err
	}
	headItems, d.StaleHead = withoutStale(headItems)
	baseItems, d.StaleBase = withoutStale(baseItems)

	type group struct {
		pair       *RunPair
		base, head []*Item
	}
	groups := map[runKey]*group{}
	var order []runKey
	for side, l := range [2]*sarif.Log{head, base} {
		for _, run := range l.Runs {
			if run == nil || run.Model == nil {
				continue
			}
			k := runKey{run.Tool(), run.Category()}
			g := groups[k]
			if g == nil {
				g = &group{pair: &RunPair{Tool: k.tool, BaseCategory: k.category, HeadCategory: k.category}}
				groups[k] = g
				order = append(order, k)
			}
			if side == 0 {
				g.pair.InHead = true
			} else {
				g.pair.InBase = true
			}
		}
	}
	for side, list := range [2][]*Item{headItems, baseItems} {
		for _, it := range list {
			g := groups[runKey{it.Tool, it.Category}]
			if side == 0 {
				g.head = append(g.head, it)
			} else {
				g.base = append(g.base, it)
			}
		}
	}
	// A tool with one category only in base and another only in head:
	// the same configuration, categorised differently.
	onlyBase, onlyHead := map[string][]runKey{}, map[string][]runKey{}
	for _, k := range order {
		switch p := groups[k].pair; {
		case !p.InHead:
			onlyBase[k.tool] = append(onlyBase[k.tool], k)
		case !p.InBase:
			onlyHead[k.tool] = append(onlyHead[k.tool], k)
		}
	}
	for tool, bs := range onlyBase {
		hs := onlyHead[tool]
		if len(bs) != 1 || len(hs) != 1 {
			continue
		}
		b, h := groups[bs[0]], groups[hs[0]]
		h.pair.BaseCategory, h.pair.InBase = b.pair.BaseCategory, true
		h.base = b.base
		delete(groups, bs[0])
	}

	for _, k := range order {
		g := groups[k]
		if g == nil {
			continue
		}
		g.pair.BaseResults, g.pair.HeadResults = len(g.base), len(g.head)
		d.Runs = append(d.Runs, *g.pair)
		if g.pair.InBase && g.pair.InHead {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			newMatcher(g.base, g.head).run()
		}
	}

	d.Matches = make([]Match, 0, len(headItems)+len(baseItems))
	for _, h := range headItems {
		b := h.partner
		switch {
		case b == nil:
			d.Matches = append(d.Matches, Match{State: New, Head: h})
		case sameLocationAndMessage(b, h):
			d.Matches = append(d.Matches, Match{State: Unchanged, Pass: h.pass, Base: b, Head: h})
		default:
			d.Matches = append(d.Matches, Match{State: Updated, Pass: h.pass, Base: b, Head: h})
		}
	}
	paired := map[runKey]bool{}
	for _, p := range d.Runs {
		if p.InBase && p.InHead {
			paired[runKey{p.Tool, p.BaseCategory}] = true
		}
	}
	for _, b := range baseItems {
		switch {
		case b.partner != nil:
		case paired[runKey{b.Tool, b.Category}]:
			d.Matches = append(d.Matches, Match{State: Absent, Base: b})
		default:
			d.Matches = append(d.Matches, Match{State: NotCompared, Base: b})
		}
	}
	return d, nil
}

// withoutStale drops the items whose result has baselineState "absent"
// and counts them.
func withoutStale(items []*Item) ([]*Item, int) {
	n := len(items)
	items = slices.DeleteFunc(items, func(it *Item) bool {
		return it.stale
	})
	return items, n - len(items)
}

func sameLocationAndMessage(a, b *Item) bool {
	return a.URI == b.URI && a.StartLine == b.StartLine && a.StartColumn == b.StartColumn &&
		a.EndLine == b.EndLine && a.EndColumn == b.EndColumn && a.Message == b.Message
}

// matcher matches the results of one pair of runs. It records each pair
// in the two Items (partner, pass).
type matcher struct {
	base, head []*Item // in canonical order
	pairs      []*Item // base items paired so far
	// The keys of fingerprints and partial fingerprints that tell this
	// run's results apart (see informativeKeys).
	fingerprintKeys, partialKeys map[string]bool
}

func newMatcher(base, head []*Item) *matcher {
	m := &matcher{}
	var wg sync.WaitGroup
	wg.Go(func() { m.base = canonical(base) })
	m.head = canonical(head)
	wg.Wait()
	return m
}

// canonical sorts items by their content, so that matching does not
// depend on the order of results in the log.
func canonical(items []*Item) []*Item {
	out := slices.Clone(items)
	slices.SortStableFunc(out, compareContent)
	return out
}

// compareContent orders items by rule, file, region, message, snippet and
// fingerprints, comparing only as far as needed.
func compareContent(a, b *Item) int {
	if c := strings.Compare(a.rule, b.rule); c != 0 {
		return c
	}
	if c := strings.Compare(a.URI, b.URI); c != 0 {
		return c
	}
	if c := cmp.Compare(a.StartLine, b.StartLine); c != 0 {
		return c
	}
	if c := cmp.Compare(a.StartColumn, b.StartColumn); c != 0 {
		return c
	}
	if c := cmp.Compare(a.EndLine, b.EndLine); c != 0 {
		return c
	}
	if c := cmp.Compare(a.EndColumn, b.EndColumn); c != 0 {
		return c
	}
	if c := strings.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	if c := strings.Compare(a.Snippet, b.Snippet); c != 0 {
		return c
	}
	if c := a.fingerprint.compare(b.fingerprint); c != 0 {
		return c
	}
	if c := a.partial.compare(b.partial); c != 0 {
		return c
	}
	return strings.Compare(a.alertNumber, b.alertNumber)
}

func used(it *Item) bool { return it.partner != nil }

func (m *matcher) pair(b, h *Item, p Pass) {
	b.partner, h.partner = h, b
	b.pass, h.pass = p, p
	m.pairs = append(m.pairs, b)
}

func (m *matcher) run() {
	m.fingerprintKeys = informativeKeys(m.base, m.head, func(it *Item) prints { return it.fingerprint })
	m.partialKeys = informativeKeys(m.base, m.head, func(it *Item) prints { return it.partial })
	m.byKey(PassFingerprint, func(it *Item) []string {
		return evidenceKeys(it.rule, it.fingerprint, m.fingerprintKeys)
	}, func(b, h *Item) bool { return !b.fingerprint.conflicts(h.fingerprint) })
	m.byKey(PassPartialFingerprint, func(it *Item) []string {
		return evidenceKeys(it.rule+"\x00"+it.URI, it.partial, m.partialKeys)
	}, func(b, h *Item) bool { return !b.partial.conflicts(h.partial) && !vetoed(b, h) })
	m.byKey(PassAlertNumber, func(it *Item) []string {
		if it.alertNumber == "" {
			return nil
		}
		return []string{it.alertNumber}
	}, func(b, h *Item) bool { return !vetoed(b, h) })
	m.nearest(PassLocation, m.base, m.head, func(it *Item) string {
		return key(it.rule, it.URI, strconv.Itoa(it.StartLine), it.Message)
	})
	m.nearest(PassRegion, m.base, m.head, func(it *Item) string {
		if it.StartLine == 0 {
			return ""
		}
		return key(it.rule, it.URI, strconv.Itoa(it.StartLine), strconv.Itoa(it.StartColumn), it.maskedMessage)
	})
	m.nearest(PassSnippet, m.base, m.head, func(it *Item) string {
		if it.Snippet == "" {
			return ""
		}
		return key(it.rule, it.URI, it.Snippet)
	})
	m.renamedFiles()
	m.nearest(PassShiftedLine, m.base, m.head, func(it *Item) string {
		return key(it.rule, it.URI, it.maskedMessage)
	})
}

// vetoed tells whether two results cannot be the same by their
// result.fingerprints: a key both carry has different values. It holds in
// every pass after the fingerprint pass: weaker evidence does not
// overrule a tool's own identity for a result.
func vetoed(b, h *Item) bool { return b.fingerprint.conflicts(h.fingerprint) }

func key(parts ...string) string { return strings.Join(parts, "\x00") }

// evidenceKeys returns the matching keys of a result's fingerprints: the
// prefix (rule, and file for partial fingerprints) with each informative
// key and its value.
func evidenceKeys(prefix string, p prints, informative map[string]bool) []string {
	var out []string
	for _, kv := range p {
		if informative[kv.key] {
			out = append(out, prefix+"\x00"+kv.key+"\x00"+kv.value)
		}
	}
	return out
}

// byKey pairs base and head results that share a key and that allow
// admits, in canonical order: each base result takes the first unused
// head result with any of its keys.
func (m *matcher) byKey(p Pass, keys func(*Item) []string, allow func(b, h *Item) bool) {
	index := map[string][]*Item{}
	for _, h := range m.head {
		if used(h) {
			continue
		}
		for _, k := range keys(h) {
			index[k] = append(index[k], h)
		}
	}
	if len(index) == 0 {
		return
	}
	for _, b := range m.base {
		if used(b) {
			continue
		}
	keys:
		for _, k := range keys(b) {
			list := index[k]
			// Used results at the front are dropped for good; one that
			// allow refuses stays for other base results.
			for len(list) > 0 && used(list[0]) {
				list = list[1:]
			}
			index[k] = list
			for _, h := range list {
				if !used(h) && allow(b, h) {
					m.pair(b, h, p)
					break keys
				}
			}
		}
	}
}

// maxPairsPerGroup bounds the candidate pairs nearest considers in one
// group of same-key results; beyond it each base result is offered only
// its nearest head results by line.
const (
	maxPairsPerGroup  = 1 << 16
	nearestNeighbours = 8
)

// anchor is a pair of lines already matched between a base file and a
// head file.
type anchor struct{ base, head int }

// anchors returns, per pair of base and head files, the lines matched so
// far, sorted by base line.
func (m *matcher) anchors() map[[2]string][]anchor {
	a := map[[2]string][]anchor{}
	for _, b := range m.pairs {
		h := b.partner
		if b.StartLine > 0 && h.StartLine > 0 {
			k := [2]string{b.URI, h.URI}
			a[k] = append(a[k], anchor{b.StartLine, h.StartLine})
		}
	}
	for _, list := range a {
		slices.SortFunc(list, func(x, y anchor) int { return cmp.Or(cmp.Compare(x.base, y.base), cmp.Compare(x.head, y.head)) })
	}
	return a
}

// predict estimates where base line moved to in the head file: by the
// shift of the nearest matched line at or above it (or below it, at the
// top of the file); unmoved when nothing is matched in the file.
func predict(list []anchor, line int) int {
	if len(list) == 0 {
		return line
	}
	i := sort.Search(len(list), func(i int) bool { return list[i].base > line }) - 1
	if i < 0 {
		i = 0
	}
	return line + list[i].head - list[i].base
}

// nearest pairs unused base and head results with the same non-empty key,
// nearest first to the line the base result is predicted to have moved to
// (then nearest column, then canonical order).
func (m *matcher) nearest(p Pass, base, head []*Item, keyOf func(*Item) string) {
	m.nearestWith(m.anchors(), p, base, head, keyOf)
}

// nearestWith is nearest with the anchors given.
func (m *matcher) nearestWith(anchors map[[2]string][]anchor, p Pass, base, head []*Item, keyOf func(*Item) string) {
	type side struct{ base, head []*Item }
	groups := map[string]*side{}
	var keys []string
	for _, h := range head {
		if used(h) {
			continue
		}
		if k := keyOf(h); k != "" {
			g := groups[k]
			if g == nil {
				g = &side{}
				groups[k] = g
				keys = append(keys, k)
			}
			g.head = append(g.head, h)
		}
	}
	for _, b := range base {
		if used(b) {
			continue
		}
		if g := groups[keyOf(b)]; g != nil {
			g.base = append(g.base, b)
		}
	}
	sort.Strings(keys)
	type cand struct {
		b, h        int
		dline, dcol int
	}
	for _, k := range keys {
		g := groups[k]
		if len(g.base) == 0 {
			continue
		}
		var cands []cand
		predicted := make([]int, len(g.base))
		for i, b := range g.base {
			predicted[i] = predict(anchors[[2]string{b.URI, g.head[0].URI}], b.StartLine)
		}
		add := func(i, j int) {
			b, h := g.base[i], g.head[j]
			if vetoed(b, h) {
				return
			}
			cands = append(cands, cand{i, j, abs(predicted[i] - h.StartLine), abs(b.StartColumn - h.StartColumn)})
		}
		if len(g.base)*len(g.head) <= maxPairsPerGroup {
			for i := range g.base {
				for j := range g.head {
					add(i, j)
				}
			}
		} else {
			// g.head is in canonical order, which sorts by line within a
			// key that fixes rule and file.
			lines := make([]int, len(g.head))
			for j, h := range g.head {
				lines[j] = h.StartLine
			}
			for i := range g.base {
				at := sort.SearchInts(lines, predicted[i])
				lo, hi := max(at-nearestNeighbours, 0), min(at+nearestNeighbours, len(g.head))
				for j := lo; j < hi; j++ {
					add(i, j)
				}
			}
		}
		slices.SortFunc(cands, func(x, y cand) int {
			return cmp.Or(cmp.Compare(x.dline, y.dline), cmp.Compare(x.dcol, y.dcol), cmp.Compare(x.b, y.b), cmp.Compare(x.h, y.h))
		})
		var pb, ph []*Item
		for _, c := range cands {
			b, h := g.base[c.b], g.head[c.h]
			if !used(b) && !used(h) {
				b.partner, h.partner = h, b // claimed; paired in line order below
				pb, ph = append(pb, b), append(ph, h)
			}
		}
		// Results of one rule and message keep their order in a file:
		// pair the chosen ones in line order, so that no two pairs cross;
		// unless that pairs two results whose fingerprints disagree.
		byLine := func(x, y *Item) int {
			return cmp.Or(cmp.Compare(x.StartLine, y.StartLine), cmp.Compare(x.StartColumn, y.StartColumn))
		}
		sb, sh := slices.Clone(pb), slices.Clone(ph)
		slices.SortStableFunc(sb, byLine)
		slices.SortStableFunc(sh, byLine)
		if !slices.ContainsFunc(sb, func(b *Item) bool { return len(b.fingerprint) > 0 }) || !anyVetoed(sb, sh) {
			pb, ph = sb, sh
		}
		for i := range pb {
			m.pair(pb[i], ph[i], p)
		}
	}
}

// anyVetoed tells whether any of the pairs b[i], h[i] is vetoed.
func anyVetoed(b, h []*Item) bool {
	for i := range b {
		if vetoed(b[i], h[i]) {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// renamedFiles pairs files that have results only in base with files that
// have results only in head, when their unmatched results agree on rule
// and snippet or message, then matches those results.
func (m *matcher) renamedFiles() {
	inHead := map[string]bool{}
	for _, h := range m.head {
		inHead[h.URI] = true
	}
	inBase := map[string]bool{}
	for _, b := range m.base {
		inBase[b.URI] = true
	}
	// Unmatched results of files that exist on one side only.
	goneFiles := map[string][]*Item{}
	newFiles := map[string][]*Item{}
	for _, b := range m.base {
		if !used(b) && b.URI != "" && !inHead[b.URI] {
			goneFiles[b.URI] = append(goneFiles[b.URI], b)
		}
	}
	for _, h := range m.head {
		if !used(h) && h.URI != "" && !inBase[h.URI] {
			newFiles[h.URI] = append(newFiles[h.URI], h)
		}
	}
	if len(goneFiles) == 0 || len(newFiles) == 0 {
		return
	}
	// Agreement between a gone and a new file: how many of their results
	// can be paired on rule and message, or rule and snippet.
	signatures := func(items []*Item) map[string]int {
		s := map[string]int{}
		for _, it := range items {
			s[renameKey(it)]++
		}
		return s
	}
	index := map[string][]string{} // message signature -> new files having it
	newSigs := map[string]map[string]int{}
	for f, items := range newFiles {
		newSigs[f] = signatures(items)
		for sig := range newSigs[f] {
			index[sig] = append(index[sig], f)
		}
	}
	type filePair struct {
		gone, added string
		agree       int
	}
	var cands []filePair
	for f, items := range goneFiles {
		agree := map[string]int{}
		for sig, n := range signatures(items) {
			for _, g := range index[sig] {
				agree[g] += min(n, newSigs[g][sig])
			}
		}
		for g, n := range agree {
			// At least half of the smaller file's results must agree.
			if 2*n >= min(len(items), len(newFiles[g])) {
				cands = append(cands, filePair{f, g, n})
			}
		}
	}
	slices.SortFunc(cands, func(a, b filePair) int {
		return cmp.Or(cmp.Compare(b.agree, a.agree), strings.Compare(a.gone, b.gone), strings.Compare(a.added, b.added))
	})
	pairedGone, pairedNew := map[string]bool{}, map[string]bool{}
	anchors := m.anchors() // a renamed file has none of its own yet
	for _, c := range cands {
		if pairedGone[c.gone] || pairedNew[c.added] {
			continue
		}
		pairedGone[c.gone], pairedNew[c.added] = true, true
		m.nearestWith(anchors, PassRenamedFile, goneFiles[c.gone], newFiles[c.added], renameKey)
	}
}

// renameKey is what a result must agree on across a renamed file: its
// rule, and its snippet and message (up to numbers), else its
// primaryLocationLineHash (a hash of the line's content and what follows
// it), else its message. Code that was rewritten while moved (a different
// snippet) is not the same result, however generic its message; nor is a
// result whose message says something else about the same snippet, which
// may be as short as "err".
func renameKey(it *Item) string {
	if it.Snippet != "" {
		return key(it.rule, "s", it.Snippet, it.maskedMessage)
	}
	if h := it.lineHash(); h != "" {
		return key(it.rule, "h", h)
	}
	return key(it.rule, "m", it.maskedMessage)
}
