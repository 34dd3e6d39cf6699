package split

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sort"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/parallel"
	"github.com/sarifkit/sarifkit/sarif"
)

// budgetShare is the share of the size limit a plan fills by its
// estimates; the files are measured afterwards.
const budgetShare = 0.97

// maxParts caps the parts of one run: a run that needs more has results
// that do not spread (one file of one rule with more results than a run
// may have, identical text), and fails.
const maxParts = 1 << 16

// planner plans a split: the runs of the combined log, their parts, and
// the files they go to.
type planner struct {
	lim  limits
	st   *Stats
	log  *sarif.Log
	runs []*runPlan
	// taken are the tools and categories of the runs of the split (the
	// combined runs and the parts made), keys their upload keys.
	taken map[toolCat]bool
	keys  map[string]bool
}

// runPlan is one run of the combined log and what it becomes.
type runPlan struct {
	run        *sarif.Run // the combined run (without results once divided)
	tool, cat  string
	id         string
	hasID      bool
	ids        map[int]string // the parts' automationDetails.id, by part
	origin     []segment      // where its results come from
	n          int
	h          []uint32 // per result: the hash that decides its part (its low bits: maxParts is far below 1<<32)
	size       []int32  // per result: the length of its (trimmed) text
	rule       []int32  // per result: its rule, numbered across the run's components, -1 for none; nil unless the run has more rules than a run may
	totalRules int
	skelGz     int64   // the run without results, gzip-compressed
	ratio      float64 // gzip-compressed size of the results per byte of text
	corr       float64 // measured sizes over estimated ones, >= 1
	byLoc      []string
	reasons    []string
	prune      bool // prune the parts (or the run, undivided)
	b          int  // parts: 1 when the run stays whole
	parts      []*part
	pruned     sarif.Pruned
}

// part is one part of a run: the run itself while b is 1.
type part struct {
	k    int
	run  *sarif.Run
	orig []int32 // the indices of its results in the combined run; nil: all, in order
}

func (rp *runPlan) indexOf(p *part, j int) int {
	if p.orig == nil {
		return j
	}
	return int(p.orig[j])
}

func (rp *runPlan) stats() RunStats {
	return RunStats{Tool: rp.tool, Category: rp.cat, Results: rp.n, Parts: len(rp.parts),
		Reasons: rp.reasons, ByLocation: rp.byLoc, Pruned: rp.pruned}
}

// countWriter counts the bytes written to it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// gzipSize returns the size of text gzip-compressed.
func gzipSize(text []byte) int64 {
	var c countWriter
	zw := gzip.NewWriter(&c)
	zw.Write(text)
	zw.Close()
	return c.n
}

// hashOf is the first 8 bytes of the SHA-256 of the parts joined by NUL:
// the same on every platform and in every version.
func hashOf(parts ...string) uint64 {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		io.WriteString(h, p)
	}
	var sum [sha256.Size]byte
	return binary.BigEndian.Uint64(h.Sum(sum[:0]))
}

