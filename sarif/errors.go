package sarif

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/internal/jsonscan"
	"strings"
)

// InputError reports an input that could not be opened or read: a missing
// file, a permission problem, a corrupt gzip stream.
type InputError struct {
	File string
	Err  error
}

func (e *InputError) Error() string {
	// The file is named once: "x.sarif: open: no such file or directory".
	var pe *fs.PathError
	if errors.As(e.Err, &pe) && pe.Path == e.File {
		return e.File + ": " + pe.Op + ": " + pe.Err.Error()
	}
	return e.File + ": " + e.Err.Error()
}
func (e *InputError) Unwrap() error { return e.Err }

// SizeLimitError reports an input that is larger than reading allows: a
// compressed input that decompresses to more than
// ReadOptions.MaxDecompressedSize bytes, a stream (standard input, a pipe,
// a device) that gives more than that, or, with Value set, a value, a
// token or white space that would make the reader hold more than
// ReadOptions.MaxValueSize bytes at once, or a log whose parts other than
// its results (held in memory whole) add up to more than that. Reading stops there, having held
// no more than the limit.
type SizeLimitError struct {
	File  string // the input
	Limit int64  // the limit, in bytes
	// Stream tells that the input is a stream that is not compressed.
	Stream bool
	// Value tells that the limit is ReadOptions.MaxValueSize; Offset is
	// then where the text held begins, in the decompressed text, unless
	// Skeleton tells that what exceeds it is the log without its results,
	// which is held in memory whole.
	Value    bool
	Offset   int64
	Skeleton bool
}

func (e *SizeLimitError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	limit := formatSize(e.Limit)
	switch {
	case e.Skeleton:
		fmt.Fprintf(&b, "the log without its results exceeds the limit of %s on what is held in memory at once", limit)
	case e.Value:
		fmt.Fprintf(&b, "a single JSON value (with the white space before it) from byte offset %d on exceeds the limit of %s on one value", e.Offset, limit)
	case e.Stream:
		fmt.Fprintf(&b, "input from a stream exceeds the limit of %s", limit)
	default:
		fmt.Fprintf(&b, "decompressed size exceeds the limit of %s", limit)
	}
	return b.String()
}

// formatSize writes a size in bytes, with its value in MiB or GiB when it
// is a whole number of them: "1048576 bytes (1 MiB)".
func formatSize(n int64) string {
	s := strconv.FormatInt(n, 10) + " bytes"
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		s += " (" + strconv.FormatInt(n>>30, 10) + " GiB)"
	case n >= 1<<20 && n%(1<<20) == 0:
		s += " (" + strconv.FormatInt(n>>20, 10) + " MiB)"
	}
	return s
}

// EncodingError reports an input in a Unicode encoding other than UTF-8
// (UTF-16 or UTF-32, told by a byte order mark or by the NUL bytes of
// the first characters): JSON text exchanged between systems must be
// UTF-8 (RFC 8259 §8.1), and SARIF files are JSON. Convert the file
// first (iconv -f UTF-16 -t UTF-8, say).
type EncodingError struct {
	File     string
	Encoding string // "UTF-16LE", "UTF-16BE", "UTF-32LE" or "UTF-32BE"
}

func (e *EncodingError) Error() string {
	return e.File + ": the file is " + e.Encoding + "; SARIF must be UTF-8"
}

// SyntaxError reports input that is not well-formed JSON. Line and Column
// are 1-based; they are zero when the position is unknown.
type SyntaxError struct {
	File   string
	Line   int
	Column int
	Offset int64 // byte offset of the error in the decompressed text
	Msg    string
	Err    error // the underlying decoder error, if any
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: invalid JSON: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: invalid JSON at byte %d: %s", e.File, e.Offset, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// DuplicateNameError reports an object with two members of the same name
// (Name; Pointer is the second's). RFC 8259 §4 leaves such an object's
// meaning undefined: readers keep the first member, the last, or both
// (two "runs" read as one run holding both arrays' results), and the
// SARIF schema cannot say what it means either. A log that means
// different things to different readers is refused, not guessed at;
// package schema reports it as a finding.
type DuplicateNameError struct {
	File    string
	Pointer string
	Name    string
	// Line, Column and Offset are where the second member's name starts
	// in the decompressed text; Line is 0 when unknown.
	Line, Column int
	Offset       int64
}

func (e *DuplicateNameError) Error() string {
	where := e.File + ":"
	if e.Line > 0 {
		where += strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ":"
	}
	return fmt.Sprintf("%s %s: duplicate member name %s: JSON leaves its meaning undefined, so the log is refused",
		where, printable(jsonscan.ShortPointer(e.Pointer, maxPointerInMessage)), QuoteName(e.Name))
}

// QuoteName quotes a member name from a log for a message, cut to 100
// bytes: a name may be as long as the log.
func QuoteName(name string) string {
	if len(name) <= 100 {
		return strconv.Quote(name)
	}
	cut := 100
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return strconv.Quote(name[:cut]) + "..."
}

// FormatError reports JSON that is well formed but is not a SARIF 2.1.0 log
// in a way that prevents reading it: the top level is not an object, the
// version is not 2.1.0, or "runs" is neither an array nor null. Pointer is
// the JSON pointer of the offending value.
type FormatError struct {
	File    string
	Pointer string
	Msg     string
}

func (e *FormatError) Error() string {
	if e.Pointer == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ":" + e.Pointer + ": " + e.Msg
}

// VersionError reports a log whose "version" is not "2.1.0".
type VersionError struct {
	File    string
	Version string // as found in the file; empty when absent
}

func (e *VersionError) Error() string {
	switch e.Version {
	case "":
		return e.File + ":/version: missing SARIF version (want \"2.1.0\")"
	case "1.0.0", "2.0.0":
		return fmt.Sprintf("%s:/version: SARIF %s is not supported; only SARIF 2.1.0 is (convert older logs first, e.g. with the SARIF Multitool's transform command)", e.File, e.Version)
	}
	if len(e.Version) > 40 {
		return fmt.Sprintf("%s:/version: unsupported SARIF version %.40q...; only 2.1.0 is supported", e.File, e.Version)
	}
	return fmt.Sprintf("%s:/version: unsupported SARIF version %q; only 2.1.0 is supported", e.File, e.Version)
}
