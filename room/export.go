package room

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The end of a workshop: the room as CSV (one row per learner and exercise
// started, for a spreadsheet), as JSON (the dashboard's snapshot, hands
// without their code, and the per-learner summary), and as a printable page.

// Report is the room summed up per learner: the JSON export and the
// printable summary page.
type Report struct {
	Generated time.Time     `json:"generated"`
	Learners  []LearnerSum  `json:"learners"` // by name
	Room      Snapshot      `json:"room"`     // hands without their code
	Exercises []ExerciseSum `json:"-"`        // for the page
}

// LearnerSum is one learner's workshop.
type LearnerSum struct {
	Name   string   `json:"name"`
	ID     string   `json:"id"`
	Passed []string `json:"passed"` // exercise names, in curriculum order
	TimeS  int64    `json:"time_s"`
	Hints  int      `json:"hints"`
	Checks int      `json:"checks"`
}

// ExerciseSum is one exercise across the room, for the page.
type ExerciseSum struct {
	ExerciseView
	Summary string // "9 of 14 are failing: …"
}

// report sums up the room now.
func (s *Server) report() Report {
	snap := s.state.snapshot(s.cfg.now(), false)
	rep := Report{Generated: snap.Generated, Room: snap, Learners: []LearnerSum{}}
	for _, l := range snap.Learners {
		sum := LearnerSum{Name: l.Name, ID: l.ID, Passed: []string{}, TimeS: l.TimeS, Hints: l.Hints, Checks: l.Checks}
		for _, ex := range s.cfg.Exercises {
			if st, ok := l.Exercises[ex.Name]; ok && st.Status == StatusPassed {
				sum.Passed = append(sum.Passed, ex.Name)
			}
		}
		rep.Learners = append(rep.Learners, sum)
	}
	for _, ev := range snap.Exercises {
		rep.Exercises = append(rep.Exercises, ExerciseSum{ExerciseView: ev, Summary: ev.PhaseSummary()})
	}
	return rep
}

// PhaseSummary says what the learners failing the exercise fail at most:
// "9 of 14 are failing: Readers must never see a half-applied config"; ""
// when nobody fails it.
func (ev ExerciseView) PhaseSummary() string {
	if ev.PhaseCount == 0 {
		return ""
	}
	verb := "are"
	if ev.PhaseCount == 1 {
		verb = "is"
	}
	phase := ev.Phase
	if phase == "" {
		phase = "(no headline)"
	}
	return fmt.Sprintf("%d of %d %s failing: %s", ev.PhaseCount, ev.Started, verb, phase)
}

// csvHeader is the CSV export's first row.
var csvHeader = []string{"learner", "learner_id", "exercise", "topic", "status", "checks", "failing_checks", "hints", "time_s", "phase"}

// WriteCSV writes the room as CSV: one row per learner and exercise they
// started, learners by name, exercises in curriculum order.
func (s *Server) WriteCSV(w io.Writer) error {
	snap := s.state.snapshot(s.cfg.now(), false)
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHeader)
	for _, l := range snap.Learners {
		for _, ex := range s.cfg.Exercises {
			st, ok := l.Exercises[ex.Name]
			if !ok {
				continue
			}
			_ = cw.Write([]string{csvSafe(l.Name), l.ID, ex.Name, ex.Topic, st.Status, strconv.Itoa(st.Checks),
				strconv.Itoa(st.Failing), strconv.Itoa(st.Hints), strconv.FormatInt(st.TimeS, 10), csvSafe(st.Phase)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a learner's text from being read as a formula by a
// spreadsheet (=, +, -, @ at the start).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteJSON writes the room's Report as JSON.
func (s *Server) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s.report())
}

func (s *Server) exportCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="room.csv"`)
	_ = s.WriteCSV(w)
}

func (s *Server) exportJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="room.json"`)
	_ = s.WriteJSON(w)
}

// ExportFile writes the room to the file name, as CSV or JSON by its
// extension, through a temporary file renamed over it: a file that is there
// is whole.
func (s *Server) ExportFile(name string) (err error) {
	write := s.WriteJSON
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".csv":
		write = s.WriteCSV
	case ".json":
	default:
		return fmt.Errorf("export %s: name a .csv or a .json file", name)
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("export %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// ValidExport reports whether name is a file the room can export to.
func ValidExport(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".csv" || ext == ".json"
}
