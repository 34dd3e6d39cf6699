package diff

import (
	"cmp"
	"context"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/internal/lis"
	"github.com/sarifkit/sarifkit/sarif"
)

// State classifies a result of the comparison.
type State string

const (
	// StateNew: in head, not matched to any result of base.
	StateNew State = "new"
	// StateAbsent: in base, not matched to any result of head (fixed, or gone).
	StateAbsent State = "absent"
	// StateUnchanged: matched, with the same location and message.
	StateUnchanged State = "unchanged"
	// StateUpdated: matched, but the location or the message differs.
	StateUpdated State = "updated"
)

// Pass names the evidence a pair of results was matched on. The passes
// run in this order, strongest evidence first.
type Pass string

const (
	// PassFingerprint: same rule and a shared result.fingerprints value
	// that no other result of either log carries (an identity), unless
	// the line map says the line went elsewhere; or, for a value other
	// results carry too (flawfinder's contextHash/v1 hashes a line's
	// text alone, which identical lines share), same rule, file and value,
	// nearest to where the line moved and in line order, after the line
	// map.
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
	// PassSimilarMessage: same rule and file, a message that changed
	// beyond its numbers but shares most of its words with the base's
	// (word sets overlapping by at least 1/2: "missing fields response,
	// path, pnames" and "missing fields response, query, echo"), at most
	// a few lines from where the pairs around it say the line moved, and
	// not crossing them. The last pass.
	PassSimilarMessage Pass = "similar-message"
	// PassLineMap: same rule, on the line of head that the base result's
	// line became by a line diff of the two revisions (Options.LineMap):
	// the code did not change, whatever the message now says. It runs
	// after the fingerprint and alert number passes.
	PassLineMap Pass = "line-map"
)

// passIndex is a Pass as its position in passes, as items hold it.
type passIndex uint8

// passes are the passes, in no particular order, after "" (no pass).
var passes = [...]Pass{"", PassFingerprint, PassPartialFingerprint, PassAlertNumber, PassLocation, PassRegion,
	PassSnippet, PassRenamedFile, PassShiftedLine, PassSimilarMessage, PassLineMap}

func indexOf(p Pass) passIndex {
	for i, q := range passes {
		if q == p {
			return passIndex(i)
		}
	}
	panic("diff: unknown pass " + string(p))
}

func (i passIndex) pass() Pass { return passes[i] }

// StateNotCompared: in base, in a run whose tool and category head has no
// run of (the configuration did not run on head). Such results are not
// absent: GitHub code scanning, too, keeps the alerts of a configuration
// that did not run.
const StateNotCompared State = "not-compared"

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
// category BaseCategory with head's of HeadCategory (see [Compare] for
// which runs of one tool and category are paired when a log has
// several that are distinct runs to GitHub). The categories
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
	// Runs lists how the runs of base and head were paired (by GitHub's
	// key, then by tool and category), in the order of their first
	// appearance in head, then base.
	Runs []RunPair
	// StaleBase and StaleHead count the results left out of the
	// comparison because they already had baselineState "absent" (the
	// output of an earlier comparison, given as a log to compare): they
	// were gone before that log was written.
	StaleBase, StaleHead int
	// Inherited counts the head results suppressed because their base
	// partner is (see Options.OwnSuppressionsOnly).
	Inherited int

	roots []Note // notes on the checkout roots URIs were compared relative to

	// groups are the groups of runs compared, one for each of Runs, and
	// groupOf the group of each run of base and head (see pairRuns).
	groups  []*runGroup
	groupOf map[*sarif.Run]*runGroup
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

