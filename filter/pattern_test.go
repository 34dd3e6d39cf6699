package filter_test

import (
	"errors"
	"testing"

	"github.com/sarifkit/sarifkit/filter"
)

// A caller tells a pattern with two separators from other errors.
func TestErrSeparators(t *testing.T) {
	_, err := filter.ParsePattern("a:b:c")
	var pe *filter.PatternError
	if !errors.Is(err, filter.ErrSeparators) || !errors.As(err, &pe) || pe.Line != "a:b:c" {
		t.Errorf("a:b:c: %v, want ErrSeparators in a *PatternError", err)
	}
	if _, err := filter.ParsePattern(`a\:b:c`); err != nil {
		t.Errorf(`a\:b:c: %v`, err)
	}
}
