package workspace

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestLearnerRules: the rules every front end asks — which exercise is
// current, what the next one is, each one's state, the hints, the
// solution's gate — in one table of progress states.
func TestLearnerRules(t *testing.T) {
	cat := catalog(t, "races-a", "races-b", "races-c")
	now := time.Now()
	tests := []struct {
		name       string
		progress   Progress
		resume     string // "" for none
		after      map[string]string
		states     []string
		solutionOf map[string]bool
	}{
		{name: "new", progress: Progress{}, resume: "races-a",
			after:  map[string]string{"races-a": "races-b", "races-c": "races-a"},
			states: []string{StatePending, StatePending, StatePending}},
		{name: "current not done", progress: Progress{Current: "races-b", Exercises: map[string]*Status{
			"races-b": {Checks: 2, LastCheck: now},
		}}, resume: "races-b", states: []string{StatePending, StateFailing, StatePending}},
		{name: "current done moves on", progress: Progress{Current: "races-a", Exercises: map[string]*Status{
			"races-a": {Done: true, PassedAt: now, Checks: 1, LastCheck: now},
		}}, resume: "races-b", after: map[string]string{"races-c": "races-b"},
			states: []string{StateDone, StatePending, StatePending}, solutionOf: map[string]bool{"races-a": true}},
		{name: "reset after a pass", progress: Progress{Exercises: map[string]*Status{
			"races-a": {Done: false, PassedAt: now.Add(-time.Hour), Checks: 3, LastCheck: now.Add(-time.Hour), ResetAt: now, Resets: 1},
		}}, resume: "races-a", states: []string{StatePending, StatePending, StatePending},
			solutionOf: map[string]bool{"races-a": true, "races-b": false}},
		{name: "all done", progress: Progress{Exercises: map[string]*Status{
			"races-a": {Done: true}, "races-b": {Done: true}, "races-c": {Done: true},
		}}, resume: "", states: []string{StateDone, StateDone, StateDone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &tt.progress
			got := ""
			if ex := p.Resume(cat); ex != nil {
				got = ex.Name
			}
			if got != tt.resume {
				t.Errorf("Resume = %q, want %q", got, tt.resume)
			}
			for from, want := range tt.after {
				ex, _ := cat.Lookup(from)
				if next := p.NextAfter(cat, ex); next == nil || next.Name != want {
					t.Errorf("NextAfter(%s) = %v, want %s", from, next, want)
				}
			}
			var states []string
			for _, ex := range []string{"races-a", "races-b", "races-c"} {
				states = append(states, p.State(ex))
			}
			if !slices.Equal(states, tt.states) {
				t.Errorf("states = %q, want %q", states, tt.states)
			}
			for name, open := range tt.solutionOf {
				ex, _ := cat.Lookup(name)
				files, err := p.Solution(ex)
				if open != (err == nil) || !open && !errors.Is(err, ErrSolutionLocked) {
					t.Errorf("Solution(%s): %v, want open=%v", name, err, open)
				}
				if open && string(files["app.go"]) != "package app // fixed\n" {
					t.Errorf("Solution(%s) files: %q", name, files)
				}
			}
		})
	}
}

// TestRevealHint shows one more hint each time, never past the last.
func TestRevealHint(t *testing.T) {
	cat := catalog(t, "races-a")
	ex, _ := cat.Lookup("races-a")
	ws, err := Create(filepath.Join(t.TempDir(), "ws"), cat)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]string{{"a"}, {"a", "b"}, {"a", "b"}} {
		got, err := ws.RevealHint(ex)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("RevealHint #%d = %q, %v; want %q", i+1, got, err, want)
		}
	}
	p, _ := ws.Progress()
	if sum := p.Summary(cat); sum.Hints != 2 || sum.Total != 1 || sum.Done != 0 {
		t.Errorf("Summary = %+v", sum)
	}
}
