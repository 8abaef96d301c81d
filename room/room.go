// Package room is the workshop room of `workbook room`: a server on the
// lead's laptop that learners' workbooks push their progress to, and a live
// dashboard of it for the lead. It runs no learner code.
//
// It has two faces, each an http.Handler of its own, served on listeners of
// their own:
//
//   - Join (join.go) is what learners' workbooks push to, on the address the
//     lead chooses (the LAN). It accepts pushes that carry the room code
//     (compared in constant time), from workbooks, not browser pages, within
//     a body size and a request rate per address, and answers with an
//     acknowledgement and nothing else. The wire format is protocol.go.
//   - Dashboard (dashboard.go) is the lead's page, on loopback only, guarded
//     like the site of `workbook serve` (package guard): its own token,
//     loopback Host names, same-origin websockets and posts. It shows
//     learners × exercises live over a websocket (hub.go), stuck learners, the
//     most common failing phase of each exercise, raised hands with their
//     code read-only, and exports CSV, JSON and a printable summary
//     (export.go).
//
// What the room knows (state.go) is built from the learners' events alone,
// each counted once by its id, so that a workbook may send an event again
// after a lost answer.
package room

import (
	"context"
	"crypto/rand"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/guard"
)

// Config is what a room needs.
type Config struct {
	// Code is the room code learners join with (NewCode).
	Code string
	// Token guards the dashboard (guard.NewToken).
	Token string
	// Exercises are the exercises the room follows, in curriculum order.
	Exercises []Exercise
	// Stuck says when a learner counts as stuck; zero values take
	// DefaultStuck's.
	Stuck Stuck
	// JoinURL is where learners join, to show on the dashboard.
	JoinURL string
	// Editor is the code editor's script bundle (the site's, which defines
	// WorkbookEditor): the dashboard shows raised hands' code in it.
	Editor []byte
	// Hosts are more Host names (loopback IP literals) the dashboard
	// answers to, when it listens on one other than 127.0.0.1 or ::1.
	Hosts []string
	// Rate and Burst bound the pushes from one address: Rate a second on
	// average, Burst at once. Zero: DefaultRate and DefaultBurst.
	Rate  float64
	Burst int

	// now stands in for time.Now in tests.
	now func() time.Time
}

// DefaultStuck is the stuck rule unless the lead sets another: ten minutes
// on one exercise, or five failing checks of it.
var DefaultStuck = Stuck{After: 10 * time.Minute, Checks: 5}

// The default bounds on pushes from one address: a learner's workbook sends
// a push per check or hint, and one after a Wi-Fi drop; a classroom behind
// one NAT address is still well within them.
const (
	DefaultRate  = 20
	DefaultBurst = 100
)

// Server is a room. Its zero value is not usable; call New.
type Server struct {
	cfg   Config
	state *state
	limit *limiter
	hub   *hub
	tmpl  *template.Template
	join  http.Handler
	dash  http.Handler

	keys guard.Keys // the dashboard's token, and its page cookie's key

	ctx    context.Context
	cancel context.CancelFunc
}

// New returns a room for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Code == "" || cfg.Token == "" {
		return nil, fmt.Errorf("room: no code or no token")
	}
	if cfg.Stuck.After == 0 {
		cfg.Stuck.After = DefaultStuck.After
	}
	if cfg.Stuck.Checks == 0 {
		cfg.Stuck.Checks = DefaultStuck.Checks
	}
	if cfg.Rate == 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Burst == 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	s := &Server{cfg: cfg, state: newState(cfg.Exercises, cfg.Stuck), limit: newLimiter(cfg.Rate, cfg.Burst), keys: guard.NewKeys(cfg.Token, TokenHeader, "workbook_room_")}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.hub = newHub(s.snapshotJSON, cfg.now)
	go s.hub.run(s.ctx)
	s.join = s.joinRoutes()
	s.dash = s.dashboardRoutes()
	return s, nil
}

// Join is the handler learners' workbooks push to.
func (s *Server) Join() http.Handler { return s.join }

// Dashboard is the lead's dashboard.
func (s *Server) Dashboard() http.Handler { return s.dash }

// Token returns the dashboard's token, for the URL to print.
func (s *Server) Token() string { return s.cfg.Token }

// Snapshot returns the room as the dashboard shows it now.
func (s *Server) Snapshot() Snapshot { return s.state.snapshot(s.cfg.now(), true) }

// Close stops the dashboard's live updates; every websocket ends.
func (s *Server) Close() { s.cancel() }

// codeAlphabet has no letters or digits that read alike (0 O, 1 I L, 5 S, 2 Z, 8 B).
const codeAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// NewCode returns a random room code, like "KXTM-4QRA": eight characters
// that are easy to read aloud and to type (25^8, about 1.5e11, codes).
func NewCode() string {
	b := make([]byte, 0, 8)
	var one [1]byte
	for len(b) < 8 {
		if _, err := rand.Read(one[:]); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		// 250 is the largest multiple of 25 below 256: every character
		// equally likely.
		if one[0] < 250 {
			b = append(b, codeAlphabet[int(one[0])%len(codeAlphabet)])
		}
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// NormalizeCode is a code as a person may type it, made comparable: upper
// case, without the dash or spaces.
func NormalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// codeOK reports whether code is the room's, in constant time.
func (s *Server) codeOK(code string) bool {
	return guard.Equal(NormalizeCode(code), NormalizeCode(s.cfg.Code))
}
