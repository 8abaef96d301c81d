package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/warm"
	"github.com/go-blindspots/workbook/workspace"
)

func (a *app) cmdWarm(args []string) error {
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	var only []*exercises.Exercise
	for _, name := range args {
		ex, err := a.cat.Lookup(name)
		if err != nil {
			return err
		}
		only = append(only, ex)
	}
	cfg := warm.Config{Runner: r, Catalog: a.cat, Only: only}
	if ws, err := a.findWorkspace(); err == nil {
		cfg.Workspace = ws
	}
	if a.flags.quiet {
		// The background warm: out of the way of the learner's checks.
		warm.LowerPriority()
	} else {
		st := markdown.Style{On: a.color}
		line := newStatusLine(a.stdout, a.color)
		defer line.done()
		cfg.Progress = func(s warm.Status) {
			if s.Job == "" {
				return
			}
			line.set(fmt.Sprintf("Warming the build cache: %d of %d done; now %s", s.Done, s.Total, s.Job) + st.Dim(" (checks do not wait for it)"))
		}
	}
	start := time.Now()
	err = warm.Run(a.ctx, cfg)
	switch {
	case errors.Is(err, warm.ErrRunning):
		if !a.flags.quiet {
			fmt.Fprintln(a.stdout, "Another warm is running; checks do not wait for it.")
		}
		return nil
	case err != nil:
		return err
	}
	if !a.flags.quiet {
		fmt.Fprintf(a.stdout, "Warm in %s: checks now start from a full build cache.\n", time.Since(start).Round(100*time.Millisecond))
	}
	return nil
}

// startWarm starts `workbook warm` in the background for ws, unless a warm
// finished for this Go and catalog (or $WORKBOOK_NO_WARM is set), and says
// so on w. It returns a func that reaps the process (for a long-lived caller).
func (a *app) startWarm(ws *workspace.Workspace, w io.Writer) (reap func()) {
	reap = func() {}
	if a.noWarm {
		return reap
	}
	r, err := a.newRunner()
	if err != nil || warm.Done(r, a.cat) {
		return reap
	}
	if _, running := warm.Progress(r); running {
		return reap
	}
	exe, err := os.Executable()
	if err != nil {
		return reap
	}
	wait, err := warm.Start(exe, "--workspace", ws.Root, "warm", "--quiet")
	if err != nil {
		return reap
	}
	fmt.Fprintln(w, "The Go build cache is warming in the background, so that your first checks are fast (`workbook warm` shows its progress; checks never wait for it).")
	return wait
}

// statusLine is one line of a terminal that is rewritten in place (or, when
// the output is not a terminal, a line printed when the text changes).
type statusLine struct {
	w    io.Writer
	tty  bool
	last string
}

func newStatusLine(w io.Writer, tty bool) *statusLine { return &statusLine{w: w, tty: tty} }

func (l *statusLine) set(text string) {
	if text == l.last {
		return
	}
	l.last = text
	if l.tty {
		fmt.Fprintf(l.w, "\r\x1b[K%s", text)
	} else {
		fmt.Fprintln(l.w, text)
	}
}

func (l *statusLine) done() {
	if l.tty && l.last != "" {
		fmt.Fprintln(l.w)
	}
}
