package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// checkDirEnv marks every process of a check with the check's work root, so
// that a process that leaves its parent, its process group and its session
// can still be told apart: by the step that runs it, and by the sweep when the
// workbook that ran it was killed.
const checkDirEnv = "WORKBOOK_CHECK_DIR"

// pollEvery is how often a running step checks the learner's memory (and
// now and then walks the process table, see tree.poll).
const pollEvery = 50 * time.Millisecond

// stepResult is what one command of a check did.
type stepResult struct {
	stdout, stderr string
	exitCode       int    // -1 when killed by a signal
	reason         string // "" or ReasonTimeout, ReasonOutputLimit, ReasonCanceled, ReasonMemory
}

// limits are the bounds of one step.
type limits struct {
	timeout time.Duration
	output  int   // bytes of output before the step is stopped
	memory  int64 // bytes the learner's programs may use; 0 for no bound
	dir     string
	goroot  string // the toolchain, whose memory is not bounded
	gocache string // where `go run` keeps the programs it built
}

// runStep runs one go command of the check, with the check's mark in its
// environment, under the runner's bounds.
func (s *scriptRun) runStep(cmd *exec.Cmd, emit func(stream, text string)) stepResult {
	lim := limits{
		timeout: s.r.StepTimeout,
		output:  s.r.OutputLimit,
		memory:  s.r.MemoryLimit,
		dir:     s.root,
		goroot:  s.r.Go.Vars["GOROOT"],
		gocache: s.r.Go.Vars["GOCACHE"],
	}
	cmd.Env = append(cmd.Env, checkDirEnv+"="+lim.dir)
	return runProcess(s.ctx, cmd, lim, emit)
}

// process is one running step.
type process struct {
	limit    int // output bytes before the step is stopped
	grace    time.Duration
	emit     func(stream, text string)
	mu       sync.Mutex
	written  int
	stopOnce sync.Once
	stopped  chan string // receives the reason the step must stop
}

// runProcess starts cmd, streams its output through emit as it arrives, and
// stops it — the go command and every process below it, whatever they did
// with sessions and process groups — at the step timeout, at the output
// limit, at the memory bound or when ctx is done. It returns once every
// process of the step is gone.
func runProcess(ctx context.Context, cmd *exec.Cmd, lim limits, emit func(stream, text string)) stepResult {
	p := &process{limit: lim.output, grace: time.Second, emit: emit, stopped: make(chan string, 1)}
	// The step's processes write straight into pipes the workbook reads: no
	// copying goroutine of os/exec keeps Wait waiting for a grandchild that
	// holds them, and whatever the step printed before it was killed is read.
	outR, outW, err := os.Pipe()
	if err != nil {
		emit(Note, fmt.Sprintf("cannot start %s: %v\n", cmd.Path, err))
		return stepResult{exitCode: -1, stderr: err.Error()}
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		emit(Note, fmt.Sprintf("cannot start %s: %v\n", cmd.Path, err))
		return stepResult{exitCode: -1, stderr: err.Error()}
	}
	defer outR.Close()
	defer errR.Close()
	cmd.Stdout, cmd.Stderr = outW, errW
	t := newTree(cmd, lim)
	defer t.close()
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err == nil {
		err = t.started()
		if err != nil {
			_ = cmd.Wait()
		}
	}
	if err != nil {
		emit(Note, fmt.Sprintf("cannot start %s: %v\n", cmd.Path, err))
		return stepResult{exitCode: -1, stderr: err.Error()}
	}

	var stdout, stderr strings.Builder
	var copying sync.WaitGroup
	copying.Go(func() { io.Copy(p.writer(Stdout, &stdout), outR) })
	copying.Go(func() { io.Copy(p.writer(Stderr, &stderr), errR) })
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()

	reason, err := p.supervise(ctx, t, lim, waited)
	if cerr := t.cleanup(); cerr != nil {
		emit(Note, fmt.Sprintf("%v\n", cerr))
	}

	// Every process of the step is gone, and with them the pipes' last
	// writers. One that escaped (outside the process group, where only the
	// group is known) must not hold the step open.
	copied := make(chan struct{})
	go func() { copying.Wait(); close(copied) }()
	select {
	case <-copied:
	case <-time.After(2 * time.Second):
		outR.Close()
		errR.Close()
		<-copied
	}

	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		emit(Note, fmt.Sprintf("%v\n", err))
	}
	return stepResult{stdout: stdout.String(), stderr: stderr.String(), reason: reason, exitCode: cmd.ProcessState.ExitCode()}
}

// supervise watches the running step until the go command has exited,
// stopping it when a bound is reached: interrupt, a moment for the tree to
// print where it was, then kill. The memory bound kills the learner's
// programs at once, since every moment of grace is more memory. It returns
// why the step was stopped ("" when it was not) and what cmd.Wait returned.
func (p *process) supervise(ctx context.Context, t *tree, lim limits, waited <-chan error) (reason string, err error) {
	timeout := time.NewTimer(lim.timeout)
	defer timeout.Stop()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	done := ctx.Done()
	var grace <-chan time.Time
	stop := func(why string) {
		if reason != "" {
			return
		}
		reason = why
		if why == ReasonMemory {
			t.killLearner()
		} else {
			t.interrupt()
		}
		grace = time.After(p.grace)
	}
	for {
		select {
		case err = <-waited:
			t.exited()
			if reason == "" && err != nil && t.hitMemoryLimit() {
				reason = ReasonMemory
			}
			return reason, err
		case <-tick.C:
			if used := t.poll(); lim.memory > 0 && used > lim.memory {
				stop(ReasonMemory)
			}
		case <-timeout.C:
			stop(ReasonTimeout)
		case <-done:
			done = nil
			stop(ReasonCanceled)
		case why := <-p.stopped:
			stop(why)
		case <-grace:
			grace = nil
			t.kill()
		}
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

// memoryMessage tells the learner that the memory bound stopped their program.
func memoryMessage(limit int64) string {
	return fmt.Sprintf("The program used more than %s, so it was stopped: something keeps growing — a slice, a map or a cache that is never trimmed, or goroutines that never end.", byteSize(int(limit)))
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
