package diagnostics

import (
	"regexp"
	"strconv"
	"strings"
)

// frame is one call in a goroutine's stack.
type frame struct {
	fn   string // as printed, without arguments: "example.com/counter.(*Counter).Inc"
	file string // as printed: "/tmp/x/counter.go"
	line int
}

// goroutine is one goroutine of a stack dump.
type goroutine struct {
	id      int
	state   string // what the header says in brackets: "chan send", "sleep (durable), synctest bubble 1"
	frames  []frame
	created *frame // the "created by" call, if printed
}

var (
	// goroutineRE matches the runtime's "goroutine 7 [chan send]:" (with GOTRACEBACK=system,
	// "goroutine 1 gp=0x... m=0 mp=0x... [running]:").
	goroutineRE = regexp.MustCompile(`^goroutine (\d+)(?: [^\[]*)? \[(.*)\]:$`)
	// goleakRE matches goleak's "Goroutine 20 in state chan send, with pkg.f on top of the stack:".
	goleakRE = regexp.MustCompile(`^\s*\[?Goroutine (\d+) in state (.*), with (.*) on top of the stack:\s*$`)
	// fileLineRE matches a frame's position line: "\t/abs/path/file.go:23 +0x1d".
	fileLineRE = regexp.MustCompile(`^\s+(.+?):(\d+)(?:\s.*)?$`)
	// funcLineRE matches a frame's call line: "example.com/x.(*T).M(0xc000010000, ...)".
	funcLineRE = regexp.MustCompile(`^[^\s(]+\(.*\)$`)
	// createdRE matches "created by example.com/x.F in goroutine 19".
	createdRE = regexp.MustCompile(`^created by (\S+)(?: in goroutine \d+)?$`)
	// runningTestRE matches the test list under "panic: test timed out": "\t\tTestAll (2s)".
	runningTestRE = regexp.MustCompile(`^\t\t(\S+) \(([^)]*)\)$`)
	// minutesRE matches the time a goroutine has waited: ", 2 minutes".
	minutesRE = regexp.MustCompile(`, \d+ minutes?`)
	// closureRE matches the names the compiler gives function literals and the
	// wrappers of go and defer statements: "TestX.func1", "Run.func2.1", "main.gowrap1".
	closureRE = regexp.MustCompile(`^(.+?)\.(func|gowrap|deferwrap)\d+(?:\.\d+)*$`)
	bubbleRE  = regexp.MustCompile(`, synctest bubble \d+`)
)

// stackHeader recognises the first line of a goroutine in a stack dump.
type stackHeader func(line string) (id int, state string, ok bool)

func runtimeHeader(line string) (int, string, bool) {
	if line == "runtime stack:" { // the system stack of a fatal error, with GOTRACEBACK=system
		return 0, "runtime stack", true
	}
	m := goroutineRE.FindStringSubmatch(line)
	if m == nil {
		return 0, "", false
	}
	return atoi(m[1]), m[2], true
}

func goleakHeader(line string) (int, string, bool) {
	m := goleakRE.FindStringSubmatch(line)
	if m == nil {
		return 0, "", false
	}
	return atoi(m[1]), m[2], true
}

// parseStacks reads the goroutines starting at lines[i] and returns them with the
// index of the first line that is not part of them.
func parseStacks(lines []string, i int, header stackHeader) ([]goroutine, int) {
	var gs []goroutine
	for i < len(lines) {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			// A blank line separates goroutines; the dump goes on only if another follows.
			j := i
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j < len(lines) {
				if _, _, ok := header(lines[j]); ok {
					i = j
					continue
				}
			}
			break
		}
		if id, state, ok := header(l); ok {
			gs = append(gs, goroutine{id: id, state: state})
			i++
			continue
		}
		if len(gs) == 0 {
			break
		}
		g := &gs[len(gs)-1]
		switch {
		case strings.Contains(l, "frames elided"):
			i++
		case createdRE.MatchString(l):
			f := frame{fn: createdRE.FindStringSubmatch(l)[1]}
			i++
			i = f.readPos(lines, i)
			g.created = &f
		case funcLineRE.MatchString(l):
			f := frame{fn: funcName(l)}
			i++
			i = f.readPos(lines, i)
			g.frames = append(g.frames, f)
		case strings.HasPrefix(l, "\t"):
			i++ // an annotation this parser does not need
		default:
			return gs, i
		}
	}
	return gs, i
}

