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
	"github.com/sarifkit/sarifkit/sarif"
)

// Stdin is the file name that stands for standard input (and, for -o,
// standard output).
const Stdin = "-"

// IsStdio tells whether name stands for a standard stream: "" or "-".
func IsStdio(name string) bool { return name == "" || name == Stdin }

// WriteOutput writes what write produces to the named file, atomically,
// or to standard output when name is "" or "-". With gz (or a name ending
// in ".gz") the data is gzip-compressed; compressed data is never written
// to a terminal.
func (c *Command) WriteOutput(name string, gz bool, write func(io.Writer) error) error {
	gz = gz || strings.HasSuffix(name, ".gz")
	if IsStdio(name) {
		if gz && c.IO.OutTerminal {
			return errors.New("refusing to write gzip-compressed data to a terminal: give -o FILE.gz, or redirect standard output")
		}
		bw := bufio.NewWriterSize(c.IO.Out, 64<<10)
		if err := compressed(bw, gz, write); err != nil {
			return err
		}
		return bw.Flush()
	}
	return atomicfile.Write(name, func(w io.Writer) error { return compressed(w, gz, write) })
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
// after parsing. It warns when --gzip writes to a file whose name does
// not say so.
func (o *LogOutput) Check() {
	if *o.gzip && !IsStdio(*o.Name) && !strings.HasSuffix(*o.Name, ".gz") {
		o.cmd.Warnf("--gzip writes gzip-compressed data to %s, whose name does not end in .gz", *o.Name)
	}
}

// Write writes the log.
func (o *LogOutput) Write(l *sarif.Log) error {
	opts := &sarif.WriteOptions{}
	if *o.indent {
		opts.Indent = "  "
	}
	return o.cmd.WriteOutput(*o.Name, *o.gzip, func(w io.Writer) error { return l.Write(w, opts) })
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
	return &Progress{w: c.IO.Err, label: c.Name + ": " + label, total: total}
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
