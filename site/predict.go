package site

import (
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/predict"
	"github.com/go-blindspots/workbook/workspace"
)

// Predictions on the pages: an exercise's questions sit under its task, a
// lesson's under the program they are about (its ```predict blocks). The
// page sends the learner's answers with the check or the run
// (runner.ClientMessage.Predictions); the workspace records them, and the
// prediction events of the run say the answer against the measurement.

// questionData is a question as a page's script gets it.
type questionData struct {
	ID      string   `json:"id"`
	HTML    string   `json:"html"`   // the question, rendered from its Markdown
	Answer  string   `json:"answer"` // number, yes/no or choice
	Choices []string `json:"choices,omitempty"`
	Unit    string   `json:"unit,omitempty"`
	Hint    string   `json:"hint"`    // "a number of allocations"
	Program int      `json:"program"` // lessons: the program it is about
	// Yours is the learner's last prediction, if any.
	Yours *yourPrediction `json:"yours,omitempty"`
}

// yourPrediction is the learner's prediction as the page shows it.
type yourPrediction struct {
	Answer   string `json:"answer"`
	Open     bool   `json:"open"` // no check has measured it yet
	Measured string `json:"measured,omitempty"`
	Right    bool   `json:"right"`
	Sentence string `json:"sentence,omitempty"` // "You said 0 allocations; it is 1."
}

// questionKey names a question's rendered HTML in Server.questions.
func questionKey(where, id string) string { return where + "\x00" + id }

// renderQuestions renders every exercise's and lesson's questions once.
func (s *Server) renderQuestions(md *markdown.Markdown) error {
	s.questions = make(map[string]template.HTML)
	render := func(where string, q predict.Question) error {
		html, err := md.HTML([]byte(q.Text), markdown.HTMLOptions{})
		if err != nil {
			return fmt.Errorf("render %s: prediction %s: %w", where, q.ID, err)
		}
		s.questions[questionKey(where, q.ID)] = template.HTML(html)
		return nil
	}
	for _, ex := range s.cfg.Catalog.List {
		for _, q := range ex.Predictions {
			if err := render("exercise "+ex.Name, q); err != nil {
				return err
			}
		}
	}
	for _, l := range s.cfg.Lessons {
		for _, p := range l.Programs {
			for _, q := range p.Predictions {
				if err := render("lesson "+l.File, q); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// question is q on a page, with the learner's prediction pr (or nil).
func (s *Server) question(where string, q predict.Question, pr *workspace.Prediction) questionData {
	d := questionData{ID: q.ID, HTML: string(s.questions[questionKey(where, q.ID)]), Answer: q.Answer,
		Choices: q.Choices, Unit: q.Unit, Hint: q.Hint()}
	if pr != nil && pr.Answer != "" {
		d.Yours = &yourPrediction{Answer: pr.Answer, Open: pr.Open(), Measured: pr.Measured, Right: pr.Right}
		if !pr.Open() {
			d.Yours.Sentence = q.Sentence(pr.Answer, pr.Measured)
		}
	}
	return d
}

// exerciseQuestions returns the questions of ex with the learner's predictions.
func (s *Server) exerciseQuestions(ex *exercises.Exercise, p *workspace.Progress) []questionData {
	var out []questionData
	for _, q := range ex.Predictions {
		out = append(out, s.question("exercise "+ex.Name, q, p.Prediction(ex.Name, q.ID)))
	}
	return out
}

// lessonData is what a lesson page's script starts from: the questions of
// its predict blocks, in the order of the page.
type lessonData struct {
	Predictions []questionData `json:"predictions"`
}

// JS returns the data for a <script type="application/json">.
func (d lessonData) JS() template.JS {
	data, _ := json.Marshal(d) // json.Marshal escapes <, > and &: safe inside <script>
	return template.JS(data)
}

// lessonQuestions returns the questions of l's programs, in the order of the
// page, with the learner's predictions.
func (s *Server) lessonQuestions(l *lessons.Lesson, p *workspace.Progress) lessonData {
	d := lessonData{Predictions: []questionData{}}
	for _, prog := range l.Programs {
		for _, q := range prog.Predictions {
			qd := s.question("lesson "+l.File, q, p.LessonPrediction(l.Topic, q.ID))
			qd.Program = prog.ID
			d.Predictions = append(d.Predictions, qd)
		}
	}
	return d
}
