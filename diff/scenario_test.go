package diff

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/internal/longtest"
	"github.com/sarifkit/sarifkit/sarif"
)

// The scenario generator turns a base log into a head log by simulated
// edits with known ground truth, and measures how well Compare recovers
// it. Every base result carries a hidden identity; an edit moves, renames,
// rewords, removes (fixed: truly absent) or adds (truly new) results.

// evidence says what a scenario's results carry.
type evidence int

const (
	withFingerprints evidence = iota // result.fingerprints (like CodeQL's)
	withPartial                      // partialFingerprints only
	withSnippets                     // region snippets, no fingerprints (like gosec)
	withNothing                      // neither (like golangci-lint)
)

func (e evidence) String() string {
	return [...]string{"fingerprints", "partial-fingerprints", "snippets", "no-evidence"}[e]
}

type simResult struct {
	id                 int
	rule, file, msg    string
	snippet            string
	line, col          int
	fingerprint, lhash string
}

// sig identifies a result by content: exact copies have the same.
func sig(r simResult) string {
	return fmt.Sprintf("%s|%s|%d|%d|%s", r.rule, r.file, r.line, r.col, r.msg)
}

type scenario struct {
	rng   *rand.Rand
	ev    evidence
	nextI int
}

func (s *scenario) word() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 4+s.rng.IntN(6))
	for i := range b {
		b[i] = letters[s.rng.IntN(len(letters))]
	}
	return string(b)
}

func (s *scenario) newResult(file string) simResult {
	s.nextI++
	r := simResult{
		id:      s.nextI,
		rule:    fmt.Sprintf("R%02d", s.rng.IntN(40)),
		file:    file,
		line:    1 + s.rng.IntN(3000),
		col:     1 + s.rng.IntN(80),
		snippet: "call " + s.word() + "(" + s.word() + ")",
	}
	// A message names an identifier (letters only) and a count, as real
	// linters' messages do ("string `x` has 3 occurrences").
	r.msg = fmt.Sprintf("value %s %s has %d uses", s.word(), s.word(), 1+s.rng.IntN(50))
	r.fingerprint = fmt.Sprintf("fp-%d", r.id)
	r.lhash = fmt.Sprintf("%016x:1", s.rng.Uint64())
	return r
}

// edit derives head from base; it returns head and the ids of the results
// that are truly new (in head) and truly absent (in base).
func (s *scenario) edit(base []simResult) (head []simResult, newIDs, absentIDs map[int]bool) {
	newIDs, absentIDs = map[int]bool{}, map[int]bool{}
	copies := map[string]int{}
	for _, r := range base {
		copies[sig(r)]++
	}
	byFile := map[string][]simResult{}
	var files []string
	for _, r := range base {
		if byFile[r.file] == nil {
			files = append(files, r.file)
		}
		byFile[r.file] = append(byFile[r.file], r)
	}
	for _, f := range files {
		rs := byFile[f]
		// Lines inserted above some results (or deleted, never past them).
		if s.rng.IntN(2) == 0 {
			at, n := 1+s.rng.IntN(3000), 1+s.rng.IntN(40)
			if s.rng.IntN(3) == 0 {
				n = -min(n, at-1)
			}
			for i := range rs {
				if rs[i].line >= at {
					rs[i].line += n
				}
			}
		}
		// Renamed or moved file.
		moved := s.rng.IntN(20) == 0
		if moved {
			nf := "moved/" + s.word() + "/" + f[strings.LastIndexByte(f, '/')+1:]
			for i := range rs {
				rs[i].file = nf
			}
		}
		var untouched []simResult
		for _, r := range rs {
			k := s.rng.IntN(100)
			if k >= 10 && copies[sig(r)] == 1 {
				untouched = append(untouched, r)
			}
			switch {
			case k < 5: // fixed
				absentIDs[r.id] = true
				continue
			case k < 10: // reworded: the count changes
				r.msg = r.msg[:strings.LastIndex(r.msg, "has ")] + fmt.Sprintf("has %d uses", 51+s.rng.IntN(50))
				// With other evidence, tools may reword freely; but a
				// snippet alone does not identify a result across a
				// renamed file (it may be as short as "err"), so there the
				// message must still say the same.
				if s.ev != withNothing && !(moved && s.ev == withSnippets) && s.rng.IntN(2) == 0 {
					r.msg = "reworded: " + s.word() + " " + r.msg
				}
			}
			head = append(head, r)
		}
		// Results added to the file, and an exact duplicate now and then.
		for range s.rng.IntN(3) {
			r := s.newResult(rs[0].file)
			newIDs[r.id] = true
			head = append(head, r)
		}
		// An exact copy of a result that the edit left alone: which of the
		// two is "the new one" cannot matter. (Copying a result that has a
		// reworded or fixed twin would make the truth ambiguous: the
		// evidence could not tell the copy from the twin.)
		if s.rng.IntN(10) == 0 && len(untouched) > 0 {
			d := untouched[s.rng.IntN(len(untouched))]
			s.nextI++
			d.id = s.nextI
			newIDs[d.id] = true
			head = append(head, d)
		}
	}
	// Results come out in another order than they went in.
	s.rng.Shuffle(len(head), func(i, j int) { head[i], head[j] = head[j], head[i] })
	return head, newIDs, absentIDs
}

