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
	res := r.Run(ctx, ex.Check("", files), sink)
	if res.Reason == runner.ReasonCanceled || res.Reason == runner.ReasonEnvironment {
		// Nothing was learnt about the learner's code.
		return res, nil
	}
	return res, w.Update(func(p *Progress) error {
		s := p.Status(ex.Name)
		s.Checks++
		s.LastCheck = time.Now().UTC()
		s.LastPass = res.Pass
		if res.Pass && !s.Done {
			s.Done = true
			s.PassedAt = s.LastCheck
		}
		return nil
	})
}
