// Package diff compares two SARIF logs of the same code base, a base (say,
// the scan of a pull request's target branch) and a head (the scan of the
// pull request), and classifies every result as [New], [Absent],
// [Unchanged] or [Updated]. It also holds the [Gate] that decides whether
// a change introduced results that should fail a build, and the reports
// of a comparison ([WriteText], [WriteJSON], [WriteMarkdown],
// [WriteGitHub], and [Annotate] for a SARIF log with baselineState).
//
// # Pairing runs, then results
//
// [Compare] pairs runs the way GitHub code scanning pairs analyses: by
// tool (driver name) and category (automationDetails.id); base results of
// a tool and category that head did not run are [NotCompared], not absent
// ([Diff.Runs] says how runs were paired, [Diff.Notes] what is unusual).
// Within a pair of runs, results are matched in passes from the strongest
// evidence to the weakest (see [Pass]): fingerprints, GitHub alert
// numbers, location and message, snippets, renamed files, shifted lines.
// Each result is matched at most once, and the pairs do not depend on the
// order of results in the inputs.
//
// Each result of either log is an [Item]: what the matcher and the reports
// read of it (rule id, file, region, message, level, fingerprints), with
// the rule and URI resolved by package sarif. Items are read from the
// results' text without decoding the rest, which keeps a comparison of
// two 100,000-result logs within a few times their size in memory.
// Compare does no I/O; it and Annotate stop early when their context is
// done.
package diff
