package room

// The room's wire format: what a learner's workbook (package roomclient)
// pushes to the room, and the room's only answer, an acknowledgement. It is
// JSON over plain HTTP, outbound from the learner's laptop; nothing ever
// connects to the learner. Extend it; do not break it.
//
//	POST /api/push
//	X-Room-Code: ABCD-EFGH
//	Content-Type: application/json
//
//	{"learner":"5f0c…","name":"Ana","sent":"2026-11-24T10:02:03Z",
//	 "events":[{"id":"9a1e…","at":"2026-11-24T10:01:58Z","type":"verdict",
//	            "exercise":"races-config-flag","pass":false,
//	            "phase":"Readers must never see a half-applied config","hints":1}]}
//
// The answers: 200 with an Ack; 400 a malformed push; 403 a wrong room code
// (or a request from a browser page: pushes come from workbooks only); 413 a
// body over MaxPushSize; 415 not JSON; 429 too many requests from one
// address (Retry-After says when to come back).
//
// Every event has an id the learner's workbook made at random when the event
// happened, and the room counts an event once however often it arrives: a
// learner's workbook keeps events on disk until the room acknowledges them,
// and sends them again after a lost connection or a lost answer.

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CodeHeader carries the room code on a push.
const CodeHeader = "X-Room-Code"

// PushPath is the path learners push to, on the room's join address.
const PushPath = "/api/push"

// Push is one request of a learner's workbook: some of its events, oldest
// first.
type Push struct {
	// Learner is the learner's id, made at random when their workspace
	// joined: two learners with one name stay two.
	Learner string `json:"learner"`
	// Name is what the dashboard calls the learner.
	Name string `json:"name"`
	// Sent is the learner's clock when the push was sent. The room reads the
	// events' times against it, so that a laptop whose clock is off, or
	// events that waited on disk during a Wi-Fi drop, still land at the
	// right time on the room's clock.
	Sent   time.Time `json:"sent"`
	Events []Event   `json:"events"`
}

// The event types.
const (
	EventJoin    = "join"    // the learner joined; Progress says what they had done before
	EventOpen    = "open"    // the learner opened an exercise
	EventCheck   = "check"   // a check started
	EventVerdict = "verdict" // a check ended: Pass, and the failing phase's headline
	EventHint    = "hint"    // the learner was shown a hint; Hints counts them
	EventHand    = "hand"    // the learner raised a hand: Hand, with their code
	EventLeave   = "leave"   // the learner left the room
)

// Event is one thing a learner did. Which fields are set depends on Type.
// No event but a hand carries code.
type Event struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"` // the learner's clock (see Push.Sent)
	Type     string    `json:"type"`
	Exercise string    `json:"exercise,omitempty"`

	Pass   *bool  `json:"pass,omitempty"`   // verdict
	Reason string `json:"reason,omitempty"` // verdict: why the check stopped early (runner's reasons: canceled, environment, timeout…)
	Phase  string `json:"phase,omitempty"`  // verdict: the headline of the phase that failed (runner.Result.Message)
	Hints  int    `json:"hints,omitempty"`  // hint, verdict: hints shown so far on the exercise

	Progress map[string]Progress `json:"progress,omitempty"` // join
	Hand     *Hand               `json:"hand,omitempty"`     // hand
}

// Progress is what a learner had done on one exercise when they joined.
type Progress struct {
	Done   bool `json:"done"`
	Checks int  `json:"checks"`
	Hints  int  `json:"hints"`
}

// Hand is a raised hand: sent only when the learner asks for help, with the
// code of the exercise and what its last check said.
type Hand struct {
	Files    map[string]string `json:"files"`             // the exercise's editable files, as on the learner's disk
	Verdict  string            `json:"verdict,omitempty"` // the last check's headline ("" if it passed or never ran)
	Checked  bool              `json:"checked"`           // there was a check to report
	Findings []Finding         `json:"findings,omitempty"`
	Output   string            `json:"output,omitempty"` // the last check's output, shortened
}

// Finding is a line the last check pointed at.
type Finding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col,omitempty"`
	Message  string `json:"message"`
	Severity string `json:"severity,omitempty"` // error (default), warning, info
}

// Ack is the room's answer to a push, and all the room ever sends a learner.
type Ack struct {
	Accepted   int    `json:"accepted"`
	Duplicates int    `json:"duplicates"`      // events it had already
	Error      string `json:"error,omitempty"` // with a status other than 200: one sentence
}

