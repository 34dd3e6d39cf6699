package diff

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
)

// Summary counts the matches of a comparison by state, and the new ones
// by level.
type Summary struct {
	New         int               `json:"new"`
	Absent      int               `json:"absent"`
	Unchanged   int               `json:"unchanged"`
	Updated     int               `json:"updated"`
	NotCompared int               `json:"notCompared"`
	NewByLvl    sarif.LevelCounts `json:"newByLevel"`
}

// Summarize counts the matches of d.
func Summarize(d *Diff) Summary {
	s := Summary{NewByLvl: sarif.LevelCounts{}}
	for i := range d.Matches {
		m := &d.Matches[i]
		switch m.State {
		case StateNew:
			s.New++
			s.NewByLvl[m.Head.Level()]++
		case StateAbsent:
			s.Absent++
		case StateUnchanged:
			s.Unchanged++
		case StateUpdated:
			s.Updated++
		case StateNotCompared:
			s.NotCompared++
		}
	}
	return s
}

// String renders the summary as one line: "3 new (1 error, 2 warning),
// 2 absent, 4 updated, 10 unchanged", followed by ", 7 not compared" when
// some base results were not compared.
func (s Summary) String() string {
	levels := ""
	if s.New > 0 {
		levels = " (" + s.NewByLvl.String() + ")"
	}
	out := fmt.Sprintf("%d new%s, %d absent, %d updated, %d unchanged", s.New, levels, s.Absent, s.Updated, s.Unchanged)
	if s.NotCompared > 0 {
		out += fmt.Sprintf(", %d not compared", s.NotCompared)
	}
	return out
}

// SortByLocation sorts matches in the order people read results: by
// file, line and column, then rule and message (a match is where its head
// result is, or its base result when it has no head). The sort is
// stable. It returns ms.
func SortByLocation(ms []*Match) []*Match {
	slices.SortStableFunc(ms, func(a, b *Match) int { return compareLocation(a.Item(), b.Item()) })
	return ms
}

// SortBySeverity sorts matches most severe first (by level, then
// security severity), each level by location, as [SortByLocation]. The
// sort is stable. It returns ms.
func SortBySeverity(ms []*Match) []*Match {
	slices.SortStableFunc(ms, func(a, b *Match) int {
		x, y := a.Item(), b.Item()
		return cmp.Or(
			cmp.Compare(sarif.LevelRank(y.Level()), sarif.LevelRank(x.Level())),
			cmp.Compare(y.SecuritySeverity, x.SecuritySeverity),
			compareLocation(x, y))
	})
	return ms
}

func compareLocation(a, b *Item) int {
	return cmp.Or(strings.Compare(a.URI, b.URI), cmp.Compare(a.StartLine, b.StartLine), cmp.Compare(a.StartColumn, b.StartColumn),
		strings.Compare(a.RuleID, b.RuleID), strings.Compare(a.Message, b.Message))
}

// MatchesIn returns pointers to the matches of d in the states given
// (all when none is given), in the order of [Diff.Matches].
func (d *Diff) MatchesIn(states ...State) []*Match {
	var out []*Match
	for i := range d.Matches {
		if len(states) == 0 || slices.Contains(states, d.Matches[i].State) {
			out = append(out, &d.Matches[i])
		}
	}
	return out
}

// jsonResult is one entry of WriteJSON's results array.
type jsonResult struct {
	State       State   `json:"state"`
	Pass        Pass    `json:"pass,omitempty"`
	Level       string  `json:"level"`
	RuleID      string  `json:"ruleId,omitempty"`
	Tool        string  `json:"tool"`
	Category    string  `json:"category,omitempty"`
	Message     string  `json:"message"`
	URI         string  `json:"uri,omitempty"`
	StartLine   int     `json:"startLine,omitempty"`
	StartColumn int     `json:"startColumn,omitempty"`
	Security    float64 `json:"securitySeverity,omitempty"`
	Suppressed  bool    `json:"suppressed,omitempty"`
	BasePointer string  `json:"basePointer,omitempty"`
	HeadPointer string  `json:"headPointer,omitempty"`
	BaseURI     string  `json:"baseUri,omitempty"`
	BaseLine    int     `json:"baseStartLine,omitempty"`
	FailsGate   bool    `json:"failsGate,omitempty"`
}

// WriteJSON writes the summary, the notes and every match, by file and
// line: state, level, rule, location, the pass that matched it, and JSON
// pointers into both logs. With a gate's verdict (v not nil), the number
// of its failures is given, and each of them is marked failsGate. The
// results are written as they are rendered, one at a time.
func WriteJSON(w io.Writer, d *Diff, v *Verdict) error {
	head := struct {
		Summary  Summary   `json:"summary"`
		GateFail *int      `json:"gateFailures,omitempty"`
		Runs     []RunPair `json:"runs"`
		Notes    []string  `json:"notes,omitempty"`
	}{Summary: Summarize(d), Runs: d.Runs, Notes: noteStrings(d.Notes())}
	if head.Runs == nil {
		head.Runs = []RunPair{}
	}
	failing := map[*Match]bool{}
	if v != nil {
		n := len(v.Failures)
		head.GateFail = &n
		for _, m := range v.Failures {
			failing[m] = true
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(head); err != nil {
		return err
	}
	// The object so far, without its closing brace, then the results
	// member, one element at a time, indented as one Encode would.
	bw.Write(safetext.JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n}\n"))))
	bw.WriteString(",\n  \"results\": [")
	enc.SetIndent("    ", "  ")
	list := SortByLocation(d.MatchesIn())
	for i, m := range list {
		buf.Reset()
		if err := enc.Encode(newJSONResult(m, failing[m])); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(safetext.JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
	}
	if len(list) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

func newJSONResult(m *Match, fails bool) jsonResult {
	it := m.Item()
	r := jsonResult{State: m.State, Pass: m.Pass, Level: it.Level(), RuleID: it.RuleID, Tool: it.Tool(), Category: it.Category(),
		Message: it.Message, URI: it.URI, StartLine: it.StartLine, StartColumn: it.StartColumn, Suppressed: it.Suppressed, FailsGate: fails}
	if it.HasSecuritySeverity {
		r.Security = it.SecuritySeverity
	}
	if m.Base != nil {
		r.BasePointer = m.Base.Pointer()
		if m.Head != nil && (m.Base.URI != m.Head.URI || m.Base.StartLine != m.Head.StartLine) {
			r.BaseURI, r.BaseLine = m.Base.URI, m.Base.StartLine
		}
	}
	if m.Head != nil {
		r.HeadPointer = m.Head.Pointer()
	}
	return r
}
