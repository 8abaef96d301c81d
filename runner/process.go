package runner

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stepResult is what one command of a check did.
type stepResult struct {
	stdout, stderr string
	exitCode       int    // -1 when killed by a signal
	reason         string // "" or ReasonTimeout, ReasonOutputLimit, ReasonCanceled
}

// process runs one command as the leader of its own process group, so that the
// whole tree (the go command and the test binary it starts) can be stopped.
type process struct {
	cmd      *exec.Cmd
	timeout  time.Duration
	limit    int // output bytes before the step is stopped
	grace    time.Duration
	emit     func(stream, text string)
	mu       sync.Mutex
	written  int
	stopOnce sync.Once
	stopped  chan string // receives the reason the step must stop
}

// runProcess starts cmd, streams its output through emit as it arrives, and
// stops its whole process group at the step timeout, at the output limit or
// when ctx is done. It returns once the group is gone.
func runProcess(ctx context.Context, cmd *exec.Cmd, timeout time.Duration, limit int, emit func(stream, text string)) stepResult {
	p := &process{cmd: cmd, timeout: timeout, limit: limit, grace: time.Second, emit: emit, stopped: make(chan string, 1)}
	var stdout, stderr strings.Builder
	cmd.Stdout = p.writer(Stdout, &stdout)
	cmd.Stderr = p.writer(Stderr, &stderr)
	cmd.SysProcAttr = processAttr()
	// A grandchild that keeps our pipes open must not keep Wait from returning.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		emit(Note, fmt.Sprintf("cannot start %s: %v\n", cmd.Path, err))
		return stepResult{exitCode: -1, stderr: err.Error()}
	}
	pgid := cmd.Process.Pid

	done := make(chan struct{})
	reasonc := make(chan string, 1)
	go func() {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		var reason string
		select {
		case <-done:
			reasonc <- ""
			return
		case <-timer.C:
			reason = ReasonTimeout
		case <-ctx.Done():
			reason = ReasonCanceled
		case reason = <-p.stopped:
		}
		reasonc <- reason
		// Interrupt, give the tree a moment to print where it was, then kill.
		_ = syscall.Kill(-pgid, syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(p.grace):
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}()
	err := cmd.Wait()
	close(done)
	reason := <-reasonc
	killGroup(pgid)

	res := stepResult{stdout: stdout.String(), stderr: stderr.String(), reason: reason, exitCode: cmd.ProcessState.ExitCode()}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) && !errors.Is(err, exec.ErrWaitDelay) {
		emit(Note, fmt.Sprintf("%v\n", err))
	}
	return res
}

// killGroup kills whatever is left of the process group and waits, briefly,
// until it is gone: nothing of a check may outlive it.
func killGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// writer returns the io.Writer for one stream: it forwards every write as an
// output event and keeps it for the script's assertions, until the step's
// output limit is reached; past it, output is dropped and the step is stopped.
func (p *process) writer(stream string, keep *strings.Builder) *streamWriter {
	return &streamWriter{p: p, stream: stream, keep: keep}
}

type streamWriter struct {
	p      *process
	stream string
	keep   *strings.Builder
}

func (w *streamWriter) Write(b []byte) (int, error) {
	p := w.p
	p.mu.Lock()
	defer p.mu.Unlock()
	room := p.limit - p.written
	if room <= 0 {
		return len(b), nil
	}
	chunk := b
	if len(chunk) > room {
		chunk = chunk[:room]
	}
	p.written += len(chunk)
	w.keep.Write(chunk)
	p.emit(w.stream, string(chunk))
	if p.written >= p.limit {
		p.emit(Note, fmt.Sprintf("\n[output stopped: the step printed more than %s, so the workbook stopped it; is something printing in a loop?]\n", byteSize(p.limit)))
		p.stopOnce.Do(func() { p.stopped <- ReasonOutputLimit })
	}
	return len(b), nil
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
