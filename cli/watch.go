package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// Watch mode's timing.
const (
	debounce     = 100 * time.Millisecond // editors write a file in several steps
	pollInterval = time.Second
)

// watcher is watch mode. One loop owns all its state and alone writes to
// the terminal: file events, key presses, the poller, and the events and
// results of the check that runs come to it on channels (rustlings' shape).
type watcher struct {
	a  *app
	ws *workspace.Workspace
	r  *runner.Runner
	st markdown.Style

	ex     *exercises.Exercise
	run    *watchRun         // the check that runs, or nil
	runs   int               // checks started, to tell a superseded run's messages apart
	events chan watchMessage // from the check goroutines

	fsw      *fsnotify.Watcher // nil when polling
	polling  bool
	stamp    string    // what the poller saw last
	lastSave time.Time // last change reported by file events
	dirty    *time.Timer
}

// watchRun is one check that watch started.
type watchRun struct {
	id     int
	cancel context.CancelFunc
	done   chan struct{} // closed when the check is over, its processes gone
	term   *terminal     // renders its events
}

// watchMessage is an event of a run, or (with done set) its end.
type watchMessage struct {
	run  int
	ev   runner.Event
	done bool
	res  runner.Result
	err  error
}

func (a *app) cmdWatch(args []string) error {
	ws, err := a.workspace()
	if err != nil {
		return err
	}
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	a.room.Start() // sends what waits for a workshop room, and what comes
	w := &watcher{a: a, ws: ws, r: r, st: markdown.Style{On: a.color}, events: make(chan watchMessage, 64), polling: a.flags.poll}
	if len(args) == 1 {
		if w.ex, err = a.cat.Lookup(args[0]); err != nil {
			return err
		}
	} else {
		p, err := ws.Progress()
		if err != nil {
			return err
		}
		if w.ex = p.Resume(a.cat); w.ex == nil {
			fmt.Fprintln(a.stdout, "Every exercise passes. Watch one by name: `workbook watch NAME`.")
			return nil
		}
	}
	if !w.polling {
		if w.fsw, err = fsnotify.NewWatcher(); err != nil {
			fmt.Fprintf(a.stdout, "File events are not available here (%v): looking for saves every second instead.\n", err)
			w.polling = true
		} else {
			defer w.fsw.Close()
		}
	}
	keys, restore := readKeys(a.ctx, a.stdin)
	defer restore()
	return w.loop(keys)
}

func (w *watcher) loop(keys <-chan byte) error {
	w.dirty = time.NewTimer(time.Hour)
	w.dirty.Stop()
	poll := time.NewTicker(pollInterval)
	defer poll.Stop()
	var fsEvents <-chan fsnotify.Event
	var fsErrors <-chan error
	if w.fsw != nil {
		fsEvents, fsErrors = w.fsw.Events, w.fsw.Errors
	}
	defer w.stop()
	w.open(w.ex)
	for {
		select {
		case <-w.a.ctx.Done():
			return nil
		case k, ok := <-keys:
			if !ok {
				keys = nil // stdin closed: keep watching files
				continue
			}
			if quit := w.key(k); quit {
				return nil
			}
		case ev := <-fsEvents:
			if watchedFile(ev.Name) && !ev.Has(fsnotify.Chmod) {
				w.lastSave = time.Now()
				w.dirty.Reset(debounce)
			}
		case err := <-fsErrors:
			w.printf("%s %v\n", w.st.Yellow("file events:"), err)
		case <-w.dirty.C:
			w.stamp = w.snapshot()
			w.check("saved")
		case <-poll.C:
			stamp := w.snapshot()
			if stamp == w.stamp {
				continue
			}
			w.stamp = stamp
			if !w.polling && time.Since(w.lastSave) > pollInterval+debounce {
				// A save the file events never told us about: WSL, network
				// file systems and some containers do that.
				w.polling = true
				w.printf("\n%s\n", w.st.Yellow("Your save did not arrive as a file event (this happens on WSL, network drives and some containers): watching by polling every second from now on."))
			}
			if w.polling {
				w.check("saved")
			}
		case m := <-w.events:
			if w.run == nil || m.run != w.run.id {
				continue // a superseded run's late message
			}
			if !m.done {
				w.run.term.Emit(m.ev)
				continue
			}
			w.run = nil
			w.finished(m)
		}
	}
}

// printf writes to the terminal; only the loop calls it.
func (w *watcher) printf(format string, args ...any) { fmt.Fprintf(w.a.stdout, format, args...) }

// open makes ex the exercise being watched, shows it and checks it.
func (w *watcher) open(ex *exercises.Exercise) {
	w.ex = ex
	_ = w.ws.SetCurrent(ex)
	if w.fsw != nil {
		for _, d := range w.fsw.WatchList() {
			_ = w.fsw.Remove(d)
		}
		_ = filepath.WalkDir(w.ws.Dir(ex.Name), func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if err := w.fsw.Add(p); err != nil {
					w.printf("%s cannot watch %s: %v\n", w.st.Yellow("file events:"), p, err)
				}
			}
			return nil
		})
	}
	w.stamp = w.snapshot()
	w.printf("\n%s %s — %s\n", w.st.Bold("Watching"), w.st.Cyan(ex.Name), ex.Title)
	w.printf("Edit %s; every save re-checks it.\n", relPath(w.ws.Dir(ex.Name)))
	w.keyHelp()
	w.check("")
}

