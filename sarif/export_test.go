package sarif

// What the tests of package sarif_test check of unexported helpers.
var (
	CategoryOf = categoryOf
	RunKeyOf   = runKeyOf
	ResultRule = resultRule
)

// OnDisk tells whether some of the run's results are on disk.
func OnDisk(r *Run) bool { return len(r.disk) > 0 }

// InMemory are the run's results held in memory.
func InMemory(r *Run) []Result { return r.memory }
