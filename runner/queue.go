package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/filelock"
)

// The check queue: at most MaxChecks checks run at once across every process
// that shares a WorkRoot — each tab of `serve`, `check`, `watch` and `verify`
// alike. It is a semaphore of lock files, WorkRoot/slot-N.lock for N below
// MaxChecks: a running check holds one locked, and a process that dies lets
// go of its slot with its locks. A check that finds no free slot waits in line:
// it holds a ticket, WorkRoot/queue-TIME-RAND.ticket, locked as well, and its
// place is one more than the number of live tickets older than its own. It
// takes a slot when there are at least as many free slots as its place, so
// that checks start in the order they asked.

// queuePoll is how often a waiting check looks at the queue again.
const queuePoll = 100 * time.Millisecond

// maxChecks is the number of slots.
func (r *Runner) maxChecks() int {
	if r.MaxChecks > 0 {
		return r.MaxChecks
	}
	return runtime.GOMAXPROCS(0)
}

// runInTurn waits until the check may run, telling the learner its place in
// line while it waits, and then runs it under its time bound. A check canceled
// while it waits ends at once.
func (s *scriptRun) runInTurn(ctx context.Context) Result {
	if !s.check.Background {
		release, err := s.r.waitTurn(ctx, func(place int) {
			s.emit(Event{Type: TypeQueued, Exercise: s.check.Name, Place: place})
		})
		if ctx.Err() != nil {
			return Result{Reason: ReasonCanceled, Message: "The check was canceled."}
		}
		if err != nil {
			return s.abort(ReasonEnvironment, "The workbook cannot wait for a turn to run the check ("+err.Error()+"): is its cache directory writable?")
		}
		defer release()
	}
	ctx, cancel := context.WithTimeoutCause(ctx, s.r.CheckTimeout, errCheckTimeout)
	defer cancel()
	s.ctx = ctx
	return s.run()
}

// waitTurn takes a slot, waiting in line while there is none for this check,
// and calls queued with the check's place (1 is next) whenever it changes.
// release gives the slot back.
func (r *Runner) waitTurn(ctx context.Context, queued func(place int)) (release func(), err error) {
	if err := os.MkdirAll(r.WorkRoot, 0o777); err != nil {
		return nil, err
	}
	// Nobody waiting: take a free slot, if there is one, without a ticket.
	if waiting, err := r.tickets(""); err != nil {
		return nil, err
	} else if len(waiting) == 0 {
		if slot, err := r.takeSlot(1); err != nil {
			return nil, err
		} else if slot != nil {
			return func() { slot.Close() }, nil
		}
	}
	ticket, err := r.newTicket()
	if err != nil {
		return nil, err
	}
	defer func() {
		ticket.Close()
		os.Remove(ticket.Name())
	}()
	last := 0
	for {
		older, err := r.tickets(filepath.Base(ticket.Name()))
		if err != nil {
			return nil, err
		}
		place := len(older) + 1
		if slot, err := r.takeSlot(place); err != nil {
			return nil, err
		} else if slot != nil {
			return func() { slot.Close() }, nil
		}
		if place != last {
			queued(place)
			last = place
		}
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(queuePoll):
		}
	}
}

// takeSlot takes a free slot when at least place slots are free, and returns
// nil otherwise. The free slots it finds and does not keep are given back at
// once.
func (r *Runner) takeSlot(place int) (*os.File, error) {
	var free []*os.File
	for i := range r.maxChecks() {
		f, err := os.OpenFile(filepath.Join(r.WorkRoot, fmt.Sprintf("slot-%d.lock", i)), os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			for _, f := range free {
				f.Close()
			}
			return nil, err
		}
		if filelock.TryLock(f) != nil {
			f.Close()
			continue
		}
		free = append(free, f)
		if len(free) == place {
			break
		}
	}
	if len(free) < place {
		for _, f := range free {
			f.Close()
		}
		return nil, nil
	}
	for _, f := range free[1:] {
		f.Close()
	}
	return free[0], nil
}

// newTicket makes and locks this check's ticket. Its name sorts by the time
// it was taken.
func (r *Runner) newTicket() (*os.File, error) {
	for range 10 {
		f, err := os.CreateTemp(r.WorkRoot, fmt.Sprintf("queue-%020d-*.ticket", time.Now().UnixNano()))
		if err != nil {
			return nil, err
		}
		// A waiting check may take the new ticket for a dead one's and remove it
		// before it is locked.
		if filelock.TryLock(f) == nil && stillAt(f, f.Name()) {
			return f, nil
		}
		f.Close()
	}
	return nil, errors.New("cannot lock a queue ticket")
}

// tickets returns the live tickets that sort before mine (all of them when
// mine is ""), removing those whose check is gone.
func (r *Runner) tickets(mine string) ([]string, error) {
	entries, err := os.ReadDir(r.WorkRoot)
	if err != nil {
		return nil, err
	}
	var live []string
	for _, e := range entries {
		name := e.Name()
		if !isTicket(name) || mine != "" && name >= mine {
			continue
		}
		if ticketLive(filepath.Join(r.WorkRoot, name)) {
			live = append(live, name)
		}
	}
	slices.Sort(live)
	return live, nil
}

func isTicket(name string) bool {
	return strings.HasPrefix(name, "queue-") && strings.HasSuffix(name, ".ticket")
}

// ticketLive reports whether a waiting check holds the ticket at path, and
// removes it when its check is gone.
func ticketLive(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	if filelock.TryLock(f) != nil {
		f.Close()
		return true
	}
	f.Close()
	os.Remove(path)
	return false
}