// readPos reads the position line of a frame at lines[i], if there is one, and
// returns the index after it.
func (f *frame) readPos(lines []string, i int) int {
	if i < len(lines) && strings.HasPrefix(strings.TrimLeft(lines[i], " "), "\t") {
		if m := fileLineRE.FindStringSubmatch(lines[i]); m != nil {
			f.file, f.line = m[1], atoi(m[2])
			return i + 1
		}
	}
	return i
}

// funcName strips the argument list from a frame's call line.
func funcName(line string) string {
	if !strings.HasSuffix(line, ")") {
		return line
	}
	depth := 0
	for i := len(line) - 1; i >= 0; i-- {
		switch line[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return line[:i]
			}
		}
	}
	return line
}

// shortFunc drops the import path from a function name as printed in a stack:
// "example.com/counter.(*Counter).Inc" -> "(*Counter).Inc".
func shortFunc(fn string) string {
	rest := fn[strings.LastIndex(fn, "/")+1:]
	if dot := strings.Index(rest, "."); dot >= 0 {
		return rest[dot+1:]
	}
	return rest
}

// plainFunc names a function for a message, in words for a function literal:
// "TestSnapshot.func1" -> "the func literal in TestSnapshot".
func plainFunc(fn string) string {
	m := closureRE.FindStringSubmatch(fn)
	if m == nil {
		return fn
	}
	switch m[2] {
	case "gowrap":
		return "the go statement in " + m[1]
	case "deferwrap":
		return "the defer statement in " + m[1]
	}
	return "the func literal in " + m[1]
}

// funcPackage returns the import path of a function name as printed in a stack.
func funcPackage(fn string) string {
	slash := strings.LastIndex(fn, "/")
	dot := strings.Index(fn[slash+1:], ".")
	if dot < 0 {
		return ""
	}
	return fn[:slash+1+dot]
}

// frameLoc makes the Location of a frame.
func (s *stream) frameLoc(f frame) Location {
	return s.loc(f.file, f.line, 0, shortFunc(f.fn))
}

// learnerFrame returns the first frame of g in the learner's files, falling back to
// the call that created g; ok is false if neither is the learner's.
func (s *stream) learnerFrame(g goroutine) (f frame, created bool, ok bool) {
	for _, f := range g.frames {
		if s.isLearnerFrame(f) {
			return f, false, true
		}
	}
	if g.created != nil && s.isLearnerFrame(*g.created) {
		return *g.created, true, true
	}
	return frame{}, false, false
}

// relatedOf returns the learner frames of g other than primary, and the learner call
// that created g.
func (s *stream) relatedOf(g goroutine, primary frame) []Location {
	var out []Location
	for _, f := range g.frames {
		if f != primary && s.isLearnerFrame(f) {
			out = appendLoc(out, s.frameLoc(f))
		}
	}
	if g.created != nil && *g.created != primary && s.isLearnerFrame(*g.created) {
		out = appendLoc(out, s.frameLoc(*g.created))
	}
	return out
}

// appendLoc appends l unless it is already in ls.
func appendLoc(ls []Location, l Location) []Location {
	for _, x := range ls {
		if x == l {
			return ls
		}
	}
	return append(ls, l)
}

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

