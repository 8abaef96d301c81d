package workspace

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/predict"
	"github.com/go-blindspots/workbook/runner"
)

// Predictions: the learner answers an exercise's or a lesson program's
// questions (package predict) before a check or a run, and the check's own
// measurements settle them. The rules, for every front end:
//
//   - an answer is recorded as the learner gives it, normalized (Predict);
//     answering again replaces it, and it is open until a check measures it;
//   - the first check (or run) after the answer that takes the question's
//     measurement settles it: the prediction event right after that measure
//     event compares the two, and the progress keeps the measurement and
//     whether the answer was right;
//   - `check` on a terminal asks only the questions never answered
//     (Unanswered); the site shows every question, settled ones with their
//     verdict, and lets the learner predict again;
//   - a settled prediction of an exercise reaches the room with the check's
//     verdict (Activity.Predictions).

// Prediction is the learner's answer to one question, and the measurement
// that settled it.
type Prediction struct {
	Answer     string    `json:"answer"`   // normalized (predict.Question.Normalize)
	At         time.Time `json:"at"`       // when it was answered
	Measured   string    `json:"measured"` // what settled it; "" while it is open
	Right      bool      `json:"right"`
	MeasuredAt time.Time `json:"measured_at,omitzero"`
}

// Open reports whether the prediction waits for a measurement.
func (p *Prediction) Open() bool { return p != nil && p.Answer != "" && p.Measured == "" }

// LessonStatus is the progress on one lesson.
type LessonStatus struct {
	Predictions map[string]*Prediction `json:"predictions,omitempty"` // by question id
}

// Settled is a prediction a check settled: what the room hears.
type Settled struct {
	ID       string // the question's id
	Answer   string
	Measured string
	Right    bool
}

// Prediction returns the learner's prediction for the question id of the
// named exercise, or nil.
func (p *Progress) Prediction(exercise, id string) *Prediction {
	if st := p.Exercises[exercise]; st != nil {
		return st.Predictions[id]
	}
	return nil
}

// LessonPrediction returns the learner's prediction for the question id of
// the lesson of topic, or nil.
func (p *Progress) LessonPrediction(topic, id string) *Prediction {
	if ls := p.Lessons[topic]; ls != nil {
		return ls.Predictions[id]
	}
	return nil
}

// Unanswered returns the questions of ex the learner has never answered:
// the ones `check` asks on a terminal.
func (p *Progress) Unanswered(ex *exercises.Exercise) []predict.Question {
	var out []predict.Question
	for _, q := range ex.Predictions {
		if p.Prediction(ex.Name, q.ID) == nil {
			out = append(out, q)
		}
	}
	return out
}

// Predict records the learner's answers to questions of ex, by question id
// (an empty answer is no answer). An unknown question or an answer that does
// not fit it is an error, and then nothing is recorded.
func (w *Workspace) Predict(ex *exercises.Exercise, answers map[string]string) error {
	return w.predict(ex.Predictions, answers, func(p *Progress) map[string]*Prediction {
		return p.Status(ex.Name).predictionMap()
	})
}

// PredictLesson records the learner's answers to questions of the lesson's
// program, as Predict does.
func (w *Workspace) PredictLesson(l *lessons.Lesson, prog *lessons.Program, answers map[string]string) error {
	return w.predict(prog.Predictions, answers, func(p *Progress) map[string]*Prediction {
		return p.lessonPredictions(l.Topic)
	})
}

func (p *Progress) lessonPredictions(topic string) map[string]*Prediction {
	if p.Lessons == nil {
		p.Lessons = make(map[string]*LessonStatus)
	}
	ls := p.Lessons[topic]
	if ls == nil {
		ls = &LessonStatus{}
		p.Lessons[topic] = ls
	}
	if ls.Predictions == nil {
		ls.Predictions = make(map[string]*Prediction)
	}
	return ls.Predictions
}

func (w *Workspace) predict(qs []predict.Question, answers map[string]string, into func(*Progress) map[string]*Prediction) error {
	norm := make(map[string]string)
	for _, id := range slices.Sorted(maps.Keys(answers)) {
		if answers[id] == "" {
			continue
		}
		q := predict.Find(qs, id)
		if q == nil {
			return fmt.Errorf("there is no question %q to answer here", exercises.Shorten(id))
		}
		a, err := q.Normalize(answers[id])
		if err != nil {
			return fmt.Errorf("%s: %w", q.ID, err)
		}
		norm[id] = a
	}
	if len(norm) == 0 {
		return nil
	}
	now := time.Now().UTC()
	return w.Update(func(p *Progress) error {
		m := into(p)
		for id, a := range norm {
			m[id] = &Prediction{Answer: a, At: now}
		}
		return nil
	})
}

// predictor passes a check's events on, and after each measure event sends
// a prediction event for every question compared with that measurement:
// with the learner's answer when the measurement settles an open prediction.
type predictor struct {
	sink      runner.Sink
	questions []predict.Question
	open      map[string]Prediction // by question id, as they were when the check started
	settled   []Settled
}

func newPredictor(sink runner.Sink, qs []predict.Question, recorded map[string]*Prediction) *predictor {
	p := &predictor{sink: sink, questions: qs, open: make(map[string]Prediction)}
	for id, pr := range recorded {
		if pr.Open() {
			p.open[id] = *pr
		}
	}
	return p
}

func (p *predictor) Emit(e runner.Event) {
	p.sink.Emit(e)
	if e.Type != runner.TypeMeasure {
		return
	}
	for _, q := range p.questions {
		if q.Measure != e.Name {
			continue
		}
		ev := runner.Event{Type: runner.TypePrediction, Step: e.Step, Question: q.ID, Name: e.Name, Value: e.Value}
		if pr, ok := p.open[q.ID]; ok {
			right := q.Right(pr.Answer, e.Value)
			ev.Answer, ev.Right = pr.Answer, &right
			p.settled = append(p.settled, Settled{ID: q.ID, Answer: pr.Answer, Measured: e.Value, Right: right})
			delete(p.open, q.ID) // a measurement taken twice settles it once
		}
		ev.Message = q.Sentence(ev.Answer, e.Value)
		p.sink.Emit(ev)
	}
}

// record writes the settled predictions into m, those the learner has not
// answered again meanwhile.
func (p *predictor) record(m map[string]*Prediction, now time.Time) {
	for _, s := range p.settled {
		pr := m[s.ID]
		if pr == nil || !pr.Open() || pr.Answer != s.Answer {
			continue
		}
		pr.Measured, pr.Right, pr.MeasuredAt = s.Measured, s.Right, now
	}
}

// RunProgram runs a lesson's program (the site's Run button) under the name
// given, sending its events to sink, and settles the learner's predictions
// about it as a check does.
func (w *Workspace) RunProgram(ctx context.Context, r *runner.Runner, l *lessons.Lesson, prog *lessons.Program, name string, sink runner.Sink) (runner.Result, error) {
	if len(prog.Predictions) == 0 {
		return r.Run(ctx, prog.Check(name), sink), nil
	}
	p, err := w.Progress()
	if err != nil {
		return runner.Result{}, err
	}
	pred := newPredictor(sink, prog.Predictions, p.Lessons[l.Topic].predictions())
	res := r.Run(ctx, prog.Check(name), pred)
	if len(pred.settled) == 0 {
		return res, nil
	}
	now := time.Now().UTC()
	return res, w.Update(func(p *Progress) error {
		pred.record(p.lessonPredictions(l.Topic), now)
		return nil
	})
}

func (ls *LessonStatus) predictions() map[string]*Prediction {
	if ls == nil {
		return nil
	}
	return ls.Predictions
}
