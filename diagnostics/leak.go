package diagnostics

import (
	"fmt"
	"slices"
	"strings"
)

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

// parseGoleakMain handles what goleak.VerifyTestMain prints after the tests:
//
//	goleak: Errors on successful test run: found unexpected goroutines:
//	[Goroutine 9 in state chan send, with example.com/search.fetch on top of the stack:
//	example.com/search.fetch(...)
//		/tmp/x/search.go:10
//	created by example.com/search.First in goroutine 7
//		/tmp/x/search.go:17 +0x45
//	]
//
// goleak.VerifyNone's report is the same list inside a test message; testMessage
// handles it.
func (s *stream) parseGoleakMain() {
	start := s.i
	gs, end := parseStacks(s.lines, s.i+1, goleakHeader)
	if end < len(s.lines) && strings.TrimSpace(s.lines[end]) == "]" {
		end++
	}
	s.i = end
	raw := strings.Join(s.lines[start:end], "\n")
	if s.leaks(start, gs, "is still running after all tests finished", raw) == 0 {
		s.emit(start, Diagnostic{Kind: Leak, Message: "goleak found " + countGoroutines(gs) + " still running after all tests finished" + topFuncs(gs), Text: raw})
	}
}

func countGoroutines(gs []goroutine) string {
	if len(gs) == 1 {
		return "1 goroutine"
	}
	if len(gs) == 0 {
		return "goroutines"
	}
	return fmt.Sprintf("%d goroutines", len(gs))
}

// topFuncs says where leaked goroutines that run none of the learner's code
// are, by the function on top of their stacks, most frequent first:
// ": 4 in net/http.(*persistConn).readLoop, 4 in net/http.(*persistConn).writeLoop".
func topFuncs(gs []goroutine) string {
	count := map[string]int{}
	var order []string
	for _, g := range gs {
		if len(g.frames) == 0 {
			continue
		}
		fn := g.frames[0].fn
		if count[fn] == 0 {
			order = append(order, fn)
		}
		count[fn]++
	}
	if len(order) == 0 {
		return ""
	}
	slices.SortStableFunc(order, func(a, b string) int { return count[b] - count[a] })
	parts := make([]string, 0, 3)
	for i, fn := range order {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%d in %s", count[fn], fn))
	}
	return ": " + strings.Join(parts, ", ")
}
