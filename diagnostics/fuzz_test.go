package diagnostics

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, keeps its promises about every finding,
// and gives the same answer twice. The seeds are the captured fixtures.
func FuzzParse(f *testing.F) {
	for _, tt := range fixtureTests {
		stdout, stderr := fixture(f, tt.name)
		f.Add(stdout, stderr, strings.Join(tt.files, ","))
	}
	for _, tt := range subpkgTests {
		stdout, stderr := fixture(f, tt.name)
		f.Add(stdout, stderr, strings.Join(tt.files, ","))
	}
	f.Add("", "", "")
	f.Add("panic: x\n\ngoroutine 1 [running]:\nmain.main()\n", "", "main.go")
	f.Fuzz(func(t *testing.T, stdout, stderr, files string) {
		var fs []string
		if files != "" {
			fs = strings.Split(files, ",")
		}
		p := Parser{Files: fs}
		got := p.Parse(stdout, stderr)
		checkInvariants(t, "fuzz", fs, got)
		if again := p.Parse(stdout, stderr); !reflect.DeepEqual(got, again) {
			t.Errorf("got %d findings, then %d for the same output, want the same both times", len(got), len(again))
		}
	})
}

// FuzzEnclosingFunc checks that EnclosingFunc never panics and returns either "" or
// a name of the form Name or Type.Name, and a name only for a line of a source that
// parses.
func FuzzEnclosingFunc(f *testing.F) {
	srcs, _ := filepath.Glob(filepath.Join("testdata", "src", "*", "*.go"))
	for _, name := range srcs {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range []int{1, 10, 14, 20} {
			f.Add(src, line)
		}
	}
	f.Add([]byte(enclosingSrc), 26)
	f.Add([]byte(enclosingSrc), 49)
	f.Add([]byte("package p\nfunc (x *T[K, V]) M() {\n}\n"), 2)
	f.Fuzz(func(t *testing.T, src []byte, line int) {
		got := EnclosingFunc(src, line)
		if got == "" {
			return
		}
		parts := strings.Split(got, ".")
		if len(parts) > 2 {
			t.Fatalf("got %q, want Name or Type.Name", got)
		}
		for _, p := range parts {
			if !isIdent(p) {
				t.Fatalf("got %q, want identifiers only", got)
			}
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "src.go", src, parser.SkipObjectResolution); err != nil {
			t.Fatalf("got %q for a source that does not parse (%v), want \"\"", got, err)
		}
		if n := strings.Count(string(src), "\n") + 1; line < 1 || line > n {
			t.Fatalf("got %q for line %d of a %d-line source, want \"\"", got, line, n)
		}
	})
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !unicode.IsLetter(r) && r != '_' && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// fuzzSeedOutputs adds the captured fixtures' streams as seeds of a one-string target.
func fuzzSeedOutputs(f *testing.F) {
	for _, tt := range fixtureTests {
		stdout, stderr := fixture(f, tt.name)
		f.Add(stdout)
		f.Add(stderr)
	}
}

// FuzzReadCrash checks that the crash and goroutine-dump reader never panics and
// always moves forward, from any line of any output.
func FuzzReadCrash(f *testing.F) {
	fuzzSeedOutputs(f)
	f.Add("panic: x\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:3 +0x1\ncreated by main.f in goroutine 2\n")
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Split(text, "\n")
		for start, l := range lines {
			if start > 0 && !strings.HasPrefix(l, "panic: ") && !strings.HasPrefix(l, "fatal error: ") {
				continue // the reader starts only at these lines; the first line tries the rest
			}
			head, gs, end := readCrash(lines, start)
			if len(head) == 0 || head[0] != lines[start] {
				t.Fatalf("line %d: got head %q, want it to start with the crash's line", start, head)
			}
			if end <= start || end > len(lines) {
				t.Fatalf("line %d: got end %d of %d lines, want a line after the start", start, end, len(lines))
			}
			for _, g := range gs {
				for _, fr := range g.frames {
					if fr.line < 0 {
						t.Fatalf("line %d: got a frame at line %d, want no negative line", start, fr.line)
					}
				}
			}
		}
		for _, header := range []stackHeader{runtimeHeader, goleakHeader} {
			if _, end := parseStacks(lines, 0, header); end < 0 || end > len(lines) {
				t.Fatalf("parseStacks: got end %d of %d lines", end, len(lines))
			}
		}
	})
}

