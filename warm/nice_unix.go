//go:build unix

package warm

import (
	"os"
	"syscall"
)

// LowerPriority gives the calling process (the warm command, and the go
// commands it starts, which inherit it) the lowest CPU priority, so that a learner's check gets the
// processor. On Linux a process started in a session of its own (as the
// background warm is) has an autogroup of its own, whose weight nice
// alone does not change: the autogroup's nice is set too.
func LowerPriority() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, 19)
	_ = os.WriteFile("/proc/self/autogroup", []byte("19"), 0)
}
