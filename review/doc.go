// Package review turns the new results of a comparison into a code
// review: inline comments on the lines a pull request (GitHub) or a merge
// request (GitLab) changed, with the results' SARIF fixes as suggestions,
// and a summary comment per tool and category for the rest, which later
// runs edit in place. It knows no forge: a [Forge] gives it the request's
// changed files and what earlier runs posted, and posts what it decides.
//
// [Build] makes a [Plan] from a log (a comparison's SARIF report, whose
// results in the chosen baseline states are reviewed, or a plain log, all
// of whose results are new), the request's [File]s and the [Posted]
// comments; [Plan.Apply] posts it. Build is pure, so that what a run
// would post can be shown without a token ([Plan.Markdown]), which is
// what a run with a read-only token (a pull request from a fork) prints.
//
// Every result has a stable key, a hash of what identifies it across
// pushes (its tool and category, rule, file, and its fingerprint, or when
// it has none its message and snippet and its rank among the results
// alike), never of its line. A comment carries its key in a hidden
// marker, its last line (see [Marker]); a result whose key an earlier run
// posted is not commented again, and a posted key no longer among the
// results is a result fixed since: its thread is resolved, and the
// summary lists it; a result back after that is commented again. A run
// reviews only the groups (tools and categories) its log has: other
// jobs' comments and summaries are left alone.
//
// Every text taken from the log (messages, rule ids, paths, fix
// descriptions) is written as Markdown text: no mention, link, image,
// HTML or heading comes from it, and escaped text is bounded, so that a
// comment stays below the forges' limits. Markers hold hashes only. A
// suggestion holds code, the fix's and the changed file's, in a fenced
// block longer than any fence inside; code with control or bidirectional
// characters, or an HTML comment, is never suggested. Comments the forge
// refuses ([RefusedError]) go to the summary.
package review
