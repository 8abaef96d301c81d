package diagnostics

import (
	"regexp"
	"strconv"
	"strings"
)

// This file tells what a crash is — a panic, a fatal error, a deadlock, a test
// timeout, a synctest deadlock — from its first lines and the goroutine stacks
// after them (parsed by stack.go), and says in words what its goroutines were doing.

var (
	// runningTestRE matches the test list under "panic: test timed out": "\t\tTestAll (2s)".
	runningTestRE = regexp.MustCompile(`^\t\t(\S+) \(([^)]*)\)$`)
	// minutesRE matches the time a goroutine has waited: ", 2 minutes".
	minutesRE = regexp.MustCompile(`, \d+ minutes?`)
	// bubbleRE matches the synctest bubble of a goroutine's state.
	bubbleRE = regexp.MustCompile(`, synctest bubble \d+`)
)

// cleanState drops the waiting time, the synctest bubble and "(durable)" from a
// goroutine state: "chan send, 2 minutes" -> "chan send".
func cleanState(state string) string {
	state = minutesRE.ReplaceAllString(state, "")
	state = bubbleRE.ReplaceAllString(state, "")
	state = strings.ReplaceAll(state, ", locked to thread", "")
	state = strings.ReplaceAll(state, " (durable)", "")
	return strings.TrimSpace(state)
}

// statePhrase says in words what a goroutine in state is doing: "blocked in chan send".
func statePhrase(state string) string {
	switch st := cleanState(state); st {
	case "running", "runnable", "":
		return "running"
	case "sleep":
		return "sleeping"
	case "select (no cases)":
		return "blocked forever in an empty select"
	case "chan send (nil chan)":
		return "blocked forever sending on a nil channel"
	case "chan receive (nil chan)":
		return "blocked forever receiving from a nil channel"
	default:
		return "blocked in " + st
	}
}

// goroutineDoing describes a goroutine for a summary: "fetch is blocked in chan send
// at search.go:9".
func (s *stream) goroutineDoing(g goroutine) (string, Location, bool) {
	f, created, ok := s.learnerFrame(g)
	if !ok {
		return "", Location{}, false
	}
	loc := s.frameLoc(f)
	if created {
		return "a goroutine started by " + plainFunc(loc.Func) + " at " + where(loc) + " is " + statePhrase(g.state), loc, true
	}
	return plainFunc(loc.Func) + " is " + statePhrase(g.state) + " at " + where(loc), loc, true
}

// summarize describes the goroutines that have learner frames, grouping identical
// ones, most relevant first; it returns the phrases and the locations.
func (s *stream) summarize(gs []goroutine, first int) ([]string, []Location) {
	var phrases []string
	var locs []Location
	count := map[string]int{}
	order := func(i int) {
		p, loc, ok := s.goroutineDoing(gs[i])
		if !ok {
			return
		}
		if count[p] == 0 {
			phrases = append(phrases, p)
			locs = append(locs, loc)
		}
		count[p]++
	}
	if first >= 0 {
		order(first)
	}
	for i := range gs {
		if i != first {
			order(i)
		}
	}
	const most = 5
	out := make([]string, 0, len(phrases))
	for i, p := range phrases {
		if i == most {
			out = append(out, "and "+strconv.Itoa(len(phrases)-most)+" more")
			break
		}
		if n := count[p]; n > 1 {
			p += " (" + strconv.Itoa(n) + " goroutines)"
		}
		out = append(out, p)
	}
	return out, locs
}

// parseCrash handles "panic: ..." or "fatal error: ..." at s.i and the goroutine
// stacks after it: a panic, a fatal error (deadlock, concurrent map writes), a test
// timeout, or a synctest deadlock.
func (s *stream) parseCrash() {
	start := s.i
	head, gs, end := readCrash(s.lines, s.i)
	s.i = end
	raw := strings.Join(s.lines[start:end], "\n")

	first := head[0]
	value := first
	isPanic := strings.HasPrefix(first, "panic: ")
	if isPanic {
		value = strings.TrimPrefix(first, "panic: ")
	} else {
		value = strings.TrimPrefix(first, "fatal error: ")
	}
	if k := strings.Index(value, " [recovered"); k >= 0 && strings.HasSuffix(value, "]") {
		value = value[:k]
	}
	value = strings.TrimSpace(value)

	switch {
	case isPanic && strings.HasPrefix(value, "test timed out after "):
		s.timeout(start, value, head, gs, raw)
	case isPanic && strings.HasPrefix(value, "deadlock: "):
		s.synctestDeadlock(start, value, gs, raw)
	case !isPanic && strings.HasPrefix(value, "all goroutines are asleep"):
		s.deadlock(start, value, gs, raw)
	default:
		s.panic(start, first, value, isPanic, gs, raw)
	}
}

