package predict

import (
	"errors"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		name string
		q    Question
		kind string
		want string // an error containing it, or "" for none
		// after a good Resolve:
		answer, unit string
	}{
		{"allocs default to a number of allocations", Question{ID: "allocs", Text: "How many?", Measure: "m"}, KindAllocs, "", Number, "allocation"},
		{"goroutines default to a number of goroutines", Question{ID: "left", Text: "How many?", Measure: "m"}, KindGoroutines, "", Number, "goroutine"},
		{"a unit of one's own", Question{ID: "b", Text: "How many?", Measure: "m", Unit: "byte"}, KindAllocs, "", Number, "byte"},
		{"race is yes/no", Question{ID: "r", Text: "Does it race?", Measure: "m"}, KindRace, "", YesNo, ""},
		{"escapes is yes/no", Question{ID: "e", Text: "Does buf escape?", Measure: "m"}, KindEscapes, "", YesNo, ""},
		{"panics is yes/no", Question{ID: "p", Text: "Does it panic?", Measure: "m"}, KindPanics, "", YesNo, ""},
		{"an exit status is a number", Question{ID: "x", Text: "Which exit status?", Measure: "m"}, KindExit, "", Number, ""},
		{"a value's choices", Question{ID: "v", Text: "Which?", Measure: "m", Answer: Choice, Choices: []string{"atomic", "mutex"}}, KindValue, "", Choice, ""},
		{"a value as a number", Question{ID: "v", Text: "How long?", Measure: "m", Answer: Number}, KindValue, "", Number, ""},

		{"no id", Question{Text: "?", Measure: "m"}, KindRace, "prediction id", "", ""},
		{"an id with capitals", Question{ID: "Allocs", Text: "?", Measure: "m"}, KindRace, "lower-case", "", ""},
		{"no question", Question{ID: "q", Measure: "m"}, KindRace, "the question is missing", "", ""},
		{"no measure", Question{ID: "q", Text: "?"}, KindRace, "measure is missing", "", ""},
		{"race answered with a number", Question{ID: "q", Text: "?", Measure: "m", Answer: Number}, KindRace, "answer: yes/no", "", ""},
		{"allocs answered yes/no", Question{ID: "q", Text: "?", Measure: "m", Answer: YesNo}, KindAllocs, "answer: number", "", ""},
		{"a value without a kind of answer", Question{ID: "q", Text: "?", Measure: "m"}, KindValue, "say which kind of answer", "", ""},
		{"an unknown kind of answer", Question{ID: "q", Text: "?", Measure: "m", Answer: "text"}, KindValue, `answer "text" is not`, "", ""},
		{"one choice", Question{ID: "q", Text: "?", Measure: "m", Answer: Choice, Choices: []string{"a"}}, KindValue, "at least two choices", "", ""},
		{"a choice of two words", Question{ID: "q", Text: "?", Measure: "m", Answer: Choice, Choices: []string{"a b", "c"}}, KindValue, "must be one word", "", ""},
		{"a choice twice", Question{ID: "q", Text: "?", Measure: "m", Answer: Choice, Choices: []string{"a", "A"}}, KindValue, "listed twice", "", ""},
		{"choices for a number", Question{ID: "q", Text: "?", Measure: "m", Choices: []string{"1", "2"}}, KindAllocs, "only for answer: choice", "", ""},
		{"a unit for yes/no", Question{ID: "q", Text: "?", Measure: "m", Unit: "thing"}, KindRace, "only for answer: number", "", ""},
		{"an unknown measurement kind", Question{ID: "q", Text: "?", Measure: "m"}, "speed", `unknown kind "speed"`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			err := q.Resolve(tt.kind)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			case tt.want == "" && (q.Answer != tt.answer || q.Unit != tt.unit || q.Kind != tt.kind):
				t.Fatalf("got answer %q unit %q kind %q, want %q %q %q", q.Answer, q.Unit, q.Kind, tt.answer, tt.unit, tt.kind)
			}
		})
	}
}

func resolved(t *testing.T, q Question, kind string) *Question {
	t.Helper()
	if err := q.Resolve(kind); err != nil {
		t.Fatal(err)
	}
	return &q
}

