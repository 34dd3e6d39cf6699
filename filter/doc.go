// Package filter keeps the results of a SARIF log that a user selects and
// drops the rest, leaving every other member of the log as it was.
//
// Its selection language is first advanced-security/filter-sarif's, so
// that the patterns and severity lists its users wrote give the same log:
// [Pattern] lines ("-**/test/**", "+src/**:js/xss") decide each location
// of a result by its file and the result's rule, and a result whose
// locations are all excluded is dropped; [Severity] keeps results by
// level or security-severity band as filter-sarif's severity option does.
// Selectors of its own combine with them ([Options]: rule, minimum level,
// minimum security-severity, baseline state, suppression, tool, category,
// and the added lines of a diff, as codeql-action keeps a pull request's
// results), and [Options.ResolveURIs] matches patterns against the files
// the locations resolve to rather than their URIs as written.
//
// [Filter] edits a [sarif.Log] in place, reading its results where they are
// (on disk, for a log read with sarif.ReadOptions.ResultsOnDisk), and says
// what it kept and dropped, and why ([Stats]).
//
// Where filter-sarif fails, this package decides: a glob whose "**" is
// not a whole component is an error when the pattern is parsed (filter-sarif
// raises it only once a location reaches that glob), and a result without a
// ruleId is matched by the rule id its ruleIndex or rule reference resolves
// to, or by "" (filter-sarif crashes).
package filter
