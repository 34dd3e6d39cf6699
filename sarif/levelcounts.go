package sarif

import (
	"fmt"
	"slices"
	"strings"
)

// LevelCounts count results by level (their effective level: see
// [Resolver.Level]).
type LevelCounts map[string]int

// String renders the counts most severe level first: "1 error, 2 note";
// levels outside SARIF's (from invalid logs) follow, quoted.
func (c LevelCounts) String() string {
	var lv []string
	for _, l := range []string{LevelError, LevelWarning, LevelNote, LevelNone} {
		if n := c[l]; n > 0 {
			lv = append(lv, fmt.Sprintf("%d %s", n, l))
		}
	}
	var other []string // levels outside the enum, from invalid logs
	for l := range c {
		if LevelRank(l) == 0 && l != LevelNone {
			other = append(other, l)
		}
	}
	slices.Sort(other)
	for _, l := range other {
		lv = append(lv, fmt.Sprintf("%d %q", c[l], l))
	}
	return strings.Join(lv, ", ")
}
