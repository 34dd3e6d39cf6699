//go:build !linux

package report_test

// peakRSS is not measured outside Linux.
func peakRSS() int64 { return 0 }
