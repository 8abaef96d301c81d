package site

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/lessons"
	"github.com/go-blindspots/workbook/runner"
	"github.com/gorilla/websocket"
)

// TypeError is the event the server sends when it cannot do what a message
// asks, with a sentence in Message. Every other event is a runner.Event.
const TypeError = "error"

// clientMessage is what a page sends over the websocket.
type clientMessage struct {
	Type     string            `json:"type"` // check, stop, run
	Exercise string            `json:"exercise,omitempty"`
	Files    map[string]string `json:"files,omitempty"`   // check: saved first
	Base     map[string]string `json:"base,omitempty"`    // check: see saveRequest
	Lesson   string            `json:"lesson,omitempty"`  // run: the lesson's topic
	Program  int               `json:"program,omitempty"` // run: the program's index in the lesson
}

var upgrader = websocket.Upgrader{
	// authed has checked the origin already; this repeats it so that the
	// upgrader can never be used without.
	CheckOrigin: func(r *http.Request) bool { return sameOrigin(r, true) },
}

// conn is one page's websocket. At most one run (a check or a lesson program)
// goes on per connection; a new one replaces it, and so does a check of the
// same exercise from another page.
type conn struct {
	s  *Server
	ws *websocket.Conn

	writeMu sync.Mutex

	mu     sync.Mutex
	cancel context.CancelFunc // of the current run
	done   chan struct{}      // closed when the current run is over
}

func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	ws.SetReadLimit(maxRequestSize)
	c := &conn{s: s, ws: ws}
	defer func() {
		// The tab is gone (or the server is stopping): so is its run.
		c.stop()
		ws.Close()
	}()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var msg clientMessage
		if err := json.Unmarshal(data, &msg); err != nil {
			c.send(runner.Event{Type: TypeError, Message: "The message is not valid JSON."})
			continue
		}
		switch msg.Type {
		case "check":
			ex, err := s.cfg.Catalog.Lookup(msg.Exercise)
			if err != nil {
				c.send(runner.Event{Type: TypeError, Message: err.Error() + "."})
				continue
			}
			if len(msg.Files) > 0 {
				if _, err := s.save(ex, msg.Files, msg.Base); err != nil {
					c.send(runner.Event{Type: TypeError, Exercise: ex.Name, Message: "Not saved, so not checked: " + err.Error()})
					continue
				}
			}
			c.start(func(ctx context.Context) { c.check(ctx, ex) })
		case "run":
			p, err := s.program(msg.Lesson, msg.Program)
			if err != nil {
				c.send(runner.Event{Type: TypeError, Message: err.Error()})
				continue
			}
			c.start(func(ctx context.Context) {
				s.cfg.Run(ctx, runner.Check{Name: fmt.Sprintf("lesson-%s-%d", msg.Lesson, msg.Program), Script: p.Script(), Files: p.Files}, c)
			})
		case "stop":
			c.stop()
		default:
			c.send(runner.Event{Type: TypeError, Message: fmt.Sprintf("Unknown message type %q: send check, stop or run.", msg.Type)})
		}
	}
}

// program finds a lesson program by topic and index.
func (s *Server) program(topic string, i int) (*lessons.Program, error) {
	j := slices.IndexFunc(s.cfg.Lessons, func(l *lessons.Lesson) bool { return l.Topic == topic })
	if j < 0 {
		return nil, fmt.Errorf("There is no lesson %q.", topic)
	}
	l := s.cfg.Lessons[j]
	if i < 0 || i >= len(l.Programs) {
		return nil, fmt.Errorf("The lesson %q has no program %d.", topic, i)
	}
	return l.Programs[i], nil
}

func (c *conn) check(ctx context.Context, ex *exercises.Exercise) {
	c.s.latest.Run(ctx, ex.Name, func(ctx context.Context) {
		// The verdict waits until the result is recorded, so that a page
		// that sees a pass and goes home sees it counted there.
		var verdict *runner.Event
		_, err := c.s.cfg.Check(ctx, ex, runner.SinkFunc(func(e runner.Event) {
			if e.Type == runner.TypeVerdict {
				verdict = &e
				return
			}
			c.send(e)
		}))
		if err != nil {
			c.send(runner.Event{Type: TypeError, Exercise: ex.Name, Message: err.Error()})
		}
		if verdict != nil {
			c.send(*verdict)
		}
	})
}

// start stops the current run and starts f as the new one.
func (c *conn) start(f func(ctx context.Context)) {
	c.stop()
	ctx, cancel := context.WithCancel(c.s.ctx)
	done := make(chan struct{})
	c.mu.Lock()
	c.cancel, c.done = cancel, done
	c.mu.Unlock()
	c.s.runs.Add(1)
	go func() {
		defer c.s.runs.Done()
		defer close(done)
		defer cancel()
		f(ctx)
	}()
}

// stop cancels the current run, if any, and waits until it is over: its
// processes killed and its work dir removed.
func (c *conn) stop() {
	c.mu.Lock()
	cancel, done := c.cancel, c.done
	c.cancel, c.done = nil, nil
	c.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Emit sends a run's event to the page: conn is the runs' runner.Sink.
func (c *conn) Emit(e runner.Event) { c.send(e) }

// send writes one event. A page that stopped reading is cut off after a while,
// which ends the connection and with it the run.
func (c *conn) send(e runner.Event) {
	data, err := json.Marshal(e)
	if err != nil {
		return
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
		c.ws.Close() // the read loop sees it and stops the run
	}
}
