package sarif

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"

	"github.com/sarifkit/sarifkit/internal/parallel"
)

// Results on disk
//
// A log read with ReadOptions.ResultsOnDisk keeps, per result, only where
// its text is: in the file it was read from, or, for input that cannot
// be read again (compressed, a stream), in a temporary file the reader
// copies each result's text to as it goes. A run's results are then its
// disk parts, in order, followed by those in memory; everything
// that reads results (Run.Len, Run.Result, Run.EachResult, writing the
// log) reads both. The text read back is normalised as Read normalises
// results held in memory, so the two ways of reading a log give the
// same results, byte for byte.

// A resultStore is a file that holds the text of results.
type resultStore struct {
	f    *os.File
	name string // the input's name, for errors
	temp bool   // f is a temporary file still to remove on close
	// shift is the offset in f of the first byte of the decoded text
	// (past a byte order mark).
	shift int64
	// info is the input file's when it was opened, to tell that it
	// changed since; nil for a temporary file, which only this package
	// writes.
	info os.FileInfo
}

// check fails when the input file is not as it was when it was read.
func (s *resultStore) check() error {
	if s.info == nil {
		return nil
	}
	info, err := s.f.Stat()
	if err != nil {
		return err
	}
	// Whoever can write the file can restore its size and modification
	// time (os.Chtimes), not its change time, which any write or change
	// of its times sets to the present.
	if info.Size() != s.info.Size() || !info.ModTime().Equal(s.info.ModTime()) || !os.SameFile(info, s.info) ||
		changeTime(info) != changeTime(s.info) {
		return errChanged
	}
	return nil
}

// close closes the file and removes it if it is temporary.
func (s *resultStore) close() error {
	err := s.f.Close()
	if s.temp {
		if rerr := os.Remove(s.f.Name()); err == nil {
			err = rerr
		}
	}
	return err
}

// span is where the text of one result is in its store.
type span struct {
	off int64
	n   uint32
}

// A diskPart is a sequence of a run's results held in one store. edit,
// when set, is applied to each as it is read (see Run.EditResults);
// first is the index in the run of the part's first result.
type diskPart struct {
	store *resultStore
	spans []span
	first int
	edit  func(i int, r Result) (Result, error)
}

// chunkSize is how much text a read of a disk part asks for at once:
// results are read a chunk at a time, not one read call each.
const chunkSize = 1 << 20

// A group is the results spans[from:to] of a disk part: those that lie
// within one chunk, read with one read call.
type group struct {
	p        *diskPart
	from, to int
}

// groups appends the groups of the part to out.
func (p *diskPart) groups(out []group) []group {
	for k := 0; k < len(p.spans); {
		end := k + 1
		limit := p.spans[k].off + chunkSize
		for end < len(p.spans) && p.spans[end].off+int64(p.spans[end].n) <= limit {
			end++
		}
		out = append(out, group{p, k, end})
		k = end
	}
	return out
}

// A reader is the memory one goroutine reuses to read results from
// disk: the text as read, and as normalised.
type reader struct {
	buf, normal []byte
}

// read reads the group's results with one read into the reader's
// memory and calls fn with the index in the run of each and its text,
// normalised and edited; the text is valid only during the call.
func (g group) read(rd *reader, fn func(i int, r Result) error) error {
	p, from, to := g.p, g.from, g.to
	buf := &rd.buf
	start := p.spans[from].off
	last := p.spans[to-1]
	size := int(last.off + int64(last.n) - start)
	if cap(*buf) < size {
		*buf = make([]byte, size)
	}
	b := (*buf)[:size]
	_, err := p.store.f.ReadAt(b, start+p.store.shift)
	if errors.Is(err, io.EOF) {
		err = errChanged
	}
	if err == nil {
		err = p.store.check() // after the read: a change during it shows too
	}
	if err != nil {
		return &InputError{File: p.store.name, Err: fmt.Errorf("reading results back: %w", err)}
	}
	for k := from; k < to; k++ {
		s := p.spans[k]
		raw := b[s.off-start : s.off-start+int64(s.n)]
		if len(raw) < 2 || raw[0] != '{' || raw[len(raw)-1] != '}' {
			return &InputError{File: p.store.name, Err: fmt.Errorf("reading results back: %w", errChanged)}
		}
		r := Result(raw)
		if !isNormal(raw) {
			r = normalInto(rd.normal, raw)
			rd.normal = r
		}
		i := p.first + k
		if p.edit != nil {
			var err error
			if r, err = p.edit(i, r); err != nil {
				return err
			}
		}
		if err := fn(i, r); err != nil {
			return err
		}
	}
	return nil
}

// errChanged is the error of a file whose results are not where they
// were when it was read.
var errChanged = errors.New("the file changed while it was being read")

// Len returns the number of the run's results: those on disk (see
// ReadOptions.ResultsOnDisk) and those in Results.
// AppendResults adds results to the end of the run, after every result
// it has (on disk or in memory).
func (r *Run) AppendResults(results ...Result) {
	r.memory = append(r.memory, results...)
}