// panic reports a panic or fatal error at the first learner frame of the crashing
// goroutine (the first one printed).
func (s *stream) panic(at int, first, value string, isPanic bool, gs []goroutine, raw string) {
	what := "panic: "
	if !isPanic {
		what = "fatal error: "
	}
	d := Diagnostic{Kind: Panic, Message: what + value, Text: raw}
	if len(gs) == 0 {
		s.emit(at, d)
		return
	}
	gi := s.firstLearner(gs, nil)
	if gi < 0 {
		s.emit(at, d)
		return
	}
	g := gs[gi]
	f, created, _ := s.learnerFrame(g)
	d.Location = s.frameLoc(f)
	d.Related = s.relatedOf(g, f)
	if created {
		d.Message += ", in a goroutine started by " + plainFunc(d.Func) + " at " + where(d.Location)
	} else {
		d.Message += ", in " + plainFunc(d.Func) + " at " + where(d.Location)
		if len(d.Related) > 0 {
			r := d.Related[0]
			if g.created != nil && s.frameLoc(*g.created) == r {
				d.Message += " (goroutine started by " + plainFunc(r.Func) + " at " + where(r) + ")"
			} else {
				d.Message += " (called from " + plainFunc(r.Func) + " at " + where(r) + ")"
			}
		}
	}
	s.emit(at, d)
}

// deadlock reports "fatal error: all goroutines are asleep - deadlock!".
func (s *stream) deadlock(at int, value string, gs []goroutine, raw string) {
	d := Diagnostic{Kind: Panic, Text: raw, Message: "deadlock: all goroutines are asleep"}
	s.locateGoroutines(&d, gs, s.firstLearner(gs, nil))
	s.emit(at, d)
}

// timeout reports "panic: test timed out after 2s".
func (s *stream) timeout(at int, value string, head []string, gs []goroutine, raw string) {
	var running []string
	for _, l := range head {
		if m := runningTestRE.FindStringSubmatch(l); m != nil {
			running = append(running, m[1])
		}
	}
	d := Diagnostic{Kind: Timeout, Text: raw, Message: value}
	if len(running) > 0 {
		d.Message += " while running " + strings.Join(running, ", ")
	}
	// The goroutine running the test is the most telling: put it first.
	first := s.firstLearner(gs, func(g goroutine) bool { return runsTest(g, running) })
	s.locateGoroutines(&d, gs, first)
	s.emit(at, d)
}

// runsTest says whether g is running one of the tests (or one of their subtests).
func runsTest(g goroutine, tests []string) bool {
	for _, f := range g.frames {
		short := shortFunc(f.fn)
		for _, t := range tests {
			if i := strings.Index(t, "/"); i >= 0 {
				t = t[:i]
			}
			if short == t || strings.HasPrefix(short, t+".") {
				return true
			}
		}
	}
	return false
}

// synctestDeadlock reports testing/synctest's "panic: deadlock: ..." as one Leak per
// goroutine of the bubble that is blocked in the learner's code.
func (s *stream) synctestDeadlock(at int, value string, gs []goroutine, raw string) {
	var bubble []goroutine
	for _, g := range gs {
		if strings.Contains(g.state, "synctest bubble") {
			bubble = append(bubble, g)
		}
	}
	if len(bubble) == 0 && len(gs) > 1 {
		bubble = gs[1:]
	}
	test := s.test.last
	in := "the synctest bubble"
	if test != "" {
		in = test + "'s synctest bubble"
	}
	var tail string
	switch {
	case strings.Contains(value, "main bubble goroutine has exited"):
		tail = "is still running after the function given to synctest.Test returned"
		if test != "" {
			tail = "is still running after the function given to synctest.Test in " + test + " returned"
		}
	case strings.Contains(value, "all goroutines in bubble are blocked"):
		tail = "can never continue: every goroutine in " + in + " is blocked (deadlock)"
	default:
		tail = "is stuck: synctest reported " + value
	}
	n := s.leaks(at, bubble, tail, raw)
	if n > 0 {
		return
	}
	d := Diagnostic{Kind: Leak, Message: "synctest " + value, Text: raw}
	for _, g := range gs {
		if f, _, ok := s.learnerFrame(g); ok {
			d.Location = s.frameLoc(f)
			d.Message += " (in " + plainFunc(d.Func) + " at " + where(d.Location) + ")"
			break
		}
	}
	s.emit(at, d)
}
