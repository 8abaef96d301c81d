//go:build unix

package rollup

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestMergeDirManyShards merges real files with the process's open-file limit
// lowered to 64, as in a container started with `ulimit -n 64`: a day of
// shards is far more files than that. The test binary is a process of its
// own, so the lower limit only applies to it.
func TestMergeDirManyShards(t *testing.T) {
	dir := t.TempDir()
	const collectors, minutes = 5, 100
	for c := range collectors {
		for m := range minutes {
			name := filepath.Join(dir, fmt.Sprintf("edge-%02d-%04d.cnt", c, m))
			data := "checkout.requests 10\ncheckout.errors 1\n"
			if c == 3 && m%25 == 24 {
				data = "checkout.requests 10\ncheckout.err" // collector killed mid-write
			}
			if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	lowerOpenFileLimit(t)

	rep, err := MergeDir(os.DirFS(dir))
	if err != nil {
		t.Fatalf("MergeDir over %d shards with the open-file limit at %d: %v", collectors*minutes, openFileLimit, err)
	}

	if want := collectors*minutes - 4; rep.Merged != want {
		t.Errorf("Merged = %d, want %d", rep.Merged, want)
	}
	if got, want := rep.Totals["checkout.requests"], int64(10*rep.Merged); got != want {
		t.Errorf("checkout.requests = %d, want %d", got, want)
	}
	if len(rep.Corrupt) != 4 {
		t.Errorf("Corrupt = %q, want 4 shards", rep.Corrupt)
	}
}

// openFileLimit is the soft RLIMIT_NOFILE the test runs with: the files the
// test binary already holds (stdin, stdout, stderr, the poller) count too.
const openFileLimit = 64

// lowerOpenFileLimit lowers the soft RLIMIT_NOFILE of the test process to
// openFileLimit until the test ends.
func lowerOpenFileLimit(t *testing.T) {
	var saved syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &saved); err != nil {
		t.Fatal(err)
	}
	lowered := saved
	if lowered.Cur > openFileLimit {
		lowered.Cur = openFileLimit
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lowered); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &saved); err != nil {
			t.Error(err)
		}
	})
}
