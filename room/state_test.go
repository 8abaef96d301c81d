package room

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

var testExercises = []Exercise{
	{Name: "races-config-flag", Title: "A config flag", Topic: "races"},
	{Name: "leaks-worker-ctx", Title: "A worker", Topic: "leaks"},
	{Name: "pool-byte-slices", Title: "A pool", Topic: "pool"},
}

// ev makes an event: its id from n, at t0+secs on the learner's clock.
func ev(n int, secs int, typ, exercise string) Event {
	return Event{ID: fmt.Sprintf("event%04d", n), At: t0.Add(time.Duration(secs) * time.Second), Type: typ, Exercise: exercise}
}

func verdict(n, secs int, exercise string, pass bool, phase string) Event {
	e := ev(n, secs, EventVerdict, exercise)
	e.Pass, e.Phase = &pass, phase
	return e
}

func withHints(e Event, hints int) Event { e.Hints = hints; return e }

func withReason(e Event, reason string) Event { e.Reason = reason; return e }

// pushAt is a push of learner id, sent at t0+sent on the learner's clock.
func pushAt(id, name string, sent int, events ...Event) *Push {
	return &Push{Learner: id, Name: name, Sent: t0.Add(time.Duration(sent) * time.Second), Events: events}
}

func TestStateStatuses(t *testing.T) {
	const ex = "races-config-flag"
	tests := []struct {
		name   string
		pushes []*Push
		now    int // seconds after t0 on the room's clock
		want   ExerciseState
	}{
		{"opened", []*Push{pushAt("learner01", "Ana", 0, ev(1, 0, EventOpen, ex))}, 60,
			ExerciseState{Status: StatusStarted, TimeS: 60}},
		{"a check running", []*Push{pushAt("learner01", "Ana", 1, ev(1, 0, EventOpen, ex), ev(2, 1, EventCheck, ex))}, 10,
			ExerciseState{Status: StatusStarted, TimeS: 10, Checking: true}},
		{"failing, with the phase", []*Push{pushAt("learner01", "Ana", 5, ev(1, 0, EventCheck, ex), withHints(verdict(2, 5, ex, false, "Readers must never see a half-applied config"), 1))}, 5,
			ExerciseState{Status: StatusFailing, Checks: 1, Failing: 1, Hints: 1, Phase: "Readers must never see a half-applied config", TimeS: 5}},
		{"passed after failing: the time stops at the pass", []*Push{pushAt("learner01", "Ana", 100,
			verdict(1, 0, ex, false, "one"), verdict(2, 50, ex, false, "two"), verdict(3, 100, ex, true, ""))}, 500,
			ExerciseState{Status: StatusPassed, Checks: 3, Failing: 2, TimeS: 100}},
		{"a pass stays a pass (as in the workspace's progress)", []*Push{pushAt("learner01", "Ana", 20,
			verdict(1, 0, ex, true, ""), verdict(2, 20, ex, false, "later"))}, 20,
			ExerciseState{Status: StatusPassed, Checks: 2, Failing: 1, TimeS: 0}},
		{"canceled and environment verdicts are not the learner's checks", []*Push{pushAt("learner01", "Ana", 20,
			ev(1, 0, EventCheck, ex), withReason(verdict(2, 10, ex, false, "The check was canceled."), "canceled"),
			withReason(verdict(3, 20, ex, false, "No C compiler"), "environment"))}, 20,
			ExerciseState{Status: StatusStarted, TimeS: 20}},
		{"out of order: the latest verdict by time wins", []*Push{
			pushAt("learner01", "Ana", 30, verdict(2, 30, ex, false, "newer")),
			pushAt("learner01", "Ana", 30, verdict(1, 10, ex, false, "older"))}, 30,
			ExerciseState{Status: StatusFailing, Checks: 2, Failing: 2, Phase: "newer", TimeS: 20}},
		{"a check started before the last verdict is not running", []*Push{pushAt("learner01", "Ana", 9,
			verdict(2, 9, ex, false, "x"), ev(1, 8, EventCheck, ex))}, 9,
			ExerciseState{Status: StatusFailing, Checks: 1, Failing: 1, Phase: "x", TimeS: 1}},
		{"hints only grow", []*Push{pushAt("learner01", "Ana", 3, withHints(ev(1, 0, EventHint, ex), 2), withHints(ev(2, 3, EventOpen, ex), 1))}, 3,
			ExerciseState{Status: StatusStarted, Hints: 2, TimeS: 3}},
		{"join brings earlier progress", []*Push{pushAt("learner01", "Ana", 0, Event{ID: "joinevent1", At: t0, Type: EventJoin,
			Progress: map[string]Progress{ex: {Done: false, Checks: 4, Hints: 2}}})}, 0,
			ExerciseState{Status: StatusFailing, Checks: 4, Hints: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newState(testExercises, DefaultStuck)
			now := t0.Add(time.Duration(tt.now) * time.Second)
			for _, p := range tt.pushes {
				if err := p.Validate(s.known); err != nil {
					t.Fatal(err)
				}
				s.apply(p, p.Sent) // the learner's clock is the room's
			}
			snap := s.snapshot(now, true)
			if len(snap.Learners) != 1 {
				t.Fatalf("got %d learners, want 1", len(snap.Learners))
			}
			if got := snap.Learners[0].Exercises[ex]; got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestStateReadsTheLearnersClock(t *testing.T) {
	// The learner's clock is an hour fast, and the event waited on disk:
	// it happened 60 s before the push was sent, which the room received
	// at t0.
	s := newState(testExercises, DefaultStuck)
	s.apply(pushAt("learner01", "Ana", 3600, ev(1, 3540, EventOpen, "races-config-flag")), t0)
	got := s.snapshot(t0, true).Learners[0].Exercises["races-config-flag"]
	if got.TimeS != 60 {
		t.Errorf("time on the exercise %d s, want 60", got.TimeS)
	}
	// An event from the future (a clock that jumped) counts as now.
	s.apply(pushAt("learner01", "Ana", 0, ev(2, 600, EventOpen, "leaks-worker-ctx")), t0)
	if got := s.snapshot(t0, true).Learners[0].Exercises["leaks-worker-ctx"]; got.TimeS != 0 {
		t.Errorf("time on an exercise opened in the future: %d s, want 0", got.TimeS)
	}
}

func TestStateCountsEachEventOnce(t *testing.T) {
	s := newState(testExercises, DefaultStuck)
	p := pushAt("learner01", "Ana", 5, ev(1, 0, EventCheck, "pool-byte-slices"), verdict(2, 5, "pool-byte-slices", false, "x"))
	if a, d := s.apply(p, t0.Add(5*time.Second)); a != 2 || d != 0 {
		t.Fatalf("first push: accepted %d, duplicates %d; want 2, 0", a, d)
	}
	v := s.version
	p2 := pushAt("learner01", "Ana", 9, ev(1, 0, EventCheck, "pool-byte-slices"), verdict(2, 5, "pool-byte-slices", false, "x"), verdict(3, 9, "pool-byte-slices", true, ""))
	if a, d := s.apply(p2, t0.Add(9*time.Second)); a != 1 || d != 2 {
		t.Fatalf("second push: accepted %d, duplicates %d; want 1, 2", a, d)
	}
	if a, _ := s.apply(p2, t0.Add(9*time.Second)); a != 0 || s.version != v+1 {
		t.Fatalf("a push of nothing new: accepted %d, version %d → %d; want 0 and no change", a, v+1, s.version)
	}
	got := s.snapshot(t0.Add(10*time.Second), true).Learners[0].Exercises["pool-byte-slices"]
	if got.Checks != 2 || got.Status != StatusPassed {
		t.Errorf("got %+v, want 2 checks and passed", got)
	}
}

func TestStateStuck(t *testing.T) {
	const ex, other = "races-config-flag", "leaks-worker-ctx"
	rule := Stuck{After: 10 * time.Minute, Checks: 3}
	fails := func(n int) []Event {
		var out []Event
		for i := range n {
			out = append(out, verdict(i+1, i*10, ex, false, "x"))
		}
		return out
	}
	tests := []struct {
		name   string
		events []Event
		now    time.Duration
		want   bool
	}{
		{"a few minutes, few failures", fails(2), 5 * time.Minute, false},
		{"ten minutes on it", fails(1), 10 * time.Minute, true},
		{"three failing checks", fails(3), time.Minute, true},
		{"passed is never stuck", append(fails(3), verdict(9, 40, ex, true, "")), time.Hour, false},
		{"moved on to another exercise", append(fails(3), ev(9, 40, EventOpen, other)), 5 * time.Minute, false},
		{"left the room", append(fails(3), ev(9, 40, EventLeave, "")), time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newState(testExercises, rule)
			p := pushAt("learner01", "Ana", 0, tt.events...)
			p.Sent = time.Time{} // the learner's clock is the room's
			s.apply(p, t0.Add(time.Minute))
			snap := s.snapshot(t0.Add(tt.now), true)
			l := snap.Learners[0]
			if l.Exercises[ex].Stuck != tt.want || l.Stuck != tt.want || (snap.Totals.Stuck == 1) != tt.want {
				t.Errorf("stuck: exercise %v, learner %v, totals %d; want %v", l.Exercises[ex].Stuck, l.Stuck, snap.Totals.Stuck, tt.want)
			}
		})
	}
}

func TestStateRoomView(t *testing.T) {
	const ex = "races-config-flag"
	s := newState(testExercises, DefaultStuck)
	now := t0.Add(time.Minute)
	phases := []string{"Readers must never see a half-applied config", "Readers must never see a half-applied config", "go vet must report nothing", ""}
	for i, phase := range phases {
		id := fmt.Sprintf("learner%02d", i)
		e := verdict(i*10+1, 0, ex, phase == "", phase)
		e.ID = "ev" + id
		s.apply(pushAt(id, fmt.Sprintf("Learner %c", 'D'-i), 0, e), now)
	}
	hand := ev(100, 30, EventHand, ex)
	hand.Hand = &Hand{Files: map[string]string{"config.go": "package config\n"}, Verdict: "x", Checked: true}
	older := ev(101, 10, EventHand, "leaks-worker-ctx")
	older.Hand = &Hand{Files: map[string]string{"worker.go": "package worker\n"}}
	s.apply(pushAt("learner01", "Learner C", 60, hand), now)
	s.apply(pushAt("learner02", "Learner B", 60, older), now)
	snap := s.snapshot(now, true)

	var names []string
	for _, l := range snap.Learners {
		names = append(names, l.Name)
	}
	if fmt.Sprint(names) != "[Learner A Learner B Learner C Learner D]" {
		t.Errorf("learners in the order %v, want by name", names)
	}
	if len(snap.Exercises) != 2 || snap.Exercises[0].Name != ex {
		t.Fatalf("exercises %+v, want races-config-flag then leaks-worker-ctx", snap.Exercises)
	}
	got := snap.Exercises[0]
	if got.Started != 4 || got.Passed != 1 || got.Failing != 3 || got.PhaseCount != 2 || got.Phase != phases[0] {
		t.Errorf("got %+v", got)
	}
	if s := got.PhaseSummary(); s != "2 of 4 are failing: Readers must never see a half-applied config" {
		t.Errorf("summary %q", s)
	}
	if len(snap.Hands) != 2 || snap.Hands[0].Exercise != "leaks-worker-ctx" || snap.Hands[1].Name != "Learner C" {
		t.Fatalf("hands %+v, want the older first", snap.Hands)
	}
	if snap.Hands[1].Files[0].Text != "package config\n" || snap.Totals.HandsOpen != 2 {
		t.Errorf("hand %+v, totals %+v", snap.Hands[1], snap.Totals)
	}
	if !s.answer(snap.Hands[0].ID, now) || s.answer("nosuchhand", now) {
		t.Fatal("answer")
	}
	snap = s.snapshot(now, false)
	if !snap.Hands[0].Answered || snap.Totals.HandsOpen != 1 || snap.Hands[1].Files != nil {
		t.Errorf("after answering (no code in an export): %+v, totals %+v", snap.Hands, snap.Totals)
	}
	if snap.Totals.Learners != 4 || snap.Totals.Passed != 1 || snap.Totals.Checks != 4 {
		t.Errorf("totals %+v", snap.Totals)
	}
}
