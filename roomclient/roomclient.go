// Package roomclient is the learner's side of a workshop room (package
// room): it records that a workspace joined a room, keeps the learner's
// events in a queue on disk, and pushes them to the room over HTTP. It only
// ever connects out: nothing listens on the learner's laptop.
//
// Its state is files under the workspace's .workbook/room/, so that every
// workbook process on one workspace shares it (a browser tab's server, a
// watch, a terminal check, each a process of its own):
//
//	join.json          the room joined: URL, code, the learner's name and id
//	queue/*.json       events not yet acknowledged by the room, one a file,
//	                   named by time, each written atomically
//	last/NAME.json     what the last check of an exercise found, for a
//	                   raised hand (never sent otherwise)
//	send.lock          held by the process that is sending
//	away               there when the room did not answer the last attempt
//
// An event is queued when it happens (Client.Report, the workspace's
// Reporter) and sent soon after by a goroutine of the process that queued
// it; whatever a short-lived command could not send in its last moments
// (Close) stays queued for the next command, serve or watch to send. A Wi-Fi
// drop loses nothing: the queue waits, and is sent when the room answers
// again. An event is deleted only once the room has acknowledged it, and the
// room counts each event once by its id, so sending one twice is harmless.
package roomclient

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/workspace"
)

// Link is a workspace's join of a room: join.json.
type Link struct {
	URL     string    `json:"url"`
	Code    string    `json:"code"`
	Name    string    `json:"name"`
	Learner string    `json:"learner"` // made at random when joining
	Joined  time.Time `json:"joined"`
}

// Client is a workspace's link to a room. It keeps nothing in memory but its
// sending goroutine: all its state is on disk, under Dir.
type Client struct {
	dir string
	// HTTP sends the pushes; nil: a client with a 10-second timeout.
	HTTP *http.Client

	mu      sync.Mutex
	want    int           // events queued by this process
	tried   int           // of which a finished send attempt covered
	settled chan struct{} // closed (and replaced) whenever tried moves
	lastErr error         // of the last send attempt
	kick    chan struct{} // cap 1: something to send
	cancel  context.CancelFunc
	done    chan struct{} // closed when the sender has stopped; nil before it starts
}

// New returns the client whose state is in dir.
func New(dir string) *Client {
	return &Client{dir: dir, settled: make(chan struct{}), kick: make(chan struct{}, 1)}
}

// ForWorkspace returns the client of a workspace: its state is in
// .workbook/room/.
func ForWorkspace(ws *workspace.Workspace) *Client {
	return New(filepath.Join(ws.Root, workspace.StateDir, "room"))
}

// Errors a caller tells apart.
var (
	// ErrNotJoined: the workspace is in no room.
	ErrNotJoined = errors.New("this workspace has not joined a room: run `workbook join URL CODE` with the line the lead shows")
	// ErrRefused: the room refused the code.
	ErrRefused = errors.New("the room refused the code")
)

// UnreachableError is a room that did not answer, or answered with an error
// the client retries later.
type UnreachableError struct{ Err error }

func (e *UnreachableError) Error() string { return "the room did not answer: " + e.Err.Error() }
func (e *UnreachableError) Unwrap() error { return e.Err }

// Link returns the room the workspace joined, or nil when it has joined
// none.
func (c *Client) Link() (*Link, error) {
	data, err := os.ReadFile(filepath.Join(c.dir, "join.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the room link: %w", err)
	}
	var l Link
	if err := json.Unmarshal(data, &l); err != nil || l.URL == "" || l.Learner == "" {
		return nil, fmt.Errorf("read the room link %s: the file is damaged; run `workbook leave`, then join again", filepath.Join(c.dir, "join.json"))
	}
	return &l, nil
}

// ParseURL checks a room's URL as the lead's join line gives it, e.g.
// http://192.168.1.20:8322, and returns it without a trailing slash.
func ParseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not a room URL like http://192.168.1.20:8322 (copy it from the lead's join line)", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String(), nil
}

// Join joins the room at rawURL with its code under the learner's name:
// it records the link and tells the room, with what the learner has done
// so far (progress, by exercise). A room that refuses the code is an error
// (ErrRefused) and nothing is recorded; a room that does not answer is an
// UnreachableError, and the workspace is joined all the same: the room hears
// of it when it answers.
func (c *Client) Join(ctx context.Context, rawURL, code, name string, progress map[string]room.Progress) (*Link, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	name = room.CleanText(name, room.MaxNameLen)
	switch {
	case name == "":
		return nil, errors.New("give a name for the lead's dashboard: --name NAME")
	case room.NormalizeCode(code) == "":
		return nil, errors.New("the room code is missing")
	}
	l := &Link{URL: u, Code: code, Name: name, Learner: newID(), Joined: time.Now().UTC()}
	if old, err := c.Link(); err == nil && old != nil && old.URL == u {
		l.Learner = old.Learner // joining the same room again, perhaps under a new name
	} else if old != nil {
		// Another room: what was queued for the old one goes with it.
		_ = os.RemoveAll(filepath.Join(c.dir, "queue"))
	}
	if err := os.MkdirAll(filepath.Join(c.dir, "queue"), 0o777); err != nil {
		return nil, fmt.Errorf("join: %w", err)
	}
	data, _ := json.MarshalIndent(l, "", "  ")
	if err := workspace.WriteFileAtomic(filepath.Join(c.dir, "join.json"), append(data, '\n')); err != nil {
		return nil, fmt.Errorf("join: %w", err)
	}
	if err := c.enqueue(room.Event{Type: room.EventJoin, Progress: progress}); err != nil {
		return nil, err
	}
	err = c.Send(ctx)
	if errors.Is(err, ErrRefused) {
		_ = os.RemoveAll(c.dir)
		return nil, err
	}
	return l, err
}

// ProgressOf is what a learner has done, by exercise, for Join: what the
// room learns of the time before they joined.
func ProgressOf(cat *exercises.Catalog, p *workspace.Progress) map[string]room.Progress {
	progress := make(map[string]room.Progress)
	for _, ex := range cat.List {
		if st := p.Exercises[ex.Name]; st != nil {
			progress[ex.Name] = room.Progress{Done: p.Done(ex.Name), Checks: st.Checks, Hints: len(p.Hints(ex))}
		}
	}
	return progress
}

// Leave tells the room the learner left, sending what is queued first, and
// forgets the room: its link, queue and check records. It waits for the
// room at most as long as ctx allows; what it could not send is dropped.
func (c *Client) Leave(ctx context.Context) error {
	l, err := c.Link()
	if err != nil {
		return err
	}
	if l == nil {
		return ErrNotJoined
	}
	var sendErr error
	if err := c.enqueue(room.Event{Type: room.EventLeave}); err == nil {
		sendErr = c.Send(ctx)
	}
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("leave: %w", err)
	}
	return sendErr
}

// Queued returns how many events wait to be sent.
func (c *Client) Queued() int {
	names, _ := c.queued()
	return len(names)
}

// newID returns a random id: 32 hex digits.
func newID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// postJSON posts v to url with the room code; it returns the status and
// the room's answer.
func (c *Client) postJSON(ctx context.Context, url, code string, v any) (int, room.Ack, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return 0, room.Ack{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, room.Ack{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(room.CodeHeader, code)
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, room.Ack{}, err
	}
	defer resp.Body.Close()
	var ack room.Ack
	_ = json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 64<<10)).Decode(&ack)
	return resp.StatusCode, ack, nil
}

// defaultHTTP sends pushes unless Client.HTTP says otherwise.
var defaultHTTP = &http.Client{Timeout: 10 * time.Second}
