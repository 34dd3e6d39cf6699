package sarif

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
)

// Locate reads a log from r and returns where the values at the given
// JSON pointers start in its text, for the pointers it finds (a pointer
// into a value the log lacks, or into text read from a stream whose
// recent window no longer holds it, gets no entry). A finding's pointer
// becomes a line and column that editors and review tools jump to. Only
// the results and parts of the skeleton that hold a wanted pointer are
// looked into; the rest is skipped.
func Locate(ctx context.Context, r io.Reader, name string, opts *ReadOptions, ptrs []string) (map[string]Position, error) {
	out := map[string]Position{}
	if len(ptrs) == 0 {
		return out, nil
	}
	in, err := newInput(r, name, opts)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	// Wanted pointers by the result or skeleton part that holds them.
	byResult := map[[2]int][]string{}
	var skeleton []string
	for _, p := range ptrs {
		if run, index, rest, ok := resultOf(p); ok {
			k := [2]int{run, index}
			byResult[k] = append(byResult[k], rest)
			continue
		}
		skeleton = append(skeleton, p)
	}
	// The scan stops once every wanted pointer has been looked for.
	left := len(byResult) + len(skeleton)
	errDone := errors.New("located")
	at := func(text []byte, start int64, rel string) (Position, bool) {
		line, col, ok := in.Position(start)
		if !ok {
			// Counted back from the end, which is recent: the column
			// is lost when the text spans lines.
			endLine, endCol, endOK := in.Position(start + int64(len(text)))
			if !endOK {
				return Position{}, false
			}
			n := bytes.Count(text, []byte{'\n'})
			line, col = endLine-n, 0
			if n == 0 {
				col = endCol - len(text)
			}
		}
		off := 0
		if rel != "" {
			var found bool
			if off, found = jsonscan.PointerOffset(text, rel); !found {
				return Position{}, false
			}
		}
		l, c := jsonscan.Advance(text, off, line, col)
		if col == 0 && bytes.IndexByte(text[:off], '\n') < 0 {
			c = 0
		}
		return Position{Line: l, Column: c, Offset: start + int64(off)}, true
	}
	_, err = scan(ctx, in, func(raw []byte, start int64, run, index int) error {
		if left <= 0 {
			return callbackError{errDone}
		}
		rels := byResult[[2]int{run, index}]
		if len(rels) == 0 {
			return nil
		}
		prefix := "/runs/" + strconv.Itoa(run) + "/results/" + strconv.Itoa(index)
		for _, rel := range rels {
			if pos, ok := at(raw, start, rel); ok {
				out[prefix+rel] = pos
			}
		}
		left--
		return nil
	}, func(ptr string, text []byte, start int64) {
		for _, p := range skeleton {
			rel, ok := strings.CutPrefix(p, ptr)
			if !ok || rel != "" && rel[0] != '/' || text == nil && rel != "" {
				continue
			}
			if text == nil {
				if line, col, ok := in.Position(start); ok {
					out[p] = Position{Line: line, Column: col, Offset: start}
				}
			} else if pos, ok := at(text, start, rel); ok {
				out[p] = pos
			}
			if _, found := out[p]; found {
				left--
			}
		}
	})
	if errors.Is(err, errDone) {
		err = nil
	}
	return out, err
}

// resultOf splits a pointer into a result ("/runs/R/results/I/...") into
// the run, the result and the rest.
func resultOf(ptr string) (run, index int, rest string, ok bool) {
	after, found := strings.CutPrefix(ptr, "/runs/")
	if !found {
		return 0, 0, "", false
	}
	r, after, found := strings.Cut(after, "/results/")
	if !found {
		return 0, 0, "", false
	}
	i, rest, _ := strings.Cut(after, "/")
	if rest != "" {
		rest = "/" + rest
	}
	var err1, err2 error
	run, err1 = strconv.Atoi(r)
	index, err2 = strconv.Atoi(i)
	return run, index, rest, err1 == nil && err2 == nil
}

// escapePointer escapes a JSON pointer segment (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
