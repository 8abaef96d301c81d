package runner

// The workbook's wire protocol, in both directions. It is the format of
// `workbook check --json` (the events, one JSON object per line) and of the
// site's websocket at /ws: the page sends ClientMessage values, the server
// answers with Event values, in order, as they happen. Extend it; do not
// break it: tools and editors read these fields.
//
// A check's events: one start; queued events while it waits for its turn
// (with its place); for each go command a step, the command's output events
// as it prints, its diagnostic events (findings parsed from that output,
// each with an id) and its step_end; then the failures (each failure of a
// finding refers to its diagnostic by ref instead of repeating it); and last
// one verdict. A lesson program's run is a check of the same shape. The
// server adds an error event when it cannot do what a message asks.
//
// Measurements and predictions (added with issue 18; older readers skip
// them): after a step's diagnostics, and before its failures, a measure event
// for each value that a `measure` line of the script reads from that step's
// output (see measure.go): its name, its kind, the value — "1", "yes" —
// and in text the line of output it was read from. Right after a measure
// event, the workspace (not the runner) sends a prediction event for each
// question of the exercise or lesson compared with that measurement: the
// question's id, the learner's answer ("" when they made no prediction that
// this check settles), the value, whether the answer is right, and message,
// one sentence: "You said 0 allocations; it is 1."

import (
	"sync"

	"github.com/go-blindspots/workbook/diagnostics"
)

// The event types, in the order a check emits them (see above), and the
// site's error.
const (
	TypeStart      = "start"
	TypeQueued     = "queued"
	TypeStep       = "step"
	TypeOutput     = "output"
	TypeStepEnd    = "step_end"
	TypeDiagnostic = "diagnostic"
	TypeMeasure    = "measure"
	TypePrediction = "prediction"
	TypeFailure    = "failure"
	TypeVerdict    = "verdict"
	// TypeError is the site's answer to a message it cannot carry out, with
	// one sentence in Message; it is not part of a check's stream.
	TypeError = "error"
)

// ClientMessage is what a page sends over the websocket:
//
//	{"type":"check","exercise":NAME}                    check the exercise
//	{"type":"check","exercise":NAME,"files":{...},"base":{...}}
//	                                                    save the files, then check
//	{"type":"run","lesson":TOPIC,"program":N}           run a lesson's program N
//	{"type":"run","lesson":TOPIC,"program":N,"source":TEXT,"tools":["race","escapes","allocs"]}
//	                                                    run it as edited in the page, with tools
//	{"type":"run","lesson":TOPIC,"program":N,"why":true}
//	                                                    say why each of its values escapes
//	{"type":"stop"}                                     stop the page's run
//
// A check or a run may carry "predictions": {"ID":"ANSWER"}, the learner's
// answers to questions of the exercise or lesson, recorded before it runs
// (workspace.Predict); a bad answer is an error event, and nothing runs.
//
// A page has at most one run: a check or a run replaces the one going on.
//
// A run of a lesson's program as the lesson has it, with no tools, compares
// what each command prints with the lesson's output blocks: its verdict
// passes when they agree. With source (the program edited in the page: the
// block's text, a Go file or a txtar archive, at most 64 KiB, run in the
// runner's own work directory and never written to the workspace) or with
// tools, the run is one to look at (runner.Check.Explore): the lesson's
// commands run as they are, with the tools' flags, and nothing is compared.
// The tools are
//
//	race     -race on every go build, go run and go test (and a go run of a
//	         main package if no command runs the program)
//	escapes  -gcflags=-m on every go build, go run and go test that has no
//	         -gcflags of its own: each escaping value is a diagnostic event
//	allocs   every go run prints, when main returns, the heap allocations
//	         of the program's lines (lessons/allocs.go says how)
//
// and the run's events are a check's. With why, the run builds the program
// (as edited, if source is set) with -gcflags=-m=2 and nothing else: each
// escaping value is a diagnostic event whose Why says in one sentence why it
// moves to the heap. Tools name instruments, so that one that measures a
// number (the goroutines left at exit, say) is one more name here, and its
// number can come back in an event of its own beside the output.
type ClientMessage struct {
	Type        string            `json:"type"`
	Exercise    string            `json:"exercise,omitempty"`    // check
	Files       map[string]string `json:"files,omitempty"`       // check: saved first (only the exercise's own files)
	Base        map[string]string `json:"base,omitempty"`        // check: the SHA-256 of each file as the page last loaded it (see workspace.Save)
	Lesson      string            `json:"lesson,omitempty"`      // run: the lesson's topic
	Program     int               `json:"program,omitempty"`     // run: the program's number in the lesson
	Source      string            `json:"source,omitempty"`      // run: the program as edited in the page; absent: the lesson's own
	Tools       []string          `json:"tools,omitempty"`       // run: ToolRace, ToolEscapes, ToolAllocs
	Why         bool              `json:"why,omitempty"`         // run: only build with -gcflags=-m=2 and explain each escape
	Predictions map[string]string `json:"predictions,omitempty"` // check, run: answers by question id, recorded first
}

// The tools of a lesson program's run (ClientMessage.Tools).
const (
	ToolRace    = "race"
	ToolEscapes = "escapes"
	ToolAllocs  = "allocs"
)

// The client message types.
const (
	MsgCheck = "check"
	MsgRun   = "run"
	MsgStop  = "stop"
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
	// ReasonEnvironment: the machine, not the learner's code, stopped the
	// check (no module proxy, no C compiler, a full disk, a test binary
	// killed from outside); the verdict's Message says what to fix, and the
	// result is not the learner's.
	ReasonEnvironment = "environment"
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
	Text   string `json:"text,omitempty"`   // output; failure: details such as a diff; measure: the line the value was read from

	ExitCode   *int   `json:"exit_code,omitempty"`   // step_end; -1 when killed
	DurationMS *int64 `json:"duration_ms,omitempty"` // step_end, verdict
	Reason     string `json:"reason,omitempty"`      // step_end, verdict: timeout, check_timeout, output_limit, canceled, memory

	Message string `json:"message,omitempty"` // failure, verdict; prediction: the answer against the measurement, in words
	File    string `json:"file,omitempty"`    // failure, diagnostic: file name within the exercise
	Line    int    `json:"line,omitempty"`    // failure, diagnostic
	Col     int    `json:"col,omitempty"`     // failure, diagnostic

	ID         int                     `json:"id,omitempty"`         // diagnostic: its number in the check, from 1
	Diagnostic *diagnostics.Diagnostic `json:"diagnostic,omitempty"` // diagnostic: the finding
	Timeline   *diagnostics.Timeline   `json:"timeline,omitempty"`   // diagnostic of a race: its two goroutines, side by side
	Why        string                  `json:"why,omitempty"`        // diagnostic of an escape: why the value moves to the heap, in words
	Ref        int                     `json:"ref,omitempty"`        // failure: the ID of the diagnostic it reports, if any

	Name     string `json:"name,omitempty"`     // measure, prediction: the measurement's name in the script
	Kind     string `json:"kind,omitempty"`     // measure: allocs, goroutines, value, escapes or race
	Value    string `json:"value,omitempty"`    // measure, prediction: what was measured, "1" or "yes"
	Question string `json:"question,omitempty"` // prediction: the id of the question
	Answer   string `json:"answer,omitempty"`   // prediction: the learner's answer; "" if none was settled by this check
	Right    *bool  `json:"right,omitempty"`    // prediction: the answer is the measurement (absent without an answer)

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
