package diagnostics

import (
	"regexp"
	"strings"
)

// raceHeader starts a report of the race detector.
const raceHeader = "WARNING: DATA RACE"

var (
	// accessRE matches "Read at 0x00c0000160e0 by goroutine 11:" and
	// "Previous write at 0x00c0000160e0 by main goroutine:".
	accessRE = regexp.MustCompile(`^(Previous )?(.+?) at 0x[0-9a-fA-F]+ by (main goroutine|goroutine \d+):$`)
	// createdAtRE matches "Goroutine 11 (running) created at:".
	createdAtRE = regexp.MustCompile(`^Goroutine (\d+) \(([^)]*)\) created at:$`)
)

// raceAccess is one of the two conflicting accesses of a race report.
type raceAccess struct {
	previous bool
	op       string // "read", "write", "atomic write", ...
	by       string // "goroutine 11" or "main goroutine"
	frames   []frame
}

// raceCreation is a "Goroutine 11 (running) created at:" stack of a race report.
type raceCreation struct {
	goroutine string // "goroutine 11", as an access's by says it
	state     string // "running", "finished"
	frames    []frame
}

// raceReport is one report of the race detector.
type raceReport struct {
	accesses  []raceAccess
	creations []raceCreation
}

// parseRace handles one race report starting at s.lines[start] (the "=================="
// line or "WARNING: DATA RACE") up to and including the closing "==================".
func (s *stream) parseRace(start int) {
	r, end := parseRaceReport(s.lines, start)
	s.i = end
	raw := strings.Join(s.lines[start:end], "\n")
	s.emit(start, s.raceDiagnostic(r.accesses, r.creations, raw))
}

// parseRaceReport reads the race report starting at lines[start] and returns it
// with the index of the first line after it:
//
//	==================
//	WARNING: DATA RACE
//	Write at 0x00c0000161a0 by goroutine 14:
//	  example.com/counter.(*Counter).Inc()
//	      /tmp/x/counter.go:14 +0xa4
//	  ...
//	Previous read at 0x00c0000161a0 by goroutine 13:
//	  ...
//	Goroutine 14 (running) created at:
//	  ...
//	==================
func parseRaceReport(lines []string, start int) (raceReport, int) {
	var r raceReport
	i := start
	if i < len(lines) && lines[i] == raceSep {
		i++
	}
	if i < len(lines) && lines[i] == raceHeader {
		i++
	}
	var cur *[]frame
	for i < len(lines) {
		l := lines[i]
		if l == raceSep {
			i++
			break
		}
		if l == raceHeader || raceStop(l) {
			break // a report cut short
		}
		t := strings.TrimSpace(l)
		switch {
		case accessRE.MatchString(l):
			m := accessRE.FindStringSubmatch(l)
			r.accesses = append(r.accesses, raceAccess{previous: m[1] != "", op: strings.ToLower(m[2]), by: m[3]})
			cur = &r.accesses[len(r.accesses)-1].frames
			i++
		case createdAtRE.MatchString(l):
			m := createdAtRE.FindStringSubmatch(l)
			r.creations = append(r.creations, raceCreation{goroutine: "goroutine " + m[1], state: m[2]})
			cur = &r.creations[len(r.creations)-1].frames
			i++
		case cur != nil && t != "" && strings.HasPrefix(l, " ") && funcLineRE.MatchString(t):
			f, next := readFrame(funcName(t), lines, i+1)
			*cur = append(*cur, f)
			i = next
		default:
			i++
		}
	}
	return r, i
}

func (s *stream) raceDiagnostic(accesses []raceAccess, creations []raceCreation, raw string) Diagnostic {
	d := Diagnostic{Kind: Race, Message: "data race", Text: raw}
	pick := s.pickFrame
	type side struct {
		a       raceAccess
		f       frame
		learner bool
	}
	var sides []side
	for _, a := range accesses {
		f, ok := pick(a.frames)
		sides = append(sides, side{a, f, ok})
	}
	if len(sides) == 0 {
		return d
	}
	// The primary access is the first one with a learner frame.
	p := 0
	if !sides[0].learner && len(sides) > 1 && sides[1].learner {
		p = 1
	}
	d.Location = s.frameLoc(sides[p].f)
	describe := func(x side) string {
		op := accessOp(x.a)
		if x.f.fn == "" {
			return op + " by " + x.a.by
		}
		l := s.frameLoc(x.f)
		return op + " in " + plainFunc(l.Func) + " at " + where(l) + " (" + x.a.by + ")"
	}
	d.Message = "data race: " + describe(sides[p])
	for i, x := range sides {
		if i == p {
			continue
		}
		word := "conflicts with "
		if x.a.previous {
			word = "conflicts with earlier "
		}
		d.Message += " " + word + describe(x)
		if x.f.fn != "" {
			d.Related = appendLoc(d.Related, s.frameLoc(x.f))
		}
	}
	for _, c := range creations {
		if f, ok := pick(c.frames); ok {
			d.Related = appendLoc(d.Related, s.frameLoc(f))
		}
	}
	return d
}

// pickFrame returns the frame that stands for a stack of a race report: its
// first learner frame (learner true), or else its first frame.
func (s *stream) pickFrame(fs []frame) (f frame, learner bool) {
	for _, f := range fs {
		if s.isLearnerFrame(f) {
			return f, true
		}
	}
	if len(fs) > 0 {
		return fs[0], false
	}
	return frame{}, false
}

// accessOp names what an access did, looking at the runtime function on top of its
// stack for maps and channels: "write", "map read", "channel close".
func accessOp(a raceAccess) string {
	op := a.op
	if len(a.frames) == 0 {
		return op
	}
	top := a.frames[0].fn
	switch {
	case strings.HasPrefix(top, "runtime.mapaccess"), strings.HasPrefix(top, "runtime.mapiter"):
		return "map read"
	case strings.HasPrefix(top, "runtime.mapassign"), strings.HasPrefix(top, "runtime.mapdelete"),
		strings.HasPrefix(top, "runtime.mapclear"):
		return "map write"
	case strings.HasPrefix(top, "runtime.chansend"):
		return "channel send"
	case strings.HasPrefix(top, "runtime.closechan"):
		return "channel close"
	case strings.HasPrefix(top, "runtime.chanrecv"):
		return "channel receive"
	}
	return op
}

// raceStop says whether a line cannot be part of a race report, for reports whose
// closing line is missing.
func raceStop(l string) bool {
	for _, p := range []string{"FAIL", "PASS", "ok  ", "panic: ", "fatal error: ", "goleak: ", "exit status "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return testRunRE.MatchString(l) || testDoneRE.MatchString(l)
}
