// Package diagnostics parses what the Go toolchain prints — race reports, -gcflags=-m
// escape analysis lines, go vet findings, compiler errors, test failures, panics,
// test timeouts, goleak and synctest reports — into findings located at the
// learner's file and line.
package diagnostics

// Kind says which tool produced a finding.
type Kind string

// The kinds of finding.
const (
	Race     Kind = "race"    // a data race report from -race
	Escape   Kind = "escape"  // a -gcflags=-m line about a value escaping (or not)
	Vet      Kind = "vet"     // a go vet finding
	Compile  Kind = "compile" // a compiler or type-checker error
	TestFail Kind = "test"    // a t.Error/t.Fatal message of a failing test
	Panic    Kind = "panic"   // a panic or fatal error with its stack
	Timeout  Kind = "timeout" // "panic: test timed out after ..."
	Leak     Kind = "leak"    // goleak's "found unexpected goroutines", synctest deadlocks
)

// Location is a place in a source file.
type Location struct {
	File string `json:"file,omitempty"` // base name if it is one of Parser.Files, else as printed
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	Func string `json:"func,omitempty"` // function as printed in a stack ("(*Counter).Inc"), when known
}

// Diagnostic is one finding.
type Diagnostic struct {
	Kind     Kind `json:"kind"`
	Location      // the primary place: the first frame that is in one of Parser.Files
	// Message is one line in plain words, e.g.
	// "data race: write in (*Counter).Inc at counter.go:14 conflicts with read in Snapshot at counter.go:20".
	Message string `json:"message"`
	// Subject is what an Escape line is about: the variable of "moved to heap: buf"
	// or the expression of "make([]byte, n) escapes to heap".
	Subject string `json:"subject,omitempty"`
	// Escapes is true for "moved to heap" / "escapes to heap", false for "does not escape".
	Escapes bool `json:"escapes,omitempty"`
	// Related holds other places that matter: the other access of a race, the
	// goroutine creation sites, the frames of a panic or leaked goroutine in Parser.Files.
	Related []Location `json:"related,omitempty"`
	// Text is the raw excerpt of the output the finding was parsed from.
	Text string `json:"text,omitempty"`
}
