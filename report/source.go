package report

import (
	"bytes"
	"context"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/sarifkit/sarifkit/internal/checkout"
	"github.com/sarifkit/sarifkit/internal/parallel"
)

// sourceLines are the lines of the checkout's files that findings show
// ([Options].Source): only those, each copied out of its file.
type sourceLines struct {
	context int
	files   map[string]*fileLines // by path; only files read
}

// fileLines are the lines of a file that findings show, by number, and
// how many lines were read (the file's, up to the last line shown).
type fileLines struct {
	n     int
	lines map[int]string
}

// readSource reads the lines that the index's findings under the
// checkout show, reading each file once.
//
// Only the lines some finding shows are kept, each copied out of the
// file's bytes, and the file is read no further than the last of them:
// what stays alive after a file is served is bounded by its findings,
// not by its size, and what is in flight by the per-file cap
// ([checkout.DefaultMaxFileSize]) times the workers.
func readSource(ctx context.Context, x *index, files fs.FS, context int) (*sourceLines, error) {
	byPath := map[int32][]int32{} // positions of the findings, by path
	for p := range x.entries {
		e := &x.entries[p]
		if path := x.names.name(e.path); path != "" && e.line > 0 && fs.ValidPath(path) {
			byPath[e.path] = append(byPath[e.path], int32(p))
		}
	}
	paths := make([]int32, 0, len(byPath))
	for id := range byPath {
		paths = append(paths, id)
	}
	slices.SortFunc(paths, func(a, b int32) int { return strings.Compare(x.names.name(a), x.names.name(b)) })
	s := &sourceLines{context: context, files: map[string]*fileLines{}}
	var mu sync.Mutex
	err := parallel.For(ctx, len(paths), func(_, k int) error {
		path := x.names.name(paths[k])
		data, err := checkout.ReadFile(files, path)
		if err != nil || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
			return nil // not in the checkout, refused, or binary: no source shown
		}
		// The lines each finding may show, before the file's length is
		// known: its own and, with context, the region around it.
		want := map[int]string{}
		last := 0
		for _, p := range byPath[paths[k]] {
			e := &x.entries[p]
			start, end := sourceRegion(e.line, e.endLine, context)
			for n := start; n <= end; n++ {
				want[n] = ""
			}
			last = max(last, end)
		}
		nlines := 0
		for rest := data; len(rest) > 0 && nlines < last; {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			nlines++
			if _, ok := want[nlines]; ok {
				want[nlines] = string(bytes.TrimRight(line, "\r")) // a copy: the file's bytes are not kept
			}
		}
		mu.Lock()
		defer mu.Unlock()
		s.files[path] = &fileLines{n: nlines, lines: want}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// attach gives f its source: its line's text and, with context, the
// lines around it. It does nothing on a nil s.
func (s *sourceLines) attach(f *Finding) {
	if s == nil || f.Path == "" || f.Line <= 0 {
		return
	}
	fl := s.files[f.Path]
	if fl == nil || f.Line > fl.n {
		return
	}
	f.LineText = strings.TrimSpace(fl.lines[f.Line])
	if s.context < 0 {
		return
	}
	start, end := sourceRegion(f.Line, f.EndLine, s.context)
	end = min(fl.n, end)
	f.Source, f.SourceStart = make([]string, 0, end-start+1), start
	for n := start; n <= end; n++ {
		f.Source = append(f.Source, fl.lines[n])
	}
}

// sourceRegion is the first and last line a finding on line (to
// endLine) shows with context lines around its region (its own line
// alone when context is negative), a long region cut to its start; the
// last may lie past the file's end.
func sourceRegion(line, endLine, context int) (start, end int) {
	if context < 0 {
		return line, line
	}
	start = max(1, line-context)
	// Compared before context is added: endLine is the log's, up to
	// MaxInt64, and must not overflow.
	if last := max(line, endLine); last-start > 3*context+20 {
		end = start + 4*context + 20 // a long region: its start
	} else {
		end = last + context
	}
	return start, end
}
