package diagnostics

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// escapeExerciseFiles are the Go files of each escape exercise as the check's
// work dir holds them (testdata/start and the files of check.txtar), and of the
// probe program in testdata/escapes/src/probe. testdata/escapes/NAME.VARIANT.build
// and .test are the outputs of `go build -gcflags=-m=2 .` and
// `go test -gcflags=-m=2 -run=^$ .` there (see testdata/README.md).
var escapeExerciseFiles = map[string][]string{
	"escape-bytes-string":   {"check_test.go", "statsd.go", "statsd_test.go"},
	"escape-closure-global": {"catalog.go", "catalog_test.go", "check_test.go"},
	"escape-logger-any":     {"check_test.go", "importer.go", "importer_test.go"},
	"escape-make-measure":   {"check_test.go", "shard.go", "shard_test.go"},
	"escape-request-id":     {"check_test.go", "tracing.go", "tracing_test.go"},
	"probe":                 {"probe.go", "probe2.go"},
}

// escapeVariants returns the EXERCISE.VARIANT names of testdata/escapes/.
func escapeVariants(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "escapes", "*.build.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("got no captures in testdata/escapes/, want the escape exercises'")
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(filepath.Base(n), ".build.stderr")
	}
	sort.Strings(names)
	return names
}

// escapeSentences returns "file:line: sentence" for every escaping value in the
// learner's files of one capture, in the order of the output.
func escapeSentences(t *testing.T, p Parser, capture string) []string {
	t.Helper()
	stdout, stderr := fixture(t, filepath.Join("escapes", capture))
	var out []string
	for _, d := range p.Parse(stdout, stderr) {
		if d.Kind != Escape || !d.Escapes || !isEntry(p.Files, d.File) {
			continue
		}
		s := ExplainEscape(d)
		if s == "" {
			t.Errorf("%s: got no sentence for %s, want one: the -m=2 flow is there", capture, describe(d))
			continue
		}
		checkEscapeSentence(t, s, d)
		out = append(out, fmt.Sprintf("%s:%d: %s", d.File, d.Line, s))
	}
	return out
}

func isEntry(files []string, f string) bool {
	for _, x := range files {
		if x == f {
			return true
		}
	}
	return false
}

// TestExplainEscapeGolden explains every escaping value of every variant of
// every escape exercise (start, solution, each wrong fix) and compares the
// sentences with testdata/golden/escapes/EXERCISE.VARIANT.txt.
func TestExplainEscapeGolden(t *testing.T) {
	for _, v := range escapeVariants(t) {
		t.Run(v, func(t *testing.T) {
			exercise, _, _ := strings.Cut(v, ".")
			files, ok := escapeExerciseFiles[exercise]
			if !ok {
				t.Fatalf("exercise %s has no entry in escapeExerciseFiles", exercise)
			}
			p := Parser{Files: files}
			var b strings.Builder
			for _, step := range []struct{ suffix, cmd string }{
				{"build", "go build -gcflags=-m=2 ."},
				{"test", "go test -gcflags=-m=2 -run=^$ ."},
			} {
				if _, err := filepath.Glob(filepath.Join("testdata", "escapes", v+"."+step.suffix+".stderr")); err != nil {
					t.Fatal(err)
				}
				names, _ := filepath.Glob(filepath.Join("testdata", "escapes", v+"."+step.suffix+".stderr"))
				if len(names) == 0 {
					continue
				}
				b.WriteString("# " + step.cmd + "\n")
				for _, s := range escapeSentences(t, p, v+"."+step.suffix) {
					b.WriteString(s + "\n")
				}
			}
			checkGolden(t, "golden/escapes/"+v+".txt", []byte(b.String()))
		})
	}
}

// checkEscapeSentence checks the promises of a sentence: one line, one sentence,
// about the finding's subject.
func checkEscapeSentence(t *testing.T, s string, d Diagnostic) {
	t.Helper()
	if strings.ContainsAny(s, "\r\n") || !strings.HasSuffix(s, ".") {
		t.Errorf("got %q, want one line ending with a period", s)
	}
	if !strings.Contains(s, "`"+d.Subject+"`") {
		t.Errorf("got %q, want it to name %q", s, d.Subject)
	}
}

