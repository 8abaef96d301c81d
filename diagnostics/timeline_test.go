package diagnostics

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// raceExerciseFiles are the Go files of each exercise whose shipped code (or a
// wrong fix of it) races, as the check's work dir holds them: testdata/start and
// the files of check.txtar. testdata/races/EXERCISE[--WRONG].stdout is the
// output of `go test -race -count=1 -v .` there (see testdata/README.md).
var raceExerciseFiles = map[string][]string{
	"locks-value-receiver":  {"check_test.go", "limiter.go", "limiter_test.go"},
	"races-atomic-balance":  {"check_test.go", "credits.go", "credits_test.go"},
	"races-cache-map":       {"authz.go", "authz_test.go", "check_test.go"},
	"races-close-send":      {"check_test.go", "linkcheck.go", "linkcheck_test.go"},
	"races-config-flag":     {"check_test.go", "config.go", "config_test.go"},
	"races-loop-variable":   {"check_test.go", "invoicing.go", "invoicing_test.go"},
	"races-request-counter": {"router.go", "router_test.go", "stress_check_test.go"},
}

// raceFixtures returns the names of the captures in testdata/races/.
func raceFixtures(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "races", "*.stdout"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("got no captures in testdata/races/, want the race exercises'")
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(filepath.Base(n), ".stdout")
	}
	return names
}

// raceParser returns the parser the runner would use for a capture of testdata/races/.
func raceParser(t testing.TB, name string) Parser {
	t.Helper()
	exercise, _, _ := strings.Cut(name, "--")
	files, ok := raceExerciseFiles[exercise]
	if !ok {
		t.Fatalf("capture %s: exercise %s has no entry in raceExerciseFiles", name, exercise)
	}
	return Parser{Files: files}
}

// TestRaceTimelineGolden builds the timeline of every race of every capture in
// testdata/races/ and compares it, as JSON and as text, with
// testdata/golden/races/NAME.json and NAME.txt.
func TestRaceTimelineGolden(t *testing.T) {
	for _, name := range raceFixtures(t) {
		t.Run(name, func(t *testing.T) {
			p := raceParser(t, name)
			stdout, stderr := fixture(t, filepath.Join("races", name))
			timelines := []*Timeline{}
			var text strings.Builder
			for _, d := range p.Parse(stdout, stderr) {
				if d.Kind != Race {
					continue
				}
				tl, ok := p.RaceTimeline(d)
				if !ok {
					t.Fatalf("got no timeline for %s, want one", describe(d))
				}
				checkTimeline(t, tl, d)
				// Without the parser, the work dir found from the finding gives the same timeline.
				if alone, ok := RaceTimeline(d); !ok || !reflect.DeepEqual(alone, tl) {
					t.Errorf("RaceTimeline(d) got %+v, want the parser's %+v", alone, tl)
				}
				timelines = append(timelines, tl)
				text.WriteString(d.Message + "\n\n" + tl.Text(80) + "\n")
			}
			checkGolden(t, "golden/races/"+name+".json", marshalGolden(t, timelines))
			checkGolden(t, "golden/races/"+name+".txt", []byte(text.String()))
		})
	}
}

// checkTimeline checks the promises of a timeline built from d.
func checkTimeline(t *testing.T, tl *Timeline, d Diagnostic) {
	t.Helper()
	var accesses int
	for i, st := range tl.Steps {
		if st.Lane != 0 && st.Lane != 1 {
			t.Errorf("step %d: got lane %d, want 0 or 1", i, st.Lane)
		}
		switch st.Kind {
		case StepAccess:
			accesses++
			if st.Op == "" {
				t.Errorf("step %d: got an access with no operation", i)
			}
		case StepStart:
			if accesses > 0 {
				t.Errorf("step %d: got a start after an access, want the starts first", i)
			}
			if st.File == "" || tl.Lanes[st.Lane].Started == nil || *tl.Lanes[st.Lane].Started != st.Location {
				t.Errorf("step %d: got start %+v, want the lane's Started place", i, st.Location)
			}
		default:
			t.Errorf("step %d: got kind %q", i, st.Kind)
		}
	}
	if accesses != 2 {
		t.Errorf("got %d accesses, want 2", accesses)
	}
	for i, l := range tl.Lanes {
		if l.Goroutine == "" || l.Name == "" {
			t.Errorf("lane %d: got %+v, want a goroutine and a name", i, l)
		}
	}
	// The finding's primary place is one of the two accesses.
	found := false
	for _, st := range tl.Steps {
		if st.Kind == StepAccess && st.Location == d.Location {
			found = true
		}
	}
	if !found {
		t.Errorf("got steps %+v, want an access at the finding's place %s", tl.Steps, locString(d.Location))
	}
}

