//go:build !unix

package checkout

// openFlags are added to the flags a checkout's file is opened with.
const openFlags = 0
