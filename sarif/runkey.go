package sarif

import (
	"strconv"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// RunKey is a run's identity as GitHub code scanning reads it: the run's
// tool (its driver's name, fullName, version, semanticVersion and guid)
// and its whole automationDetails.id. GitHub's upload action refuses an
// upload in which two runs have one key, and two runs whose keys differ
// in anything are two runs to it: the ids "cat/2024-01-01" and
// "cat/2024-01-02" (one category, two run ids), "abc" and "abc/", or one
// tool in two versions. A member the run lacks differs from one that is
// there and empty (the action compares the members as JSON does), and the
// comparison is exact (case and all). Nothing else counts: not the
// tool's extensions, nor the rest of automationDetails (its guid,
// description, correlationGuid).
//
// A run's category ([Run.Category]: what GitHub tracks alerts across
// analyses by, with the tool's name) is part of the key, but only a part:
// runs of one tool and category may still be distinct runs.
//
// RunKey is comparable: use it as a map key to find the runs that are one
// run. Build it with [Run.Key], or [NewRunKey] from plain data.
type RunKey struct {
	members [numKeyMembers]string
	present uint8 // bit i: members[i] is there
}

// The members of a run key, in the order the upload action lists them.
const (
	keyName = iota
	keyFullName
	keyVersion
	keySemanticVersion
	keyGUID
	keyAutomationID
	numKeyMembers
)

// keyMemberNames are the members' names, as messages name them.
var keyMemberNames = [numKeyMembers]string{"name", "fullName", "version", "semanticVersion", "guid", "automationDetails.id"}

// NewRunKey returns the key of a run whose driver has the name, fullName,
// version, semanticVersion and guid given and whose automationDetails.id
// is automationID; nil stands for a member the run lacks.
func NewRunKey(name, fullName, version, semanticVersion, guid, automationID *string) RunKey {
	var k RunKey
	for i, p := range [numKeyMembers]*string{name, fullName, version, semanticVersion, guid, automationID} {
		if p != nil {
			k.members[i] = *p
			k.present |= 1 << i
		}
	}
	return k
}

// runKeyOf returns the key of a run given as go-sarif's model (see
// [RunKey]). A nil run has the key of a run with no tool and no
// automationDetails. The model reads a driver without a name (which the
// schema refuses) as one named "".
func runKeyOf(run *gosarif.Run) RunKey {
	if run == nil {
		return RunKey{}
	}
	var id *string
	if run.AutomationDetails != nil {
		id = run.AutomationDetails.ID
	}
	d := run.Tool.Driver
	if d == nil {
		return NewRunKey(nil, nil, nil, nil, nil, id)
	}
	return NewRunKey(&d.Name, d.FullName, d.Version, d.SemanticVersion, d.GUID, id)
}

// Key returns the run's identity as GitHub code scanning reads it (see
// [RunKey]).
func (r *Run) Key() RunKey {
	if r == nil {
		return RunKey{}
	}
	return runKeyOf(r.Model)
}

// Tool returns the driver's name ("" when the run has none).
func (k RunKey) Tool() string { return k.members[keyName] }

// AutomationID returns the whole automationDetails.id, and whether the
// run has one.
func (k RunKey) AutomationID() (id string, ok bool) {
	return k.members[keyAutomationID], k.present&(1<<keyAutomationID) != 0
}

// Category returns the category part of the automationDetails.id (see
// [Run.Category]).
func (k RunKey) Category() string { return categoryOf(k.members[keyAutomationID]) }

// Version returns what the driver says of its version: its version, else
// its semanticVersion ("" when it has neither).
func (k RunKey) Version() string {
	if v := k.members[keyVersion]; v != "" {
		return v
	}
	return k.members[keySemanticVersion]
}

// String describes the key for people, with the members the run has:
// `tool "gosec" version "2.1.0", automationDetails.id "cat/1"`. Values are
// quoted (Go syntax), so that no control character gets through.
func (k RunKey) String() string {
	var b strings.Builder
	b.WriteString("tool")
	if k.present&(1<<keyName) == 0 {
		b.WriteString(" without name")
	}
	for i := range numKeyMembers {
		if k.present&(1<<i) == 0 {
			continue
		}
		switch i {
		case keyName:
			b.WriteString(" " + strconv.Quote(k.members[i]))
		case keyAutomationID:
			b.WriteString(", " + keyMemberNames[i] + " " + strconv.Quote(k.members[i]))
		default:
			b.WriteString(" " + keyMemberNames[i] + " " + strconv.Quote(k.members[i]))
		}
	}
	if k.present&(1<<keyAutomationID) == 0 {
		b.WriteString(", no automationDetails.id")
	}
	return b.String()
}
