package diff

import (
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/internal/sariftest"
)

// The same code scanned in two checkouts, /src/express on one machine and
// D:\a\express\express on another: absolute URIs compared relative to
// their checkouts pair every result as unchanged. Without roots, only
// the renamed-file pass pairs them, file by file, as updated results at
// other URIs.
func TestCheckoutsAtDifferentPlaces(t *testing.T) {
	t.Parallel()
	text := string(sariftest.File(t, "../testdata/corpus/real/eslint-express-lib.sarif"))
	windows := strings.ReplaceAll(text, "file:///src/express/", "file:///D:/a/express/express/")
	count := func(d *Diff) [4]int { return counts(d) }

	// Nothing says where the checkouts were: the one pair of directories
	// under which every file's path ends alike is inferred, and said.
	bare := compare(t, parse(t, text), parse(t, windows))
	if got := count(bare); got != [4]int{0, 0, 0, 377} {
		t.Fatalf("without roots: %v", got)
	}
	if notes := noteText(bare); !strings.Contains(notes, "absolute URIs compared relative to /src in base and d:/a/express in head, inferred from the 11 files whose paths end alike under them") {
		t.Errorf("notes: %s", notes)
	}
	// No inference where two pairs explain the files about as well (half
	// of head's files are in another tree): the renamed-file pass pairs
	// results file by file, as updated results at other URIs.
	var split []string
	for i, part := range strings.Split(windows, "file:///D:/a/express/express/") {
		if i > 0 && i%2 == 0 {
			split = append(split, "file:///E:/b/express/express/"+part)
		} else if i > 0 {
			split = append(split, "file:///D:/a/express/express/"+part)
		} else {
			split = append(split, part)
		}
	}
	ambiguous := compare(t, parse(t, text), parse(t, strings.Join(split, "")))
	if got := count(ambiguous); got[3] != 0 || got[2] == 0 {
		t.Errorf("two trees in head: %v, want no unchanged result", got)
	}
	if notes := noteText(ambiguous); strings.Contains(notes, "inferred") {
		t.Errorf("notes: %s", notes)
	}
	d, err := Compare(t.Context(), parse(t, text), parse(t, windows), &Options{BaseRoot: "/src/express", HeadRoot: "file:///D:/a/express/express"})
	if err != nil {
		t.Fatal(err)
	}
	if got := count(d); got != [4]int{0, 0, 0, 377} {
		t.Errorf("with both roots: %v", got)
	}
	if notes := noteText(d); !strings.Contains(notes, "absolute URIs of head compared relative to d:/a/express/express (the head checkout given)") {
		t.Errorf("notes: %s", notes)
	}

	// The logs say where they were made: a base id, a working directory.
	withBase := strings.Replace(text, `"results"`, `"originalUriBaseIds":{"SRCROOT":{"uri":"file:///src/express/"}},"results"`, 1)
	withCwd := strings.Replace(windows, `"results"`, `"invocations":[{"executionSuccessful":true,"workingDirectory":{"uri":"file:///D:/a/express/express"}}],"results"`, 1)
	if got := count(compare(t, parse(t, withBase), parse(t, withCwd))); got != [4]int{0, 0, 0, 377} {
		t.Errorf("roots from the logs: %v", got)
	}
	// The root of a file system says nothing of a checkout.
	withSlash := strings.Replace(text, `"results"`, `"originalUriBaseIds":{"ROOT":{"uri":"file:///"}},"results"`, 1)
	if got := count(compare(t, parse(t, withSlash), parse(t, text))); got != [4]int{0, 0, 0, 377} {
		t.Errorf("a base id at the file system's root: %v", got)
	}
}
