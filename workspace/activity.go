package workspace

import (
	"strings"
	"time"

	"github.com/go-blindspots/workbook/runner"
)

// The learner's activity, for a workshop room. The workspace is where every
// front end (the terminal, watch mode, the site) opens exercises, checks and
// shows hints, so it is where the room hears of them: it tells its Reporter,
// if it has one, and knows nothing of rooms or networks itself. Package
// roomclient is the Reporter that queues the activity on disk for a room.

// Activity kinds.
const (
	ActivityOpened       = "opened"        // the learner opened the exercise (SetCurrent)
	ActivityCheckStarted = "check_started" // a check of it started
	ActivityChecked      = "checked"       // a check of it ended (Result)
	ActivityHint         = "hint"          // the learner was shown one more hint
)

// Activity is one thing the learner did on an exercise.
type Activity struct {
	Kind     string
	Exercise string
	At       time.Time
	Hints    int // the hints of the exercise shown so far

	// ActivityChecked: the result, and what the check found — its failures
	// and diagnostics, and its commands and output, shortened to
	// MaxActivityOutput — which stay on the learner's laptop unless they
	// raise a hand.
	Result   runner.Result
	Findings []runner.Event
	Output   string
}

// MaxActivityOutput bounds Activity.Output.
const MaxActivityOutput = 64 << 10

// Reporter hears of the learner's activity. Report is called after the
// activity was recorded in the progress, from any goroutine; it must return
// quickly and never fail the learner's command.
type Reporter interface {
	Report(Activity)
}

// report tells the workspace's Reporter, if any.
func (w *Workspace) report(a Activity) {
	if w.Reporter == nil {
		return
	}
	if a.At.IsZero() {
		a.At = time.Now().UTC()
	}
	w.Reporter.Report(a)
}

// recorder keeps what a check finds for its Activity while passing every
// event on to the check's own sink.
type recorder struct {
	sink     runner.Sink
	findings []runner.Event
	out      strings.Builder
	cut      bool
}

func (r *recorder) Emit(e runner.Event) {
	r.sink.Emit(e)
	switch e.Type {
	case runner.TypeFailure, runner.TypeDiagnostic:
		r.findings = append(r.findings, e)
	case runner.TypeStep:
		r.write("$ " + e.Cmd + "\n")
	case runner.TypeOutput:
		r.write(e.Text)
	}
}

func (r *recorder) write(s string) {
	if r.cut {
		return
	}
	if r.out.Len()+len(s) > MaxActivityOutput {
		r.out.WriteString(s[:MaxActivityOutput-r.out.Len()])
		r.out.WriteString("\n[output cut]\n")
		r.cut = true
		return
	}
	r.out.WriteString(s)
}
