package split

// SetLimits makes opts split by smaller limits than GitHub's, for tests
// that would otherwise need logs of hundreds of megabytes.
func SetLimits(opts *Options, runs, results, rules int, gzip int64) {
	opts.limits = limits{runs: runs, results: results, rules: rules, gzip: gzip}
}

// Underestimate makes opts estimate sizes at scale times what they are
// (scale < 1), so that the files measured are over the limit and the
// split is planned again.
func Underestimate(opts *Options, scale float64) {
	opts.limits.underestimate = scale
}
