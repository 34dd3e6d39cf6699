package cli

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/internal/atomicfile"
	"github.com/sarifkit/sarifkit/internal/ctxio"
	"github.com/sarifkit/sarifkit/internal/safetext"
	"github.com/sarifkit/sarifkit/sarif"
)

// Stdin is the file name that stands for standard input (and, for -o,
// standard output).
const Stdin = "-"

// StdinTwice tells whether names (inputs, and files flags name) give
// standard input more than once: it can be read only once.
func StdinTwice(names ...string) bool {
	n := 0
	for _, name := range names {
		if name == Stdin {
			n++
		}
	}
	return n > 1
}

// IsStdio tells whether name stands for a standard stream: "" or "-".
func IsStdio(name string) bool { return name == "" || name == Stdin }

// WriteOutput writes what write produces to the named file, atomically
// (see package atomicfile: a new file gets 0666 less the umask, a file
// replaced keeps its mode, a symbolic link is written through, a FIFO or
// a device is written to), or to standard output when name is "" or "-".
// With gz (or a name ending in ".gz") the data is gzip-compressed;
// compressed data is never written to a terminal. Writing stops when ctx
// is done, leaving no temporary file.
func (c *Command) WriteOutput(ctx context.Context, name string, gz bool, write func(io.Writer) error) error {
	gz = gz || strings.HasSuffix(name, ".gz")
	if IsStdio(name) {
		if gz && c.IO.OutTerminal {
			return errors.New("refusing to write gzip-compressed data to a terminal: give -o FILE.gz, or redirect standard output")
		}
		bw := bufio.NewWriterSize(ctxio.NewWriter(ctx, c.IO.Out), 64<<10)
		if err := compressed(bw, gz, write); err != nil {
			return err
		}
		return bw.Flush()
	}
	opts := &atomicfile.Options{Track: c.IO.temps.track}
	return atomicfile.Write(ctx, name, opts, func(w io.Writer) error { return compressed(w, gz, write) })
}

// CheckOutput fails when the named output (-o) could not be written: its
// directory is missing or not writable, it is a directory, a symbolic
// link to nothing. Commands call it before reading anything, so as not to
// fail once the work is done. Standard output ("" or "-") always passes.
func (c *Command) CheckOutput(name string) error {
	if IsStdio(name) {
		return nil
	}
	return atomicfile.Check(name)
}

func compressed(w io.Writer, gz bool, write func(io.Writer) error) error {
	if !gz {
		return write(w)
	}
	zw := gzip.NewWriter(w)
	if err := write(zw); err != nil {
		return err
	}
	return zw.Close()
}

// LogOutput is the output of a command that writes a SARIF log: -o FILE
// (standard output by default; ".gz" means gzip), --indent, --gzip.
type LogOutput struct {
	cmd    *Command
	Name   *string
	indent *bool
	gzip   *bool
}

// LogOutputFlags adds -o/--output, --indent and --gzip to the command.
func (c *Command) LogOutputFlags() *LogOutput {
	return &LogOutput{
		cmd:    c,
		Name:   c.Flags.StringP("output", "o", "", "write the SARIF log to `FILE` (atomically; a name ending in .gz is gzip-compressed) instead of standard output"),
		indent: c.Flags.Bool("indent", false, "pretty-print the SARIF log"),
		gzip:   c.Flags.Bool("gzip", false, "gzip-compress the SARIF log (implied by -o FILE.gz)"),
	}
}

// Check reports flag combinations that cannot do what they say; call it
// after parsing, before reading anything. It warns when --gzip writes to
// a file whose name does not say so, and fails when the output cannot be
// written (see CheckOutput).
func (o *LogOutput) Check() error {
	if *o.gzip && !IsStdio(*o.Name) && !strings.HasSuffix(*o.Name, ".gz") {
		o.cmd.Warnf("--gzip writes gzip-compressed data to %s, whose name does not end in .gz", *o.Name)
	}
	return o.cmd.CheckOutput(*o.Name)
}

