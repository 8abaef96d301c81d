package roomclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// Report queues the learner's activity for the room, when the workspace has
// joined one: Client is the workspace's Reporter. It writes to disk and
// returns; the sending goroutine pushes. What a check found is kept on
// disk for a raised hand, never sent with the verdict.
func (c *Client) Report(a workspace.Activity) {
	if l, err := c.Link(); err != nil || l == nil {
		return
	}
	e := room.Event{At: a.At, Exercise: a.Exercise, Hints: a.Hints}
	switch a.Kind {
	case workspace.ActivityOpened:
		e.Type = room.EventOpen
	case workspace.ActivityCheckStarted:
		e.Type = room.EventCheck
	case workspace.ActivityHint:
		e.Type = room.EventHint
	case workspace.ActivityChecked:
		e.Type = room.EventVerdict
		pass := a.Result.Pass
		e.Pass, e.Reason = &pass, a.Result.Reason
		if !pass {
			e.Phase = a.Result.Message
		}
		if a.Result.Reason != runner.ReasonCanceled {
			_ = c.keepCheck(a)
		}
	default:
		return
	}
	// The learner's command goes on whatever happens here: a room is a
	// nicety, not part of their work.
	_ = c.enqueue(e)
}

// checkRecord is last/NAME.json: what the last check of an exercise said.
type checkRecord struct {
	Pass     bool           `json:"pass"`
	Verdict  string         `json:"verdict,omitempty"`
	Findings []room.Finding `json:"findings,omitempty"`
	Output   string         `json:"output,omitempty"`
}

// keepCheck writes the check's record for a raised hand.
func (c *Client) keepCheck(a workspace.Activity) error {
	rec := checkRecord{Pass: a.Result.Pass, Findings: findings(a.Findings), Output: a.Output}
	if !a.Result.Pass {
		rec.Verdict = a.Result.Message
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	dir := filepath.Join(c.dir, "last")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, a.Exercise+".json"), data)
}

// lastCheck reads the record of the exercise's last check; nil if there is
// none.
func (c *Client) lastCheck(name string) (*checkRecord, error) {
	data, err := os.ReadFile(filepath.Join(c.dir, "last", name+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec checkRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("read the last check of %s: %w", name, err)
	}
	return &rec, nil
}

// findings turns a check's failure and diagnostic events into the lines a
// raised hand marks, as the site's editor marks them: escape findings that
// say a value stays on the stack are news, not problems, and are left out.
func findings(events []runner.Event) []room.Finding {
	var out []room.Finding
	for _, e := range events {
		switch e.Type {
		case runner.TypeFailure:
			// A failure that refers to a diagnostic (Ref) repeats it.
			if e.File != "" && e.Line > 0 && e.Ref == 0 {
				out = append(out, room.Finding{File: e.File, Line: e.Line, Col: e.Col, Message: e.Message})
			}
		case runner.TypeDiagnostic:
			d := e.Diagnostic
			if d == nil || e.File == "" || e.Line == 0 || d.Kind == diagnostics.Escape && !d.Escapes {
				continue
			}
			sev := "error"
			if d.Kind == diagnostics.Escape {
				sev = "warning"
			}
			out = append(out, room.Finding{File: e.File, Line: e.Line, Col: e.Col, Message: d.Message, Severity: sev})
		}
	}
	if len(out) > room.MaxFindings {
		out = out[:room.MaxFindings]
	}
	return out
}