func (w *watcher) keyHelp() {
	w.printf("%s\n", w.st.Dim("Keys: h hint · l list · n next · p previous · r re-run · q quit"))
}

// check starts a check of the current exercise, superseding a running one:
// the old one is stopped, and its processes are gone, before the new starts.
func (w *watcher) check(why string) {
	if w.run != nil {
		w.printf("\n%s\n", w.st.Yellow("↻ saved again: stopping the running check"))
		w.stop()
	} else if why != "" {
		w.printf("\n%s\n", w.st.Dim("↻ "+why))
	}
	w.runs++
	ctx, cancel := context.WithCancel(w.a.ctx)
	run := &watchRun{id: w.runs, cancel: cancel, done: make(chan struct{}),
		term: newTerminal(w.a.stdout, w.a.color, w.ws.Dir(w.ex.Name))}
	w.run = run
	ex := w.ex
	go func() {
		defer close(run.done)
		send := func(m watchMessage) {
			m.run = run.id
			select {
			case w.events <- m:
			case <-ctx.Done(): // superseded or stopped: nobody renders this run
			}
		}
		res, err := w.ws.Check(ctx, w.r, ex, runner.SinkFunc(func(e runner.Event) { send(watchMessage{ev: e}) }))
		send(watchMessage{done: true, res: res, err: err})
	}()
}

// stop cancels the running check, if any, and waits until it is over.
func (w *watcher) stop() {
	if w.run == nil {
		return
	}
	w.run.cancel()
	<-w.run.done
	if w.run.term.started && !w.run.term.ended {
		w.printf("\n%s\n", w.st.Dim("■ stopped; nothing of the check is left running"))
	}
	w.run = nil
}

// finished handles the end of the check that ran.
func (w *watcher) finished(m watchMessage) {
	switch {
	case m.err != nil:
		w.printf("%s %v\n", w.st.Red("error:"), m.err)
		return
	case m.res.Reason == runner.ReasonEnvironment:
		w.printf("%s %s\n", w.st.Yellow("Not your code:"), m.res.Message)
		return
	case !m.res.Pass:
		if m.res.Reason != runner.ReasonCanceled {
			w.printf("%s\n", w.st.Dim("  Save to re-check · h for a hint"))
		}
		return
	}
	p, err := w.ws.Progress()
	if err != nil {
		w.printf("%s %v\n", w.st.Red("error:"), err)
		return
	}
	next := p.NextAfter(w.a.cat, w.ex)
	if next == nil {
		w.printf("\n%s\n", w.st.Green("Every exercise passes. Well done. (q quits)"))
		return
	}
	w.printf("  %s\n\n", w.st.Green("Done. On to the next exercise."))
	w.a.showTask(w.ws, next)
	w.open(next)
}

// key handles one key press and reports whether to quit.
func (w *watcher) key(k byte) (quit bool) {
	switch k {
	case 'q', 'Q':
		return true
	case 'h':
		if err := w.a.showHint(w.ws, w.ex); err != nil {
			w.printf("%s %v\n", w.st.Red("error:"), err)
		}
	case 'l':
		if p, err := w.ws.Progress(); err == nil {
			w.a.printList(p, w.ex)
		}
	case 'n', 'p':
		i := slices.Index(w.a.cat.List, w.ex)
		if k == 'n' && i+1 < len(w.a.cat.List) {
			w.stop()
			w.open(w.a.cat.List[i+1])
		} else if k == 'p' && i > 0 {
			w.stop()
			w.open(w.a.cat.List[i-1])
		}
	case 'r':
		w.check("re-run")
	case '\n', '\r', ' ':
	default:
		w.keyHelp()
	}
	return false
}

// snapshot sums up the watched exercise's Go files (names, sizes, times), so
// the poller can tell a save.
func (w *watcher) snapshot() string {
	var b strings.Builder
	_ = filepath.WalkDir(w.ws.Dir(w.ex.Name), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !watchedFile(p) {
			return nil
		}
		if info, err := d.Info(); err == nil {
			fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return b.String()
}

// watchedFile reports whether a change to path is a save of the learner's
// code, not an editor's swap, backup or temporary file.
func watchedFile(path string) bool {
	name := filepath.Base(path)
	switch {
	case !strings.HasSuffix(name, ".go"),
		strings.HasPrefix(name, "."), // vim .x.go.swp, emacs .#x.go
		strings.HasPrefix(name, "#"): // emacs #x.go#
		return false
	}
	return true
}

// readKeys delivers single key presses from in: with the terminal in
// character mode when in is one, else byte by byte (for tests and pipes; on
// Windows, a key counts once Enter is pressed).
func readKeys(ctx context.Context, in io.Reader) (<-chan byte, func()) {
	keys := make(chan byte)
	restore := func() {}
	if f, ok := in.(*os.File); ok {
		if r, err := cbreak(f); err == nil {
			restore = r
		}
	}
	go func() {
		defer close(keys)
		buf := make([]byte, 1)
		for {
			n, err := in.Read(buf)
			if n == 1 {
				select {
				case keys <- buf[0]:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				return // EOF or a closed terminal: no more keys
			}
		}
	}()
	return keys, restore
}