// measureRun trims the run's rules and results (what its reads will
// give), and reads every result once for its rule, hash and size, and
// the run's compression ratio.
func (p *planner) measureRun(ctx context.Context, r *sarif.Run, runIndex int, origin []segment) (rp *runPlan, err error) {
	first := len(p.st.Trims)
	defer func() { p.relocate(rp, p.st.Trims[first:]) }()
	p.st.Trims = append(p.st.Trims, TrimRules(r, runIndex, Limits{})...)
	trimmer, err := NewTrimmer(r, runIndex, Limits{})
	if err != nil {
		return nil, err
	}
	rp = &runPlan{run: r, tool: r.Tool(), cat: r.Category(), n: r.Len(), corr: 1, b: 1, origin: origin}
	if p.lim.underestimate > 0 {
		rp.corr = p.lim.underestimate
	}
	rp.id, rp.hasID = r.Key().AutomationID()
	rp.parts = []*part{{k: 0, run: r}}
	skel, err := r.Encode(r.Model) // after TrimRules
	if err != nil {
		return nil, err
	}
	rp.skelGz = gzipSize(skel)
	if rp.skelGz >= p.lim.gzip {
		if err := p.checkBare(rp, r); err != nil {
			return nil, err
		}
	}
	rules := r.Rules()
	offsets := []int{0}
	total := 0
	if d := r.Model.Tool.Driver; d != nil {
		total = len(d.Rules)
	}
	for _, e := range r.Model.Tool.Extensions {
		offsets = append(offsets, total)
		if e != nil {
			total += len(e.Rules)
		}
	}
	rp.totalRules = total
	rp.h = make([]uint32, rp.n)
	rp.size = make([]int32, rp.n)
	if total > p.lim.rules { // only then are the rules divided
		rp.rule = make([]int32, rp.n)
	}
	workers := parallel.Workers()
	type scratch struct {
		raw   int64
		trims []Trim
		any   bool
		large []int // results large enough to check alone
	}
	ws := make([]scratch, workers)
	err = r.EachResult(ctx, func(w, i int, res sarif.Result) error {
		t, ts, err := trimmer.Result(i, res)
		if err != nil {
			return rp.resultError(i, rules.RuleID(res.Rule()), err.Error())
		}
		s := &ws[w]
		if !bytes.Equal(t, res) {
			s.any = true
		}
		s.trims = append(s.trims, ts...)
		ref := t.Rule()
		rp.h[i] = uint32(hashOf(rules.RuleID(ref)))
		if rp.rule != nil {
			rp.rule[i] = -1
			if comp, idx, ok := rules.Find(ref); ok && comp < len(offsets) {
				rp.rule[i] = int32(offsets[comp] + idx)
			}
		}
		rp.size[i] = int32(len(t))
		s.raw += int64(len(t))
		if int64(len(t)) > p.lim.gzip/8 {
			s.large = append(s.large, i)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var raw int64
	edited := false
	for w := range ws {
		raw += ws[w].raw
		p.st.Trims = append(p.st.Trims, ws[w].trims...)
		edited = edited || ws[w].any
	}
	if rp.ratio, err = sampleRatio(r, trimmer, rp.size, raw); err != nil {
		return nil, err
	}
	var large []int
	for w := range ws {
		large = append(large, ws[w].large...)
	}
	slices.Sort(large)
	for _, i := range large {
		res, err := r.Result(i)
		if err != nil {
			return nil, err
		}
		t, _, err := trimmer.Result(i, res)
		if err != nil {
			return nil, err
		}
		if g := gzipSize(t); rp.skelGz+g > p.lim.gzip {
			return nil, rp.resultError(i, rules.RuleID(t.Rule()),
				fmt.Sprintf("%d bytes gzip-compressed alone in its run, over GitHub's %d for a whole upload", rp.skelGz+g, p.lim.gzip))
		}
	}
	if edited {
		if err := r.EditResults(ctx, func(i int, res sarif.Result) (sarif.Result, error) {
			t, _, err := trimmer.Result(i, res)
			return t, err
		}); err != nil {
			return nil, err
		}
	}
	return rp, nil
}

// budget is what the plan lets a file's estimate reach.
func (p *planner) budget() int64 { return int64(float64(p.lim.gzip) * budgetShare) }

// estimate is the estimated gzip-compressed size of a part of the run
// with raw bytes of results.
func (rp *runPlan) estimate(raw int64) int64 {
	return rp.skelGz + int64(float64(raw)*rp.ratio*rp.corr)
}

// bucketStats are what one bucket of results adds up to.
type bucketStats struct {
	n   int
	raw int64
}

// fits tells whether a bucket fits in one part.
func (p *planner) fits(rp *runPlan, b bucketStats) bool {
	return b.n <= p.lim.results && rp.estimate(b.raw) <= p.budget()
}

// fitsHalf tells whether a bucket fits in half a part: a rule that does
// not is divided by path, so that a plan made again with a larger
// estimate (see planner.fit) still finds parts for it.
func (p *planner) fitsHalf(rp *runPlan, b bucketStats) bool {
	return b.n <= p.lim.results/2 && rp.estimate(b.raw) <= rp.skelGz+(p.budget()-rp.skelGz)/2
}

// plan chooses how many parts each run becomes, and makes them.
func (p *planner) plan(ctx context.Context) error {
	for _, rp := range p.runs {
		if err := p.planRun(ctx, rp); err != nil {
			return err
		}
	}
	return nil
}

func (p *planner) planRun(ctx context.Context, rp *runPlan) error {
	whole := bucketStats{n: rp.n}
	for _, s := range rp.size {
		whole.raw += int64(s)
	}
	if whole.n > p.lim.results {
		rp.reasons = append(rp.reasons, ReasonResults)
	}
	divide := whole.n > p.lim.results
	if rp.totalRules > p.lim.rules {
		// Over the limit: pruned to the rules used, and divided when
		// those are over it too.
		rp.prune = true
		rp.reasons = append(rp.reasons, ReasonRules)
		if p.usedRules(rp, 1)[0] > p.lim.rules {
			divide = true
		}
	}
	if rp.estimate(whole.raw) > p.budget() {
		rp.reasons = append(rp.reasons, ReasonSize)
		rp.prune = true
		divide = true
	}
	if !divide {
		if rp.prune {
			return p.pruneParts(ctx, rp)
		}
		return nil
	}
	if err := p.spread(ctx, rp); err != nil {
		return err
	}
	b, err := p.partsNeeded(rp, 2)
	if err != nil {
		return err
	}
	return p.refine(ctx, rp, b)
}

// spread rehashes the results of rules too large for one part by the
// path of their primary location, and those of a path of such a rule
// still too large by their whole text.
func (p *planner) spread(ctx context.Context, rp *runPlan) error {
	byRule := map[uint32]*bucketStats{}
	for i, h := range rp.h {
		b := byRule[h]
		if b == nil {
			b = &bucketStats{}
			byRule[h] = b
		}
		b.n++
		b.raw += int64(rp.size[i])
	}
	big := map[uint32]bool{}
	for h, b := range byRule {
		if !p.fitsHalf(rp, *b) {
			big[h] = true
		}
	}
	if len(big) == 0 {
		return nil
	}
	// Hash by rule and path, reading the results of the large rules.
	src := rp.parts[0].run // still whole: spread runs before dividing
	resolver := src.Resolver()
	names := map[string]bool{}
	var mu chanMutex = make(chan struct{}, 1)
	err := src.EachResult(ctx, func(_, i int, res sarif.Result) error {
		if !big[rp.h[i]] {
			return nil
		}
		m, err := res.Decode()
		if err != nil {
			return err
		}
		id := resolver.RuleID(m)
		rp.h[i] = uint32(hashOf(id, resolver.PrimaryURI(m)))
		mu.lock()
		names[id] = true
		mu.unlock()
		return nil
	})
	if err != nil {
		return err
	}
	for id := range names {
		rp.byLoc = append(rp.byLoc, id)
	}
	sort.Strings(rp.byLoc)
	// Paths still too large: hash each result's text.
	pathStats := map[uint32]*bucketStats{}
	for i, h := range rp.h {
		b := pathStats[h]
		if b == nil {
			b = &bucketStats{}
			pathStats[h] = b
		}
		b.n++
		b.raw += int64(rp.size[i])
	}
	bigPath := map[uint32]bool{}
	for h, b := range pathStats {
		if !p.fitsHalf(rp, *b) {
			bigPath[h] = true
		}
	}
	if len(bigPath) == 0 {
		return nil
	}
	return src.EachResult(ctx, func(_, i int, res sarif.Result) error {
		if bigPath[rp.h[i]] {
			sum := sha256.Sum256(res)
			rp.h[i] = uint32(binary.BigEndian.Uint64(sum[:8]))
		}
		return nil
	})
}

// chanMutex is a mutex made of a channel of one.
type chanMutex chan struct{}

func (m chanMutex) lock()   { m <- struct{}{} }
func (m chanMutex) unlock() { <-m }

// usedRules returns, for each of b buckets, the number of distinct
// rules its results use.
func (p *planner) usedRules(rp *runPlan, b int) []int {
	if rp.rule == nil {
		return make([]int, b)
	}
	seen := make(map[uint64]struct{})
	counts := make([]int, b)
	for i, h := range rp.h {
		if rp.rule[i] < 0 {
			continue
		}
		k := int(h & uint32(b-1))
		key := uint64(k)<<32 | uint64(uint32(rp.rule[i]))
		if _, ok := seen[key]; !ok {
			seen[key] = struct{}{}
			counts[k]++
		}
	}
	return counts
}

// partsNeeded returns the smallest power of two, from, that makes every
// bucket fit.
func (p *planner) partsNeeded(rp *runPlan, from int) (int, error) {
	for b := from; b <= maxParts; b *= 2 {
		stats := make([]bucketStats, b)
		for i, h := range rp.h {
			s := &stats[h&uint32(b-1)]
			s.n++
			s.raw += int64(rp.size[i])
		}
		ok := true
		for _, s := range stats {
			if s.n > 0 && !p.fits(rp, s) {
				ok = false
				break
			}
		}
		if ok && rp.totalRules > p.lim.rules {
			for _, n := range p.usedRules(rp, b) {
				if n > p.lim.rules {
					ok = false
					break
				}
			}
		}
		if ok {
			return b, nil
		}
	}
	return 0, rp.resultError(-1, "",
		fmt.Sprintf("its results do not spread into %d parts that each fit (results identical in all but their position?)", maxParts))
}

// refine divides every part of the run into the parts of b buckets
// (b a multiple of the run's current number). Each part is a copy of the
// part it comes from made without its artifacts and thread flow
// locations, which are copied into each new part in turn and pruned there
// to what its results use: no more than one whole copy of them is held
// at a time, and the files do not repeat them part after part.
func (p *planner) refine(ctx context.Context, rp *runPlan, b int) error {
	if b <= rp.b {
		return fmt.Errorf("internal error: refining %d parts into %d", rp.b, b)
	}
	var out []*part
	for _, src := range rp.parts {
		m := src.run.Model
		if len(m.Artifacts) > 0 || len(m.ThreadFlowLocations) > 0 {
			rp.prune = true
		}
		arts, tfls := m.Artifacts, m.ThreadFlowLocations
		m.Artifacts, m.ThreadFlowLocations = nil, nil
		n := src.run.Len()
		slot := map[int]int{} // bucket to index in children
		var children []*part
		assign := make([]int32, n)
		for j := range n {
			i := rp.indexOf(src, j)
			k := int(rp.h[i] & uint32(b-1))
			c, ok := slot[k]
			if !ok {
				run, err := sarif.CopyRun(src.run)
				if err != nil {
					m.Artifacts, m.ThreadFlowLocations = arts, tfls
					return err
				}
				setID(run, p.partID(rp, k))
				c = len(children)
				slot[k] = c
				children = append(children, &part{k: k, run: run, orig: []int32{}})
			}
			assign[j] = int32(c)
			children[c].orig = append(children[c].orig, int32(i))
		}
		m.Artifacts, m.ThreadFlowLocations = arts, tfls
		runs := make([]*sarif.Run, len(children))
		for c, ch := range children {
			runs[c] = ch.run
		}
		if err := src.run.PartitionResults(ctx, runs, assign); err != nil {
			return err
		}
		for _, ch := range children {
			cm := ch.run.Model
			var err error
			if cm.Artifacts, err = copyOrNil(ch.run, src.run, arts); err != nil {
				return err
			}
			if cm.ThreadFlowLocations, err = copyOrNil(ch.run, src.run, tfls); err != nil {
				return err
			}
			if rp.prune {
				if err := p.prunePart(ctx, rp, ch); err != nil {
					return err
				}
			}
		}
		out = append(out, children...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].k < out[j].k })
	rp.parts, rp.b = out, b
	return nil
}

// copyOrNil copies a run-level array of src into dst's model values
// ([sarif.Copy]); nil stays nil.
func copyOrNil[T any](dst, src *sarif.Run, v []T) ([]T, error) {
	if v == nil {
		return nil, nil
	}
	c, err := sarif.Copy(dst, src, &v)
	if err != nil {
		return nil, err
	}
	return *c, nil
}

// pruneParts drops from each part what its results do not use.
func (p *planner) pruneParts(ctx context.Context, rp *runPlan) error {
	for _, pt := range rp.parts {
		if err := p.prunePart(ctx, rp, pt); err != nil {
			return err
		}
	}
	return nil
}

// prunePart drops from a part what its results do not use.
func (p *planner) prunePart(ctx context.Context, rp *runPlan, pt *part) error {
	pr, err := pt.run.Prune(ctx)
	if err != nil {
		return err
	}
	rp.pruned.Add(pr)
	return nil
}

// raw returns the bytes of results of a part.
func (rp *runPlan) raw(pt *part) int64 {
	var n int64
	for j := range pt.run.Len() {
		n += int64(rp.size[rp.indexOf(pt, j)])
	}
	return n
}

// setID sets the run's automationDetails.id.
func setID(run *sarif.Run, id string) {
	if run.Model.AutomationDetails == nil {
		run.Model.AutomationDetails = &gosarif.RunAutomationDetails{}
	}
	run.Model.AutomationDetails.ID = &id
}

// checkBare fails when the run, even pruned of every rule, taxonomy,
// artifact and thread flow location, is too large for an upload without
// a single result: every part copies what is left.
func (p *planner) checkBare(rp *runPlan, r *sarif.Run) error {
	bare, err := sarif.CopyRun(r)
	if err != nil {
		return err
	}
	m := bare.Model
	if m.Tool.Driver != nil {
		m.Tool.Driver.Rules = nil
	}
	for _, e := range m.Tool.Extensions {
		if e != nil {
			e.Rules = nil
		}
	}
	m.Taxonomies, m.Artifacts, m.ThreadFlowLocations = nil, nil, nil
	text, err := bare.Encode(m)
	if err != nil {
		return err
	}
	if n := gzipSize(text); n >= p.lim.gzip {
		return rp.resultError(-1, "",
			fmt.Sprintf("without its results, rules, taxonomies and artifacts it is %d bytes gzip-compressed (its tool, invocations and the rest, which each part copies), over GitHub's %d for a whole upload", n, p.lim.gzip))
	}
	return nil
}

// Sampling the compression ratio of a run's results: blocks of
// sampleBlock consecutive results, evenly spaced, about sampleBytes of
// text in all (every result of a smaller run), compressed as one stream
// in order, so that the estimate is the same at every run of the program.
const (
	sampleBytes = 8 << 20
	sampleBlock = 32
)

// sampleRatio returns the gzip-compressed size of the run's results per
// byte of their (trimmed) text, from a sample. size holds the length of
// each result's text, raw their sum.
func sampleRatio(r *sarif.Run, trimmer *Trimmer, size []int32, raw int64) (float64, error) {
	n := len(size)
	if n == 0 || raw == 0 {
		return 0, nil
	}
	stride := 1 // in blocks
	if raw > sampleBytes {
		blocks := (n + sampleBlock - 1) / sampleBlock
		perBlock := raw / int64(blocks)
		want := max(1, int(sampleBytes/max(perBlock, 1)))
		stride = max(1, blocks/want)
	}
	var c countWriter
	zw := gzip.NewWriter(&c)
	var in int64
	for b := 0; b*sampleBlock < n; b += stride {
		for i := b * sampleBlock; i < min(n, (b+1)*sampleBlock); i++ {
			res, err := r.Result(i)
			if err != nil {
				return 0, err
			}
			t, _, err := trimmer.Result(i, res)
			if err != nil {
				return 0, err
			}
			zw.Write(t)
			in += int64(len(t))
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return float64(c.n) / float64(max(in, 1)), nil
}
