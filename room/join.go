package room

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// The join side: what learners' workbooks reach over the LAN. It takes
// pushes and answers with acknowledgements; it never sends a learner
// anything else, and serves nothing but a line saying what it is.

func (s *Server) joinRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PushPath, s.push)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fmt.Fprintln(w, "This is a Go Blind Spots workshop room. Join it from your workspace: workbook join URL CODE (the lead has the code).")
	})
	return mux
}

func ackError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, Ack{Error: msg})
}

// push takes a learner's events.
func (s *Server) push(w http.ResponseWriter, r *http.Request) {
	addr := remoteAddr(r)
	now := s.cfg.now()
	switch {
	case !s.limit.allow(addr, 1, now):
		w.Header().Set("Retry-After", "2")
		ackError(w, http.StatusTooManyRequests, "Too many requests from this address; the workbook tries again later by itself.")
		return
	case r.Header.Get("Origin") != "":
		// Workbooks send no Origin; a browser page does, and has no
		// business here, whatever it knows.
		ackError(w, http.StatusForbidden, "Pushes come from a learner's workbook, not from web pages.")
		return
	case !s.codeOK(r.Header.Get(CodeHeader)):
		s.limit.charge(addr, wrongCodeCost)
		ackError(w, http.StatusForbidden, "Wrong room code: check it with the lead, then run `workbook join URL CODE` again.")
		return
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		ackError(w, http.StatusUnsupportedMediaType, "Send JSON (Content-Type: application/json).")
		return
	}
	var p Push
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxPushSize)).Decode(&p); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			ackError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The push is larger than %d KiB.", MaxPushSize>>10))
			return
		}
		ackError(w, http.StatusBadRequest, "The push is not valid JSON: "+err.Error())
		return
	}
	if err := p.Validate(s.state.known); err != nil {
		ackError(w, http.StatusBadRequest, "The push is not valid: "+err.Error()+".")
		return
	}
	accepted, dups := s.state.apply(&p, now)
	if accepted > 0 {
		s.hub.changed()
	}
	writeJSON(w, http.StatusOK, Ack{Accepted: accepted, Duplicates: dups})
}

// remoteAddr is the address a request came from, without its port.
func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