func TestExplainEscape(t *testing.T) {
	tests := []struct {
		capture, file string
		line          int
		subject       string
		want          string
	}{
		{"escape-request-id.start.build", "tracing.go", 35, "sc",
			"`sc` moves to the heap because its address is returned by `ParseTraceparent` (line 39) to a caller it cannot see."},
		{"escape-closure-global.start.build", "catalog.go", 52, "perBucket",
			"`perBucket` moves to the heap because it is captured by reference by a func literal (line 57) that outlives the call."},
		{"escape-logger-any.start.build", "importer.go", 72, "row.Item",
			"`row.Item` escapes to the heap because it is stored in the interface passed to `(*Logger).Debugf` (line 72)."},
		{"escape-bytes-string.start.build", "statsd.go", 47, "string(line[:colon])",
			"`string(line[:colon])` escapes to the heap because it is used as a key of the map `a.counters` (line 51), which outlives the call."},
		{"probe.src.build", "probe.go", 7, "table", "`table` moves to the heap because it is too large for the stack."},
		{"probe.src.build", "probe.go", 14, "make([]byte, 1048576)", "`make([]byte, 1048576)` escapes to the heap because it is too large for the stack."},
		{"probe.src.build", "probe.go", 35, "n", "`n` escapes to the heap because it is stored in the interface passed to `fmt.Fprintln` (line 35)."},
		{"probe.src.build", "probe.go", 42, "v", "`v` escapes to the heap because it is stored, as an interface, in `sink` (line 42), which outlives the call."},
		{"probe.src.build", "probe.go", 49, "n", "`n` moves to the heap because its address is stored in `head.next` (line 50), which outlives the call."},
		{"probe.src.build", "probe.go", 55, "x", "`x` moves to the heap because its address is sent on the channel `c` (line 56), where any goroutine may receive it."},
		{"probe.src.build", "probe.go", 61, "x", "`x` moves to the heap because its address is passed to `append` (line 62), which may keep it."},
		{"probe.src.build", "probe.go", 80, "x", "`x` moves to the heap because it is captured by reference by a func literal (line 81) that outlives the call."},
	}
	for _, tt := range tests {
		exercise, _, _ := strings.Cut(tt.capture, ".")
		stdout, stderr := fixture(t, filepath.Join("escapes", tt.capture))
		found := false
		for _, d := range (Parser{Files: escapeExerciseFiles[exercise]}).Parse(stdout, stderr) {
			if d.Kind != Escape || d.File != tt.file || d.Line != tt.line || d.Subject != tt.subject {
				continue
			}
			found = true
			if got := ExplainEscape(d); got != tt.want {
				t.Errorf("%s %s:%d %s:\ngot  %q\nwant %q", tt.capture, tt.file, tt.line, tt.subject, got, tt.want)
			}
		}
		if !found {
			t.Errorf("%s: got no escape of %s at %s:%d, want one", tt.capture, tt.subject, tt.file, tt.line)
		}
	}
	// No flow, or no escape: nothing to say.
	for _, d := range []Diagnostic{
		{Kind: Escape, Escapes: true, Subject: "p", Text: "./buf.go:10:2: moved to heap: p"},
		{Kind: Escape, Subject: "p", Text: "./buf.go:15:10: p does not escape"},
		{Kind: Race, Text: "./buf.go:10:2: moved to heap: p"},
	} {
		if got := ExplainEscape(d); got != "" {
			t.Errorf("ExplainEscape(%q): got %q, want \"\"", d.Text, got)
		}
	}
}

func TestCalleeName(t *testing.T) {
	for call, want := range map[string]string{
		`fmt.Sprintf("%d,%d", ... argument...)`:             "fmt.Sprintf",
		`(*Logger).Debugf(s.log, "apply", ... argument...)`: "(*Logger).Debugf",
		"(*sync.Mutex).lockSlow(sync.m)":                    "(*sync.Mutex).lockSlow",
		"registerGauge(~r0, func literal)":                  "registerGauge",
		"append(s, &x)":                                     "append",
		"x":                                                 "x",
	} {
		if got := calleeName(call); got != want {
			t.Errorf("calleeName(%q): got %q, want %q", call, got, want)
		}
	}
}
