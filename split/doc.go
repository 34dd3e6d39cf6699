// Package split makes SARIF logs acceptable to GitHub code scanning: it
// cuts what GitHub would reject into files it accepts, each its own
// upload ([Split]), and trims the per-result and per-rule arrays GitHub
// truncates anyway ([Trimmer], [TrimRun]), reporting every change
// ([Trim]).
//
// A split has at most [schema.GitHubMaxRuns] runs and
// [schema.GitHubMaxGzipSize] bytes gzip-compressed per file, at most
// [schema.GitHubMaxResultsPerRun] results and [schema.GitHubMaxRulesPerRun]
// rules per run, no two runs of one tool and category in the whole split
// (an automationDetails.id without "/" read both as a category and as a
// run id of the empty category: see [ConflictError]), and every result of
// the inputs in exactly one file.
//
// The inputs are first combined as package merge combines them (runs that
// are one run to GitHub become one, identical results all kept). A run
// that fits stays as it is, its automationDetails.id unchanged. A run
// that does not becomes several parts, each a copy of the run
// ([sarif.CopyRun]) with a share of its results and its own category,
// derived from the run's ([PartID]). Which part a result goes to depends
// on the result alone, not on its position: a hash of its rule id, so
// that on the next scan the same result lands in the same category and
// its alert stays open, neither closed nor opened again. See [Split] for
// how stable that is.
//
// Split works on results through [sarif.Run] methods only, so that inputs
// read with their results on disk ([sarif.ReadOptions].ResultsOnDisk)
// keep them there: memory holds a few bytes per result.
package split