func TestNormalize(t *testing.T) {
	num := resolved(t, Question{ID: "n", Text: "?", Measure: "m"}, KindAllocs)
	yn := resolved(t, Question{ID: "y", Text: "?", Measure: "m"}, KindRace)
	ch := resolved(t, Question{ID: "c", Text: "?", Measure: "m", Answer: Choice, Choices: []string{"atomic", "mutex"}}, KindValue)
	tests := []struct {
		q       *Question
		in, out string // out "" for a bad answer
	}{
		{num, "0", "0"}, {num, " 1 ", "1"}, {num, "1.50", "1.5"}, {num, "2e0", "2"},
		{num, "-1", ""}, {num, "one", ""}, {num, "", ""}, {num, "NaN", ""}, {num, "Inf", ""},
		{yn, "yes", "yes"}, {yn, "Y", "yes"}, {yn, "no", "no"}, {yn, "false", "no"}, {yn, "maybe", ""},
		{ch, "Mutex", "mutex"}, {ch, "1", "atomic"}, {ch, "2", "mutex"}, {ch, "3", ""}, {ch, "channel", ""},
	}
	for _, tt := range tests {
		got, err := tt.q.Normalize(tt.in)
		if tt.out == "" {
			if !errors.Is(err, ErrBadAnswer) {
				t.Errorf("%s: Normalize(%q) = %q, %v; want ErrBadAnswer", tt.q.ID, tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.out {
			t.Errorf("%s: Normalize(%q) = %q, %v; want %q", tt.q.ID, tt.in, got, err, tt.out)
		}
	}
}

func TestSentence(t *testing.T) {
	allocs := resolved(t, Question{ID: "a", Text: "?", Measure: "m"}, KindAllocs)
	left := resolved(t, Question{ID: "g", Text: "?", Measure: "m"}, KindGoroutines)
	race := resolved(t, Question{ID: "r", Text: "?", Measure: "m"}, KindRace)
	esc := resolved(t, Question{ID: "e", Text: "?", Measure: "m"}, KindEscapes)
	val := resolved(t, Question{ID: "v", Text: "?", Measure: "m", Answer: Choice, Choices: []string{"atomic", "mutex"}}, KindValue)
	panics := resolved(t, Question{ID: "p", Text: "?", Measure: "m"}, KindPanics)
	exit := resolved(t, Question{ID: "x", Text: "?", Measure: "m"}, KindExit)
	tests := []struct {
		q                *Question
		answer, measured string
		want             string
		right            bool
	}{
		{allocs, "0", "1", "You said 0 allocations; it is 1.", false},
		{allocs, "1", "1", "You said 1 allocation, and it is 1.", true},
		{allocs, "1", "1.0", "You said 1 allocation, and it is 1.0.", true},
		{allocs, "", "1", "It is 1 allocation.", false},
		{allocs, "", "0", "It is 0 allocations.", false},
		{left, "0", "3", "You said 0 goroutines; it is 3.", false},
		{race, "no", "yes", "You said no; the race detector says yes.", false},
		{race, "yes", "yes", "You said yes, and the race detector says yes too.", true},
		{race, "", "no", "The race detector reported no data race.", false},
		{esc, "no", "yes", "You said no; the compiler says yes.", false},
		{esc, "", "yes", "The compiler says it escapes to the heap.", false},
		{val, "mutex", "atomic", "You said mutex; it is atomic.", false},
		{race, "no", "true", "You said no; the race detector says yes.", false},
		{panics, "no", "yes", "You said no; it panics.", false},
		{panics, "no", "no", "You said no, and it does not panic.", true},
		{panics, "", "yes", "It panics.", false},
		{exit, "0", "2", "You said exit status 0; it is exit status 2.", false},
		{exit, "1", "1", "You said exit status 1, and it is exit status 1.", true},
		{exit, "", "3", "It is exit status 3.", false},
	}
	for _, tt := range tests {
		if got := tt.q.Sentence(tt.answer, tt.measured); got != tt.want {
			t.Errorf("%s: Sentence(%q, %q) = %q, want %q", tt.q.ID, tt.answer, tt.measured, got, tt.want)
		}
		if tt.answer != "" {
			if got := tt.q.Right(tt.answer, tt.measured); got != tt.right {
				t.Errorf("%s: Right(%q, %q) = %v, want %v", tt.q.ID, tt.answer, tt.measured, got, tt.right)
			}
		}
	}
}

func TestPlural(t *testing.T) {
	for unit, want := range map[string]string{"allocation": "allocations", "byte": "bytes", "process": "processes", "entry": "entries", "day": "days"} {
		if got := Plural(unit); got != want {
			t.Errorf("Plural(%q) = %q, want %q", unit, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"0", "yes", "1.5", "-0", "1e308", "atomic", "2"} {
		f.Add(s)
	}
	qs := []Question{
		{ID: "n", Text: "?", Measure: "m"},
		{ID: "y", Text: "?", Measure: "m"},
		{ID: "c", Text: "?", Measure: "m", Answer: Choice, Choices: []string{"atomic", "mutex"}},
	}
	for i, k := range []string{KindAllocs, KindRace, KindValue} {
		if err := qs[i].Resolve(k); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range qs {
			a, err := q.Normalize(s)
			if err != nil {
				continue
			}
			// A normalized answer is a fixed point, and right against itself.
			b, err := q.Normalize(a)
			if err != nil || a != b {
				t.Fatalf("%s: Normalize(%q) = %q, then %q, %v", q.ID, s, a, b, err)
			}
			if !q.Right(a, a) {
				t.Fatalf("%s: %q is not right against itself", q.ID, a)
			}
		}
	})
}
