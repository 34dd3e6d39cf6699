// Package sarif reads and writes SARIF 2.1.0 logs without losing anything,
// and is the one place in sarifkit that answers what a log leaves
// indirect: which rule a result names, its level, which file it is in.
//
// # Logs, runs and results
//
// A SARIF log is a top level ($schema, version, properties) and a list of
// runs; a run is one execution of one tool: its driver and extensions
// with their rules, the artifacts it looked at, its invocations, and its
// results, one per problem found. A [Log] holds its top level as
// go-sarif's model ([Log.Top]) and its runs as [Run] values. A Run holds
// its tool, artifacts and the rest as go-sarif's model ([Run.Model]), and
// its results as JSON text, one [Result] each: results are most of a log
// (all but a few kilobytes of a 200 MB CodeQL log), and most work moves
// or compares them without needing their model.
//
// Each form has its use. To read a result, [Result.Decode] gives its
// model; [Result.Rule] reads only how it names its rule. To change one,
// [Result.Set] replaces a top-level member and [Result.Rewrite] walks it
// by the schema's types and edits any object in it (package merge remaps
// indices that way). [NewResult] makes a Result from a model built in
// code. A run's model may be read and changed freely.
//
// # Nothing lost
//
// What go-sarif's structs cannot hold (members they have no field for,
// such as "x-vendor" extensions; JSON nulls; the exact text of numbers and
// times; required members that were absent) is kept beside the model, by
// the Run or Log it belongs to, and written back: writing a log that was
// read gives JSON equal to its input, and a field changed after reading
// wins over what was recorded. A Run or a Result moved to another log
// takes all of it along. Model values moved between runs (a rule copied
// from one run's driver to another's) are carried by [Copy], or for a
// whole run's worth by [Run.Absorb]; [Run.Encode] writes one as the log
// would, to compare values by content.
//
// # Reading and writing
//
// [ReadFile] reads a file and [Read] an [io.Reader]: gzip is recognised
// by its magic bytes and decompressed within [ReadOptions.MaxDecompressedSize]
// (which caps standard input, pipes and devices too), no more than
// [ReadOptions.MaxValueSize] is held at once (one result, one string, white
// space included), a UTF-8 byte order mark is skipped, invalid UTF-8 is replaced with
// U+FFFD and counted ([Log.InvalidUTF8]). Neither validates against the
// schema; package schema does. [Scan] streams a log instead, handing over
// each result as it is read, so that memory stays bounded by the largest
// result; [Locate] finds where JSON pointers are in a file. [Log.Write] is
// deterministic; [Log.WriteFile] replaces its file atomically.
//
// # Results on disk
//
// A log of hundreds of thousands of results is mostly their text. Read
// with [ReadOptions.ResultsOnDisk], a log keeps of each result only where
// it is: in the file it was read from, or, for compressed input and
// streams, in a temporary file its results are copied to as they are
// read. Memory then holds the rest of the log and a few bytes per result.
//
// Code that works on results does not ask where they are: one way to
// visit them and one way to change them serve both modes, with the same
// results byte for byte (the text read back is normalised as [Read]
// normalises results in memory). [Run.Len] counts a run's results;
// [Run.EachResult] visits them all, on every core; [Run.Result] reads
// one. [Run.EditResults] rewrites them: results in memory at once,
// results on disk as they are read, whenever they are read (writing the
// log, say), so that they stay on disk; an edit sees the index the result
// had when it was asked for. [Run.TakeResults] moves results, or some of
// them, to another run (or keeps some in their own), results on disk as
// references with their pending edits; [Log.TakeFiles] makes the log they
// went to the keeper of their files. Package merge combines runs that
// way, and [AddLineHashes] adds hashes so. Writing the log streams
// results on disk from their file to the output, edited; [Log.Load]
// brings them into memory; [Log.Close] releases the files.
//
// So a file goes to results on disk and back: [ReadFile] with
// ResultsOnDisk, [Run.EachResult] to look, [Run.EditResults] and
// [Run.TakeResults] to change, [Log.WriteFile] to write, [Log.Close].
// [Run.AppendResults] adds results, after those the run has; where the
// results are, on disk or in memory, none of these methods asks.
//
// Errors are typed and say where: [*SyntaxError] (line and column),
// [*VersionError], [*FormatError] (a JSON pointer), [*InputError],
// [*SizeLimitError], [*EncodingError] (UTF-16 or UTF-32 instead of UTF-8).
//
// Packages that work on several logs at once (merge, report) take each
// as an [Input]: the log and the name messages give it.
//
// # Resolving
//
// A result names its rule by id, by index, or by a reference into a tool
// extension; an artifact location names its file by a URI relative to a
// base id, or by an index into the run's artifacts. [Run.Rules] and
// [Run.Artifacts] build the resolvers of a run ([Rules], [Artifacts]),
// and [Run.Resolver] bundles both: rule, rule id, level and primary URI
// of a decoded result. [Result.Rule] reads how a result names its rule
// ([RuleRef]) from its text alone. Code that reads logs as generic JSON
// (package schema) builds the same resolvers from plain data: [NewRules]
// from a [RuleComponent] per tool component, [NewArtifacts], [NewRunKey].
//
// [NormalizeURI] gives the form in which URIs of two logs are compared;
// [FilePath] and [RelativePath] compare file: URIs as the paths they are;
// [FindCheckout] says where the checkout was that a log's absolute URIs
// point into, as the files at hand tell. The rest are small readings of
// SARIF's conventions: [Run.Tool], [Run.Category],
// [Run.Key] (which runs are one run to GitHub: [RunKey]),
// [SecuritySeverity] and [SeverityBand], [Precision], [Tags], and
// [LineHashes] and [AddLineHashes] for GitHub's primaryLocationLineHash.
package sarif