func (r *Run) Len() int {
	n := len(r.memory)
	if k := len(r.disk); k > 0 {
		n += r.disk[k-1].first + len(r.disk[k-1].spans)
	}
	return n
}

// onDisk is the number of the run's results on disk; they come before
// Results.
func (r *Run) onDisk() int { return r.Len() - len(r.memory) }

// Result returns result i of the run, 0 <= i < Len(), reading it from
// disk when it is there.
func (r *Run) Result(i int) (Result, error) {
	d := r.onDisk()
	if i >= d {
		return r.memory[i-d], nil
	}
	k := sort.Search(len(r.disk), func(k int) bool { return r.disk[k].first > i }) - 1
	p := &r.disk[k]
	var out Result
	err := group{p, i - p.first, i - p.first + 1}.read(&reader{}, func(_ int, res Result) error {
		out = Result(append([]byte(nil), res...)) // res may be in buf
		return nil
	})
	return out, err
}

// EachResult calls fn for every result of the run, with its index, on
// all cores ([parallel.For]; w tells the goroutines apart). The text
// passed to fn is valid only during the call: fn must copy what it
// keeps. The first error stops the walk and is returned.
func (r *Run) EachResult(ctx context.Context, fn func(w, i int, res Result) error) error {
	var gs []group
	for k := range r.disk {
		gs = r.disk[k].groups(gs)
	}
	readers := make([]reader, parallel.Workers())
	if err := parallel.For(ctx, len(gs), func(w, k int) error {
		return gs[k].read(&readers[w], func(i int, res Result) error { return fn(w, i, res) })
	}); err != nil {
		return err
	}
	d := r.onDisk()
	return parallel.For(ctx, len(r.memory), func(w, i int) error { return fn(w, d+i, r.memory[i]) })
}

// eachInOrder calls fn for every result of the run in order, on this
// goroutine; the text is valid only during the call.
func (r *Run) eachInOrder(fn func(i int, res Result) error) error {
	var rd reader
	var gs []group
	for k := range r.disk {
		gs = r.disk[k].groups(gs[:0])
		for _, g := range gs {
			if err := g.read(&rd, fn); err != nil {
				return err
			}
		}
	}
	d := r.onDisk()
	for i, res := range r.memory {
		if err := fn(d+i, res); err != nil {
			return err
		}
	}
	return nil
}

// EditResults replaces every result of the run with what f returns of
// it (f must not keep its argument, whose memory may be reused). Results
// in memory are edited at once, on all cores; results on disk are edited
// as they are read, whenever they are read, so f must give the same
// answer every time, and its errors come back from the reading (writing
// the log, say). The first error stops the editing and is returned.
func (r *Run) EditResults(ctx context.Context, f func(i int, res Result) (Result, error)) error {
	for k := range r.disk {
		r.disk[k].edit = then(r.disk[k].edit, f)
	}
	d := r.onDisk()
	return parallel.For(ctx, len(r.memory), func(_, i int) error {
		res, err := f(d+i, r.memory[i])
		if err == nil {
			r.memory[i] = res
		}
		return err
	})
}

// Load reads every result the log holds on disk into the Results of its
// run, and closes the files they were in: the log is then as Read
// without ResultsOnDisk would have returned it (edits included).
func (l *Log) Load(ctx context.Context) error {
	for _, run := range l.Runs {
		if run == nil || len(run.disk) == 0 {
			continue
		}
		d := run.onDisk()
		out := make([]Result, d, d+len(run.memory))
		if err := run.EachResult(ctx, func(_, i int, res Result) error {
			if i < d {
				out[i] = Result(append([]byte(nil), res...))
			}
			return nil
		}); err != nil {
			return err
		}
		run.memory = append(out, run.memory...)
		run.disk = nil
	}
	return l.Close()
}

// Close releases the files that hold the log's results on disk (see
// ReadOptions.ResultsOnDisk), removing temporary ones; the results on
// disk cannot be read afterwards. Close does nothing for a log whose
// results are all in memory.
func (l *Log) Close() error {
	var first error
	for _, s := range l.stores {
		if err := s.close(); err != nil && first == nil {
			first = err
		}
	}
	l.stores = nil
	return first
}

// spill copies the text of results to a temporary file, for input that
// cannot be read again.
type spill struct {
	store *resultStore
	w     *bufio.Writer
	off   int64
}