// Options give Compare what it knows beyond the two logs. The zero value
// (or nil) compares the logs alone.
type Options struct {
	// LineMap, when set, maps the lines of base's files to head's (see
	// PassLineMap). Its paths are relative to the repository root, as
	// the results' relative URIs are. Where it says where a line went,
	// it wins over fingerprints and partial fingerprints that disagree.
	LineMap *linemap.LineMap
	// BaseRoot and HeadRoot are the checkouts (a path or a file: URI)
	// the logs were made in, when known: absolute URIs under them are
	// compared relative to them (see the package documentation's
	// "Checkouts" section). Where they are not given, the runs'
	// originalUriBaseIds and invocations say, when they do.
	BaseRoot, HeadRoot string
	// OwnSuppressionsOnly keeps each head result's suppressions its own.
	// By default a head result matched to a suppressed base result
	// inherits the suppression ([Item.Inherited]), as an alert dismissed
	// on GitHub stays dismissed on every branch: what a reviewer
	// dismissed (a base log fetched from GitHub with its alerts' states
	// carries dismissals as suppressions) or the base scan suppressed
	// stays so, counts as the
	// head result's own suppression in every gate mode and report, and
	// Annotate copies the base result's suppressions into the head
	// result.
	OwnSuppressionsOnly bool
	// BaseFiles and HeadFiles, when both are set and LineMap is not, are
	// the files of the two checkouts, rooted where the logs' relative
	// URIs (after BaseRoot and HeadRoot) are relative to: Compare builds
	// the line map of the files the results name from them (see
	// [linemap.DiffFiles]).
	BaseFiles, HeadFiles fs.FS
}

// Compare compares the log head against the log base. Its only error is
// ctx's, when ctx is done before it is.
//
// Runs are paired in three steps. Runs that are one run to GitHub (the
// same [sarif.RunKey]: the same tool, version and guid, the same whole
// automationDetails.id) in both logs are compared with each other. The
// runs left are compared by tool name and category: GitHub tracks alerts
// across analyses by these, and a tool's runs must be compared across a
// new version of the tool or a new run id ("cat/2024-01-02" after
// "cat/2024-01-01"), or every result would be new or absent, although
// the upload action takes them for distinct runs. Last, a tool left with
// one category only in base and another only in head has them compared.
// The first step matters only for a log with distinct runs of one tool
// and category (legs of a build matrix told apart by their run ids, two
// versions of a tool side by side): each is compared with its own
// counterpart, not all with all.
func Compare(ctx context.Context, base, head *sarif.Log, opts *Options) (*Diff, error) {
	if opts == nil {
		opts = &Options{}
	}
	d := &Diff{}
	shared := newInterner()
	headItems, headReaders, err := items(ctx, head, opts.HeadRoot, "the head checkout given", shared)
	if err != nil {
		return nil, err
	}
	baseItems, baseReaders, err := items(ctx, base, opts.BaseRoot, "the base checkout given", shared)
	if err != nil {
		return nil, err
	}
	for _, rr := range append(baseReaders, headReaders...) {
		rr.strings = nil // the items keep the strings, not the table
	}
	d.roots = rootNotes(baseReaders, headReaders)
	if note, ok := applyInferredRoots(baseItems, headItems); ok {
		d.roots = append(d.roots, note)
	}
	headItems, d.StaleHead = withoutStale(headItems)
	baseItems, d.StaleBase = withoutStale(baseItems)

	groups, groupOf := pairRuns(base, head)
	d.groups, d.groupOf = groups, groupOf
	for side, list := range [2][]*Item{headItems, baseItems} {
		for _, it := range list {
			g := groupOf[it.Run()]
			if side == 0 {
				g.head = append(g.head, it)
			} else {
				g.base = append(g.base, it)
			}
		}
	}

	lines := opts.LineMap
	if lines == nil && opts.BaseFiles != nil && opts.HeadFiles != nil {
		if lines, err = linemap.DiffFiles(ctx, opts.BaseFiles, opts.HeadFiles, itemPaths(baseItems, headItems)); err != nil {
			return nil, err
		}
	}
	for _, g := range groups {
		g.pair.BaseResults, g.pair.HeadResults = len(g.base), len(g.head)
		d.Runs = append(d.Runs, *g.pair)
		if g.pair.InBase && g.pair.InHead {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			m := newMatcher(g.base, g.head)
			m.lines = lines
			m.run()
		}
	}

	d.Matches = make([]Match, 0, len(headItems)+len(baseItems))
	for _, h := range headItems {
		b := h.partner
		switch {
		case b == nil:
			d.Matches = append(d.Matches, Match{State: StateNew, Head: h})
		case sameLocationAndMessage(b, h):
			d.Matches = append(d.Matches, Match{State: StateUnchanged, Pass: h.pass.pass(), Base: b, Head: h})
		default:
			d.Matches = append(d.Matches, Match{State: StateUpdated, Pass: h.pass.pass(), Base: b, Head: h})
		}
	}
	if !opts.OwnSuppressionsOnly {
		for _, m := range d.Matches {
			if m.Base != nil && m.Head != nil && m.Base.Suppressed && !m.Head.Suppressed {
				m.Head.Suppressed, m.Head.Inherited = true, true
				d.Inherited++
			}
		}
	}
	for _, b := range baseItems {
		switch p := groupOf[b.Run()].pair; {
		case b.partner != nil:
		case p.InBase && p.InHead:
			d.Matches = append(d.Matches, Match{State: StateAbsent, Base: b})
		default:
			d.Matches = append(d.Matches, Match{State: StateNotCompared, Base: b})
		}
	}
	return d, nil
}

