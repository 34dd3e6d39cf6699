// Package split makes a SARIF log acceptable to GitHub code scanning:
// it cuts what GitHub would reject into pieces it accepts, and trims the
// per-result and per-rule arrays GitHub truncates anyway ([Trimmer],
// [TrimRun]), reporting every change ([Trim]).
package split
