// Package linemap says where the lines of one revision of a code base are
// in another: the line diff of two revisions, as a reviewer reads it.
// A [LineMap] maps each line of a base file to its place in head (shifted
// by the lines inserted and deleted above it, in the file's new name when
// it was renamed), or nowhere when the diff changed or deleted it, and
// back ([LineMap.Origin]). It is built from the output of git diff
// ([ReadGitDiff]), from two trees of files compared line by line
// ([DiffFiles]), or hunk by hunk ([LineMap.AddFile]).
//
// Package diff reads a LineMap to pair the results of two scans on lines
// the diff did not change (diff.Options.LineMap), and builds one with
// DiffFiles from two checkouts; diff.OpenRevisions builds one from two
// revisions of a git repository, whose files and diff the git reader
// (an internal package, which knows nothing of line maps) hands it.
//
// The package lives under diff because it serves the comparison and
// nothing else, but it is a package of its own, below diff, for three
// reasons: it knows nothing of SARIF (paths and line numbers only), so a
// caller with a diff from elsewhere can build and test a map alone; the
// git reader below it and diff above it both use it without either
// importing the other; and its rules (renames by content, binary files,
// git's quoting of paths) are found by the layout alone.
package linemap
