package report

import (
	"crypto/sha256"
	"strconv"
	"strings"
)

// stableIDs make the ids of findings that stay the same from one run to
// the next (Code Quality's fingerprints, GitLab SAST's ids): the SHA-256
// of a basis of what identifies the finding, the basis of a finding
// alike in all of it to one before it suffixed with its number among
// them (sep, then 1, 2...). What it keeps is a hash per id given.
type stableIDs struct {
	sep  string
	seen map[[sha256.Size]byte]int
}

func newStableIDs(sep string) *stableIDs {
	return &stableIDs{sep: sep, seen: map[[sha256.Size]byte]int{}}
}

// next returns the id of the next finding, whose basis is the strings
// given: unique among the ids it has returned, even for a basis that
// ends like another's suffixed one.
func (s *stableIDs) next(basis ...string) [sha256.Size]byte {
	key := strings.Join(basis, "\x00")
	sum := sha256.Sum256([]byte(key))
	n := s.seen[sum]
	s.seen[sum] = n + 1
	for n > 0 {
		sum = sha256.Sum256([]byte(key + s.sep + strconv.Itoa(n)))
		if s.seen[sum] == 0 {
			s.seen[sum] = 1
			break
		}
		n++
	}
	return sum
}
