package diagnostics

import (
	"regexp"
	"strconv"
	"strings"
)

// testState follows the test binary's "=== RUN" and "--- FAIL" lines to know which
// test the indented message lines belong to.
//
// Without -v a failing test's messages follow its "--- FAIL: TestX (0.00s)" line,
// indented four spaces deeper than it (subtests nest). With -v they follow
// "=== RUN TestX" (or "=== NAME"/"=== CONT") at four spaces, before the verdict is
// known: they wait in pending until "--- FAIL" (kept) or "--- PASS"/"--- SKIP" (dropped).
type testState struct {
	name    string // test the next message lines belong to; "" if none
	failing bool   // name came from a "--- FAIL" line
	indent  int    // indentation of name's message lines
	last    string // last test named in the output, for panics and leaks
	pending map[string][]finding
}

var (
	testRunRE  = regexp.MustCompile(`^=== (RUN|NAME|CONT|PAUSE)\s+(\S+)`)
	testDoneRE = regexp.MustCompile(`^( *)--- (FAIL|PASS|SKIP): (\S+)`)
)

// raceInTest is what testing prints for a test during which the race detector
// reported a race; the race itself is the finding.
const raceInTest = "race detected during execution of test"

// flush moves the messages of test name waiting for its verdict to the findings.
func (t *testState) flush(s *stream, name string) {
	s.found = append(s.found, t.pending[name]...)
	delete(t.pending, name)
}

// flushAll keeps the messages of tests that never got a verdict (the binary
// crashed or timed out while they ran).
func (t *testState) flushAll(s *stream) {
	for name := range t.pending {
		t.flush(s, name)
	}
}

// testLine handles a line of the test binary's own output; it reports whether it did.
func (s *stream) testLine(line string) bool {
	if m := testRunRE.FindStringSubmatch(line); m != nil {
		s.test.last = m[2]
		if m[1] == "PAUSE" {
			s.test.name = ""
		} else {
			s.test.name, s.test.failing, s.test.indent = m[2], false, 4
		}
		s.i++
		return true
	}
	if m := testDoneRE.FindStringSubmatch(line); m != nil {
		name := m[3]
		s.test.last = name
		if m[2] == "FAIL" {
			s.test.flush(s, name)
			s.test.name, s.test.failing, s.test.indent = name, true, len(m[1])+4
			if s.i+1 < len(s.lines) && s.lines[s.i+1] == "got:" {
				s.i++
				s.exampleOutput(name, s.i-1)
				return true
			}
		} else {
			delete(s.test.pending, name)
			s.test.name = ""
		}
		s.i++
		return true
	}
	if s.test.name == "" || !strings.HasPrefix(line, "    ") {
		return false
	}
	m := testMsgRE.FindStringSubmatch(line)
	if m == nil || len(m[1]) != s.test.indent {
		return false
	}
	s.testMessage(m)
	return true
}

// testMessage handles one t.Error/t.Log message and its continuation lines, which
// are indented four spaces deeper than its first line.
func (s *stream) testMessage(m []string) {
	start := s.i
	indent := len(m[1])
	body := []string{m[4]}
	j := s.i + 1
	for j < len(s.lines) {
		l := s.lines[j]
		if indentOf(l) >= indent+4 && !testDoneRE.MatchString(l) {
			body = append(body, l[indent+4:])
			j++
			continue
		}
		break
	}
	s.i = j
	raw := strings.Join(s.lines[start:j], "\n")
	name := s.test.name

	if strings.Contains(body[0], "found unexpected goroutines:") {
		gs, _ := parseStacks(body, 1, goleakHeader)
		after := "the test"
		if name != "" {
			after = name
		}
		if s.leaks(start, gs, "is still running after "+after, raw) == 0 {
			loc := s.loc(m[2], atoi(m[3]), 0, "")
			s.emit(start, Diagnostic{Kind: Leak, Location: loc, Text: raw,
				Message: "goleak found " + countGoroutines(gs) + " still running after " + after + " (checked at " + where(loc) + ")" + topFuncs(gs)})
		}
		return
	}
	if strings.TrimSpace(body[0]) == raceInTest {
		return
	}
	loc := s.loc(m[2], atoi(m[3]), 0, "")
	d := Diagnostic{
		Kind:     TestFail,
		Location: loc,
		Message:  "test " + name + " failed at " + where(loc) + ": " + joinMessage(body),
		Text:     raw,
		Test:     name,
		Detail:   joinMessage(body),
	}
	f := finding{at: start, d: d}
	if s.test.failing {
		s.found = append(s.found, f)
	} else {
		s.test.pending[name] = append(s.test.pending[name], f)
	}
}

// joinMessage makes one line of a multi-line test message:
// "balance after deposit:", "got  0", "want 1" -> "balance after deposit: got  0; want 1".
func joinMessage(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			if strings.HasSuffix(b.String(), ":") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// exampleOutput handles the "got:" and "want:" blocks after "--- FAIL: ExampleX",
// starting at the "got:" line at s.i. The output does not say where the example is.
func (s *stream) exampleOutput(name string, start int) {
	var got, want []string
	cur := &got
	i := s.i + 1
	for ; i < len(s.lines); i++ {
		l := s.lines[i]
		if l == "want:" && cur == &got {
			cur = &want
			continue
		}
		if cur == &want && (l == "FAIL" || l == "PASS" || strings.HasPrefix(l, "FAIL\t") ||
			strings.HasPrefix(l, "ok  ") || testRunRE.MatchString(l) || testDoneRE.MatchString(l)) {
			break
		}
		*cur = append(*cur, l)
	}
	s.i = i
	s.emit(start, Diagnostic{
		Kind: TestFail,
		Message: "example " + name + " printed the wrong output: got " +
			strconv.Quote(strings.Join(got, "\n")) + ", want " + strconv.Quote(strings.Join(want, "\n")),
		Text: strings.Join(s.lines[start:i], "\n"),
	})
}
