package room

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
)

// state is what the room knows: every learner's progress and the raised
// hands. Pushes change it from many connections at once, the dashboard
// reads it, so it is one struct behind one mutex; nothing outside this file
// touches its fields.
type state struct {
	mu        sync.Mutex
	exercises []Exercise
	index     map[string]int // exercise name -> place in the curriculum
	stuck     Stuck

	learners map[string]*learner // by id
	hands    []*hand             // oldest first
	seen     map[string]bool     // the ids of the events counted
	version  int64               // changes with every change
	accepted int                 // events counted
	dups     int                 // events that arrived again
}

// Exercise is an exercise the room follows, in the curriculum's order.
type Exercise struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Topic string `json:"topic"`
}

// Stuck says when a learner counts as stuck on the exercise they are on:
// After this long on it without a pass, or after Checks failing checks.
type Stuck struct {
	After  time.Duration
	Checks int
}

type learner struct {
	id, name  string
	left      bool
	lastSeen  time.Time // the last push, room clock
	current   string    // the exercise of the learner's latest event
	currentAt time.Time
	exercises map[string]*progress
}

// progress is a learner's work on one exercise. Times are on the room's
// clock (see Push.Sent).
type progress struct {
	first, last time.Time // the first and the latest event about it
	checks      int       // checks with a verdict on the code (not canceled, not the machine's fault)
	failing     int       // of which failed
	hints       int
	passed      bool
	passedAt    time.Time
	checking    bool      // a check started after the latest verdict
	checkAt     time.Time // the latest check start
	verdictAt   time.Time // the latest verdict
	phase       string    // the latest failing verdict's headline
}

type hand struct {
	id, learner, exercise string
	at                    time.Time
	answered              bool
	answeredAt            time.Time
	Hand
}

func newState(exercises []Exercise, stuck Stuck) *state {
	s := &state{exercises: exercises, index: make(map[string]int), stuck: stuck,
		learners: make(map[string]*learner), seen: make(map[string]bool)}
	for i, ex := range exercises {
		s.index[ex.Name] = i
	}
	return s
}

// known reports whether name is an exercise of the room's.
func (s *state) known(name string) bool {
	_, ok := s.index[name]
	return ok
}

// apply counts the events of a validated push received at now, each once,
// and returns how many were new and how many it had already.
func (s *state) apply(p *Push, now time.Time) (accepted, dups int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The learner's clock against the room's: an event that happened at
	// e.At on the learner's clock happened at e.At+offset on the room's.
	var offset time.Duration
	if !p.Sent.IsZero() {
		offset = now.Sub(p.Sent)
	}
	l := s.learners[p.Learner]
	if l == nil {
		l = &learner{id: p.Learner, exercises: make(map[string]*progress)}
		s.learners[p.Learner] = l
	}
	l.name = p.Name
	l.lastSeen = now
	for i := range p.Events {
		e := &p.Events[i]
		if s.seen[e.ID] {
			dups++
			continue
		}
		s.seen[e.ID] = true
		accepted++
		at := now
		if !e.At.IsZero() {
			at = e.At.Add(offset)
		}
		if at.After(now) {
			at = now
		}
		s.event(l, e, at)
	}
	if accepted > 0 {
		s.version++
	}
	s.accepted += accepted
	s.dups += dups
	return accepted, dups
}

// event applies one new event at time at. Events may arrive out of order
// (two of the learner's processes send their queues at once), so whatever
// depends on order compares times.
func (s *state) event(l *learner, e *Event, at time.Time) {
	var p *progress
	if e.Exercise != "" {
		p = l.exercises[e.Exercise]
		if p == nil {
			p = &progress{first: at, last: at}
			l.exercises[e.Exercise] = p
		}
		p.first = minTime(p.first, at)
		if at.After(p.last) {
			p.last = at
		}
		if !at.Before(l.currentAt) {
			l.current, l.currentAt = e.Exercise, at
		}
		p.hints = max(p.hints, e.Hints)
	}
	switch e.Type {
	case EventJoin:
		l.left = false
		for name, pr := range e.Progress {
			if !pr.Done && pr.Checks == 0 && pr.Hints == 0 {
				continue
			}
			q := l.exercises[name]
			if q == nil {
				q = &progress{first: at, last: at}
				l.exercises[name] = q
			}
			q.checks = max(q.checks, pr.Checks)
			q.hints = max(q.hints, pr.Hints)
			if pr.Done && !q.passed {
				q.passed, q.passedAt = true, at
			}
		}
	case EventLeave:
		l.left = true
	case EventCheck:
		p.checkAt = maxTime(p.checkAt, at)
		p.checking = p.checkAt.After(p.verdictAt)
	case EventVerdict:
		counts := e.Reason != "canceled" && e.Reason != "environment"
		if counts {
			p.checks++
			if !*e.Pass {
				p.failing++
			}
		}
		if !at.Before(p.verdictAt) {
			p.verdictAt = at
			p.checking = p.checkAt.After(at)
			if counts && !*e.Pass {
				p.phase = e.Phase
			}
		}
		if counts && *e.Pass && (!p.passed || at.Before(p.passedAt)) {
			p.passed, p.passedAt = true, at
		}
	case EventHand:
		h := &hand{id: e.ID, learner: l.id, exercise: e.Exercise, at: at, Hand: *e.Hand}
		i, _ := slices.BinarySearchFunc(s.hands, h, func(a, b *hand) int { return a.at.Compare(b.at) })
		s.hands = slices.Insert(s.hands, i, h)
	}
}

