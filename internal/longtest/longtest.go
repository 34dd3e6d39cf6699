// Package longtest says whether the tests run their long scenarios, the
// one switch of the whole tree.
//
// go test ./... stays quick (under half a minute on two cores): a test
// whose full scenario takes seconds (ten thousands of schema mutations,
// the GitHub Action building the commands from its checkout, generated
// logs of 100,000 results) runs a smaller version of the same scenario by
// default, so that the code is still exercised, and the full one when the
// environment variable SARIFKIT_LONG_TESTS is set to 1:
//
//	SARIFKIT_LONG_TESTS=1 go test ./...
//
// CI (.ci/run) runs both. The variable is read while the tests run, not
// when the test binary starts, so that go test's cache tells the two runs
// apart. Each guarded test says in its doc comment what its long version
// adds.
package longtest

import "os"

// Env is the environment variable that, set to 1, runs the long scenarios.
const Env = "SARIFKIT_LONG_TESTS"

// Enabled reports whether the long scenarios run ([Env] is 1).
func Enabled() bool {
	return os.Getenv(Env) == "1"
}

// Size returns long when the long scenarios run ([Enabled]), else short:
// the size of a scenario (results, mutations, runs) that has both.
func Size(short, long int) int {
	if Enabled() {
		return long
	}
	return short
}
