package diagnostics

import "strings"

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
		s.emit(start, Diagnostic{Kind: Leak, Message: "goleak found goroutines still running after all tests finished", Text: raw})
	}
}