func TestRaceTimelineFixtures(t *testing.T) {
	// race_run: the main goroutine writes at main.go:12 after starting, at
	// main.go:8, the goroutine that reads at main.go:9.
	stdout, stderr := fixture(t, "race_run")
	p := Parser{Files: []string{"main.go"}}
	ds := p.Parse(stdout, stderr)
	if len(ds) != 1 {
		t.Fatalf("got %d findings, want 1", len(ds))
	}
	tl, ok := p.RaceTimeline(ds[0])
	if !ok {
		t.Fatal("got no timeline, want one")
	}
	want := [2]Lane{
		{Goroutine: "main goroutine", Name: "the main goroutine"},
		{Goroutine: "goroutine 8", Name: "goroutine started by main at main.go:8", Started: &Location{File: "main.go", Line: 8, Func: "main"}},
	}
	for i := range want {
		got := tl.Lanes[i]
		if got.Goroutine != want[i].Goroutine || got.Name != want[i].Name || (got.Started == nil) != (want[i].Started == nil) ||
			(got.Started != nil && *got.Started != *want[i].Started) {
			t.Errorf("lane %d: got %+v, want %+v", i, got, want[i])
		}
	}
	steps := []string{"1 start main.go:8", "0 write main.go:12", "1 read main.go:9"}
	if len(tl.Steps) != len(steps) {
		t.Fatalf("got %d steps, want %d", len(tl.Steps), len(steps))
	}
	for i, st := range tl.Steps {
		op := st.Op
		if st.Kind == StepStart {
			op = "start"
		}
		got := string(rune('0'+st.Lane)) + " " + op + " " + locString(st.Location)
		if got != steps[i] {
			t.Errorf("step %d: got %q, want %q", i, got, steps[i])
		}
	}

	// Not a race, or a report cut short: no timeline.
	for _, d := range []Diagnostic{
		{Kind: Panic, Text: stdout},
		{Kind: Race},
		{Kind: Race, Text: raceHeader + "\nRead at 0x1 by goroutine 2:\n  main.f()\n      /x/main.go:3 +0x1\n"},
	} {
		if tl, ok := RaceTimeline(d); ok {
			t.Errorf("RaceTimeline(%q): got %+v, want none", d.Text, tl)
		}
	}
}

// TestRaceTimelineSubpackages checks that RaceTimeline finds the work dir of a
// module with sub-packages, whose root and store/ both have a store.go, the same
// way the parser's Files say it.
func TestRaceTimelineSubpackages(t *testing.T) {
	stdout, stderr := fixture(t, "subpkg_race")
	// (With base names only, the parser names every store.go "store.go", while
	// the work dir tells them apart: only paths relative to the root compare.)
	for _, files := range [][]string{shopFilesTree} {
		p := Parser{Files: files}
		n := 0
		for _, d := range p.Parse(stdout, stderr) {
			want, ok := p.RaceTimeline(d)
			if !ok {
				continue
			}
			n++
			if got, ok := RaceTimeline(d); !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("files %v: RaceTimeline(d) got %+v, want the parser's %+v", files, got, want)
			}
		}
		if n != 4 {
			t.Errorf("files %v: got %d timelines, want 4", files, n)
		}
	}
}

func TestTimelineTextWidth(t *testing.T) {
	stdout, stderr := fixture(t, filepath.Join("races", "races-request-counter"))
	p := raceParser(t, "races-request-counter")
	for _, d := range p.Parse(stdout, stderr) {
		tl, ok := p.RaceTimeline(d)
		if !ok {
			continue
		}
		for _, width := range []int{0, 40, 61, 80, 200} {
			for _, line := range strings.Split(strings.TrimSuffix(tl.Text(width), "\n"), "\n") {
				if n := utf8.RuneCountInString(line); n > max(width, 40) {
					t.Errorf("width %d: got a line of %d runes, want at most %d: %q", width, n, max(width, 40), line)
				}
			}
		}
	}
}

func TestWrapWords(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  []string
	}{
		{"read in (*Store).Add", 40, []string{"read in (*Store).Add"}},
		{"goroutine started by the func literal in TestX at x_test.go:12", 20,
			[]string{"goroutine started by", "the func literal in", "TestX at", "x_test.go:12"}},
		{"  store/store.go:15", 10, []string{"  store/st", "  ore.go:1", "  5"}},
		{"", 10, []string{""}},
	}
	for _, tt := range tests {
		got := wrapWords(tt.s, tt.width)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrapWords(%q, %d): got %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}
