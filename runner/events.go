package runner

import (
	"sync"

	"github.com/go-blindspots/workbook/diagnostics"
)

// The event types, in the order a check emits them: one start; queued events
// while it waits for its turn; for each step a step, its output events, its
// diagnostics and its step_end; failures; one verdict.
const (
	TypeStart      = "start"
	TypeQueued     = "queued"
	TypeStep       = "step"
	TypeOutput     = "output"
	TypeStepEnd    = "step_end"
	TypeDiagnostic = "diagnostic"
	TypeFailure    = "failure"
	TypeVerdict    = "verdict"
)

// Output streams.
const (
	Stdout = "stdout"
	Stderr = "stderr"
	Note   = "note" // written by the runner itself, e.g. "output truncated"
)

// Reasons a step or a check ended early.
const (
	ReasonTimeout      = "timeout"       // a step ran past its bound
	ReasonCheckTimeout = "check_timeout" // the whole check ran past its bound
	ReasonOutputLimit  = "output_limit"
	ReasonCanceled     = "canceled"
	ReasonMemory       = "memory" // the learner's programs used more than the memory bound
)

// Event is one thing that happened during a check. It is the wire format of
// `workbook check --json` (one JSON object per line) and of the site's
// websocket; which fields are set depends on Type.
type Event struct {
	Type     string `json:"type"`
	Exercise string `json:"exercise,omitempty"` // start, queued, verdict
	Place    int    `json:"place,omitempty"`    // queued: the check's place in line, 1 for next

	Step  int    `json:"step,omitempty"`  // step, output, step_end, diagnostic: 1-based step number
	Cmd   string `json:"cmd,omitempty"`   // step: the command line, e.g. "go test -race ."
	Phase string `json:"phase,omitempty"` // step, failure: the requirement the script is proving

	Stream string `json:"stream,omitempty"` // output: stdout, stderr or note
	Text   string `json:"text,omitempty"`   // output; failure: details such as a diff

	ExitCode   *int   `json:"exit_code,omitempty"`   // step_end; -1 when killed
	DurationMS *int64 `json:"duration_ms,omitempty"` // step_end, verdict
	Reason     string `json:"reason,omitempty"`      // step_end, verdict: timeout, check_timeout, output_limit, canceled, memory

	Message string `json:"message,omitempty"` // failure, verdict
	File    string `json:"file,omitempty"`    // failure, diagnostic: file name within the exercise
	Line    int    `json:"line,omitempty"`    // failure, diagnostic
	Col     int    `json:"col,omitempty"`     // failure, diagnostic

	Diagnostic *diagnostics.Diagnostic `json:"diagnostic,omitempty"` // diagnostic; failure: the finding it reports

	Pass *bool `json:"pass,omitempty"` // verdict
}

// Sink receives a check's events. The runner calls Emit from one goroutine at a
// time, in order; a Sink need not be safe for concurrent use.
type Sink interface {
	Emit(Event)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(Event)

// Emit calls f(e).
func (f SinkFunc) Emit(e Event) { f(e) }

// Collect is a Sink that keeps every event, for tests and for callers that
// want the whole stream after the fact.
type Collect struct{ Events []Event }

// Emit appends e.
func (c *Collect) Emit(e Event) { c.Events = append(c.Events, e) }

// serial makes a Sink safe for the several goroutines of one check (stdout
// and stderr readers), keeping one order.
type serial struct {
	mu   sync.Mutex
	sink Sink
}

func (s *serial) Emit(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sink.Emit(e)
}

func intp(i int) *int       { return &i }
func int64p(i int64) *int64 { return &i }
func boolp(b bool) *bool    { return &b }