// crashStop says whether a line cannot belong to the first lines of a panic.
func crashStop(l string) bool {
	for _, p := range []string{"FAIL", "ok  ", "PASS", "--- ", "=== ", "exit status ", raceHeader, raceSep, "goleak: "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return goroutineRE.MatchString(l)
}

// parseCrash handles "panic: ..." or "fatal error: ..." at s.i and the goroutine
// stacks after it: a panic, a fatal error (deadlock, concurrent map writes), a test
// timeout, or a synctest deadlock.
func (s *stream) parseCrash() {
	start := s.i
	head := []string{s.lines[s.i]}
	i := s.i + 1
	for i < len(s.lines) && len(head) < 100 {
		l := s.lines[i]
		if strings.TrimSpace(l) == "" || crashStop(l) {
			break
		}
		head = append(head, l)
		i++
	}
	end := i
	j := i
	for j < len(s.lines) && strings.TrimSpace(s.lines[j]) == "" {
		j++
	}
	var gs []goroutine
	if j < len(s.lines) {
		if _, _, ok := runtimeHeader(s.lines[j]); ok {
			gs, end = parseStacks(s.lines, j, runtimeHeader)
		}
	}
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
	gi := -1
	var f frame
	var created bool
	for i, g := range gs {
		var ok bool
		if f, created, ok = s.learnerFrame(g); ok {
			gi = i
			break
		}
	}
	if gi < 0 {
		s.emit(at, d)
		return
	}
	g := gs[gi]
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
	d := Diagnostic{Kind: Panic, Text: raw}
	first := -1
	for i, g := range gs {
		if _, _, ok := s.learnerFrame(g); ok {
			first = i
			break
		}
	}
	phrases, locs := s.summarize(gs, first)
	d.Message = "deadlock: all goroutines are asleep"
	if len(phrases) > 0 {
		d.Message += ": " + strings.Join(phrases, "; ")
		d.Location = locs[0]
		d.Related = append([]Location(nil), locs[1:]...)
		f, _, _ := s.learnerFrame(gs[first])
		for _, l := range s.relatedOf(gs[first], f) {
			d.Related = appendLoc(d.Related, l)
		}
	}
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
	// The goroutine running the test is the most telling: put it first.
	first := -1
	for i, g := range gs {
		if _, _, ok := s.learnerFrame(g); !ok {
			continue
		}
		if first < 0 {
			first = i
		}
		if runsTest(g, running) {
			first = i
			break
		}
	}
	d := Diagnostic{Kind: Timeout, Text: raw, Message: value}
	if len(running) > 0 {
		d.Message += " while running " + strings.Join(running, ", ")
	}
	phrases, locs := s.summarize(gs, first)
	if len(phrases) > 0 {
		d.Message += ": " + strings.Join(phrases, "; ")
		d.Location = locs[0]
		d.Related = append([]Location(nil), locs[1:]...)
		// Then the calls that led to the primary place: the line of the test.
		if f, _, ok := s.learnerFrame(gs[first]); ok {
			for _, l := range s.relatedOf(gs[first], f) {
				d.Related = appendLoc(d.Related, l)
			}
		}
	}
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

// leaks reports one Leak per goroutine with learner code; tail ends the message
// ("is still running after TestFirst"). It returns how many it reported.
func (s *stream) leaks(at int, gs []goroutine, tail, raw string) int {
	n := 0
	for _, g := range gs {
		f, created, ok := s.learnerFrame(g)
		if !ok {
			continue
		}
		loc := s.frameLoc(f)
		var msg string
		if created {
			msg = "goroutine started by " + plainFunc(loc.Func) + " at " + where(loc) + ", " + statePhrase(g.state) + ","
		} else {
			msg = "goroutine " + statePhrase(g.state) + " in " + plainFunc(loc.Func) + " at " + where(loc)
		}
		msg += " " + tail
		if !created && g.created != nil && s.isLearnerFrame(*g.created) {
			c := s.frameLoc(*g.created)
			msg += " (started by " + plainFunc(c.Func) + " at " + where(c) + ")"
		}
		s.emit(at, Diagnostic{
			Kind:     Leak,
			Location: loc,
			Message:  msg,
			Related:  s.relatedOf(g, f),
			Text:     raw,
		})
		n++
	}
	return n
}
