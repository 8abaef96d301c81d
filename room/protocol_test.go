package room

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestValidateCleans(t *testing.T) {
	known := func(name string) bool { return name == "races-config-flag" }
	p := &Push{Learner: "learner01", Name: "  Ana\u202e\n<b>Lee</b>\x00  ", Events: []Event{
		ev(1, 0, EventOpen, "races-config-flag"),
		ev(2, 0, EventOpen, "an-exercise-from-a-newer-workbook"),
		withHints(verdict(3, 0, "races-config-flag", false, "line one\nline two"+strings.Repeat("x", 1000)), -3),
		{ID: "joinevent1", Type: EventJoin, Progress: map[string]Progress{"races-config-flag": {Checks: 1}, "gone": {Checks: 2}}},
	}}
	if err := p.Validate(known); err != nil {
		t.Fatal(err)
	}
	if p.Name != "Ana <b>Lee</b>" {
		t.Errorf("name %q", p.Name)
	}
	if len(p.Events) != 3 {
		t.Fatalf("kept %d events, want 3 (the unknown exercise's left out)", len(p.Events))
	}
	if e := p.Events[1]; e.Hints != 0 || utf8.RuneCountInString(e.Phase) != MaxPhaseLen || strings.Contains(e.Phase, "\n") {
		t.Errorf("verdict not cleaned: hints %d, phase %q", e.Hints, e.Phase)
	}
	if pr := p.Events[2].Progress; len(pr) != 1 {
		t.Errorf("progress of unknown exercises kept: %v", pr)
	}
	for _, bad := range []*Push{
		{Learner: "learner01", Name: "\x00\n"},
		{Learner: "short", Name: "Ana"},
		{Learner: "learner01", Name: "Ana", Events: []Event{{ID: "event0001", Type: "rm -rf"}}},
		{Learner: "learner01", Name: "Ana", Events: []Event{{ID: "event0001", Type: EventOpen, Exercise: "races-config-flag", Progress: map[string]Progress{"races-config-flag": {}}}}},
		{Learner: "learner01", Name: "Ana", Events: make([]Event, MaxEvents+1)},
	} {
		if err := bad.Validate(known); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := NewCode()
		if len(c) != 9 || c[4] != '-' || strings.Trim(strings.ReplaceAll(c, "-", ""), codeAlphabet) != "" {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	if len(seen) < 199 {
		t.Errorf("%d distinct codes of 200", len(seen))
	}
	if NormalizeCode("kxtm-4qra ") != "KXTM4QRA" {
		t.Error(NormalizeCode("kxtm-4qra "))
	}
}

// FuzzValidate: whatever a push says, validating it does not panic, and
// what it keeps to show is clean text within its bounds.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{"learner":"learner01","name":"Ana","events":[{"id":"event0001","type":"verdict","exercise":"races-config-flag","pass":false,"phase":"x\ny"}]}`))
	f.Add([]byte(`{"learner":"learner01","name":"<b>","events":[{"id":"event0002","type":"hand","exercise":"races-config-flag","hand":{"files":{"a.go":"x"},"findings":[{"file":"a.go","line":1,"message":"m","severity":"bad"}]}}]}`))
	f.Add([]byte(`{"learner":"learner01","name":"A","events":[{"id":"event0003","type":"join","progress":{"races-config-flag":{"done":true,"checks":-1}}}]}`))
	known := func(name string) bool { return name == "races-config-flag" }
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Push
		if json.Unmarshal(data, &p) != nil {
			return
		}
		if p.Validate(known) != nil {
			return
		}
		clean := func(what, s string, max int) {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max || strings.IndexFunc(s, unicode.IsControl) >= 0 {
				t.Fatalf("%s %q is not clean", what, s)
			}
		}
		clean("name", p.Name, MaxNameLen)
		s := newState([]Exercise{{Name: "races-config-flag"}}, DefaultStuck)
		s.apply(&p, t0)
		snap := s.snapshot(t0, true)
		for _, l := range snap.Learners {
			for _, st := range l.Exercises {
				clean("phase", st.Phase, MaxPhaseLen)
			}
		}
		for _, h := range snap.Hands {
			clean("verdict", h.Verdict, MaxPhaseLen)
			if len(h.Output) > MaxOutputLen || !utf8.ValidString(h.Output) {
				t.Fatalf("output of %d bytes", len(h.Output))
			}
		}
	})
}
