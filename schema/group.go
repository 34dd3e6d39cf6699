package schema

import (
	"strconv"
	"strings"
)

// A Group is findings that say the same thing of many results: one ID,
// severity and message, at pointers that differ only in the index of the
// result (a tool that writes "level": "critical" on every result). A
// finding alone is a group of one.
type Group struct {
	// First is the first finding of the group, by pointer.
	First Finding
	// Count is the number of findings in the group.
	Count int
	// Pattern is the pointer of the findings with the result's index
	// written "*" (/runs/0/results/*/level); First.Pointer for a group of
	// one.
	Pattern string
}

// groupMin is the least number of alike findings that Groups summarises
// in one group: two are listed as they are.
const groupMin = 3

// Groups groups findings (in the order of the first of each group, as
// Validate sorts them) so that a problem repeated on many results reads
// as one line.
func Groups(findings []Finding) []Group {
	type key struct {
		file, pattern, id, message string
		sev                        Severity
	}
	var order []key
	members := map[key][]Finding{}
	for _, f := range findings {
		k := key{f.File, resultPattern(f.Pointer), f.ID, f.Message, f.Severity}
		if members[k] == nil {
			order = append(order, k)
		}
		members[k] = append(members[k], f)
	}
	var out []Group
	for _, k := range order {
		fs := members[k]
		if len(fs) < groupMin {
			for _, f := range fs {
				out = append(out, Group{First: f, Count: 1, Pattern: f.Pointer})
			}
			continue
		}
		out = append(out, Group{First: fs[0], Count: len(fs), Pattern: k.pattern})
	}
	return out
}

// resultPattern writes the result index of a pointer into a result as
// "*".
func resultPattern(ptr string) string {
	after, ok := strings.CutPrefix(ptr, "/runs/")
	if !ok {
		return ptr
	}
	run, rest, ok := strings.Cut(after, "/results/")
	if !ok {
		return ptr
	}
	index, tail, _ := strings.Cut(rest, "/")
	if _, err := strconv.Atoi(index); err != nil {
		return ptr
	}
	if tail != "" {
		tail = "/" + tail
	}
	return "/runs/" + run + "/results/*" + tail
}

// String formats a group of one as its finding; a larger group as
// "file:line:col: pattern: id: N results: message (first at pointer)",
// placed at its first finding.
func (g Group) String() string {
	if g.Count == 1 {
		return g.First.String()
	}
	f := g.First
	f.Pointer = g.Pattern
	f.Message = strconv.Itoa(g.Count) + " results: " + f.Message + " (first at " + g.First.Pointer + ")"
	return f.String()
}
