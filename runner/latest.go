package runner

import (
	"context"
	"sync"
)

// Latest runs at most one check per key (an exercise, say): a new run cancels
// the one running under the same key and waits until it is over, its process
// group killed and its work dir removed, before it starts. The site and watch
// mode use it so that a new Check press or a new save supersedes the old run.
type Latest struct {
	mu      sync.Mutex
	running map[string]*latestRun
}

type latestRun struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// Run calls f with a context that is canceled when a later Run with the same
// key starts (or when ctx is done), after the previous f of that key returned.
func (l *Latest) Run(ctx context.Context, key string, f func(context.Context)) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	me := &latestRun{cancel: cancel, done: make(chan struct{})}
	defer close(me.done)

	l.mu.Lock()
	if l.running == nil {
		l.running = make(map[string]*latestRun)
	}
	prev := l.running[key]
	l.running[key] = me
	l.mu.Unlock()
	if prev != nil {
		prev.cancel()
		<-prev.done
	}
	defer func() {
		l.mu.Lock()
		if l.running[key] == me {
			delete(l.running, key)
		}
		l.mu.Unlock()
	}()
	if ctx.Err() == nil {
		f(ctx)
	}
}
