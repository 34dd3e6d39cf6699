package split

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// TestCheckFiles checks the last check before a split is written: two
// runs of one tool and category anywhere in the split, and one upload key
// in two files, are refused.
func TestCheckFiles(t *testing.T) {
	t.Parallel()
	runs := func(ids ...string) []*sarif.Run {
		var parts []string
		for _, id := range ids {
			parts = append(parts, `{"tool":{"driver":{"name":"t"}},"automationDetails":{"id":"`+id+`"},"results":[]}`)
		}
		l, err := sarif.Read(context.Background(), strings.NewReader(`{"version":"2.1.0","runs":[`+strings.Join(parts, ",")+`]}`), "in.sarif", nil)
		if err != nil {
			t.Fatal(err)
		}
		return l.Runs
	}
	a, b := runs("c/part-0/", "x/"), runs("c/part-0/run2", "X/")
	var ce *ConflictError
	if err := checkFiles([]*plannedFile{{runs: a[:1]}, {runs: b[:1]}}); !errors.As(err, &ce) || ce.Category != "c/part-0" {
		t.Errorf("one category in two files: %v", err)
	}
	var ke *CollisionError
	if err := checkFiles([]*plannedFile{{runs: a[1:]}, {runs: b[1:]}}); !errors.As(err, &ke) || ke.Key != "X__T" {
		t.Errorf("one upload key in two files: %v", err)
	}
	if err := checkFiles([]*plannedFile{{runs: []*sarif.Run{a[1], b[1]}}}); err != nil {
		t.Errorf("one upload key in one file: %v", err)
	}
}
