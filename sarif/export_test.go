package sarif

// What the tests of package sarif_test check of unexported helpers.
var (
	CategoryOf = categoryOf
	RunKeyOf   = runKeyOf
	ResultRule = resultRule
)
