package cli

import (
	"context"
	"flag"
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
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// Watch mode's timing.
const (
	debounce     = 100 * time.Millisecond // editors write a file in several steps
	pollInterval = time.Second
)

// watcher is watch mode: one loop owns all its state, fed by file events,
// key presses, a poller and the results of checks.
type watcher struct {
	a  *app
	ws *workspace.Workspace
	r  *runner.Runner
	st style

	ex      *exercises.Exercise
	latest  runner.Latest
	cancel  context.CancelFunc // of the running check, or nil
	runs    int                // checks started, to tell stale results apart
	results chan watchResult

	fsw      *fsnotify.Watcher // nil when polling
	polling  bool
	stamp    string    // what the poller saw last
	lastSave time.Time // last change reported by file events
	dirty    *time.Timer
}

type watchResult struct {
	run int
	res runner.Result
	err error
}

func (a *app) cmdWatch(args []string) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	poll := fs.Bool("poll", false, "look for saves every second instead of using file events")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("usage: workbook watch [NAME] [--poll]")
	}
	ws, err := a.workspace()
	if err != nil {
		return err
	}
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	if err := a.waitWarm(r); err != nil {
		return err
	}
	w := &watcher{a: a, ws: ws, r: r, st: style{a.color}, results: make(chan watchResult), polling: *poll}
	if len(pos) == 1 {
		if w.ex, err = a.exercise(pos[0]); err != nil {
			return err
		}
	} else {
		p, err := ws.Progress()
		if err != nil {
			return err
		}
		if w.ex = a.current(p); w.ex == nil {
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
	w.open(w.ex)
	for {
		select {
		case <-w.a.ctx.Done():
			w.stop()
			return nil
		case k, ok := <-keys:
			if !ok {
				keys = nil // stdin closed: keep watching files
				continue
			}
			if quit := w.key(k); quit {
				w.stop()
				return nil
			}
		case ev := <-fsEvents:
			if watchedFile(ev.Name) && !ev.Has(fsnotify.Chmod) {
				w.lastSave = time.Now()
				w.dirty.Reset(debounce)
			}
		case err := <-fsErrors:
			fmt.Fprintf(w.a.stdout, "%s %v\n", w.st.yellow("file events:"), err)
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
				fmt.Fprintf(w.a.stdout, "\n%s\n", w.st.yellow("Your save did not arrive as a file event (this happens on WSL, network drives and some containers): watching by polling every second from now on."))
			}
			if w.polling {
				w.check("saved")
			}
		case r := <-w.results:
			if r.run == w.runs {
				w.cancel = nil
				w.done(r)
			}
		}
	}
}

// open makes ex the exercise being watched, shows it and checks it.
func (w *watcher) open(ex *exercises.Exercise) {
	w.ex = ex
	_ = w.ws.Update(func(p *workspace.Progress) error { p.Current = ex.Name; return nil })
	if w.fsw != nil {
		for _, d := range w.fsw.WatchList() {
			_ = w.fsw.Remove(d)
		}
		_ = filepath.WalkDir(w.ws.Dir(ex.Name), func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if err := w.fsw.Add(p); err != nil {
					fmt.Fprintf(w.a.stdout, "%s cannot watch %s: %v\n", w.st.yellow("file events:"), p, err)
				}
			}
			return nil
		})
	}
	w.stamp = w.snapshot()
	fmt.Fprintf(w.a.stdout, "\n%s %s — %s\n", w.st.bold("Watching"), w.st.cyan(ex.Name), ex.Title)
	fmt.Fprintf(w.a.stdout, "Edit %s; every save re-checks it.\n", relPath(w.ws.Dir(ex.Name)))
	w.keyHelp()
	w.check("")
}

func (w *watcher) keyHelp() {
	fmt.Fprintln(w.a.stdout, w.st.dim("Keys: h hint · l list · n next · p previous · r re-run · q quit"))
}

// check starts a check of the current exercise, superseding a running one.
func (w *watcher) check(why string) {
	if w.cancel != nil {
		w.cancel()
		fmt.Fprintf(w.a.stdout, "\n%s\n", w.st.yellow("↻ saved again: stopping the running check"))
	} else if why != "" {
		fmt.Fprintf(w.a.stdout, "\n%s\n", w.st.dim("↻ "+why))
	}
	w.runs++
	run, ex := w.runs, w.ex
	ctx, cancel := context.WithCancel(w.a.ctx)
	w.cancel = cancel
	go w.latest.Run(ctx, "watch", func(ctx context.Context) {
		res, _, err := runCheck(ctx, w.r, w.ws, ex, newTerminal(w.a.stdout, w.a.color, w.ws.Dir(ex.Name)))
		select {
		case w.results <- watchResult{run, res, err}:
		case <-ctx.Done(): // superseded or stopped: nobody waits for this result
		}
	})
}

// stop cancels the running check and waits until it is gone.
func (w *watcher) stop() {
	if w.cancel != nil {
		w.cancel()
	}
	w.latest.Run(context.Background(), "watch", func(context.Context) {})
}

// done handles the result of the latest check.
func (w *watcher) done(r watchResult) {
	if r.err != nil {
		fmt.Fprintf(w.a.stdout, "%s %v\n", w.st.red("error:"), r.err)
		return
	}
	if !r.res.Pass {
		if r.res.Reason != runner.ReasonCanceled {
			fmt.Fprintln(w.a.stdout, w.st.dim("  Save to re-check · h for a hint"))
		}
		return
	}
	p, err := w.ws.Progress()
	if err != nil {
		fmt.Fprintf(w.a.stdout, "%s %v\n", w.st.red("error:"), err)
		return
	}
	next := w.a.current(p)
	if next == nil {
		fmt.Fprintf(w.a.stdout, "\n%s\n", w.st.green("Every exercise passes. Well done. (q quits)"))
		return
	}
	fmt.Fprintf(w.a.stdout, "  %s\n", w.st.green("Done. On to the next exercise."))
	w.open(next)
}

// key handles one key press and reports whether to quit.
func (w *watcher) key(k byte) (quit bool) {
	switch k {
	case 'q', 'Q':
		return true
	case 'h':
		if err := w.a.showHint(w.ws, w.ex); err != nil {
			fmt.Fprintf(w.a.stdout, "%s %v\n", w.st.red("error:"), err)
		}
	case 'l':
		p, err := w.ws.Progress()
		if err == nil {
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
// character mode when in is one, else byte by byte (for tests and pipes).
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
