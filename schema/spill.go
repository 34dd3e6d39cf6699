package schema

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/sarifkit/sarifkit/sarif"
)

// keptRefs is how many results' references (resultRefs, about a hundred
// bytes each) a validation holds in memory for the checks that need the
// whole run. Past it they go to a temporary file (a refSpill), written
// as they come and read back once the runs are known, so that memory
// stays the same however many results a log has.
const keptRefs = 1 << 16

// A refSpill is a temporary file of result references, in a compact
// binary encoding: the records that do not fit in memory, in the order
// they were written. The file is removed on close.
type refSpill struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
	n   int // records written
	err error
	// strings numbers the strings written so far (up to maxSpillStrings
	// of them): pointers, rule ids and URIs repeat from result to
	// result, and a string met again is written as its number.
	strings map[string]uint64
}

// maxSpillStrings bounds refSpill.strings.
const maxSpillStrings = 1 << 16

func newRefSpill() (*refSpill, error) {
	f, err := os.CreateTemp("", "sarifkit-refs-*")
	if err != nil {
		return nil, err
	}
	// Where an open file can be removed (not on Windows), it is removed
	// at once: it lives while it is open, and neither an interrupt nor a
	// crash leaves it behind.
	if runtime.GOOS != "windows" {
		os.Remove(f.Name())
	}
	return &refSpill{f: f, w: bufio.NewWriterSize(f, 1<<20), strings: map[string]uint64{}}, nil
}

// close removes the file.
func (s *refSpill) close() {
	s.f.Close()
	if runtime.GOOS == "windows" {
		os.Remove(s.f.Name())
	}
}

// write appends one record; the first error sticks and is returned by
// each.
func (s *refSpill) write(r *resultRefs) {
	if s.err != nil {
		return
	}
	b := s.buf[:0]
	for _, n := range []int32{r.run, r.index, r.ruleIndex, r.ruleRefIndex, r.primaryArtifact} {
		b = binary.AppendVarint(b, int64(n))
	}
	var flags byte
	if r.noMessageText {
		flags |= 1
	}
	if r.rare != nil {
		flags |= 2
		if r.rare.component != nil {
			flags |= 4
		}
	}
	b = append(b, byte(r.primary), byte(r.noStartLine), flags)
	b = s.appendString(b, r.ruleID)
	b = binary.AppendUvarint(b, uint64(len(r.artifacts)))
	for _, a := range r.artifacts {
		b = s.appendString(b, a.at)
		b = s.appendString(b, a.uri)
		b = s.appendString(b, a.uriBaseID)
		b = binary.AppendVarint(b, int64(a.index))
		b = appendBool(b, a.shown)
	}
	if rare := r.rare; rare != nil {
		b = binary.AppendVarint(b, int64(rare.messageArgs))
		b = s.appendString(b, rare.messageID)
		if c := rare.component; c != nil {
			b = binary.AppendVarint(b, int64(c.Index))
			b = s.appendString(b, c.Name)
			b = s.appendString(b, c.GUID)
		}
		b = binary.AppendUvarint(b, uint64(len(rare.indices)))
		for _, x := range rare.indices {
			b = s.appendString(b, x.at)
			b = binary.AppendVarint(b, int64(x.index))
			b = append(b, byte(x.array))
		}
	}
	s.buf = b
	_, s.err = s.w.Write(b)
	s.n++
}

// appendString writes a string as 2*len followed by its bytes, or, for
// a string written before, as 2*number+1.
func (s *refSpill) appendString(b []byte, str string) []byte {
	if n, ok := s.strings[str]; ok {
		return binary.AppendUvarint(b, n<<1|1)
	}
	if len(s.strings) < maxSpillStrings && str != "" {
		s.strings[str] = uint64(len(s.strings))
	}
	return append(binary.AppendUvarint(b, uint64(len(str))<<1), str...)
}

func appendBool(b []byte, t bool) []byte {
	if t {
		return append(b, 1)
	}
	return append(b, 0)
}

// each reads the records back, in order, calling fn with each; the
// record is fn's to keep. It stops when ctx is done.
func (s *refSpill) each(ctx context.Context, fn func(*resultRefs)) error {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.err == nil {
		_, s.err = s.f.Seek(0, io.SeekStart)
	}
	if s.err != nil {
		return fmt.Errorf("schema: keeping references in a temporary file: %w", s.err)
	}
	d := &spillReader{r: bufio.NewReaderSize(s.f, 1<<20)}
	for i := range s.n {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		r := d.record()
		if d.err != nil {
			return fmt.Errorf("schema: reading back references from %s: %w", s.f.Name(), d.err)
		}
		fn(r)
	}
	return nil
}

// spillReader decodes records; the first error sticks.
type spillReader struct {
	r       *bufio.Reader
	err     error
	strings []string // by number, as refSpill.strings
}

func (d *spillReader) int() int64 {
	if d.err != nil {
		return 0
	}
	n, err := binary.ReadVarint(d.r)
	d.err = err
	return n
}

func (d *spillReader) int32() int32 { return int32(d.int()) }

func (d *spillReader) byte() byte {
	if d.err != nil {
		return 0
	}
	c, err := d.r.ReadByte()
	d.err = err
	return c
}

func (d *spillReader) len() int {
	if d.err != nil {
		return 0
	}
	n, err := binary.ReadUvarint(d.r)
	if err == nil && n > 1<<30 {
		err = errCorrupt
	}
	d.err = err
	return int(n)
}

var errCorrupt = errors.New("corrupt record")

func (d *spillReader) string() string {
	n := d.len()
	switch {
	case d.err != nil || n == 0:
		return ""
	case n&1 == 1:
		if i := n >> 1; i < len(d.strings) {
			return d.strings[i]
		}
		d.err = errCorrupt
		return ""
	}
	b := make([]byte, n>>1)
	if _, d.err = io.ReadFull(d.r, b); d.err != nil {
		return ""
	}
	str := string(b)
	if len(d.strings) < maxSpillStrings {
		d.strings = append(d.strings, str)
	}
	return str
}

func (d *spillReader) record() *resultRefs {
	r := &resultRefs{run: d.int32(), index: d.int32(), ruleIndex: d.int32(), ruleRefIndex: d.int32(), primaryArtifact: d.int32()}
	r.primary, r.noStartLine = locationProblem(d.byte()), startLineProblem(d.byte())
	flags := d.byte()
	r.noMessageText = flags&1 != 0
	r.ruleID = d.string()
	if n := d.len(); n > 0 {
		r.artifacts = make([]artifactRef, n)
		for i := range r.artifacts {
			a := &r.artifacts[i]
			a.at, a.uri, a.uriBaseID = d.string(), d.string(), d.string()
			a.index, a.shown = d.int32(), d.byte() != 0
		}
	}
	if flags&2 != 0 {
		rare := r.more()
		rare.messageArgs = d.int32()
		rare.messageID = d.string()
		if flags&4 != 0 {
			rare.component = &sarif.ComponentRef{Index: int(d.int())}
			rare.component.Name, rare.component.GUID = d.string(), d.string()
		}
		if n := d.len(); n > 0 {
			rare.indices = make([]indexRef, n)
			for i := range rare.indices {
				x := &rare.indices[i]
				x.at, x.index, x.array = d.string(), d.int32(), runArray(d.byte())
			}
		}
	}
	return r
}
