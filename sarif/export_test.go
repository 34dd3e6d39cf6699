package sarif

// What the tests of package sarif_test check of unexported helpers.
var (
	CategoryOf = categoryOf
	RunKeyOf   = runKeyOf
	ResultRule = resultRule
)

// OnDisk tells whether some of the run's results are on disk.
func OnDisk(r *Run) bool { return len(r.disk) > 0 }
