// Package predict holds the questions a learner answers before a check
// runs — "how many allocations per call?", "does `buf` escape?", "does this
// program race?" — and compares an answer with what the check measured.
//
// A question never holds its answer: the answer is a measurement that the
// check's own steps take (a `measure` line of the check script; see
// runner/measure.go), from the toolchain's output on the learner's code as it
// was checked. An exercise asks its questions in its front matter
// (exercises/README.md), a lesson in a ```predict block after a program
// (lessons/README.md). The learner's answers are kept by package workspace.
package predict

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The kinds of answer.
const (
	Number = "number" // a number: "0", "1", "2.5"
	YesNo  = "yes/no" // "yes" or "no"
	Choice = "choice" // one of the question's Choices
)

// The kinds of measurement a question can be compared with: the runner's
// measure kinds (runner.MeasureAllocs and the others), repeated here so that
// this package stays a leaf that the runner's callers and the room share.
const (
	KindAllocs     = "allocs"
	KindGoroutines = "goroutines"
	KindValue      = "value"
	KindEscapes    = "escapes"
	KindRace       = "race"
	KindPanics     = "panics"
	KindExit       = "exit"
)

// Question is one prediction asked before a check.
type Question struct {
	// ID names the question within its exercise or lesson, for the
	// learner's progress and the room: lower-case letters, digits and
	// dashes ("allocs-per-line").
	ID string `yaml:"id" json:"id"`
	// Text is the question, inline Markdown: "How many allocations does
	// `WriteEntry` make per line?"
	Text string `yaml:"question" json:"question"`
	// Measure names the measurement the answer is compared with: the NAME
	// of a `measure NAME KIND` line of the check script.
	Measure string `yaml:"measure" json:"measure"`
	// Answer is the kind of answer: number, yes/no or choice. It follows
	// from the measurement's kind when it is left out (allocs, goroutines
	// and exit: number; escapes, race and panics: yes/no).
	Answer string `yaml:"answer,omitempty" json:"answer"`
	// Choices are the answers to choose from, for Answer choice.
	Choices []string `yaml:"choices,omitempty" json:"choices,omitempty"`
	// Unit is what a number counts, singular ("allocation"), for the
	// sentences: "You said 0 allocations; it is 1." allocs and goroutines
	// have one by default.
	Unit string `yaml:"unit,omitempty" json:"unit,omitempty"`
	// Kind is the kind of the measurement (KindAllocs…), set by Resolve.
	Kind string `yaml:"-" json:"kind"`
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// Resolve checks the question against the kind of the measurement it is
// compared with, and fills in what follows from it (Answer, Unit, Kind).
func (q *Question) Resolve(kind string) error {
	switch {
	case !idRE.MatchString(q.ID):
		return fmt.Errorf("prediction id %q: use 1 to 40 lower-case letters, digits and dashes", q.ID)
	case strings.TrimSpace(q.Text) == "":
		return fmt.Errorf("prediction %s: the question is missing", q.ID)
	case q.Measure == "":
		return fmt.Errorf("prediction %s: measure is missing: name the measurement its answer is compared with", q.ID)
	}
	q.Kind = kind
	switch kind {
	case KindAllocs, KindGoroutines, KindExit:
		if q.Answer == "" {
			q.Answer = Number
		}
		if q.Unit == "" {
			q.Unit = map[string]string{KindAllocs: "allocation", KindGoroutines: "goroutine"}[kind]
		}
		if q.Answer != Number {
			return fmt.Errorf("prediction %s: a %s measurement is a number, so the answer must be one (answer: number)", q.ID, kind)
		}
	case KindEscapes, KindRace, KindPanics:
		if q.Answer == "" {
			q.Answer = YesNo
		}
		if q.Answer != YesNo {
			return fmt.Errorf("prediction %s: an %s measurement is yes or no, so the answer must be one (answer: yes/no)", q.ID, kind)
		}
	case KindValue:
		if q.Answer == "" {
			return fmt.Errorf("prediction %s: say which kind of answer a value measurement takes: answer: number, yes/no or choice", q.ID)
		}
	default:
		return fmt.Errorf("prediction %s: measurement %s has an unknown kind %q", q.ID, q.Measure, kind)
	}
	switch q.Answer {
	case Number, YesNo:
		if len(q.Choices) > 0 {
			return fmt.Errorf("prediction %s: choices are only for answer: choice", q.ID)
		}
	case Choice:
		if len(q.Choices) < 2 {
			return fmt.Errorf("prediction %s: answer: choice needs at least two choices", q.ID)
		}
		for i, c := range q.Choices {
			if strings.TrimSpace(c) == "" || len(strings.Fields(c)) != 1 {
				return fmt.Errorf("prediction %s: choice %q must be one word, as the measurement prints it", q.ID, c)
			}
			if slices.ContainsFunc(q.Choices[:i], func(d string) bool { return strings.EqualFold(c, d) }) {
				return fmt.Errorf("prediction %s: choice %q is listed twice", q.ID, c)
			}
		}
	default:
		return fmt.Errorf("prediction %s: answer %q is not number, yes/no or choice", q.ID, q.Answer)
	}
	if q.Unit != "" && q.Answer != Number {
		return fmt.Errorf("prediction %s: a unit is only for answer: number", q.ID)
	}
	return nil
}

// ErrBadAnswer is wrapped by Normalize's errors: the answer does not fit the
// question (a word for a number, a choice not offered).
var ErrBadAnswer = errors.New("not an answer to the question")

// Normalize returns the answer in its one spelling — a number as
// strconv.FormatFloat writes it, "yes" or "no", the choice as listed — or an
// error (wrapping ErrBadAnswer) that says what answer is expected. For a
// choice, the choice's number in the list (from 1) is taken too, as the
// terminal offers them numbered.
func (q *Question) Normalize(answer string) (string, error) {
	a := strings.TrimSpace(answer)
	switch q.Answer {
	case Number:
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return "", fmt.Errorf("%w: answer with a number, 0 or more", ErrBadAnswer)
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	case YesNo:
		switch strings.ToLower(a) {
		case "yes", "y", "true":
			return "yes", nil
		case "no", "n", "false":
			return "no", nil
		}
		return "", fmt.Errorf("%w: answer yes or no", ErrBadAnswer)
	case Choice:
		for _, c := range q.Choices {
			if strings.EqualFold(a, c) {
				return c, nil
			}
		}
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(q.Choices) {
			return q.Choices[n-1], nil
		}
		return "", fmt.Errorf("%w: answer one of %s", ErrBadAnswer, strings.Join(q.Choices, ", "))
	}
	return "", fmt.Errorf("%w: the question has no kind of answer", ErrBadAnswer)
}

// Right reports whether the (normalized) answer is what was measured.
func (q *Question) Right(answer, measured string) bool {
	measured = q.norm(measured)
	if q.Answer == Number {
		a, err1 := strconv.ParseFloat(answer, 64)
		m, err2 := strconv.ParseFloat(measured, 64)
		return err1 == nil && err2 == nil && a == m
	}
	return strings.EqualFold(answer, measured)
}

// norm is a measured value in the spelling of an answer, when it is one
// ("true" is "yes"), else as measured.
func (q *Question) norm(measured string) string {
	if n, err := q.Normalize(measured); err == nil {
		return n
	}
	return measured
}

// saying is what a yes/no measurement says in words, for yes and for no,
// when there is no answer to compare it with.
var saying = map[string][2]string{
	KindRace:    {"the race detector reported a data race", "the race detector reported no data race"},
	KindEscapes: {"the compiler says it escapes to the heap", "the compiler says it does not escape"},
	KindPanics:  {"it panics", "it does not panic"},
}

// tool is who measures a yes/no answer, when a tool does: the learner's
// yes or no is set against the tool's.
var tool = map[string]string{KindRace: "the race detector", KindEscapes: "the compiler"}

// Sentence compares the answer with the measurement in words: "You said 0
// allocations; it is 1.", "You said no; the race detector says yes." With no
// answer it only says what was measured: "It is 1 allocation."
func (q *Question) Sentence(answer, measured string) string {
	if answer == "" {
		if words, ok := saying[q.Kind]; ok && q.Answer == YesNo {
			switch q.norm(measured) {
			case "yes":
				return capital(words[0]) + "."
			case "no":
				return capital(words[1]) + "."
			}
		}
		return "It is " + q.Phrase(q.norm(measured)) + "."
	}
	right := q.Right(answer, measured)
	if who, ok := tool[q.Kind]; ok && q.Answer == YesNo {
		if right {
			return fmt.Sprintf("You said %s, and %s says %s too.", answer, who, q.norm(measured))
		}
		return fmt.Sprintf("You said %s; %s says %s.", answer, who, q.norm(measured))
	}
	says := q.Says(measured)
	if right {
		return fmt.Sprintf("You said %s, and %s.", q.Phrase(answer), says)
	}
	return fmt.Sprintf("You said %s; %s.", q.Phrase(answer), says)
}

// Says is what a measurement says, in words: "it is 1", "it panics", "it is
// exit status 2".
func (q *Question) Says(measured string) string {
	if words, ok := saying[q.Kind]; ok && q.Kind == KindPanics && q.Answer == YesNo {
		switch q.norm(measured) {
		case "yes":
			return words[0]
		case "no":
			return words[1]
		}
	}
	if q.Kind == KindExit {
		return "it is " + q.Phrase(q.norm(measured))
	}
	return "it is " + measured
}

// capital returns s with its first letter in upper case.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Phrase writes a value with the question's unit: "1 allocation",
// "0 allocations", "yes".
func (q *Question) Phrase(v string) string {
	if q.Kind == KindExit && q.Unit == "" {
		return "exit status " + v
	}
	if q.Unit == "" || q.Answer != Number {
		return v
	}
	if v == "1" {
		return v + " " + q.Unit
	}
	return v + " " + Plural(q.Unit)
}

// Plural returns the plural of a unit: "allocation" → "allocations",
// "byte" → "bytes", "process" → "processes".
func Plural(unit string) string {
	switch {
	case strings.HasSuffix(unit, "s"), strings.HasSuffix(unit, "x"), strings.HasSuffix(unit, "ch"), strings.HasSuffix(unit, "sh"):
		return unit + "es"
	case strings.HasSuffix(unit, "y") && len(unit) > 1 && !strings.ContainsRune("aeiou", rune(unit[len(unit)-2])):
		return unit[:len(unit)-1] + "ies"
	}
	return unit + "s"
}

// Hint says what kind of answer is expected, for a prompt: "a number",
// "yes or no", "1) atomic 2) mutex".
func (q *Question) Hint() string {
	switch q.Answer {
	case Number:
		if q.Unit != "" {
			return "a number of " + Plural(q.Unit)
		}
		return "a number"
	case YesNo:
		return "yes or no"
	}
	var b strings.Builder
	for i, c := range q.Choices {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d) %s", i+1, c)
	}
	return b.String()
}

// Find returns the question with the id, or nil.
func Find(qs []Question, id string) *Question {
	for i := range qs {
		if qs[i].ID == id {
			return &qs[i]
		}
	}
	return nil
}