// Write writes the log; it stops when ctx is done.
func (o *LogOutput) Write(ctx context.Context, l *sarif.Log) error {
	opts := &sarif.WriteOptions{}
	if *o.indent {
		opts.Indent = "  "
	}
	return o.cmd.WriteOutput(ctx, *o.Name, *o.gzip, func(w io.Writer) error { return l.Write(w, opts) })
}

// StdinName names standard input in messages.
const StdinName = "<stdin>"

// progressSize is the input size from which reading shows progress on a
// terminal.
const progressSize = 50 << 20

// ReadLog reads the named log, "-" being standard input, with opts (nil
// for the defaults) within the limits of ReadLimitFlags. A file over 50 MB shows a progress line on a
// terminal. Text that is not valid UTF-8 is read with U+FFFD in place of
// the bad bytes, and a warning says so.
func (c *Command) ReadLog(ctx context.Context, name string, opts *sarif.ReadOptions) (*sarif.Log, error) {
	l, err := c.readLog(ctx, name, opts)
	if err != nil {
		return nil, ExplainLimit(err)
	}
	if n, first := l.InvalidUTF8(); n > 0 {
		display := name
		if name == Stdin {
			display = StdinName
		}
		c.Warnf("%s:%s: not valid UTF-8: replaced %d byte(s) with U+FFFD, the first here", display, first, n)
	}
	return l, nil
}

// WarnLenient prints what readers of the log's results passed over, once
// per kind of problem (see sarif.LenientRead): a member of the wrong type,
// an integer out of range, each read as absent. name is the log's, as
// given to ReadLog. Call it once the results have been read.
func (c *Command) WarnLenient(name string, l *sarif.Log) {
	if l == nil {
		return
	}
	display := name
	if name == Stdin {
		display = StdinName
	}
	for _, r := range l.LenientReads() {
		c.Warnf("%s", r.String(display))
	}
}

func (c *Command) readLog(ctx context.Context, name string, opts *sarif.ReadOptions) (*sarif.Log, error) {
	opts = c.withLimits(opts)
	if name == Stdin {
		return sarif.Read(ctx, c.IO.In, StdinName, opts)
	}
	if info, err := os.Stat(name); err == nil && info.Size() > progressSize && c.IO.ErrTerminal {
		o := sarif.ReadOptions{}
		if opts != nil {
			o = *opts
		}
		p := c.NewProgress("reading "+name, info.Size())
		defer p.Done()
		o.Progress = p.Set
		opts = &o
	}
	return sarif.ReadFile(ctx, name, opts)
}

// Progress is a line on standard error, rewritten as work advances, when
// standard error is a terminal; nothing otherwise.
type Progress struct {
	w     io.Writer
	label string
	total int64
	last  time.Time
	shown bool
}

// NewProgress returns a progress line for work of total units (bytes);
// total 0 shows a count alone.
func (c *Command) NewProgress(label string, total int64) *Progress {
	if !c.IO.ErrTerminal {
		return &Progress{}
	}
	return &Progress{w: c.IO.Err, label: c.Name + ": " + safetext.Text(label), total: total}
}

// Set shows that done units of the work are done, at most five times a
// second. It is safe to call on a nil-writer Progress.
func (p *Progress) Set(done int64) {
	if p.w == nil || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	if p.total > 0 {
		fmt.Fprintf(p.w, "\r%s: %d%% (%.1f of %.1f MB)\x1b[K", p.label, done*100/p.total, float64(done)/1e6, float64(p.total)/1e6)
		return
	}
	fmt.Fprintf(p.w, "\r%s: %.1f MB\x1b[K", p.label, float64(done)/1e6)
}

// Begin shows the label alone ("sarif-fetch: downloading from o/r..."),
// for work whose size is unknown.
func (p *Progress) Begin() {
	if p.w == nil {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\r%s...\x1b[K", p.label)
}

// Done clears the line.
func (p *Progress) Done() {
	if p.w != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