// Limits on what a push may hold. A push over them is refused whole (400 or
// 413), so the learner's side keeps below them (roomclient).
const (
	MaxPushSize     = 1 << 20 // bytes of one request body
	MaxEvents       = 500     // events in one push
	MaxNameLen      = 64      // runes of a learner's name
	MaxPhaseLen     = 400     // runes of a phase headline
	MaxHandFiles    = 20
	MaxHandFileSize = 128 << 10
	MaxOutputLen    = 64 << 10
	MaxFindings     = 200
)

// Validate checks a push against the format and the limits, and cleans the
// text it shows (control characters out, lengths cut). known reports whether
// an exercise name is one of the room's: events about other exercises (a
// learner's newer workbook has more) are left out, not refused, so that
// they never hold up the rest of a learner's queue.
func (p *Push) Validate(known func(string) bool) error {
	if !validID(p.Learner) {
		return errors.New("the learner id is missing or not 8 to 64 letters and digits")
	}
	p.Name = CleanText(p.Name, MaxNameLen)
	if p.Name == "" {
		return errors.New("the learner has no name")
	}
	if len(p.Events) > MaxEvents {
		return fmt.Errorf("%d events in one push; at most %d", len(p.Events), MaxEvents)
	}
	kept := p.Events[:0]
	for i := range p.Events {
		e := p.Events[i]
		ok, err := e.validate(known)
		if err != nil {
			return fmt.Errorf("event %d: %w", i+1, err)
		}
		if ok {
			kept = append(kept, e)
		}
	}
	p.Events = kept
	return nil
}

// validate checks and cleans one event, and reports whether the room is to
// count it.
func (e *Event) validate(known func(string) bool) (bool, error) {
	if !validID(e.ID) {
		return false, errors.New("the id is missing or not 8 to 64 letters and digits")
	}
	switch e.Type {
	case EventJoin, EventLeave:
		if e.Exercise != "" && !known(e.Exercise) {
			e.Exercise = ""
		}
	case EventOpen, EventCheck, EventVerdict, EventHint, EventHand:
		if !known(e.Exercise) {
			return false, nil
		}
	default:
		return false, fmt.Errorf("unknown event type %q", shorten(e.Type))
	}
	if e.Type == EventVerdict && e.Pass == nil {
		return false, errors.New("a verdict without pass")
	}
	e.Hints = max(e.Hints, 0)
	e.Phase = CleanText(e.Phase, MaxPhaseLen)
	e.Reason = CleanText(e.Reason, 32)
	if len(e.Progress) > 0 && e.Type != EventJoin {
		return false, errors.New("only a join carries progress")
	}
	for name, pr := range e.Progress {
		if !known(name) || pr.Checks < 0 || pr.Hints < 0 {
			delete(e.Progress, name)
		}
	}
	if (e.Hand != nil) != (e.Type == EventHand) {
		return false, errors.New("only a hand carries code, and a hand needs it")
	}
	if h := e.Hand; h != nil {
		if len(h.Files) > MaxHandFiles {
			return false, fmt.Errorf("%d files in a hand; at most %d", len(h.Files), MaxHandFiles)
		}
		for name, text := range h.Files {
			if len(text) > MaxHandFileSize || CleanText(name, 200) != name || name == "" {
				return false, fmt.Errorf("the file %q of the hand is too large or badly named", shorten(name))
			}
			h.Files[name] = strings.ToValidUTF8(text, "\uFFFD")
		}
		if len(h.Output) > MaxOutputLen {
			h.Output = h.Output[:MaxOutputLen]
		}
		h.Output = strings.ToValidUTF8(h.Output, "\uFFFD")
		h.Verdict = CleanText(h.Verdict, MaxPhaseLen)
		if len(h.Findings) > MaxFindings {
			h.Findings = h.Findings[:MaxFindings]
		}
		for i := range h.Findings {
			f := &h.Findings[i]
			f.File = CleanText(f.File, 200)
			f.Message = CleanText(f.Message, 2000)
			switch f.Severity {
			case "", "error", "warning", "info":
			default:
				f.Severity = "error"
			}
		}
	}
	return true, nil
}

// validID reports whether s is an id: 8 to 64 ASCII letters and digits.
func validID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// CleanText makes text from a learner fit to show: valid UTF-8, no control
// characters (a newline or tab becomes a space), trimmed, at most max runes.
// It does not escape HTML: every page escapes what it shows.
func CleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			break
		}
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			r = ' '
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r):
			continue
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}

// shorten cuts a name in an error message.
func shorten(s string) string {
	s = CleanText(s, 40)
	if utf8.RuneCountInString(s) == 40 {
		s += "…"
	}
	return s
}
