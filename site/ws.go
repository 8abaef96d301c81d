package site

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/guard"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/runner"
	"github.com/gorilla/websocket"
)

// The websocket speaks the protocol of runner/protocol.go: the page sends
// runner.ClientMessage values, the server answers with runner.Event values.

var upgrader = websocket.Upgrader{
	// authed has checked the origin already; this repeats it so that the
	// upgrader can never be used without.
	CheckOrigin: func(r *http.Request) bool { return guard.SameOrigin(r, true) },
}

// writeWait bounds one write to the page: a page that stopped reading is cut
// off after it, which ends the connection and with it the run.
const writeWait = 10 * time.Second

// conn is one page's websocket, in the shape of x/tools' playground socket:
// a goroutine reads the page's messages, a goroutine writes events to it,
// and one loop (conn.loop) alone owns the current run — at most one per page
// (a check or a lesson program). A new run replaces the page's current one,
// and a check also replaces a check of the same exercise from another page
// (runner.Latest). Nothing here is locked: state has one owner.
type conn struct {
	s   *Server
	ws  *websocket.Conn
	out chan runner.Event // to the writer
}

// run is the page's current run.
type run struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when it is over, its processes gone
}

func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	ws.SetReadLimit(maxRequestSize)
	c := &conn{s: s, ws: ws, out: make(chan runner.Event, 256)}
	in := make(chan runner.ClientMessage)
	readErr := make(chan error, 1)
	writeErr := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go c.read(in, readErr, done)
	go c.write(writeErr)
	c.loop(in, readErr, writeErr)
}

// loop handles the page's messages until the page goes, the writer fails or
// the server stops; then it stops the run and waits until it is over.
func (c *conn) loop(in <-chan runner.ClientMessage, readErr, writeErr <-chan error) {
	var cur *run
	defer func() {
		if cur != nil {
			cur.cancel()
			<-cur.done
		}
		close(c.out) // the writer drains and ends
		c.ws.Close()
	}()
	for {
		select {
		case msg := <-in:
			switch msg.Type {
			case runner.MsgCheck:
				ex, err := c.s.cfg.Catalog.Lookup(msg.Exercise)
				if err != nil {
					c.error(err.Error() + ".")
					continue
				}
				if len(msg.Files) > 0 {
					if _, err := c.s.cfg.Workspace.Save(ex, msg.Files, msg.Base, maxFileSize); err != nil {
						c.send(runner.Event{Type: runner.TypeError, Exercise: ex.Name, Message: "Not saved, so not checked: " + err.Error()})
						continue
					}
				}
				cur = c.start(cur, func(ctx context.Context) { c.check(ctx, ex) })
			case runner.MsgRun:
				p, err := c.s.program(msg.Lesson, msg.Program)
				if err != nil {
					c.error(sentence(err))
					continue
				}
				name := fmt.Sprintf("lesson-%s-%d", msg.Lesson, msg.Program)
				cur = c.start(cur, func(ctx context.Context) { c.s.cfg.Runner.Run(ctx, p.Check(name), c) })
			case runner.MsgStop:
				if cur != nil {
					cur.cancel() // its run ends with a canceled verdict
				}
			case "":
				c.error("The message is not valid JSON, or has no type.")
			default:
				c.error(fmt.Sprintf("Unknown message type %q: send check, run or stop.", exercises.Shorten(msg.Type)))
			}
		case <-readErr:
			return // the page is gone
		case <-writeErr:
			return
		case <-c.s.ctx.Done():
			return
		}
	}
}

// start makes f the page's run. The previous run is canceled; the new one
// waits until the previous is over (its processes gone) before it starts, so
// the loop never blocks and events never interleave.
func (c *conn) start(prev *run, f func(ctx context.Context)) *run {
	ctx, cancel := context.WithCancel(c.s.ctx)
	r := &run{cancel: cancel, done: make(chan struct{})}
	if prev != nil {
		prev.cancel()
	}
	c.s.runs.Add(1)
	go func() {
		defer c.s.runs.Done()
		defer close(r.done)
		defer cancel()
		if prev != nil {
			<-prev.done
		}
		if ctx.Err() == nil {
			f(ctx)
		}
	}()
	return r
}

// read decodes the page's messages until the connection fails or the loop
// is done. A message that is not JSON is passed on with no type, for the
// loop to answer.
func (c *conn) read(in chan<- runner.ClientMessage, errc chan<- error, done <-chan struct{}) {
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			errc <- err
			return
		}
		var msg runner.ClientMessage
		if json.Unmarshal(data, &msg) != nil {
			msg = runner.ClientMessage{}
		}
		select {
		case in <- msg:
		case <-done:
			return
		}
	}
}

// write sends events to the page until out is closed.
func (c *conn) write(errc chan<- error) {
	var failed bool
	for e := range c.out {
		if failed {
			continue // drain, so that senders never block
		}
		data, err := json.Marshal(e)
		if err != nil {
			continue
		}
		_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
		if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
			failed = true
			errc <- err
		}
	}
}

// send queues an event for the page. It is called by the loop and by the
// run's goroutine, never after the loop closed out (the loop waits for the
// run first).
func (c *conn) send(e runner.Event) { c.out <- e }

func (c *conn) error(msg string) { c.send(runner.Event{Type: runner.TypeError, Message: msg}) }

// Emit sends a run's event to the page: conn is the runs' runner.Sink.
func (c *conn) Emit(e runner.Event) { c.send(e) }

func (c *conn) check(ctx context.Context, ex *exercises.Exercise) {
	c.s.latest.Run(ctx, ex.Name, func(ctx context.Context) {
		// The verdict waits until the result is recorded, so that a page
		// that sees a pass and goes home sees it counted there.
		var verdict *runner.Event
		_, err := c.s.check(ctx, ex, runner.SinkFunc(func(e runner.Event) {
			if e.Type == runner.TypeVerdict {
				verdict = &e
				return
			}
			c.send(e)
		}))
		if err != nil {
			c.send(runner.Event{Type: runner.TypeError, Exercise: ex.Name, Message: err.Error()})
		}
		if verdict != nil {
			c.send(*verdict)
		}
	})
}

// program finds a lesson program by topic and index.
func (s *Server) program(topic string, i int) (*lessons.Program, error) {
	j := slices.IndexFunc(s.cfg.Lessons, func(l *lessons.Lesson) bool { return l.Topic == topic })
	if j < 0 {
		return nil, fmt.Errorf("there is no lesson %q", exercises.Shorten(topic))
	}
	l := s.cfg.Lessons[j]
	if i < 0 || i >= len(l.Programs) {
		return nil, fmt.Errorf("the lesson %q has no program %d", topic, i)
	}
	return l.Programs[i], nil
}

// sentence makes an error message a sentence for the page.
func sentence(err error) string {
	msg := err.Error()
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}