// FuzzParseRaceReport checks that the race report reader never panics, always
// moves forward, and reads at most two accesses' worth of kinds it knows.
func FuzzParseRaceReport(f *testing.F) {
	fuzzSeedOutputs(f)
	f.Add(raceSep + "\n" + raceHeader + "\nRead at 0x1 by goroutine 2:\n  main.f()\n      /x/main.go:3 +0x1\n\nGoroutine 2 (running) created at:\n  main.main()\n\t/x/main.go:9\n" + raceSep + "\n")
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Split(text, "\n")
		for start, l := range lines {
			if start > 0 && l != raceSep && l != raceHeader {
				continue // the reader starts only at these lines; the first line tries the rest
			}
			r, end := parseRaceReport(lines, start)
			if end <= start && start < len(lines) && (lines[start] == raceSep || lines[start] == raceHeader) {
				t.Fatalf("line %d: got end %d, want the report's lines consumed", start, end)
			}
			if end < start || end > len(lines) {
				t.Fatalf("line %d: got end %d of %d lines", start, end, len(lines))
			}
			for _, a := range r.accesses {
				if a.by == "" || a.op == "" {
					t.Fatalf("line %d: got access %+v, want its goroutine and operation", start, a)
				}
			}
		}
	})
}

// FuzzEnvironment checks that Environment never panics, answers the same twice,
// and when it answers, gives one sentence on one line.
func FuzzEnvironment(f *testing.F) {
	envSeeds(f)
	f.Add("signal: killed\n", "")
	f.Add("", "go: -race requires cgo; enable cgo by setting CGO_ENABLED=1\n")
	f.Fuzz(func(t *testing.T, stdout, stderr string) {
		got, ok := Environment(stdout, stderr)
		again, ok2 := Environment(stdout, stderr)
		if got != again || ok != ok2 {
			t.Fatalf("got %q %v, then %q %v for the same output, want the same both times", got, ok, again, ok2)
		}
		if ok != (got != "") {
			t.Fatalf("got %q with ok %v, want a sentence exactly when ok", got, ok)
		}
		if ok && (strings.ContainsAny(got, "\r\n") || !strings.HasSuffix(got, ".")) {
			t.Fatalf("got %q, want one line ending with a period", got)
		}
	})
}

// FuzzRaceTimeline checks that the timeline builder never panics on any report,
// and that a timeline it builds keeps its promises and renders within the width.
func FuzzRaceTimeline(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "races", "*.stdout"))
	for _, n := range names {
		out, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		// One seed per report, as Parse cuts it out.
		for _, d := range (Parser{}).Parse(string(out), "") {
			if d.Kind == Race {
				f.Add(d.Text, d.File, 80)
			}
		}
	}
	f.Add(raceHeader+"\nWrite at 0x1 by main goroutine:\n  main.main()\n      /x/main.go:3 +0x1\nPrevious read at 0x1 by goroutine 2:\n  main.f()\n      /x/main.go:9 +0x1\n", "main.go", 40)
	f.Fuzz(func(t *testing.T, text, file string, width int) {
		d := Diagnostic{Kind: Race, Location: Location{File: file}, Text: text}
		for _, tl := range []func(Diagnostic) (*Timeline, bool){RaceTimeline, Parser{Files: []string{file}}.RaceTimeline} {
			got, ok := tl(d)
			if !ok {
				if got != nil {
					t.Fatalf("got %+v with ok false, want nil", got)
				}
				continue
			}
			accesses := 0
			for _, st := range got.Steps {
				if st.Lane != 0 && st.Lane != 1 {
					t.Fatalf("got a step in lane %d", st.Lane)
				}
				if st.Kind == StepAccess {
					accesses++
				}
			}
			if accesses != 2 {
				t.Fatalf("got %d accesses, want 2", accesses)
			}
			w := width % 500
			for _, line := range strings.Split(strings.TrimSuffix(got.Text(w), "\n"), "\n") {
				if n := utf8.RuneCountInString(line); n > max(w, 40) {
					t.Fatalf("got a line of %d runes for width %d: %q", n, w, line)
				}
			}
		}
	})
}

// FuzzExplainEscape checks that ExplainEscape never panics and says nothing, or
// one sentence on one line about the finding's subject.
func FuzzExplainEscape(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "escapes", "*.stderr"))
	for _, n := range append(names, filepath.Join("testdata", "escape_m2.stderr")) {
		out, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		for _, d := range (Parser{}).Parse("", string(out)) {
			if d.Kind == Escape && d.Escapes && strings.Contains(d.Text, "\n") {
				f.Add(d.Text, d.Subject)
			}
		}
	}
	f.Fuzz(func(t *testing.T, text, subject string) {
		d := Diagnostic{Kind: Escape, Escapes: true, Subject: subject, Text: text}
		got := ExplainEscape(d)
		if got == "" {
			return
		}
		if strings.ContainsAny(got, "\r\n") || !strings.HasSuffix(got, ".") {
			t.Fatalf("got %q, want one line ending with a period", got)
		}
		if subject != "" && !strings.Contains(got, "`"+oneLine(subject)+"`") {
			t.Fatalf("got %q, want it to start with the subject %q", got, subject)
		}
		if again := ExplainEscape(d); again != got {
			t.Fatalf("got %q, then %q, want the same twice", got, again)
		}
	})
}
