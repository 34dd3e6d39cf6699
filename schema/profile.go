package schema

import (
	"fmt"
	"slices"
)

// A Profile is the rules of one consumer of SARIF logs beyond the
// standard: what GitHub code scanning's upload rejects or cuts
// ([ProfileGitHub], findings "github/..."), what GitLab's SARIF ingestion
// drops or refuses ([ProfileGitLab], findings "gitlab/..."). Every
// profile runs the same way: a check of each result as it streams by
// (counts are kept, not results) and a check of the whole log once every
// result is read. [Options.Profiles] turns on several at once.
type Profile uint8

const (
	// ProfileGitHub is GitHub code scanning's upload: its limits and what
	// its processing fails on (see the package documentation).
	ProfileGitHub Profile = iota + 1
	// ProfileGitLab is GitLab's SARIF ingestion (artifacts:reports:sarif;
	// introduced behind the sarif_ingestion feature flag, on by default
	// from GitLab 19.1, the flag removed at general availability in 19.2):
	// the results it drops, and whether it fails the report (see
	// gitlab.go).
	ProfileGitLab
)

// String names the profile as its findings' IDs begin: "github",
// "gitlab".
func (p Profile) String() string {
	switch p {
	case ProfileGitHub:
		return "github"
	case ProfileGitLab:
		return "gitlab"
	}
	return fmt.Sprintf("Profile(%d)", uint8(p))
}

// title names the consumer in messages: "GitHub", "GitLab".
func (p Profile) title() string {
	switch p {
	case ProfileGitHub:
		return "GitHub"
	case ProfileGitLab:
		return "GitLab"
	}
	return p.String()
}

// accepts tells whether the consumer takes a log in spite of a finding
// that the SARIF standard makes an error (a finding of the standard's
// rules: "ref/...", "region/..."; never one of a profile's own). A
// finding every selected profile accepts is a warning that says which
// accept it; one that a selected profile does not accept stays an error
// (see state.markAccepted).
func (p Profile) accepts(id string) bool {
	switch p {
	case ProfileGitHub:
		return githubAccepted(id)
	case ProfileGitLab:
		return gitlabAccepted(id)
	}
	return false
}

// rejectsFormat tells whether the consumer refuses a log with a value
// that breaks the schema format named (uri, uri-reference, date-time),
// and says what it does with such a log, for the finding's message.
func (p Profile) rejectsFormat(format string) (rejects bool, says string) {
	switch p {
	case ProfileGitHub:
		if format == "uri" || format == "uri-reference" {
			return false, "GitHub's upload action accepts it with a warning"
		}
		return true, "GitHub's upload action rejects the log"
	case ProfileGitLab:
		return true, gitlabFormatRejection
	}
	return false, ""
}

// needsGzipSize tells whether the profile's checks need the size of the
// log compressed with gzip: both consumers limit the compressed size.
func (p Profile) needsGzipSize() bool {
	return p == ProfileGitHub || p == ProfileGitLab
}

// profileCheck is one profile's checks during one validation.
type profileCheck interface {
	// result checks one result as it streams by. Several workers call it
	// at once; what it keeps for log is counts, not results.
	result(run, index int, result any, ptr string) []Finding
	// log checks the log once every result is read, adding its findings
	// to st.
	log(st *state, facts *logFacts)
}

// logFacts is what the log checks of a profile get: the log without its
// results, what is known of each run, and the size of the log compressed
// with gzip (0 unless a profile on needs it, see needsGzipSize).
type logFacts struct {
	skeleton any
	runs     []runInfo
	gzSize   int64
}

// profiles lists the profiles opts turns on, once each, in the order of
// [Profile].
func (o *Options) profiles() []Profile {
	ps := slices.Clone(o.Profiles)
	if o.GitHub {
		ps = append(ps, ProfileGitHub)
	}
	slices.Sort(ps)
	return slices.Compact(ps)
}

// newCheck starts the profile's checks of one validation.
func (p Profile) newCheck(file string) profileCheck {
	switch p {
	case ProfileGitHub:
		return githubCheck{file: file}
	case ProfileGitLab:
		return newGitLabCheck()
	}
	return nil
}

// githubCheck is [ProfileGitHub]'s checks. What GitHub cannot take of a
// result's references (checkResult) needs the run's arrays, and is
// checked with the references (see checkRefs).
type githubCheck struct{ file string }

func (g githubCheck) result(_, _ int, result any, ptr string) []Finding {
	return githubResultChecks(result, ptr, g.file)
}

func (githubCheck) log(st *state, facts *logFacts) {
	st.checkGitHub(facts.runs, facts.gzSize)
	st.checkRunShapes(facts.skeleton, facts.runs)
}
