package roomclient

import (
	"context"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/workspace"
)

// maxHandBytes bounds the code a hand carries, so that a hand always fits
// in one push.
const maxHandBytes = 512 << 10

// RaiseHand sends the room the learner's code of ex (its editable files, as
// on disk) and what its last check found, so that the lead can come and
// help. It is the only way code ever leaves the learner's laptop, and only
// when the learner asks. The hand is queued like every event: a room that
// does not answer now gets it when it does (an UnreachableError says so).
func (c *Client) RaiseHand(ctx context.Context, ws *workspace.Workspace, ex *exercises.Exercise) error {
	l, err := c.Link()
	if err != nil {
		return err
	}
	if l == nil {
		return ErrNotJoined
	}
	disk, err := ws.ReadFiles(ex, ex.EditableNames())
	if err != nil {
		return err
	}
	hand := &room.Hand{Files: make(map[string]string)}
	size := 0
	for _, name := range ex.EditableNames() {
		data, ok := disk[name]
		if !ok || len(data) > room.MaxHandFileSize || size+len(data) > maxHandBytes || len(hand.Files) == room.MaxHandFiles {
			continue
		}
		size += len(data)
		hand.Files[name] = string(data)
	}
	rec, err := c.lastCheck(ex.Name)
	if err != nil {
		return err
	}
	if rec != nil {
		hand.Checked, hand.Verdict, hand.Findings, hand.Output = true, rec.Verdict, rec.Findings, rec.Output
	}
	if err := c.enqueue(room.Event{Type: room.EventHand, Exercise: ex.Name, Hand: hand}); err != nil {
		return err
	}
	return c.Send(ctx)
}