// answer marks a hand answered; it reports whether there was such a hand.
func (s *state) answer(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hands {
		if h.id == id {
			if !h.answered {
				h.answered, h.answeredAt = true, now
				s.version++
			}
			return true
		}
	}
	return false
}

// Snapshot is the room as the dashboard shows it: GET /api/room, each
// message of the dashboard's websocket, and the JSON export. Its shape is a
// contract (see the README): extend it, do not break it.
type Snapshot struct {
	Learners  []LearnerView  `json:"learners"`  // by name
	Hands     []HandView     `json:"hands"`     // oldest first, answered ones too
	Exercises []ExerciseView `json:"exercises"` // the exercises someone started, in curriculum order
	Totals    Totals         `json:"totals"`
	Stuck     StuckRule      `json:"stuck"`
	Version   int64          `json:"version"` // changes whenever the room does
	Generated time.Time      `json:"generated"`
}

// LearnerView is one learner on the dashboard.
type LearnerView struct {
	ID        string                   `json:"id"`
	Name      string                   `json:"name"`
	Exercises map[string]ExerciseState `json:"exercises"` // the exercises they started, by name
	Current   string                   `json:"current,omitempty"`
	Left      bool                     `json:"left,omitempty"`
	LastSeen  time.Time                `json:"last_seen"`
	Passed    int                      `json:"passed"`
	Checks    int                      `json:"checks"`
	Hints     int                      `json:"hints"`
	TimeS     int64                    `json:"time_s"` // on all exercises
	Stuck     bool                     `json:"stuck"`
}

// The statuses of a learner's exercise (not started: absent).
const (
	StatusPassed  = "passed"
	StatusFailing = "failing"
	StatusStarted = "started"
)

// ExerciseState is a learner's state on one exercise.
type ExerciseState struct {
	Status   string `json:"status"` // passed, failing or started
	Checks   int    `json:"checks"`
	Hints    int    `json:"hints"`
	Phase    string `json:"phase"`          // the latest failing check's headline, while not passed
	Failing  int    `json:"failing_checks"` // checks that failed
	TimeS    int64  `json:"time_s"`         // from the first event on it to its pass, or to now while the learner is on it
	Stuck    bool   `json:"stuck,omitempty"`
	Checking bool   `json:"checking,omitempty"` // a check is running
}

// HandView is a raised hand on the dashboard.
type HandView struct {
	ID         string     `json:"id"`
	Learner    string     `json:"learner"` // id
	Name       string     `json:"name"`
	Exercise   string     `json:"exercise"`
	Raised     time.Time  `json:"raised"`
	Answered   bool       `json:"answered"`
	AnsweredAt time.Time  `json:"answered_at,omitzero"`
	Verdict    string     `json:"verdict,omitempty"`
	Checked    bool       `json:"checked"`
	Files      []HandFile `json:"files,omitempty"` // by name
	Findings   []Finding  `json:"findings,omitempty"`
	Output     string     `json:"output,omitempty"`
}

// HandFile is one file of a raised hand.
type HandFile struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// ExerciseView is one exercise across the room.
type ExerciseView struct {
	Exercise
	Started int `json:"started"` // learners who started it
	Passed  int `json:"passed"`
	Failing int `json:"failing"`
	Stuck   int `json:"stuck"`
	// Phase is the most common headline among the learners failing it, and
	// PhaseCount how many of them it is: "9 of 14 are failing: …".
	Phase      string `json:"phase,omitempty"`
	PhaseCount int    `json:"phase_count,omitempty"`
}

// Totals are the room's counts.
type Totals struct {
	Learners  int `json:"learners"` // in the room (not left)
	Passed    int `json:"passed"`   // exercises passed, all learners
	Checks    int `json:"checks"`
	Hints     int `json:"hints"`
	HandsOpen int `json:"hands_open"`
	Stuck     int `json:"stuck"` // learners stuck
}

