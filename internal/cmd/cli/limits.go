package cli

import (
	"errors"
	"fmt"

	"github.com/sarifkit/sarifkit/sarif"
)

// ReadLimitFlags adds the flags that bound what reading a log may take,
// the same on every command that reads logs: --max-decompressed-size
// caps the text of a gzip-compressed input or of a stream (standard
// input, a pipe, a device), --max-value-size the text held at once (one
// result, one member of the log or of a run, one string, with the white
// space before it; and the log without its results). It returns the options they fill once the flags are
// parsed; ReadLog reads within them whatever options it is given.
func (c *Command) ReadLimitFlags() *sarif.ReadOptions {
	o := &sarif.ReadOptions{}
	c.Flags.Int64Var(&o.MaxDecompressedSize, "max-decompressed-size", sarif.DefaultMaxDecompressedSize,
		"cap in `BYTES` on the text of a gzip-compressed input, standard input, a pipe or a device; negative for none")
	c.Flags.Int64Var(&o.MaxValueSize, "max-value-size", sarif.DefaultMaxValueSize,
		"cap in `BYTES` on the JSON text held at once: one result, one string or member, with the white space before it, and the log without its results; negative for none")
	c.readLimits = o
	return o
}

// withLimits returns opts with the limits of ReadLimitFlags, when the
// command has them and opts does not set its own.
func (c *Command) withLimits(opts *sarif.ReadOptions) *sarif.ReadOptions {
	if c.readLimits == nil {
		return opts
	}
	o := sarif.ReadOptions{}
	if opts != nil {
		o = *opts
	}
	if o.MaxDecompressedSize == 0 {
		o.MaxDecompressedSize = c.readLimits.MaxDecompressedSize
	}
	if o.MaxValueSize == 0 {
		o.MaxValueSize = c.readLimits.MaxValueSize
	}
	return &o
}

// ExplainLimit adds to an error that is a *sarif.SizeLimitError the flag
// of ReadLimitFlags that sets the limit it reports; other errors are
// returned as they are.
func ExplainLimit(err error) error {
	var le *sarif.SizeLimitError
	if !errors.As(err, &le) {
		return err
	}
	flag := "--max-decompressed-size"
	if le.Value {
		flag = "--max-value-size"
	}
	return fmt.Errorf("%w (%s sets the limit)", err, flag)
}