// itemPaths returns the relative URIs of the items' files.
func itemPaths(lists ...[]*Item) []string {
	seen := map[string]bool{}
	for _, list := range lists {
		for _, it := range list {
			if it.URI != "" && !isAbsolutePath(it.URI) && !strings.Contains(it.URI, ":") {
				seen[it.URI] = true
			}
		}
	}
	return slices.Collect(maps.Keys(seen))
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
	// sharedPrints are the informative fingerprint values that more
	// than one result of either side carries (see sharedValues).
	sharedPrints map[keyValue]bool
	lines        *linemap.LineMap // nil without one
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
	if c := strings.Compare(a.rule(), b.rule()); c != 0 {
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
	if c := a.fingerprint().compare(b.fingerprint()); c != 0 {
		return c
	}
	if c := a.partial.compare(b.partial); c != 0 {
		return c
	}
	return strings.Compare(a.alertNumber(), b.alertNumber())
}

// used tells whether an item is out of the passes still to run: paired,
// or settled alone (see matcher.lineMap).
func used(it *Item) bool { return it.partner != nil || it.settled }

func (m *matcher) pair(b, h *Item, p Pass) {
	b.partner, h.partner = h, b
	b.pass, h.pass = indexOf(p), indexOf(p)
	m.pairs = append(m.pairs, b)
}

func (m *matcher) run() {
	m.fingerprintKeys = informativeKeys(m.base, m.head, func(it *Item) prints { return it.fingerprint() })
	m.partialKeys = informativeKeys(m.base, m.head, func(it *Item) prints { return it.partial })
	// A fingerprint value that one result alone carries on each side is
	// an identity; one that several carry (a hash of a line's text alone,
	// which identical lines share) pairs results only within a file and
	// in line order, after the line map (see sharedFingerprint).
	m.sharedPrints = sharedValues(m.base, m.head, m.fingerprintKeys)
	m.byKey(PassFingerprint, func(it *Item) []string {
		return evidenceKeys(it.rule(), it.fingerprint(), m.fingerprintKeys, m.sharedPrints)
	}, func(b, h *Item) bool { return !b.fingerprint().conflicts(h.fingerprint()) && !m.lineMapDisagrees(b, h) })
	m.byKey(PassPartialFingerprint, func(it *Item) []string {
		return evidenceKeys(it.rule()+"\x00"+it.URI, it.partial, m.partialKeys, nil)
	}, func(b, h *Item) bool {
		return !b.partial.conflicts(h.partial) && !vetoed(b, h) && !m.lineMapDisagrees(b, h)
	})
	m.byKey(PassAlertNumber, func(it *Item) []string {
		if it.alertNumber() == "" {
			return nil
		}
		return []string{it.alertNumber()}
	}, func(b, h *Item) bool { return !vetoed(b, h) })
	if m.lines != nil {
		m.lineMap()
	}
	if len(m.sharedPrints) > 0 {
		m.nearest(PassFingerprint, m.base, m.head, m.sharedFingerprint)
	}
	// Results on the same line with the same message are paired only
	// where the code around them did not move: where results that are
	// alone with their message in the file, on both sides, say it moved,
	// the same line number is a coincidence, and the results are left to
	// the passes that follow the move.
	settled := m.robustAnchors()
	m.nearestWith(settled, PassLocation, m.base, m.head, func(it *Item) string {
		return key(it.rule(), it.URI, strconv.Itoa(it.StartLine), it.Message)
	})
	m.nearestWith(m.robustAnchors(), PassRegion, m.base, m.head, func(it *Item) string {
		if it.StartLine == 0 {
			return ""
		}
		return key(it.rule(), it.URI, strconv.Itoa(it.StartLine), strconv.Itoa(it.StartColumn), it.maskedMessage())
	})
	m.nearest(PassSnippet, m.base, m.head, func(it *Item) string {
		if it.Snippet == "" {
			return ""
		}
		return key(it.rule(), it.URI, it.Snippet)
	})
	m.renamedFiles()
	m.shiftedLines()
	m.nearest(PassSimilarMessage, m.base, m.head, func(it *Item) string {
		if it.RuleID == "" || it.StartLine == 0 {
			return ""
		}
		return key(it.rule(), it.URI)
	})
}

// maxSimilarShift bounds how far (in lines) from where the pairs around
// it put it a result may be for PassSimilarMessage.
const maxSimilarShift = 3

// similar tells whether PassSimilarMessage may pair b and h: their
// messages share at least half of their words (Jaccard index of the sets
// of words, numbers folded); other passes have their own keys.
func similar(p Pass, b, h *Item) bool {
	if p != PassSimilarMessage {
		return true
	}
	x, y := words(b.maskedMessage()), words(h.maskedMessage())
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	shared := 0
	for w := range x {
		if y[w] {
			shared++
		}
	}
	return 2*shared >= len(x)+len(y)-shared
}

// words returns the set of words of a message: runs of letters, digits
// and underscores.
func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		out[w] = true
	}
	return out
}