func newSpill(name string) (*spill, error) {
	f, err := os.CreateTemp("", "sarifkit-results-*")
	if err != nil {
		return nil, &InputError{File: name, Err: fmt.Errorf("keeping results on disk: %w", err)}
	}
	// Where an open file can be removed (not on Windows), it is removed
	// at once: it lives while it is open, and no crash leaves it behind.
	temp := runtime.GOOS == "windows" || os.Remove(f.Name()) != nil
	return &spill{store: &resultStore{f: f, name: name, temp: temp}, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

// add writes one result's text and returns where it is.
func (s *spill) add(raw []byte) (span, error) {
	sp := span{off: s.off, n: uint32(len(raw))}
	if _, err := s.w.Write(raw); err != nil {
		return sp, &InputError{File: s.store.name, Err: fmt.Errorf("keeping results on disk: %w", err)}
	}
	s.off += int64(len(raw))
	return sp, nil
}

// done flushes what is buffered.
func (s *spill) done() error {
	if err := s.w.Flush(); err != nil {
		return &InputError{File: s.store.name, Err: fmt.Errorf("keeping results on disk: %w", err)}
	}
	return nil
}

// TakeResults moves the results of src for which keep is true (keep
// nil: all of them; else it has src.Len() entries) to the end of r's,
// in order, and leaves src without results; r and src may be the same
// run, which then keeps only those. Results on disk stay where they are,
// with their pending edits (see [Run.EditResults]), which still see the
// index each result had in src; results on disk that would follow
// results of r in memory are read into memory instead. The log of src
// must stay open while r's results are read (see [Log.TakeFiles]). On
// error, src has lost its results and r may have some of them: neither
// should be used.
func (r *Run) TakeResults(ctx context.Context, src *Run, keep []bool) error {
	if keep != nil && len(keep) != src.Len() {
		return fmt.Errorf("TakeResults: %d keep flags for %d results", len(keep), src.Len())
	}
	from := src.detach()
	return r.take(from, func(i int) bool { return keep == nil || keep[i] })
}

// PartitionResults moves each result of r to one of the runs to: result
// i to to[part[i]], or nowhere when part[i] is negative (it is dropped);
// part has r.Len() entries. Each run of to gets its results after those
// it has, in r's order, and r is left without results. As with
// [Run.TakeResults], results on disk stay where they are, with their
// pending edits, which still see the index each result had in r; the
// log of r must stay open while the results of to are read. r must not
// be one of to. On error, r has lost its results and the runs of to may
// have some of them.
func (r *Run) PartitionResults(ctx context.Context, to []*Run, part []int32) error {
	if len(part) != r.Len() {
		return fmt.Errorf("PartitionResults: %d parts for %d results", len(part), r.Len())
	}
	for k, p := range part {
		if int(p) >= len(to) {
			return fmt.Errorf("PartitionResults: result %d goes to run %d of %d", k, p, len(to))
		}
	}
	if slices.Contains(to, r) {
		return errors.New("PartitionResults: a run cannot be one of its own parts")
	}
	from := r.detach()
	for k, dst := range to {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := dst.take(from, func(i int) bool { return part[i] == int32(k) }); err != nil {
			return err
		}
	}
	return nil
}

// detached are the results of a run taken out of it: its disk parts, its
// results in memory, and how many of them are on disk.
type detached struct {
	parts  []diskPart
	memory []Result
	onDisk int
}

// detach takes the run's results out of it.
func (r *Run) detach() detached {
	d := detached{r.disk, r.memory, r.onDisk()}
	r.disk, r.memory = nil, nil
	return d
}

// take appends to r the results of from for which kept is true (see
// TakeResults).
func (r *Run) take(from detached, kept func(i int) bool) error {
	parts, memory, d := from.parts, from.memory, from.onDisk
	var moved []Result // in memory, in order
	for _, p := range parts {
		q := diskPart{store: p.store, first: r.Len()}
		for k, s := range p.spans {
			if kept(p.first + k) {
				q.spans = append(q.spans, s)
			}
		}
		if len(q.spans) == 0 {
			continue
		}
		if len(r.memory) > 0 || len(moved) > 0 {
			// Read into memory: on disk they would come before r's
			// results in memory.
			tmp := &Run{disk: []diskPart{p}}
			if err := tmp.eachInOrder(func(i int, res Result) error {
				if kept(i) {
					moved = append(moved, Result(append([]byte(nil), res...)))
				}
				return nil
			}); err != nil {
				return err
			}
			continue
		}
		switch prev, first := p.edit, q.first; {
		case prev == nil:
		case len(q.spans) == len(p.spans):
			shift := q.first - p.first
			q.edit = func(i int, res Result) (Result, error) { return prev(i-shift, res) }
		default:
			// Some are left out: each edit gets the index in src of
			// its result.
			from := make([]int, 0, len(q.spans))
			for k := range p.spans {
				if kept(p.first + k) {
					from = append(from, p.first+k)
				}
			}
			q.edit = func(i int, res Result) (Result, error) { return prev(from[i-first], res) }
		}
		r.disk = append(r.disk, q)
	}
	for i, res := range memory {
		if kept(d + i) {
			moved = append(moved, res)
		}
	}
	r.memory = append(r.memory, moved...)
	return nil
}

// then returns the edit that applies f, then g; f may be nil.
func then(f, g func(int, Result) (Result, error)) func(int, Result) (Result, error) {
	if f == nil {
		return g
	}
	return func(i int, res Result) (Result, error) {
		res, err := f(i, res)
		if err != nil {
			return nil, err
		}
		return g(i, res)
	}
}

// TakeFiles makes l the keeper of the files that hold from's results on
// disk: closing l closes them, closing from no longer does. A log that
// took another's results (see [Run.TakeResults]) takes its files so.
func (l *Log) TakeFiles(from *Log) {
	if from == nil || from == l {
		return
	}
	l.stores = append(l.stores, from.stores...)
	from.stores = nil
}
