package diagnostics

import (
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// Timeline is a data race drawn as two goroutines side by side: who they are,
// where the learner's code started them, and the two conflicting accesses on the
// learner's lines, in the order the report implies. It is built from a Race
// finding by RaceTimeline and is plain data, ready for JSON.
type Timeline struct {
	// Lanes are the two goroutines: Lanes[0] made the earlier access (the
	// report's "Previous write at ..."), Lanes[1] the later one.
	Lanes [2]Lane `json:"lanes"`
	// Steps are what the lanes did, in an order consistent with the report: the
	// learner's go statements that started the goroutines, then the earlier
	// access, then the later one. (The report does not say whether a goroutine
	// was started before or after the other's access.)
	Steps []Step `json:"steps"`
}

// Lane is one goroutine of a Timeline.
type Lane struct {
	// Goroutine is the goroutine as the report names it: "goroutine 11", "main goroutine".
	Goroutine string `json:"goroutine"`
	// Name says for a person which goroutine it is: "goroutine started by
	// (*Server).handle at router.go:41", "the test goroutine (TestCount)", "the
	// main goroutine", "goroutine running the func literal in TestX, started by
	// sync.(*WaitGroup).Go".
	Name string `json:"name"`
	// Finished is true when the goroutine had already ended when the race was
	// found (the report's "Goroutine 10 (finished) created at:").
	Finished bool `json:"finished,omitempty"`
	// Started is the learner's go statement that started the goroutine, if there
	// is one in the report.
	Started *Location `json:"started,omitempty"`
}

// StepKind says what a Step is.
type StepKind string

// The kinds of step.
const (
	StepStart  StepKind = "start"  // a go statement of the learner's started the lane's goroutine
	StepAccess StepKind = "access" // the lane's goroutine read or wrote the raced memory
)

// Step is one event of a Timeline, at a line of the learner's code.
type Step struct {
	Lane int      `json:"lane"` // 0 or 1, the index in Timeline.Lanes
	Kind StepKind `json:"kind"`
	// Op is what an access did: "read", "write", "map read", "map write",
	// "channel send", "channel close", "atomic write", ...
	Op string `json:"op,omitempty"`
	// Write is true for an access that writes: the kind of access that always
	// races with any other, where a read races only with a write.
	Write bool `json:"write,omitempty"`
	// Location is the place: the go statement of a start; for an access, the
	// learner's frame nearest to it (or the top frame when the learner's code is
	// not in the stack at all).
	Location
	// Calls are the learner's calls that led to Location, innermost first (at
	// most eight).
	Calls []Location `json:"calls,omitempty"`
}

// RaceTimeline builds the timeline of a Race finding from its report (d.Text).
// The learner's code is found from the finding itself: the directory where the
// report printed d's file (the work dir, "/tmp/x/" for "/tmp/x/store/store.go"
// when d.File is "store/store.go") holds the learner's files, and every file the
// report prints under it is one. Use Parser.RaceTimeline to decide with the
// parser's Files instead. ok is false when d is not a race or its report does not
// have two accesses.
func RaceTimeline(d Diagnostic) (*Timeline, bool) {
	return Parser{Files: reportFiles(d)}.RaceTimeline(d)
}

// reportFiles returns the files of the learner's work dir that d's report
// prints, relative to that dir, or nil if d's places are not in the report. The
// work dir is the directory under which the report printed most of d's places
// (the shortest such one on a tie: "/tmp/x/" rather than "/tmp/x/store/" for
// "store.go").
func reportFiles(d Diagnostic) []string {
	var printed []string
	for _, l := range strings.Split(d.Text, "\n") {
		if m := fileLineRE.FindStringSubmatch(l); m != nil {
			printed = append(printed, cleanPath(m[1]))
		}
	}
	var entries []string
	for _, l := range append([]Location{d.Location}, d.Related...) {
		if e := cleanPath(l.File); e != "" && e != "." && !slices.Contains(entries, e) {
			entries = append(entries, e)
		}
	}
	// Each place and each path it could be printed as gives a candidate root.
	count := map[string]int{}
	for _, e := range entries {
		seen := map[string]bool{}
		for _, p := range printed {
			var root string
			switch {
			case strings.HasPrefix(e, "/") && p == e:
				root = path.Dir(p) + "/" // a finding parsed without Files names the printed path
			case strings.HasSuffix(p, "/"+e):
				root = strings.TrimSuffix(p, e)
			default:
				continue
			}
			if !seen[root] {
				seen[root] = true
				count[root]++
			}
		}
	}
	root := ""
	for r, n := range count {
		if best := count[root]; root == "" || n > best || (n == best && (len(r) < len(root) || len(r) == len(root) && r < root)) {
			root = r
		}
	}
	if root == "" {
		return nil
	}
	var files []string
	for _, p := range printed {
		if rel, ok := strings.CutPrefix(p, root); ok && rel != "" && !slices.Contains(files, rel) {
			files = append(files, rel)
		}
	}
	return files
}

// RaceTimeline builds the timeline of a Race finding from its report (d.Text),
// with the learner's code being p.Files, as Parse decides it. ok is false when d
// is not a race or its report does not have two accesses.
func (p Parser) RaceTimeline(d Diagnostic) (*Timeline, bool) {
	if d.Kind != Race || d.Text == "" {
		return nil, false
	}
	s := newStream(p, d.Text)
	start := 0
	for start < len(s.lines) && s.lines[start] != raceSep && s.lines[start] != raceHeader {
		start++
	}
	if start == len(s.lines) {
		return nil, false
	}
	r, _ := parseRaceReport(s.lines, start)
	if len(r.accesses) < 2 {
		return nil, false
	}
	// The earlier access ("Previous write at ...", printed second) goes on the left.
	earlier, later := r.accesses[1], r.accesses[0]
	if r.accesses[0].previous && !r.accesses[1].previous {
		earlier, later = r.accesses[0], r.accesses[1]
	}
	t := &Timeline{}
	var accesses []Step
	for i, acc := range []raceAccess{earlier, later} {
		lane, start := s.raceLane(acc, r.creations)
		t.Lanes[i] = lane
		if start != nil {
			start.Lane = i
			t.Steps = append(t.Steps, *start)
		}
		accesses = append(accesses, s.accessStep(i, acc))
	}
	t.Steps = append(t.Steps, accesses...)
	return t, true
}

// raceLane describes the goroutine that made an access, and returns the step of
// the learner's go statement that started it, if the report shows one.
func (s *stream) raceLane(a raceAccess, creations []raceCreation) (Lane, *Step) {
	lane := Lane{Goroutine: a.by}
	if a.by == "main goroutine" {
		lane.Name = "the main goroutine"
		return lane, nil
	}
	var created *raceCreation
	for i := range creations {
		if creations[i].goroutine == a.by {
			created = &creations[i]
			break
		}
	}
	if created != nil {
		lane.Finished = created.state == "finished"
	}
	// A goroutine that runs a test function: testing.tRunner is at the bottom
	// of its stack, the test just above it.
	for i, f := range a.frames {
		if f.fn != "testing.tRunner" {
			continue
		}
		lane.Name = "the test goroutine"
		for j := i - 1; j >= 0; j-- {
			if s.isLearnerFrame(a.frames[j]) {
				lane.Name += " (" + topLevelFunc(shortFunc(a.frames[j].fn)) + ")"
				break
			}
		}
		return lane, nil
	}
	if created != nil {
		if f, ok := s.pickFrame(created.frames); ok {
			loc := s.frameLoc(f)
			lane.Name = "goroutine started by " + plainFunc(loc.Func) + " at " + where(loc)
			lane.Started = &loc
			step := &Step{Kind: StepStart, Location: loc}
			if i := slices.Index(created.frames, f); i >= 0 {
				step.Calls = s.learnerCalls(created.frames[i+1:])
			}
			return lane, step
		}
	}
	// Started from outside the learner's code (sync.(*WaitGroup).Go, net/http):
	// name it by what it runs, the function at the bottom of its stack.
	if n := len(a.frames); n > 0 && s.isLearnerFrame(a.frames[n-1]) {
		lane.Name = "goroutine running " + plainFunc(shortFunc(a.frames[n-1].fn))
		if created != nil && len(created.frames) > 0 {
			lane.Name += ", started by " + pkgFunc(created.frames[0].fn)
		}
		return lane, nil
	}
	lane.Name = a.by
	if created != nil && len(created.frames) > 0 {
		lane.Name += " started by " + pkgFunc(created.frames[0].fn)
	}
	return lane, nil
}

// accessStep makes the step of an access.
func (s *stream) accessStep(lane int, a raceAccess) Step {
	op := accessOp(a)
	step := Step{Lane: lane, Kind: StepAccess, Op: op, Write: strings.Contains(a.op, "write")}
	f, _ := s.pickFrame(a.frames)
	if f.fn == "" {
		return step
	}
	step.Location = s.frameLoc(f)
	if i := slices.Index(a.frames, f); i >= 0 {
		step.Calls = s.learnerCalls(a.frames[i+1:])
	}
	return step
}

// maxCalls bounds Step.Calls: the callers nearest the place tell the story.
const maxCalls = 8

// learnerCalls returns the places of the learner's frames among fs, in order, at
// most maxCalls of them.
func (s *stream) learnerCalls(fs []frame) []Location {
	var out []Location
	for _, c := range fs {
		if len(out) == maxCalls {
			break
		}
		if s.isLearnerFrame(c) {
			out = append(out, s.frameLoc(c))
		}
	}
	return out
}

// topLevelFunc names the top-level function of a function as printed in a stack:
// "TestCount.func1.2" -> "TestCount".
func topLevelFunc(fn string) string {
	if m := closureRE.FindStringSubmatch(fn); m != nil {
		return m[1]
	}
	return fn
}

// pkgFunc drops the directories of a function's import path, keeping its package:
// "net/http.(*conn).serve" -> "http.(*conn).serve".
func pkgFunc(fn string) string {
	return fn[strings.LastIndex(fn, "/")+1:]
}

// Text renders the timeline in two columns for a terminal of the given width
// (at least 40 columns are used): the lanes' names on top, then each step in
// its lane's column, one below the other, in the order of Steps. The race of
// testdata/subpkg_race.stdout at width 77:
//
//	goroutine started by (*Shop).Restock  │ goroutine started by (*Shop).Restock
//	at store.go:9 (goroutine 9, finished) │ at store.go:9 (goroutine 10)
//	──────────────────────────────────────┼──────────────────────────────────────
//	go statement in (*Shop).Restock       │
//	  store.go:9                          │
//	  called from TestRestock at          │
//	  store_test.go:7                     │
//	                                      │ go statement in (*Shop).Restock
//	                                      │   store.go:9
//	                                      │   called from TestRestock at
//	                                      │   store_test.go:7
//	write in (*Store).Add                 │
//	  store/store.go:15                   │
//	  called from the func literal in     │
//	  (*Shop).Restock at store.go:10      │
//	                                      │ read in (*Store).Add
//	                                      │   store/store.go:15
//	                                      │   called from the func literal in
//	                                      │   (*Shop).Restock at store.go:10
func (t *Timeline) Text(width int) string {
	width = max(width, 40)
	col := (width - 3) / 2
	var b strings.Builder
	row := func(left, right []string) {
		for i := 0; i < len(left) || i < len(right); i++ {
			var l, r string
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			line := l + strings.Repeat(" ", col-utf8.RuneCountInString(l)) + " │ " + r
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
	}
	head := func(l Lane) []string {
		name := l.Name
		if l.Goroutine != "main goroutine" && !strings.HasPrefix(name, l.Goroutine) {
			state := l.Goroutine
			if l.Finished {
				state += ", finished"
			}
			name += " (" + state + ")"
		}
		return wrapWords(name, col)
	}
	row(head(t.Lanes[0]), head(t.Lanes[1]))
	b.WriteString(strings.Repeat("─", col) + "─┼─" + strings.Repeat("─", col) + "\n")
	for _, st := range t.Steps {
		lines := st.textLines(col)
		if st.Lane == 0 {
			row(lines, nil)
		} else {
			row(nil, lines)
		}
	}
	return b.String()
}

// textLines renders a step for a column of the given width.
func (st Step) textLines(col int) []string {
	var first string
	switch st.Kind {
	case StepStart:
		first = "go statement in " + plainFunc(st.Func)
	default:
		first = st.Op
		if st.Func != "" {
			first += " in " + plainFunc(st.Func)
		}
	}
	lines := wrapWords(first, col)
	if st.File != "" {
		lines = append(lines, wrapWords("  "+where(st.Location), col)...)
	}
	if len(st.Calls) > 0 {
		c := st.Calls[0]
		lines = append(lines, wrapWords("  called from "+plainFunc(c.Func)+" at "+where(c), col)...)
	}
	return lines
}

// wrapWords breaks s into lines of at most width runes, at spaces when it can;
// continuation lines are indented like the first.
func wrapWords(s string, width int) []string {
	indent := s[:len(s)-len(strings.TrimLeft(s, " "))]
	if len(indent) >= width/2 {
		indent = ""
	}
	words := strings.Fields(s)
	var lines []string
	line := indent
	for _, w := range words {
		for utf8.RuneCountInString(indent+w) > width {
			// A word longer than a line: cut it.
			if line != indent {
				lines = append(lines, line)
			}
			cut := []rune(w)[:max(width-utf8.RuneCountInString(indent), 1)]
			lines = append(lines, indent+string(cut))
			w = string([]rune(w)[len(cut):])
			line = indent
		}
		switch {
		case w == "":
		case line == indent:
			line += w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = indent + w
		}
	}
	if line != indent || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