// vetoed tells whether two results cannot be the same by their
// result.fingerprints: a key both carry has different values. It holds in
// every pass after the fingerprint pass: weaker evidence does not
// overrule a tool's own identity for a result.
func vetoed(b, h *Item) bool { return b.fingerprint().conflicts(h.fingerprint()) }

func key(parts ...string) string { return strings.Join(parts, "\x00") }

// evidenceKeys returns the matching keys of a result's fingerprints: the
// prefix (rule, and file for partial fingerprints) with each informative
// key and its value, but those shared (see sharedValues).
func evidenceKeys(prefix string, p prints, informative map[string]bool, shared map[keyValue]bool) []string {
	var out []string
	for _, kv := range p {
		if informative[kv.key] && !shared[kv] {
			out = append(out, prefix+"\x00"+kv.key+"\x00"+kv.value)
		}
	}
	return out
}

// sharedFingerprint is the matching key of a result whose fingerprint
// value is shared (see sharedValues): its rule, its file and the first
// such value; "" when it has none. Results paired on it are paired
// nearest first to where their line moved, in line order.
func (m *matcher) sharedFingerprint(it *Item) string {
	for _, kv := range it.fingerprint() {
		if m.sharedPrints[kv] {
			return key(it.rule(), it.URI, kv.key, kv.value)
		}
	}
	return ""
}

