package workspace

import (
	"errors"
	"fmt"

	"github.com/go-blindspots/workbook/exercises"
)

// The learner's rules: which exercise is current, the next hint, when the
// solution opens, what counts as done. Every front end (the terminal, watch
// mode, the site, the room) asks these and never decides for itself.

// Exercise states, as the front ends show them.
const (
	StatePending = "pending" // never checked since it was shipped or reset
	StateFailing = "failing" // checked, and not passed yet
	StateDone    = "done"    // passed since its last reset
)

// State returns the state of the named exercise.
func (p *Progress) State(name string) string {
	st := p.Exercises[name]
	switch {
	case st == nil:
		return StatePending
	case st.Done:
		return StateDone
	case st.Checks > 0 && !st.LastCheck.IsZero() && st.LastCheck.After(st.ResetAt):
		return StateFailing
	}
	return StatePending
}

// Resume returns the exercise the learner is on: the current one unless it
// is done, else the first one in curriculum order that is not done; nil when
// every exercise is done.
func (p *Progress) Resume(cat *exercises.Catalog) *exercises.Exercise {
	if p.Current != "" && !p.Done(p.Current) {
		if ex, err := cat.Lookup(p.Current); err == nil {
			return ex
		}
	}
	return p.NextAfter(cat, nil)
}

// NextAfter returns the first exercise after ex (from the start when ex is
// nil) that is not done, wrapping around; nil when every exercise is done.
func (p *Progress) NextAfter(cat *exercises.Catalog, ex *exercises.Exercise) *exercises.Exercise {
	start := 0
	for i, e := range cat.List {
		if e == ex {
			start = i + 1
		}
	}
	for k := range cat.List {
		e := cat.List[(start+k)%len(cat.List)]
		if !p.Done(e.Name) {
			return e
		}
	}
	return nil
}

// Summary counts what is done, overall and per topic.
type Summary struct {
	Done, Total int
	Topics      []TopicSummary // in curriculum order
	Checks      int            // checks run, all exercises
	Hints       int            // hints shown, all exercises
}

// TopicSummary counts what is done in one topic.
type TopicSummary struct {
	Topic       string
	Done, Total int
}

// Summary returns the counts of the learner's progress over the catalog.
func (p *Progress) Summary(cat *exercises.Catalog) Summary {
	var s Summary
	for _, ex := range cat.List {
		if n := len(s.Topics); n == 0 || s.Topics[n-1].Topic != ex.Topic {
			s.Topics = append(s.Topics, TopicSummary{Topic: ex.Topic})
		}
		t := &s.Topics[len(s.Topics)-1]
		t.Total++
		s.Total++
		if p.Done(ex.Name) {
			t.Done++
			s.Done++
		}
		if st := p.Exercises[ex.Name]; st != nil {
			s.Checks += st.Checks
			s.Hints += min(st.HintsShown, len(ex.Hints))
		}
	}
	return s
}

// Hints returns the hints of ex the learner has seen, in order.
func (p *Progress) Hints(ex *exercises.Exercise) []string {
	n := 0
	if st := p.Exercises[ex.Name]; st != nil {
		n = min(st.HintsShown, len(ex.Hints))
	}
	return ex.Hints[:n]
}

// RevealHint shows one more hint of ex (the last one again once all are
// shown) and returns every hint shown so far.
func (w *Workspace) RevealHint(ex *exercises.Exercise) ([]string, error) {
	var shown []string
	err := w.Update(func(p *Progress) error {
		st := p.Status(ex.Name)
		st.HintsShown = min(st.HintsShown+1, len(ex.Hints))
		shown = p.Hints(ex)
		return nil
	})
	if err == nil {
		w.report(Activity{Kind: ActivityHint, Exercise: ex.Name, Hints: len(shown)})
	}
	return shown, err
}

// ErrSolutionLocked is the answer to a request for a solution before the
// learner's check of it has ever passed.
var ErrSolutionLocked = errors.New("the solution opens once your check passes")

// Solution returns the reference solution's files of ex that the learner
// edits, once the learner's check of ex has passed (a reset since then does
// not lock it again), and else ErrSolutionLocked.
func (p *Progress) Solution(ex *exercises.Exercise) (map[string][]byte, error) {
	st := p.Exercises[ex.Name]
	if st == nil || !st.Done && st.PassedAt.IsZero() {
		return nil, fmt.Errorf("%s: %w", ex.Name, ErrSolutionLocked)
	}
	files := make(map[string][]byte)
	for name, data := range ex.Solution {
		if ex.Editable(name) {
			files[name] = data
		}
	}
	return files, nil
}

// SetCurrent records the exercise the learner works on.
func (w *Workspace) SetCurrent(ex *exercises.Exercise) error {
	hints := 0
	err := w.Update(func(p *Progress) error {
		p.Current = ex.Name
		hints = len(p.Hints(ex))
		return nil
	})
	if err == nil {
		w.report(Activity{Kind: ActivityOpened, Exercise: ex.Name, Hints: hints})
	}
	return err
}
