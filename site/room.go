package site

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-blindspots/workbook/roomclient"
)

// A workshop room from the browser: the home page's Join box and the
// exercise page's Raise hand do what `workbook join` and `workbook help-me`
// do, through the same roomclient calls.

// roomWait bounds how long a request waits for the room.
const roomWait = 10 * time.Second

// roomLink is what the pages show of the room the workspace joined.
type roomLink struct {
	Available bool   // the server has a room client
	URL, Name string // set when joined
}

// roomLink returns the room the workspace joined, if any.
func (s *Server) roomLink() roomLink {
	if s.cfg.Room == nil {
		return roomLink{}
	}
	rl := roomLink{Available: true}
	if l, err := s.cfg.Room.Link(); err == nil && l != nil {
		rl.URL, rl.Name = l.URL, l.Name
	}
	return rl
}

// apiRoomJoin joins a room: {"url","code","name"}.
func (s *Server) apiRoomJoin(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Room == nil {
		jsonError(w, http.StatusNotFound, "This server has no workshop room link.")
		return
	}
	var req struct {
		URL  string `json:"url"`
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := readJSON(r, &req); err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	p, err := s.cfg.Workspace.Progress()
	if err != nil {
		jsonError(w, http.StatusInternalServerError, err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), roomWait)
	defer cancel()
	l, err := s.cfg.Room.Join(ctx, req.URL, req.Code, req.Name, roomclient.ProgressOf(s.cfg.Catalog, p))
	var unreachable *roomclient.UnreachableError
	switch {
	case errors.As(err, &unreachable):
		writeJSON(w, http.StatusOK, map[string]any{"url": l.URL, "name": l.Name, "queued": true,
			"message": "Joined, but the room does not answer now: what you do is sent when it does."})
	case errors.Is(err, roomclient.ErrRefused):
		jsonError(w, http.StatusForbidden, "The room refused the code: check the join line the lead shows.")
	case err != nil:
		jsonError(w, http.StatusBadRequest, err.Error())
	default:
		writeJSON(w, http.StatusOK, map[string]any{"url": l.URL, "name": l.Name,
			"message": "Joined: the lead's dashboard follows your progress (never your code, unless you raise a hand)."})
	}
}

// apiRoomHand raises a hand for an exercise: {"exercise"}.
func (s *Server) apiRoomHand(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Room == nil {
		jsonError(w, http.StatusNotFound, "This server has no workshop room link.")
		return
	}
	ex := s.exerciseOf(w, r)
	if ex == nil {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), roomWait)
	defer cancel()
	err := s.cfg.Room.RaiseHand(ctx, s.cfg.Workspace, ex)
	var unreachable *roomclient.UnreachableError
	switch {
	case errors.Is(err, roomclient.ErrNotJoined):
		jsonError(w, http.StatusConflict, "Join the workshop room first (the Join box on the home page).")
	case errors.As(err, &unreachable):
		writeJSON(w, http.StatusOK, map[string]any{"queued": true, "message": "The room does not answer now: your hand goes up as soon as it does."})
	case err != nil:
		jsonError(w, http.StatusInternalServerError, err.Error())
	default:
		writeJSON(w, http.StatusOK, map[string]any{"message": "Hand raised: the lead sees your code and the last check, and comes over."})
	}
}