// lineMapDisagrees tells whether the line map says that b's line went
// elsewhere than h's, or that h's line came from elsewhere than b's:
// where the code did not change, the line map knows where each line went,
// and that wins over any fingerprint.
func (m *matcher) lineMapDisagrees(b, h *Item) bool {
	if m.lines == nil {
		return false
	}
	if uri, line, ok := m.lines.Map(b.URI, b.StartLine); ok && (uri != h.URI || line != h.StartLine) {
		return true
	}
	if uri, line, ok := m.lines.Origin(h.URI, h.StartLine); ok && (uri != b.URI || line != b.StartLine) {
		return true
	}
	return false
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
type anchor = lis.Pair

// anchors returns, per pair of base and head files, the lines matched so
// far, sorted by base line.
func (m *matcher) anchors() map[[2]string][]anchor {
	a := map[[2]string][]anchor{}
	for _, b := range m.pairs {
		h := b.partner
		if b.StartLine > 0 && h.StartLine > 0 {
			k := [2]string{b.URI, h.URI}
			a[k] = append(a[k], anchor{Base: b.StartLine, Head: h.StartLine})
		}
	}
	for _, list := range a {
		slices.SortFunc(list, func(x, y anchor) int { return cmp.Or(cmp.Compare(x.Base, y.Base), cmp.Compare(x.Head, y.Head)) })
	}
	return a
}

// robustAnchors returns the anchors of the passes that pair results by
// line: the pairs made so far, and the results alone in their file with
// their rule and message on both sides, where they agree with one
// another (the longest run of them in the same order in both files, as
// code keeps its order); these are not paired, only trusted to say how
// lines moved.
func (m *matcher) robustAnchors() map[[2]string][]anchor {
	a := m.anchors()
	type group struct {
		b, h   *Item
		nb, nh int
	}
	groups := map[string]*group{}
	for _, b := range m.base {
		if !used(b) && b.StartLine > 0 {
			k := key(b.rule(), b.URI, b.Message)
			g := groups[k]
			if g == nil {
				g = &group{}
				groups[k] = g
			}
			g.b, g.nb = b, g.nb+1
		}
	}
	for _, h := range m.head {
		if !used(h) && h.StartLine > 0 {
			if g := groups[key(h.rule(), h.URI, h.Message)]; g != nil {
				g.h, g.nh = h, g.nh+1
			}
		}
	}
	byFile := map[string][]anchor{}
	for _, g := range groups {
		if g.nb == 1 && g.nh == 1 {
			byFile[g.b.URI] = append(byFile[g.b.URI], anchor{Base: g.b.StartLine, Head: g.h.StartLine})
		}
	}
	for uri, list := range byFile {
		k := [2]string{uri, uri}
		a[k] = append(a[k], lis.Increasing(list)...)
		slices.SortFunc(a[k], func(x, y anchor) int { return cmp.Or(cmp.Compare(x.Base, y.Base), cmp.Compare(x.Head, y.Head)) })
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
	i := sort.Search(len(list), func(i int) bool { return list[i].Base > line }) - 1
	if i < 0 {
		i = 0
	}
	return line + list[i].Head - list[i].Base
}

// A window is where, in a head file, a base line can have gone without
// crossing the pairs already made in the file: after the head line of the
// nearest pair above it (lo, with base line loBase) and before that of
// the nearest below (hi, hiBase). ok says whether each exists.
type window struct {
	lo, loBase, hi, hiBase int
	hasLo, hasHi           bool
}

// between returns the window of base line line among anchors (sorted by
// base line).
func between(list []anchor, line int) window {
	var w window
	i := sort.Search(len(list), func(i int) bool { return list[i].Base >= line })
	if i > 0 {
		w.lo, w.loBase, w.hasLo = list[i-1].Head, list[i-1].Base, true
	}
	j := sort.Search(len(list), func(i int) bool { return list[i].Base > line })
	if j < len(list) {
		w.hi, w.hiBase, w.hasHi = list[j].Head, list[j].Base, true
	}
	return w
}

// holds tells whether head line h is in the window.
func (w window) holds(h int) bool {
	return (!w.hasLo || h >= w.lo) && (!w.hasHi || h <= w.hi)
}

// distance is how far head line h is from where base line line moved to:
// by the shift of the pair above it or of the pair below it, whichever is
// nearer (code inserted between them moves the lines below but not
// those above); from the prediction when there is no pair on either side.
func (w window) distance(predicted, line, h int) int {
	if !w.hasLo || !w.hasHi {
		return abs(predicted - h)
	}
	return min(abs(line+w.lo-w.loBase-h), abs(line+w.hi-w.hiBase-h))
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
		support     int // other candidates of the pass that move their line by as much
	}
	type groupCands struct {
		g     *side
		cands []cand
	}
	var all []groupCands
	for _, k := range keys {
		g := groups[k]
		if len(g.base) == 0 {
			continue
		}
		var cands []cand
		predicted := make([]int, len(g.base))
		bounds := make([]window, len(g.base))
		for i, b := range g.base {
			list := anchors[[2]string{b.URI, g.head[0].URI}]
			predicted[i] = predict(list, b.StartLine)
			bounds[i] = between(list, b.StartLine)
		}
		// Results that moved (not on their line any more) must not cross
		// the pairs already made in their file: code keeps its order.
		moved := p == PassSimilarMessage
		add := func(i, j int) {
			b, h := g.base[i], g.head[j]
			if vetoed(b, h) || !m.plausible(b, h) || moved && !bounds[i].holds(h.StartLine) {
				return
			}
			if moved && !similar(p, b, h) {
				return
			}
			d := bounds[i].distance(predicted[i], b.StartLine, h.StartLine)
			if p == PassSimilarMessage && d > maxSimilarShift ||
				(p == PassLocation || p == PassRegion) && (bounds[i].hasLo || bounds[i].hasHi) && d > 0 {
				return
			}
			cands = append(cands, cand{b: i, h: j, dline: d, dcol: abs(b.StartColumn - h.StartColumn)})
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
		all = append(all, groupCands{g, cands})
	}
	// For results that moved, a move that other results of the file made
	// too (a block of code moved, lines inserted above it) is the better
	// evidence: it comes before nearness to the predicted line.
	if p == PassShiftedLine || p == PassSimilarMessage {
		type shift struct {
			from, to string
			by       int
		}
		count := map[shift]int{}
		for _, gc := range all {
			for _, c := range gc.cands {
				b, h := gc.g.base[c.b], gc.g.head[c.h]
				count[shift{b.URI, h.URI, h.StartLine - b.StartLine}]++
			}
		}
		for _, gc := range all {
			for i := range gc.cands {
				c := &gc.cands[i]
				b, h := gc.g.base[c.b], gc.g.head[c.h]
				c.support = count[shift{b.URI, h.URI, h.StartLine - b.StartLine}] - 1
			}
		}
	}
	for _, gc := range all {
		g, cands := gc.g, gc.cands
		slices.SortFunc(cands, func(x, y cand) int {
			return cmp.Or(cmp.Compare(y.support, x.support), cmp.Compare(x.dline, y.dline), cmp.Compare(x.dcol, y.dcol), cmp.Compare(x.b, y.b), cmp.Compare(x.h, y.h))
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
		if p != PassShiftedLine && p != PassSimilarMessage &&
			(!slices.ContainsFunc(sb, func(b *Item) bool { return len(b.fingerprint()) > 0 }) || !anyVetoed(sb, sh)) && m.allPlausible(sb, sh) {
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
	index := map[string][]string{} // signature -> new files having it, in path order
	newSigs := map[string]map[string]int{}
	for f, items := range newFiles {
		newSigs[f] = signatures(items)
		for sig := range newSigs[f] {
			index[sig] = append(index[sig], f)
		}
	}
	goneSigs := map[string]map[string]int{}
	goneIndex := map[string][]string{} // signature -> gone files having it, in path order
	for f, items := range goneFiles {
		goneSigs[f] = signatures(items)
		for sig := range goneSigs[f] {
			goneIndex[sig] = append(goneIndex[sig], f)
		}
	}
	type sigFile struct{ sig, file string }
	goneRank := map[sigFile]int{} // a gone file's place among those with the signature
	for sig, fs := range goneIndex {
		slices.Sort(fs)
		for i, f := range fs {
			goneRank[sigFile{sig, f}] = i
		}
	}
	for _, fs := range index {
		slices.Sort(fs)
	}
	type filePair struct {
		gone, added string
		agree       int
	}
	var cands []filePair
	for f, items := range goneFiles {
		agree := map[string]int{}
		for sig, n := range goneSigs[f] {
			for _, g := range renameCandidates(index[sig], goneRank[sigFile{sig, f}], len(goneIndex[sig])) {
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

// MaxRenameCandidates is how many of the new files that share a
// signature (see renameKey) with a gone file [Compare] weighs as its new
// name, when more than that many share it: those whose place among them,
// in path order, is nearest to the gone file's place among the gone
// files with that signature (d7/a.go among d0..d4999 is weighed against
// e7/a.go and its neighbours among e0..e4999, not all 5000). A rename to
// a look-alike far from its place is missed, and a file's agreement
// counts only the signatures under which the other is one of its
// candidates; with this many or fewer look-alikes nothing is given up.
// It keeps the pairing of files linear in their number.
const MaxRenameCandidates = 32

// renameCandidates returns the new files (in path order) of one
// signature that the gone file at rank of the n gone files with that
// signature weighs: all, or the [MaxRenameCandidates] nearest its place.
func renameCandidates(files []string, rank, n int) []string {
	if len(files) <= MaxRenameCandidates {
		return files
	}
	center := rank
	if n > 0 && n != len(files) {
		center = int(int64(rank) * int64(len(files)) / int64(n))
	}
	lo := min(max(0, center-MaxRenameCandidates/2), len(files)-MaxRenameCandidates)
	return files[lo : lo+MaxRenameCandidates]
}

// renameKey is what a result must agree on across a renamed file: its
// rule, and its snippet and message (up to numbers), else its
// primaryLocationLineHash (a hash of the line's content and what follows
// it), else its message. Code that was rewritten while moved (a different
// snippet) is not the same result, however generic its message; nor is a
// result whose message says something else about the same snippet, which
// may be as short as "err". With the message alone, the start column must
// agree too: a file moved whole keeps its code's columns, one rewritten
// does not (unsafe calls at column 20 of bytesconv.go are not those at
// column 9 of the bytesconv_1.20.go that replaced it).
func renameKey(it *Item) string {
	if it.Snippet != "" {
		return key(it.rule(), "s", it.Snippet, it.maskedMessage())
	}
	if h := it.lineHash(); h != "" {
		return key(it.rule(), "h", h)
	}
	return key(it.rule(), "m", it.maskedMessage(), strconv.Itoa(it.StartColumn))
}

// lineMap pairs base and head results of the same rule where the line
// map says the base result's line went: the same column first, then any
// result of the rule on that line, in canonical order. A result left
// alone on a line the diff did not change is settled: the code it points
// at is the same on both sides, so its finding is gone (base) or came
// from a change elsewhere (head), and the weaker passes that follow,
// which look for moved or edited code, must not pair it.
func (m *matcher) lineMap() {
	defer func() {
		for _, b := range m.base {
			if !used(b) && b.StartLine > 0 {
				_, _, unchanged := m.lines.Map(b.URI, b.StartLine)
				b.settled = unchanged
			}
		}
		for _, h := range m.head {
			if !used(h) && h.StartLine > 0 {
				h.settled = !m.lines.HeadChanged(h.URI, h.StartLine)
			}
		}
	}()
	type at struct {
		rule, uri string
		line, col int
	}
	for _, withColumn := range []bool{true, false} {
		index := map[at][]*Item{}
		for _, h := range m.head {
			if !used(h) && h.StartLine > 0 {
				k := at{h.rule(), h.URI, h.StartLine, 0}
				if withColumn {
					k.col = h.StartColumn
				}
				index[k] = append(index[k], h)
			}
		}
		for _, b := range m.base {
			if used(b) || b.StartLine <= 0 {
				continue
			}
			uri, line, ok := m.lines.Map(b.URI, b.StartLine)
			if !ok {
				continue
			}
			k := at{b.rule(), uri, line, 0}
			if withColumn {
				k.col = b.StartColumn
			}
			for _, h := range index[k] {
				if !used(h) && !vetoed(b, h) {
					m.pair(b, h, PassLineMap)
					break
				}
			}
		}
	}
}

// plausible tells whether the weaker passes may pair b and h: always
// without a line map; with one, only where the diff says b's line could
// have become h's (see linemap.LineMap.MayBecome).
func (m *matcher) plausible(b, h *Item) bool {
	return m.lines == nil || m.lines.MayBecome(b.URI, b.StartLine, h.URI, h.StartLine)
}

func (m *matcher) allPlausible(b, h []*Item) bool {
	for i := range b {
		if !m.plausible(b[i], h[i]) {
			return false
		}
	}
	return true
}

// maxAlignCells bounds the size of the alignment shiftedLines computes
// for one group (base results times head results); a larger group is
// paired by nearest predicted line instead.
const maxAlignCells = 4 << 20

// shiftedLines pairs the results left of each rule, file and message (up
// to its numbers), which moved to other lines (PassShiftedLine). The
// results of a group are aligned in line order, as code keeps its order:
// the alignment that leaves the fewest results unpaired and changes the
// shift the fewest times wins, a shift being the lines a result moved by.
// A pair costs nothing when it moves by as much as the pair before it in
// the alignment, or as the pairs already made around it in the file say
// lines moved there; 1 otherwise; each result left unpaired costs 1. So a
// block of results that moved together pairs as a block, and results in
// inserted code stay new, where pairing each base result with the nearest
// head result would shift every pair after an insertion by one.
func (m *matcher) shiftedLines() {
	type group struct{ base, head []*Item }
	groups := map[string]*group{}
	var keys []string
	for _, h := range m.head {
		if !used(h) {
			k := key(h.rule(), h.URI, h.maskedMessage())
			g := groups[k]
			if g == nil {
				g = &group{}
				groups[k] = g
				keys = append(keys, k)
			}
			g.head = append(g.head, h)
		}
	}
	for _, b := range m.base {
		if !used(b) {
			if g := groups[key(b.rule(), b.URI, b.maskedMessage())]; g != nil {
				g.base = append(g.base, b)
			}
		}
	}
	sort.Strings(keys)
	anchors := m.robustAnchors()
	var large []*Item
	for _, k := range keys {
		g := groups[k]
		if len(g.base) == 0 {
			continue
		}
		if len(g.base)*len(g.head) > maxAlignCells {
			large = append(large, g.base...)
			continue
		}
		byLine := func(x, y *Item) int {
			return cmp.Or(cmp.Compare(x.StartLine, y.StartLine), cmp.Compare(x.StartColumn, y.StartColumn))
		}
		slices.SortStableFunc(g.base, byLine)
		slices.SortStableFunc(g.head, byLine)
		list := anchors[[2]string{g.base[0].URI, g.head[0].URI}]
		expect := make([]window, len(g.base))
		for i, b := range g.base {
			expect[i] = between(list, b.StartLine)
		}
		for _, p := range align(g.base, g.head, func(i, j int) (ok, expected bool) {
			b, h := g.base[i], g.head[j]
			if vetoed(b, h) || !m.plausible(b, h) {
				return false, false
			}
			return true, expect[i].shiftOf(b.StartLine, h.StartLine)
		}) {
			m.pair(g.base[p[0]], g.head[p[1]], PassShiftedLine)
		}
	}
	if len(large) > 0 {
		m.nearest(PassShiftedLine, large, m.head, func(it *Item) string {
			return key(it.rule(), it.URI, it.maskedMessage())
		})
	}
}

// shiftOf tells whether base line line moving to head line h moves by as
// much as the pair above it or the pair below it in the window (or, with
// no pair on either side, not at all).
func (w window) shiftOf(line, h int) bool {
	if !w.hasLo && !w.hasHi {
		return h == line
	}
	return w.hasLo && h-line == w.lo-w.loBase || w.hasHi && h-line == w.hi-w.hiBase
}

// align returns the pairs (i, j) of the cheapest order-keeping alignment
// of base and head (both in line order), as shiftedLines describes it;
// pair tells whether base[i] and head[j] may pair and whether their shift
// is the one expected there.
func align(base, head []*Item, pair func(i, j int) (ok, expected bool)) [][2]int {
	n, w := len(base), len(head)
	const inf = 1 << 30
	// best[i][j]: the cheapest alignment of base[:i] and head[:j];
	// last[i][j]: the cheapest of those that pairs base[i-1] and
	// head[j-1], inf when they cannot pair.
	best := make([][]int32, n+1)
	last := make([][]int32, n+1)
	for i := range best {
		best[i] = make([]int32, w+1)
		last[i] = make([]int32, w+1)
	}
	for i := 0; i <= n; i++ {
		for j := 0; j <= w; j++ {
			last[i][j] = inf
			if i == 0 || j == 0 {
				best[i][j] = int32(i + j)
				continue
			}
			if ok, expected := pair(i-1, j-1); ok {
				c := best[i-1][j-1] + 1
				if expected {
					c = best[i-1][j-1]
				}
				shift := head[j-1].StartLine - base[i-1].StartLine
				if i > 1 && j > 1 && last[i-1][j-1] < inf && head[j-2].StartLine-base[i-2].StartLine == shift {
					c = min(c, last[i-1][j-1])
				}
				last[i][j] = c
			}
			best[i][j] = min(best[i-1][j]+1, best[i][j-1]+1, last[i][j])
		}
	}
	var out [][2]int
	for i, j := n, w; i > 0 && j > 0; {
		switch {
		case last[i][j] == best[i][j]:
			out = append(out, [2]int{i - 1, j - 1})
			i, j = i-1, j-1
		case best[i-1][j]+1 == best[i][j]:
			i--
		default:
			j--
		}
	}
	slices.Reverse(out)
	return out
}
