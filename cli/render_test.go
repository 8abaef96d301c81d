package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-blindspots/workbook/diagnostics"
	"github.com/go-blindspots/workbook/internal/golden"
	"github.com/go-blindspots/workbook/runner"
)

func ip(i int) *int       { return &i }
func i64p(i int64) *int64 { return &i }
func bp(b bool) *bool     { return &b }

// renderEvents is a failing race check, as the runner emits it.
func renderEvents() []runner.Event {
	race := &diagnostics.Diagnostic{
		Kind:     diagnostics.Race,
		Location: diagnostics.Location{File: "counter.go", Line: 8, Func: "(*Counter).Inc"},
		Message:  "data race: write in (*Counter).Inc at counter.go:8 conflicts with earlier read in (*Counter).Snapshot at counter.go:13",
		Related:  []diagnostics.Location{{File: "counter.go", Line: 13, Func: "(*Counter).Snapshot"}},
	}
	phase := "The counter must be safe for concurrent requests."
	return []runner.Event{
		{Type: runner.TypeStart, Exercise: "races-counter"},
		{Type: runner.TypeStep, Step: 1, Cmd: "go test -race .", Phase: phase},
		{Type: runner.TypeOutput, Step: 1, Stream: runner.Stdout, Text: "==================\nWARNING: DATA RACE\n"},
		{Type: runner.TypeOutput, Step: 1, Stream: runner.Stdout, Text: "Write at 0x00c000012345 by goroutine 8:\n  stats.(*Counter).Inc()\n"},
		{Type: runner.TypeOutput, Step: 1, Stream: runner.Note, Text: "[output stopped: the step printed more than 1 MiB]\n"},
		{Type: runner.TypeStepEnd, Step: 1, ExitCode: ip(1), DurationMS: i64p(812)},
		{Type: runner.TypeOutput, Step: 1, Stream: runner.Stderr, Text: "# stats\n./counter.go:8:2: moved to heap: c\n"},
		{Type: runner.TypeDiagnostic, Step: 1, ID: 1, File: "counter.go", Line: 8, Diagnostic: race},
		{Type: runner.TypeFailure, Phase: phase, Message: race.Message, File: "counter.go", Line: 8, Ref: 1},
		{Type: runner.TypeFailure, Phase: phase, Message: "stdout and want.txt differ", Text: "--- stdout\n+++ want.txt\n-total: 41\n+total: 42"},
		{Type: runner.TypeVerdict, Exercise: "races-counter", Pass: bp(false), DurationMS: i64p(830), Message: phase},
	}
}

func TestTerminalGolden(t *testing.T) {
	dir := filepath.Join("testdata", "render")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, color := range []bool{false, true} {
		name := "plain.golden"
		if color {
			name = "color.golden"
		}
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			term := newTerminal(&b, color, dir)
			for _, e := range renderEvents() {
				term.Emit(e)
			}
			got := strings.ReplaceAll(b.String(), abs, "$DIR")
			golden.Check(t, filepath.Join(dir, name), got)
			if !color && strings.Contains(got, "\x1b") {
				t.Errorf("plain output has escape sequences")
			}
			if color && !strings.Contains(got, "\x1b]8;;file://$DIR/counter.go\x1b\\") {
				t.Errorf("color output lacks the OSC 8 link to the file")
			}
		})
	}
}

func TestUseColor(t *testing.T) {
	var b strings.Builder
	if useColor(&b) {
		t.Error("a strings.Builder is not a terminal")
	}
	t.Setenv("NO_COLOR", "1")
	if useColor(os.Stdout) {
		t.Error("NO_COLOR is set, and color is on")
	}
}

func TestWatchedFile(t *testing.T) {
	tests := map[string]bool{
		"router.go": true, "dir/router_test.go": true,
		".router.go.swp": false, "router.go~": false, "4913": false, ".#router.go": false,
		"#router.go#": false, "router.go___jb_tmp___": false, "go.mod": false, "notes.txt": false,
	}
	for name, want := range tests {
		if got := watchedFile(name); got != want {
			t.Errorf("watchedFile(%q) = %v, want %v", name, got, want)
		}
	}
}
