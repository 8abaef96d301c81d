package warm

import "golang.org/x/sys/windows"

// LowerPriority gives the calling process (the warm command, and the go
// commands it starts, which inherit it) the lowest CPU priority, so that a learner's check gets the
// processor.
func LowerPriority() {
	_ = windows.SetPriorityClass(windows.CurrentProcess(), windows.IDLE_PRIORITY_CLASS)
}
