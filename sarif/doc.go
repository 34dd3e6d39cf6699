// Package sarif reads and writes SARIF 2.1.0 logs without losing anything,
// and answers the questions the rest of sarifkit asks of them.
//
// The model is go-sarif v2's (Log.Report): read it and change it freely.
// Beside it a Log keeps what those structs cannot hold (members they have
// no field for, JSON nulls, the exact text of numbers and times, required
// members that were absent), so that writing an unmodified Log gives JSON
// equal to its input; a field changed after reading wins over the recorded
// text. Write is deterministic and WriteFile atomic.
//
// Input is opened with OpenInput (a file, or "-" for standard input) or
// NewInput (any reader); gzip is recognised by its magic bytes and
// decompressed within a cap, a UTF-8 byte order mark is skipped. Scan
// streams a log: it hands over each element of runs[].results as soon as
// it is read, so that memory stays bounded by the largest result (package
// schema validates that way). Read and ReadFile build the whole model;
// ReadOptions.Lossy builds a lighter one for reading only.
//
// With ReadOptions.RawResults a log keeps each result as its JSON text, a
// RawResult, instead of decoding it: several times faster to read, little
// more memory than the text, and written back as it was. RawResult.Rewrite
// walks such a result by the schema's types and edits members in place of
// the text (package merge remaps indices, rebases URIs and adds
// fingerprints that way); AppendCanonical gives a form in which equal JSON
// values are equal bytes; Log.DecodeResults and Log.EncodeResults move
// results between text and the model.
//
// Errors are typed: *SyntaxError (with line and column), *VersionError,
// *FormatError (with a JSON pointer), *InputError, *SizeLimitError.
//
// The helpers resolve what SARIF leaves indirect: EffectiveLevel, FindRule
// and RuleID, PrimaryURI and ResolveURI, Category, SecuritySeverity and
// SeverityBand, Precision, Tags; LineHashes and AddLineHashes compute
// partialFingerprints.primaryLocationLineHash as GitHub does; Copy, Walk,
// Adopt and Encode move and compare values between logs.
package sarif
