package room

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExport(t *testing.T) {
	now := t0.Add(10 * time.Minute)
	tr := newTestRoom(t, func(c *Config) { c.now = func() time.Time { return now } })
	hand := ev(9, 300, EventHand, "leaks-worker-ctx")
	hand.Hand = &Hand{Files: map[string]string{"worker.go": "package worker // secret-ish\n"}}
	for _, p := range []*Push{
		pushAt("learner01", "Bea", 600, ev(1, 0, EventOpen, "races-config-flag"), withHints(verdict(2, 120, "races-config-flag", true, ""), 1),
			verdict(3, 300, "leaks-worker-ctx", false, "Workers must stop when the context is canceled")),
		pushAt("learner02", "=cmd|' /C calc'!A0", 600, verdict(4, 60, "races-config-flag", false, "Readers must never see a half-applied config"), hand),
	} {
		if err := p.Validate(tr.state.known); err != nil {
			t.Fatal(err)
		}
		tr.state.apply(p, now)
	}

	var csv bytes.Buffer
	if err := tr.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	want := `learner,learner_id,exercise,topic,status,checks,failing_checks,hints,time_s,phase
'=cmd|' /C calc'!A0,learner02,races-config-flag,races,failing,1,1,0,0,Readers must never see a half-applied config
'=cmd|' /C calc'!A0,learner02,leaks-worker-ctx,leaks,started,0,0,0,300,
Bea,learner01,races-config-flag,races,passed,1,0,1,120,
Bea,learner01,leaks-worker-ctx,leaks,failing,1,1,0,300,Workers must stop when the context is canceled
`
	if csv.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", csv.String(), want)
	}

	var rep Report
	var js bytes.Buffer
	if err := tr.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Learners) != 2 || rep.Learners[1].Name != "Bea" || strings.Join(rep.Learners[1].Passed, ",") != "races-config-flag" ||
		rep.Learners[1].Hints != 1 || rep.Learners[1].TimeS != 420 {
		t.Errorf("JSON learners: %+v", rep.Learners)
	}
	if strings.Contains(js.String(), "secret-ish") || len(rep.Room.Hands) != 1 {
		t.Errorf("the JSON export has a hand's code, or lost the hand: %s", js.String())
	}

	dir := t.TempDir()
	for _, name := range []string{"room.csv", "room.JSON"} {
		if err := tr.ExportFile(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "room.csv")); string(data) != want {
		t.Errorf("room.csv differs from WriteCSV")
	}
	if err := tr.ExportFile(filepath.Join(dir, "room.txt")); err == nil {
		t.Error("exported to a .txt")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the export left %d files, want 2", len(entries))
	}
}

func TestSummaryPage(t *testing.T) {
	tr := newTestRoom(t, nil)
	tr.state.apply(pushAt("learner01", "Bea", 0, verdict(1, 0, "races-config-flag", true, ""), verdict(2, 0, "leaks-worker-ctx", true, "")), t0)
	var b bytes.Buffer
	if err := tr.tmpl.ExecuteTemplate(&b, "summary.html", tr.report()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<td class="name">Bea</td><td>2</td>`, `races-config-flag, leaks-worker-ctx`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the summary lacks %q:\n%s", want, b.String())
		}
	}
}
