//go:build unix

package checkout

import "syscall"

// openFlags are added to the flags a checkout's file is opened with: a
// FIFO swapped in after the check must not block the open.
const openFlags = syscall.O_NONBLOCK
