package diff

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
	"github.com/sarifkit/sarifkit/sarif"
)

// flawfinderTruth is the truth about the flawfinder history of
// testdata/diff/flawfinder (see testdata/README.md): the base and head
// results (indices into runs[0].results) that are the same finding, and
// those that are new and absent.
type flawfinderTruth struct {
	Pairs       [][2]int
	New, Absent []int
}

// wrongCalls returns how d departs from the truth: each result whose
// state or partner is not the truth's, as "state base->head".
func (tr *flawfinderTruth) wrongCalls(d *Diff) []string {
	pairs := map[int]int{}
	for _, p := range tr.Pairs {
		pairs[p[0]] = p[1]
	}
	var wrong []string
	for _, m := range d.Matches {
		b, h := -1, -1
		if m.Base != nil {
			b = m.Base.Index
		}
		if m.Head != nil {
			h = m.Head.Index
		}
		var ok bool
		switch m.State {
		case StateNew:
			ok = slices.Contains(tr.New, h)
		case StateAbsent:
			ok = slices.Contains(tr.Absent, b)
		default:
			want, paired := pairs[b]
			ok = paired && want == h
		}
		if !ok {
			wrong = append(wrong, fmt.Sprintf("%s %d->%d (%s)", m.State, b, h, m.Pass))
		}
	}
	return wrong
}

// flawfinder's fingerprints["contextHash/v1"] hashes a line's trimmed
// text alone: in the history of testdata/diff/flawfinder, a small C code
// base scanned by flawfinder 2.0.19 before and after a change, the five
// "char errbuf[30];" and five "fprintf(stderr, errbuf);" share two
// values. The change removes log.c's log_line, adds a report_code to
// util.c and a net_close above net.c's two functions (identical lines in
// other files, and in the same file in shifted order), and marks str.c's
// memcpy "Flawfinder: ignore" while adding an identical memcpy below.
// A shared value is no identity: it pairs results only within a file and
// in line order, and where the line diff of the two revisions says where
// a line went, that wins over any fingerprint. With the code, every
// result gets its true state and partner; from the logs alone, all but
// the memcpy, which only the code tells apart from a moved line (the
// memcpy of base, alone in both logs with its fingerprint, is paired
// with the new one as a line that moved).
func TestSharedFingerprints(t *testing.T) {
	t.Parallel()
	dir := "../testdata/diff/flawfinder/"
	var truth flawfinderTruth
	if err := json.Unmarshal(sariftest.File(t, dir+"truth.json"), &truth); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		files bool
		want  []string
	}{
		{"logs alone", false, []string{"updated 17->22 (fingerprint)"}},
		{"with the checkouts", true, nil},
	} {
		base, head := readLog(t, dir+"base.sarif"), readLog(t, dir+"head.sarif")
		opts := &Options{}
		if c.files {
			opts.BaseFiles, opts.HeadFiles = os.DirFS(dir+"base"), os.DirFS(dir+"head")
			for _, side := range []struct {
				log  *sarif.Log
				tree fs.FS
			}{{base, opts.BaseFiles}, {head, opts.HeadFiles}} {
				if st, err := sarif.AddLineHashesFrom(t.Context(), side.log, side.tree, ""); err != nil || st.Skipped > 0 {
					t.Fatalf("%+v, %v", st, err)
				}
			}
		}
		d, err := Compare(t.Context(), base, head, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := truth.wrongCalls(d); !slices.Equal(got, c.want) {
			t.Errorf("%s: wrong calls %q, want %q", c.name, got, c.want)
		}
	}
}

// A shared fingerprint value does not pair results across files, nor in
// the order of the log within a file: identical lines inserted above
// others are new, whatever their place in the log.
func TestSharedFingerprintWithinFile(t *testing.T) {
	t.Parallel()
	res := func(uri string, line int, fp string) string {
		return fmt.Sprintf(`{"ruleId":"FF1013","message":{"text":"buffer/char"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":%d}}}],"fingerprints":{"contextHash/v1":%q}}`, uri, line, fp)
	}
	log := func(results ...string) *sarif.Log {
		// Unique values beside the shared one, as a real scan has: the
		// key tells results apart (see informativeKeys).
		for i := range 40 {
			results = append(results, res("z.c", 100+i, fmt.Sprint("u", i)))
		}
		s := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Flawfinder"}},"results":[`
		for i, r := range results {
			if i > 0 {
				s += ","
			}
			s += r
		}
		return parse(t, s+`]}]}`)
	}
	// Base: a.c:5, b.c:5 and b.c:20 share a value. Head: a.c's is gone,
	// b.c gained one above the other two, which moved down by 10.
	base := log(res("a.c", 5, "E"), res("b.c", 5, "E"), res("b.c", 20, "E"), res("b.c", 21, "one"))
	head := log(res("b.c", 6, "E"), res("b.c", 15, "E"), res("b.c", 30, "E"), res("b.c", 31, "one"))
	d := compare(t, base, head)
	var got []string
	for _, m := range d.Matches {
		if m.Item().URI != "z.c" {
			got = append(got, fmt.Sprintf("%s %s", m.State, describe(m)))
		}
	}
	want := []string{"new b.c:6", "updated b.c:5->b.c:15", "updated b.c:20->b.c:30", "updated b.c:21->b.c:31", "absent a.c:5"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func describe(m Match) string {
	switch {
	case m.Base != nil && m.Head != nil:
		return m.Base.Location() + "->" + m.Head.Location()
	default:
		return m.Item().Location()
	}
}

// Exact copies of one result (same file, line and column) that share a
// fingerprint value are one place, not identical lines elsewhere: the
// value still names them when their file is renamed and their message
// reworded, where nothing else can pair them.
func TestExactCopiesKeepTheirFingerprint(t *testing.T) {
	t.Parallel()
	res := func(uri string, line int, msg, fp string) string {
		return fmt.Sprintf(`{"ruleId":"R1","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":%d,"startColumn":3}}}],"fingerprints":{"id/v1":%q}}`, msg, uri, line, fp)
	}
	log := func(results ...string) *sarif.Log {
		for i := range 40 {
			results = append(results, res("z.c", 100+i, "other", fmt.Sprint("u", i)))
		}
		return parse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"sim"}},"results":[`+strings.Join(results, ",")+`]}]}`)
	}
	base := log(res("x.c", 7, "value v has 3 uses", "D"), res("x.c", 7, "value v has 3 uses", "D"))
	head := log(res("moved/x.c", 9, "reworded: value v has 60 uses", "D"), res("moved/x.c", 9, "reworded: value v has 60 uses", "D"))
	d := compare(t, base, head)
	var got []string
	for _, m := range d.Matches {
		if m.Item().URI != "z.c" {
			got = append(got, fmt.Sprintf("%s %s", m.State, describe(m)))
		}
	}
	want := []string{"updated x.c:7:3->moved/x.c:9:3", "updated x.c:7:3->moved/x.c:9:3"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
