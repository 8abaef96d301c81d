package diagnostics

import (
	"fmt"
	"slices"
	"strings"
)

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
