// Package diff compares two SARIF logs of the same code base, a base (say,
// the scan of a pull request's target branch) and a head (the scan of the
// pull request), and classifies every result as [StateNew],
// [StateAbsent], [StateUnchanged] or [StateUpdated] (or
// [StateNotCompared]). It also holds the [Gate] that decides whether a
// change introduced results that should fail a build ([Gate.Judge]
// returns its [Verdict]), and the data formats of a comparison: JSON
// ([WriteJSON]) and a SARIF log with baselineState ([Annotate]).
//
// # Where the pieces are
//
// A [Diff] is plain data: the [Match]es, how runs were paired
// ([Diff.Runs]), what is unusual ([Diff.Notes], structured [Note]s), the
// counts ([Summarize]). The reports people and CI read of it (the text
// of a terminal, Markdown for a pull request, GitHub annotations and step
// outputs) are package report's (report.WriteComparisonText and its
// siblings): report imports diff, diff never imports report. The line
// diff of two trees or revisions is package [linemap], below diff; the
// git repository is read by an internal package that knows nothing of
// SARIF or line maps, and [OpenRevisions] is the workflow a caller with
// a checkout wants: resolve the two revisions, give each log's results
// line hashes from its own revision ([Revisions.AddLineHashes]), and take
// git's line diff for [Options.LineMap] ([Revisions.LineMap]).
// [AddLineHashes] does the same from a checkout at hand. A command
// parses flags, opens files and calls these; it holds no comparison
// logic.
//
// # Pairing runs, then results
//
// [Compare] pairs runs the way GitHub code scanning tracks alerts across
// analyses: by tool (driver name) and category (automationDetails.id up
// to its last "/"), so that a tool's runs are compared across a new
// version of the tool or a new run id. Where one log has runs of one tool
// and category that are distinct runs to GitHub ([sarif.RunKey]: another
// version, guid or run id), each is compared with the run of the other log
// that is the same run to GitHub, and the runs left over by tool and
// category. Base results of runs that head did not run are [StateNotCompared],
// not absent ([Diff.Runs] says how runs were paired, [Diff.Notes] what is
// unusual).
// Within a pair of runs, results are matched in passes from the strongest
// evidence to the weakest (see [Pass]): fingerprints, GitHub alert
// numbers, location and message, snippets, renamed files, shifted lines.
// A fingerprint value is an identity only when one result of each log
// carries it; one that several carry pairs results only within a file,
// in line order.
// Each result is matched at most once, and the pairs do not depend on the
// order of results in the inputs.
//
// # Checkouts
//
// Logs of the same code made in checkouts at different places (a Linux
// and a Windows runner, two CI workspaces) name one file by different
// absolute URIs. Absolute URIs are compared relative to the checkout each
// log was made in, when something says where that was:
// [Options.BaseRoot] and [Options.HeadRoot], else the run's
// originalUriBaseIds that are absolute file: URIs, else its invocations'
// working directory; the root-most that holds a URI wins, and
// [Diff.Notes] says which were used when the two sides differ. When none
// says and the two sides' absolute URIs still differ, the one pair of
// directories under which most files' paths end alike is inferred, when
// it is clear (no other pair comes close), and a note says so.
//
// # With the code
//
// When both revisions are at hand, a line map pairs results on lines the
// diff did not change ([PassLineMap]), settles those left alone there,
// and lets the weaker passes pair results on changed lines only where
// the diff allows. Where it says where a line went, it wins over a
// fingerprint that disagrees. It is [Options.LineMap] (git's diff of two
// revisions, from [Revisions.LineMap] or [linemap.ReadGitDiff]), or the
// line diff of two checkouts ([Options.BaseFiles] and [Options.HeadFiles],
// see [linemap.DiffFiles]).
//
// Each result of either log is an [Item]: what the matcher and the reports
// read of it (rule id, file, region, message, level, fingerprints), with
// the rule and URI resolved by package sarif. Items are read from the
// results' text without decoding the rest, and hold one copy of each
// string they share (messages, files, fingerprints repeat from base to
// head). With logs read with their results on disk
// ([sarif.ReadOptions].ResultsOnDisk, as the commands read them), the items
// are all a comparison holds: Annotate sets the head results' states as
// they are written, and copies in only the base results it adds. Compare
// reads no files but the results on disk and the checkouts' files it is
// given; it and Annotate stop early when their context is done.
package diff
