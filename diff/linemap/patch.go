package linemap

import (
	"fmt"
	"strings"
)

// A PatchLine is one line of a hunk of a unified diff: a context line
// (Kind ' ', on both sides), a removed line ('-', old side only) or an
// added line ('+', new side only).
type PatchLine struct {
	Kind byte
	// Old and New are the line's numbers (1-based) on each side, 0 on a
	// side that does not have it.
	Old, New int
	// Hunk counts the hunks of the patch from 0: lines of one hunk are
	// one contiguous stretch of each side.
	Hunk int
	// Text is the line without its kind and its line end ("\n" or
	// "\r\n").
	Text string
}

// ReadPatch reads the hunks of one file's unified diff: "@@ -a,b +c,d @@"
// headers, each followed by its lines, as a forge's API gives a changed
// file's patch (GitHub's "patch", GitLab's "diff"). Text before the first
// header (a file's "---" and "+++" lines) is skipped, and so are "\ No
// newline at end of file" lines. A hunk whose lines do not add up to its
// header's counts is an error.
func ReadPatch(patch string) ([]PatchLine, error) {
	var (
		out         []PatchLine
		oldLine     int
		newLine     int
		left, right int
		hunk        = -1
	)
	rest := patch
	for n := 1; rest != ""; n++ {
		var text string
		text, rest, _ = strings.Cut(rest, "\n")
		text = strings.TrimSuffix(text, "\r")
		if left > 0 || right > 0 {
			var k byte = ' '
			if text != "" {
				k = text[0]
			}
			line := PatchLine{Kind: k, Hunk: hunk}
			if text != "" {
				line.Text = text[1:]
			}
			switch {
			case k == ' ' && left > 0 && right > 0:
				line.Old, line.New = oldLine, newLine
				oldLine, newLine, left, right = oldLine+1, newLine+1, left-1, right-1
			case k == '-' && left > 0:
				line.Old = oldLine
				oldLine, left = oldLine+1, left-1
			case k == '+' && right > 0:
				line.New = newLine
				newLine, right = newLine+1, right-1
			case k == '\\':
				continue
			default:
				return nil, fmt.Errorf("patch line %d: hunk ends early: %q", n, text)
			}
			out = append(out, line)
			continue
		}
		if strings.HasPrefix(text, "@@") {
			os, oc, ns, nc, err := parseHunkHeader(text)
			if err != nil {
				return nil, fmt.Errorf("patch line %d: %w", n, err)
			}
			if os < 0 || ns < 0 || oc < 0 || nc < 0 {
				return nil, fmt.Errorf("patch line %d: hunk header %q: negative line", n, text)
			}
			hunk++
			oldLine, newLine, left, right = os, ns, oc, nc
			if oc == 0 {
				oldLine = os + 1
			}
			if nc == 0 {
				newLine = ns + 1
			}
		}
	}
	if left > 0 || right > 0 {
		return nil, fmt.Errorf("the patch ends inside a hunk")
	}
	return out, nil
}