func (s *scenario) log(t testing.TB, results []simResult) *sarif.Log {
	l := sarif.New()
	run := sarif.NewRun("sim")
	for _, r := range results {
		res := gosarif.NewRuleResult(r.rule).WithMessage(gosarif.NewTextMessage(r.msg))
		region := gosarif.NewRegion().WithStartLine(r.line).WithStartColumn(r.col)
		if s.ev == withSnippets || s.ev == withFingerprints {
			region.WithSnippet(gosarif.NewArtifactContent().WithText(r.snippet))
		}
		res.WithLocations([]*gosarif.Location{gosarif.NewLocationWithPhysicalLocation(
			gosarif.NewPhysicalLocation().WithArtifactLocation(gosarif.NewSimpleArtifactLocation(r.file)).WithRegion(region))})
		switch s.ev {
		case withFingerprints:
			res.Fingerprints = map[string]any{"id/v1": r.fingerprint}
		case withPartial:
			res.PartialFingerprints = map[string]any{"primaryLocationLineHash": r.lhash}
		}
		text, err := sarif.NewResult(res)
		if err != nil {
			t.Fatal(err)
		}
		run.AppendResults(text)
	}
	l.Runs = append(l.Runs, run)
	return l
}

type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// runScenario builds a base of n results, edits it, compares, and scores
// new and absent. Exact duplicates are indistinguishable, so results are
// scored by content: a reported new result is right when a truly new
// result with the same rule, file, position and message exists.
func runScenario(t testing.TB, ev evidence, n int, seed uint64) (newScore, absentScore score) {
	s := &scenario{rng: rand.New(rand.NewPCG(seed, 7)), ev: ev}
	var base []simResult
	files := n / 25
	for range n {
		k := s.rng.IntN(files)
		base = append(base, s.newResult(fmt.Sprintf("pkg/p%d/file%d.go", k%97, k)))
	}
	// Exact duplicates already in base.
	for range n / 100 {
		d := base[s.rng.IntN(len(base))]
		s.nextI++
		d.id = s.nextI
		base = append(base, d)
	}
	head, newIDs, absentIDs := s.edit(slicesClone(base))
	d := compare(t, s.log(t, base), s.log(t, head))
	t.Logf("%s: %d base results, %d head results; truly new %d, truly absent %d; found %v",
		ev, len(base), len(head), len(newIDs), len(absentIDs), Summarize(d))

	itemSig := func(it *Item) string {
		return fmt.Sprintf("%s|%s|%d|%d|%s", it.RuleID, it.URI, it.StartLine, it.StartColumn, it.Message)
	}
	truthNew, truthAbsent := map[string]int{}, map[string]int{}
	for _, r := range base {
		if absentIDs[r.id] {
			truthAbsent[sig(r)]++
		}
	}
	for _, r := range head {
		if newIDs[r.id] {
			truthNew[sig(r)]++
		}
	}
	gotNew, gotAbsent := map[string]int{}, map[string]int{}
	for i := range d.Matches {
		m := &d.Matches[i]
		switch m.State {
		case StateNew:
			gotNew[itemSig(m.Head)]++
		case StateAbsent:
			gotAbsent[itemSig(m.Base)]++
		}
	}
	if os.Getenv("SCENARIO_DEBUG") != "" {
		logDifferences(t, "new", gotNew, truthNew)
		logDifferences(t, "absent", gotAbsent, truthAbsent)
	}
	return compareCounts(gotNew, truthNew), compareCounts(gotAbsent, truthAbsent)
}

// logDifferences logs every signature whose count differs from the truth.
func logDifferences(t testing.TB, kind string, got, truth map[string]int) {
	for k := range got {
		if got[k] != truth[k] {
			t.Logf("%s %q got %d want %d", kind, k, got[k], truth[k])
		}
	}
	for k := range truth {
		if got[k] == 0 {
			t.Logf("%s %q got 0 want %d", kind, k, truth[k])
		}
	}
}

func compareCounts(got, truth map[string]int) score {
	var s score
	for k, g := range got {
		tp := min(g, truth[k])
		s.tp += tp
		s.fp += g - tp
	}
	for k, w := range truth {
		s.fn += w - min(w, got[k])
	}
	return s
}

func slicesClone(s []simResult) []simResult { return append([]simResult(nil), s...) }

// scenarioResults sizes the base logs of TestScenarios, when set.
var scenarioResults = flag.Int("scenario-results", 0, "base results in each TestScenarios scenario (default 10000, 100000 with SARIFKIT_LONG_TESTS=1)")

// TestScenarios checks precision and recall of new and absent for each
// kind of evidence a tool may give. Target: 1.000.
//
// Each base log has 10,000 results by default, so that go test ./...
// stays quick, and 100,000 with SARIFKIT_LONG_TESTS=1 (package
// internal/longtest), as CI runs it; -scenario-results N sets another
// size.
func TestScenarios(t *testing.T) {
	t.Parallel()
	n := *scenarioResults
	if n == 0 {
		n = longtest.Size(10_000, 100_000)
	}
	for _, ev := range []evidence{withFingerprints, withPartial, withSnippets, withNothing} {
		t.Run(ev.String(), func(t *testing.T) {
			ns, as := runScenario(t, ev, n, uint64(ev)+1)
			t.Logf("%s, %d base results: new precision %.4f recall %.4f (%+v); absent precision %.4f recall %.4f (%+v)",
				ev, n, ns.precision(), ns.recall(), ns, as.precision(), as.recall(), as)
			if ns.precision() < 1 || ns.recall() < 1 || as.precision() < 1 || as.recall() < 1 {
				t.Errorf("want precision and recall 1.000 for new and absent")
			}
		})
	}
}