// StuckRule is the rule the dashboard flags stuck learners by.
type StuckRule struct {
	Minutes int `json:"minutes"`
	Checks  int `json:"checks"`
}

// snapshot returns the room at now. withCode says whether hands carry their
// files and output (the dashboard) or not (the export).
func (s *state) snapshot(now time.Time, withCode bool) Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := Snapshot{Learners: []LearnerView{}, Hands: []HandView{}, Exercises: []ExerciseView{},
		Stuck:   StuckRule{Minutes: int(s.stuck.After / time.Minute), Checks: s.stuck.Checks},
		Version: s.version, Generated: now}
	perEx := make([]ExerciseView, len(s.exercises))
	phases := make([]map[string]int, len(s.exercises))
	for i, ex := range s.exercises {
		perEx[i].Exercise = ex
	}
	for _, l := range s.learners {
		lv := LearnerView{ID: l.id, Name: l.name, Exercises: make(map[string]ExerciseState, len(l.exercises)),
			Current: l.current, Left: l.left, LastSeen: l.lastSeen}
		if !l.left {
			snap.Totals.Learners++
		}
		for name, p := range l.exercises {
			st := s.exerciseState(l, name, p, now)
			lv.Exercises[name] = st
			lv.Checks += st.Checks
			lv.Hints += st.Hints
			lv.TimeS += st.TimeS
			lv.Stuck = lv.Stuck || st.Stuck
			ev := &perEx[s.index[name]]
			ev.Started++
			switch st.Status {
			case StatusPassed:
				lv.Passed++
				ev.Passed++
			case StatusFailing:
				ev.Failing++
				if phases[s.index[name]] == nil {
					phases[s.index[name]] = make(map[string]int)
				}
				phases[s.index[name]][st.Phase]++
			}
			if st.Stuck {
				ev.Stuck++
			}
		}
		snap.Totals.Passed += lv.Passed
		snap.Totals.Checks += lv.Checks
		snap.Totals.Hints += lv.Hints
		if lv.Stuck {
			snap.Totals.Stuck++
		}
		snap.Learners = append(snap.Learners, lv)
	}
	slices.SortFunc(snap.Learners, func(a, b LearnerView) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	for i := range perEx {
		if perEx[i].Started == 0 {
			continue
		}
		// The most common phase; ties go to the first in alphabetical
		// order, so that the dashboard does not flicker between them.
		for phase, n := range phases[i] {
			if n > perEx[i].PhaseCount || n == perEx[i].PhaseCount && phase < perEx[i].Phase {
				perEx[i].Phase, perEx[i].PhaseCount = phase, n
			}
		}
		snap.Exercises = append(snap.Exercises, perEx[i])
	}
	for _, h := range s.hands {
		hv := HandView{ID: h.id, Learner: h.learner, Name: s.learners[h.learner].name, Exercise: h.exercise,
			Raised: h.at, Answered: h.answered, AnsweredAt: h.answeredAt, Verdict: h.Verdict, Checked: h.Checked}
		if withCode {
			for name, text := range h.Files {
				hv.Files = append(hv.Files, HandFile{Name: name, Text: text})
			}
			slices.SortFunc(hv.Files, func(a, b HandFile) int { return cmp.Compare(a.Name, b.Name) })
			hv.Findings, hv.Output = h.Findings, h.Output
		}
		if !h.answered {
			snap.Totals.HandsOpen++
		}
		snap.Hands = append(snap.Hands, hv)
	}
	return snap
}

// exerciseState is learner l's state on one exercise at now.
func (s *state) exerciseState(l *learner, name string, p *progress, now time.Time) ExerciseState {
	st := ExerciseState{Status: StatusStarted, Checks: p.checks, Hints: p.hints, Failing: p.failing, Checking: p.checking}
	on := l.current == name && !l.left // the exercise the learner is on now
	var spent time.Duration
	switch {
	case p.passed:
		st.Status = StatusPassed
		spent = p.passedAt.Sub(p.first)
	case on:
		spent = now.Sub(p.first)
	default:
		spent = p.last.Sub(p.first)
	}
	if !p.passed && p.checks > 0 {
		st.Status = StatusFailing
		st.Phase = p.phase
	}
	st.TimeS = int64(max(spent, 0) / time.Second)
	st.Stuck = !p.passed && on && (s.stuck.After > 0 && spent >= s.stuck.After || s.stuck.Checks > 0 && p.failing >= s.stuck.Checks)
	return st
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
