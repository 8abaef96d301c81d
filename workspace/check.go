package workspace

import (
	"context"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/runner"
)

// Check runs the exercise's check on the learner's code in the workspace,
// sending the events to sink, and records the result in the progress, unless
// the check was canceled or the machine failed it (runner.ReasonEnvironment).
// The CLI, watch mode and the site all check through it.
func (w *Workspace) Check(ctx context.Context, r *runner.Runner, ex *exercises.Exercise, sink runner.Sink) (runner.Result, error) {
	files, err := w.Files(ex.Name)
	if err != nil {
		return runner.Result{}, err
	}
	var rec *recorder
	if w.Reporter != nil {
		rec = &recorder{sink: sink}
		sink = rec
		w.report(Activity{Kind: ActivityCheckStarted, Exercise: ex.Name})
	}
	res := r.Run(ctx, ex.Check("", files), sink)
	hints := 0
	// A canceled check, or one the machine failed (runner.ReasonEnvironment),
	// taught nothing about the learner's code: it is not recorded.
	if res.Reason != runner.ReasonCanceled && res.Reason != runner.ReasonEnvironment {
		err = w.Update(func(p *Progress) error {
			s := p.Status(ex.Name)
			s.Checks++
			s.LastCheck = time.Now().UTC()
			s.LastPass = res.Pass
			if res.Pass && !s.Done {
				s.Done = true
				s.PassedAt = s.LastCheck
			}
			hints = len(p.Hints(ex))
			return nil
		})
	}
	if rec != nil && err == nil {
		// A canceled check is reported too: the room stops showing it as
		// running, and does not count it.
		w.report(Activity{Kind: ActivityChecked, Exercise: ex.Name, Hints: hints, Result: res,
			Findings: rec.findings, Output: rec.out.String()})
	}
	return res, err
}
