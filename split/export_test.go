package split

// SetLimits makes opts split by smaller limits than GitHub's, for tests
// that would otherwise need logs of hundreds of megabytes.
func SetLimits(opts *Options, runs, results, rules int, gzip int64) {
	opts.limits = limits{runs: runs, results: results, rules: rules, gzip: gzip}
}
