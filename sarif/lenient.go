package sarif

import (
	"cmp"
	"encoding/json"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Lenient reading
//
// A result whose members have the wrong type (a message that is a
// number, a level that is an object, locations that are a string) or an
// integer no reader can hold (a startLine of 1e20) is not valid SARIF,
// and package schema says so. The other readers (Result.Decode, the
// summaries of package diff, AddLineHashes) take such a member as absent
// and go on: one bad result does not stop a comparison of 100,000. They
// note it on the run (Run.NoteLenient), once per result and member, and
// a command tells its user once per kind of problem (Log.LenientReads):
// the pointer of the first, and how many more results had it. JSON null
// reads as absent without a note: readers of SARIF agree on that.

// A LenientRead is one kind of problem that readers of a run's results
// passed over: a member (its pointer below the result, such as "/level"
// or "/locations/0/physicalLocation/region/startLine") that was not what
// SARIF wants (Problem: "not a string but a number"), and how it was read
// instead (ReadAs: "read as absent").
type LenientRead struct {
	// Run is the index of the run in its log, Index that of the first
	// result with the problem (the lowest), Count the number of results
	// with it.
	Run, Index int
	Member     string
	Problem    string
	ReadAs     string
	Count      int
}

// Pointer is the JSON pointer of the first member with the problem.
func (l LenientRead) Pointer() string {
	return "/runs/" + strconv.Itoa(l.Run) + "/results/" + strconv.Itoa(l.Index) + l.Member
}

// String formats the problem for a diagnostic, with the file's name:
// "x.sarif: /runs/0/results/3/level: not a string but an object (and 41
// more results); read as absent".
func (l LenientRead) String(file string) string {
	var b strings.Builder
	b.WriteString(file)
	b.WriteString(": ")
	b.WriteString(printable(l.Pointer()))
	b.WriteString(": ")
	b.WriteString(l.Problem)
	if l.Count > 1 {
		b.WriteString(" (and " + strconv.Itoa(l.Count-1) + " more result")
		if l.Count > 2 {
			b.WriteByte('s')
		}
		b.WriteByte(')')
	}
	if l.ReadAs != "" {
		b.WriteString("; ")
		b.WriteString(l.ReadAs)
	}
	return b.String()
}

// lenientReads are the notes of one run, by kind: the member's pointer
// with indices below the result as "*", and the problem.
type lenientReads struct {
	mu sync.Mutex
	by map[lenientKind]*LenientRead
	// seen are the results and members noted, so that two readers of
	// one result (a summary, then Decode) count it once.
	seen map[lenientSeen]bool
}

type lenientKind struct{ pattern, problem string }

type lenientSeen struct {
	index  int
	member string
}

// NoteLenient records that a reader of result index of the run took its
// member (a JSON pointer below the result) as something else than it is:
// problem says what it is, readAs how it was read. It is safe for
// concurrent use; a result's member counts once, however many readers
// note it.
func (r *Run) NoteLenient(index int, member, problem, readAs string) {
	lr := &r.lenient
	lr.mu.Lock()
	defer lr.mu.Unlock()
	s := lenientSeen{index, member}
	if lr.seen[s] {
		return
	}
	if lr.by == nil {
		lr.by, lr.seen = map[lenientKind]*LenientRead{}, map[lenientSeen]bool{}
	}
	lr.seen[s] = true
	k := lenientKind{indexPattern(member), problem}
	if n := lr.by[k]; n != nil {
		n.Count++
		if index < n.Index {
			n.Index, n.Member = index, member
		}
		return
	}
	if readAs == "" {
		readAs = readAsAbsent(k.pattern)
	}
	lr.by[k] = &LenientRead{Index: index, Member: member, Problem: problem, ReadAs: readAs, Count: 1}
}

// readAsAbsent says how readers take a member they read as absent.
func readAsAbsent(pattern string) string {
	switch pattern {
	case "/level":
		return "read as absent: the rule's level, else warning"
	case "/message", "/message/text":
		return "read as absent: an empty message"
	case "/locations", "/locations/*", "/locations/*/physicalLocation", "/locations/*/physicalLocation/artifactLocation":
		return "read as absent: no location"
	}
	return ReadAsAbsent
}

// LenientReads returns what readers of the log's results passed over
// (see Run.NoteLenient), one per run and kind of problem, in the order
// of their pointers.
func (l *Log) LenientReads() []LenientRead {
	var out []LenientRead
	for i, run := range l.Runs {
		if run == nil {
			continue
		}
		lr := &run.lenient
		lr.mu.Lock()
		for _, n := range lr.by {
			c := *n
			c.Run = i
			out = append(out, c)
		}
		lr.mu.Unlock()
	}
	slices.SortFunc(out, func(a, b LenientRead) int {
		return cmp.Or(cmp.Compare(a.Run, b.Run), cmp.Compare(a.Index, b.Index), cmp.Compare(a.Member, b.Member), cmp.Compare(a.Problem, b.Problem))
	})
	return out
}

// indexPattern replaces the array indices of a pointer with "*".
func indexPattern(ptr string) string {
	if !strings.ContainsAny(ptr, "0123456789") {
		return ptr
	}
	segs := strings.Split(ptr, "/")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "/")
}

// Problems a reader notes (see NoteLenient).
const (
	ReadAsAbsent = "read as absent"
)

// WrongType describes a JSON value (its text) that is not of the JSON
// type want ("a string", "an object", "an array", "an integer", "a
// boolean"): "not a string but a number". An integer that no reader
// can hold is "beyond the range of a 64-bit integer", or "not a finite
// number" (1e999).
func WrongType(text []byte, want string) string {
	if len(text) == 0 {
		return "not " + want
	}
	got := ""
	switch text[0] {
	case '"':
		got = "a string"
	case '{':
		got = "an object"
	case '[':
		got = "an array"
	case 't', 'f':
		got = "a boolean"
	case 'n':
		got = "null"
	default:
		got = "a number"
		if want == "an integer" {
			if p := numberRange(json.Number(text)); p != "" {
				return p
			}
		}
	}
	return "not " + want + " but " + got
}

// numberRange says what is wrong with a number that should be an
// integer and is not one an int64 holds: "" when it is one, or when it
// is not an integer at all.
func numberRange(n json.Number) string {
	if _, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return ""
	}
	if f, err := strconv.ParseFloat(string(n), 64); err != nil && math.IsInf(f, 0) {
		return "not a finite number"
	}
	if r, ok := new(big.Rat).SetString(string(n)); ok && r.IsInt() && !r.Num().IsInt64() {
		return "beyond the range of a 64-bit integer"
	}
	return ""
}

// printable escapes the control characters of text from a log (a member
// name in a pointer) for a message: a line break or an escape sequence
// taken from the log must not reach a terminal or a CI log as such.
func printable(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }
