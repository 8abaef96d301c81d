package diagnostics

import (
	"regexp"
	"strings"
)

// This file reads goroutine stacks as the runtime, goleak and the race detector
// print them, and names their functions. What a crash means is crash.go's
// business; which frames are the learner's is locate.go's.

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
	// fileLineRE matches a frame's position line: "\t/abs/path/file.go:23 +0x1d" in a
	// goroutine dump, "      /abs/path/file.go:23 +0x1d" in a race report.
	fileLineRE = regexp.MustCompile(`^\s+(.+?):(\d+)(?:\s.*)?$`)
	// funcLineRE matches a frame's call line: "example.com/x.(*T).M(0xc000010000, ...)".
	funcLineRE = regexp.MustCompile(`^[^\s(]+\(.*\)$`)
	// createdRE matches "created by example.com/x.F in goroutine 19".
	createdRE = regexp.MustCompile(`^created by (\S+)(?: in goroutine \d+)?$`)
	// closureRE matches the names the compiler gives function literals and the
	// wrappers of go and defer statements: "TestX.func1", "Run.func2.1", "main.gowrap1".
	closureRE = regexp.MustCompile(`^(.+?)\.(func|gowrap|deferwrap)\d+(?:\.\d+)*$`)
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
			f, next := readFrame(createdRE.FindStringSubmatch(l)[1], lines, i+1)
			g.created, i = &f, next
		case funcLineRE.MatchString(l):
			f, next := readFrame(funcName(l), lines, i+1)
			g.frames, i = append(g.frames, f), next
		case strings.HasPrefix(l, "\t"):
			i++ // an annotation this parser does not need
		default:
			return gs, i
		}
	}
	return gs, i
}

// readCrash reads a crash starting at lines[start] ("panic: ..." or "fatal error:
// ..."): its first lines up to a blank line (the panic value, "[recovered]", the
// tests running at a timeout) and the goroutine dump after them, if there is one.
// It returns the index of the first line after the crash.
func readCrash(lines []string, start int) (head []string, gs []goroutine, end int) {
	head = []string{lines[start]}
	i := start + 1
	for i < len(lines) && len(head) < 100 {
		l := lines[i]
		if strings.TrimSpace(l) == "" || crashStop(l) {
			break
		}
		head = append(head, l)
		i++
	}
	end = i
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i < len(lines) {
		if _, _, ok := runtimeHeader(lines[i]); ok {
			gs, end = parseStacks(lines, i, runtimeHeader)
		}
	}
	return head, gs, end
}

// crashStop says whether a line cannot belong to the first lines of a crash.
func crashStop(l string) bool {
	for _, p := range []string{"FAIL", "ok  ", "PASS", "--- ", "=== ", "exit status ", raceHeader, raceSep, "goleak: "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return goroutineRE.MatchString(l)
}

// readFrame makes the frame of function fn, whose call line is just before
// lines[i]: it reads the indented position line at lines[i], if there is one,
// and returns the index after what it read.
func readFrame(fn string, lines []string, i int) (frame, int) {
	f := frame{fn: fn}
	if i < len(lines) {
		if m := fileLineRE.FindStringSubmatch(lines[i]); m != nil {
			f.file, f.line = m[1], atoi(m[2])
			return f, i + 1
		}
	}
	return f, i
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

// isStdFunc says whether a function name as printed in a stack belongs to the
// standard library: its import path has no dot in its first element and is not main,
// or it has no import path at all (the runtime's "panic" frame).
func isStdFunc(fn string) bool {
	pkg := funcPackage(fn)
	if pkg == "" {
		return true // "panic", the runtime's frame for a call of panic
	}
	if pkg == "main" {
		return false
	}
	first := pkg
	if i := strings.Index(first, "/"); i >= 0 {
		first = first[:i]
	}
	return !strings.Contains(first, ".")
}
