package main

import (
	"bytes"
	"testing"

	"init-blank-import-order/metrics/l2met"
)

// TestNightlyRunReportsReminders runs the job as `go run .` does and reads
// what reaches the log drain.
func TestNightlyRunReportsReminders(t *testing.T) {
	var drain bytes.Buffer
	saved := l2met.Output
	l2met.Output = &drain
	t.Cleanup(func() { l2met.Output = saved })

	main()

	want := "count#reminders.sent=2\ncount#reminders.skipped=1\n"
	if got := drain.String(); got != want {
		t.Errorf("the log drain received:\n%s\nwant:\n%s", got, want)
	}
}
