package filelock_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-blindspots/workbook/filelock"
)

// The test binary run with FILELOCK_HOLD=path locks path, says so on stdout
// and holds the lock until it is killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("FILELOCK_HOLD"); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
		if err == nil {
			err = filelock.Lock(f)
		}
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		select {}
	}
	os.Exit(m.Run())
}

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestLocksExcludeOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	a, b := open(t, path), open(t, path)
	if err := filelock.TryLock(a); err != nil {
		t.Fatalf("TryLock on a free file: %v", err)
	}
	if err := filelock.TryLock(b); !errors.Is(err, filelock.ErrLocked) {
		t.Fatalf("TryLock while another file holds the lock: got %v, want ErrLocked", err)
	}
	if err := filelock.TryRLock(b); !errors.Is(err, filelock.ErrLocked) {
		t.Fatalf("TryRLock while another file holds the lock: got %v, want ErrLocked", err)
	}
	if err := filelock.Unlock(a); err != nil {
		t.Fatal(err)
	}
	if err := filelock.TryLock(b); err != nil {
		t.Fatalf("TryLock after Unlock: %v", err)
	}
	b.Close() // closing releases the lock
	if err := filelock.Lock(a); err != nil {
		t.Fatalf("Lock after the holder closed its file: %v", err)
	}
}

func TestSharedLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	a, b, c := open(t, path), open(t, path), open(t, path)
	if err := filelock.RLock(a); err != nil {
		t.Fatal(err)
	}
	if err := filelock.TryRLock(b); err != nil {
		t.Fatalf("a second shared lock: %v", err)
	}
	if err := filelock.TryLock(c); !errors.Is(err, filelock.ErrLocked) {
		t.Fatalf("TryLock while shared locks are held: got %v, want ErrLocked", err)
	}
	filelock.Unlock(a)
	filelock.Unlock(b)
	if err := filelock.TryLock(c); err != nil {
		t.Fatalf("TryLock once the shared locks are gone: %v", err)
	}
}

// A lock held by another process excludes this one, and is released when that
// process is killed.
func TestLockOfAKilledProcessIsReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FILELOCK_HOLD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "locked\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the holder said %q, want \"locked\"", line)
	}
	f := open(t, path)
	if err := filelock.TryLock(f); !errors.Is(err, filelock.ErrLocked) {
		t.Errorf("TryLock while another process holds the lock: got %v, want ErrLocked", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if err := filelock.Lock(f); err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
}
