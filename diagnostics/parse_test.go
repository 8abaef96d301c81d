package diagnostics

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// want is what a test expects of one finding. Zero fields other than kind, file and
// line are not checked; msg and related list substrings of the message and
// "file:line" places that must be among the related locations.
type want struct {
	kind    Kind
	file    string
	line    int
	col     int
	fn      string
	subject string
	escapes bool
	msg     []string
	related []string
	text    []string // substrings of Text
}

func esc(file string, line, col int, subject string, escapes bool, msg ...string) want {
	return want{kind: Escape, file: file, line: line, col: col, subject: subject, escapes: escapes, msg: msg}
}

func diag(kind Kind, file string, line int, msg ...string) want {
	return want{kind: kind, file: file, line: line, msg: msg}
}

func (w want) withFunc(fn string) want      { w.fn = fn; return w }
func (w want) withCol(col int) want         { w.col = col; return w }
func (w want) withRelated(r ...string) want { w.related = r; return w }
func (w want) withText(t ...string) want    { w.text = t; return w }
func (w want) String() string               { return fmt.Sprintf("%s at %s:%d", w.kind, w.file, w.line) }
func describe(d Diagnostic) string {
	return fmt.Sprintf("%s at %s:%d %q", d.Kind, d.File, d.Line, d.Message)
}
func locString(l Location) string { return fmt.Sprintf("%s:%d", l.File, l.Line) }
func fixture(t testing.TB, name string) (stdout, stderr string) {
	t.Helper()
	out, err := os.ReadFile(filepath.Join("testdata", name+".stdout"))
	if err != nil {
		t.Fatal(err)
	}
	errOut, err := os.ReadFile(filepath.Join("testdata", name+".stderr"))
	if err != nil {
		t.Fatal(err)
	}
	return string(out), string(errOut)
}

var (
	raceFiles    = []string{"counter.go", "counter_test.go"}
	bankFiles    = []string{"bank.go", "bank_test.go", "check_test.go"}
	bufFiles     = []string{"buf.go", "more.go", "buf_test.go"}
	shopFiles    = []string{"shop.go", "shop_test.go"}
	stockFiles   = []string{"stock.go", "stock_test.go", "fill_test.go"}
	searchFiles  = []string{"search.go", "search_test.go"}
	cacheFiles   = []string{"cache.go", "cache_test.go"}
	treeFiles    = []string{"tree.go", "tree_test.go"}
	greetFiles   = []string{"greet.go", "greet_test.go"}
	parallelWant = []want{
		diag(TestFail, "greet_test.go", 19, "test TestB failed at greet_test.go:19: b starts"),
		diag(TestFail, "greet_test.go", 21, "test TestB failed at greet_test.go:21: b failed"),
		diag(TestFail, "greet_test.go", 13, `test TestA failed at greet_test.go:13: Hello("a") = "Hello a", want "Hello, a"`),
		diag(TestFail, "", 0, `example ExampleHello printed the wrong output: got "Hello gopher", want "Hello, gopher"`).withText("got:", "want:"),
	}
	escapeMWant   = append(escapeBufWant(), escapeMoreWant()...)
	testfailWants = []want{
		diag(TestFail, "bank_test.go", 11, "TestDeposit", "got 4, want 5", "bank_test.go:11"),
		diag(TestFail, "bank_test.go", 13, "TestDeposit", "a note"),
		diag(TestFail, "bank_test.go", 28, "TestTable/one", "balance after deposit: got  0; want 1"),
		diag(TestFail, "bank_test.go", 31, "TestTable/one/nested", "nested failure for one"),
		diag(TestFail, "bank_test.go", 28, "TestTable/two", "balance after deposit: got  1; want 2"),
		diag(TestFail, "bank_test.go", 31, "TestTable/two/nested", "nested failure for two"),
		diag(TestFail, "bank_test.go", 42, "TestHelper", "check: got 1, want 2"),
		diag(TestFail, "check_test.go", 6, "TestCheck", "first problem"),
		diag(TestFail, "check_test.go", 7, "TestCheck", "second problem"),
	}
)

func escapeBufWant() []want {
	return []want{
		esc("buf.go", 10, 2, "p", true, "variable p is moved to the heap at buf.go:10"),
		esc("buf.go", 15, 10, "p", false, "p does not escape"),
		esc("buf.go", 22, 11, "p", true, "parameter p leaks"),
		esc("buf.go", 28, 11, "make([]byte, n)", true, "make([]byte, n) escapes to the heap at buf.go:28"),
		esc("buf.go", 37, 13, "make([]byte, 64)", false, "does not escape"),
		esc("buf.go", 43, 20, "... argument", false),
		esc("buf.go", 43, 31, "p.X", true),
		esc("buf.go", 43, 36, "p.Y", true),
		esc("buf.go", 48, 2, "n", true, "moved to the heap"),
		esc("buf.go", 49, 9, "func literal", true),
	}
}

func escapeMoreWant() []want {
	return []want{
		esc("more.go", 4, 12, "s", false, "leaks to result ~r0"),
		esc("more.go", 9, 11, "p", false, "leaks to result ~r0"),
		esc("more.go", 17, 15, "s", true, "leaks its contents"),
		esc("more.go", 19, 16, "append", true),
		esc("more.go", 25, 9, "n", true),
	}
}

func escapeM2Want() []want {
	w := escapeMWant
	out := make([]want, len(w))
	copy(out, w)
	fns := map[int]string{10: "NewPoint", 22: "Keep", 28: "Fill", 48: "Closure", 49: "Closure"}
	for i := range out {
		if out[i].file != "buf.go" {
			continue
		}
		if fn, ok := fns[out[i].line]; ok {
			out[i].fn = fn
			out[i].text = []string{"flow:"}
		}
		if out[i].line == 43 && out[i].col != 20 {
			out[i].fn = "Describe"
			out[i].text = []string{"escapes to heap in Describe:", "from fmt.Sprintf"}
		}
	}
	out[0].text = []string{"p escapes to heap in NewPoint:", "flow: ~r0 ← &p:", "from return &p (return)", "moved to heap: p"}
	out[8].text = []string{"Closure capturing by ref: n", "n escapes to heap in Closure:", "moved to heap: n"}
	for i := range out {
		switch {
		case out[i].file == "more.go" && out[i].line == 4:
			out[i].fn, out[i].text = "First", []string{"parameter s leaks to ~r0 for First"}
		case out[i].file == "more.go" && out[i].line == 17:
			out[i].fn, out[i].text = "StoreAll", []string{"parameter s leaks to {heap} for StoreAll", "range-deref"}
		}
	}
	return out
}

var fixtureTests = []struct {
	name  string
	files []string
	want  []want
}{
	{"race_test", raceFiles, []want{
		diag(Race, "counter.go", 14, "data race: read in (*Counter).Inc at counter.go:14", "earlier write in (*Counter).Inc at counter.go:14").
			withFunc("(*Counter).Inc").withRelated("counter.go:14", "counter.go:35").withText("WARNING: DATA RACE", "Goroutine 12 (finished) created at:"),
		diag(TestFail, "counter_test.go", 9, "TestRun", "starting"), // a t.Log line: see the package doc
		diag(Race, "counter.go", 14, "write in (*Counter).Inc at counter.go:14", "earlier read in (*Counter).Snapshot at counter.go:19").
			withRelated("counter.go:19", "counter_test.go:21"),
		diag(Race, "counter.go", 24, "read in (*Counter).Add at counter.go:24", "earlier write in (*Counter).Add at counter.go:25").
			withRelated("counter.go:25", "counter_test.go:32"),
		diag(Race, "counter.go", 27, "map read in (*Counter).Add at counter.go:27", "earlier map write").
			withRelated("counter.go:27", "counter_test.go:32"),
	}},
	{"race_test_v", raceFiles, []want{
		diag(TestFail, "counter_test.go", 9, "TestRun", "starting"),
		diag(Race, "counter.go", 14, "read in (*Counter).Inc", "earlier write in (*Counter).Inc").withRelated("counter.go:35"),
		diag(Race, "counter.go", 14, "write in (*Counter).Inc", "earlier write in (*Counter).Inc").withRelated("counter.go:35"),
		diag(Race, "counter.go", 14, "write in (*Counter).Inc", "earlier read in (*Counter).Snapshot at counter.go:19").
			withRelated("counter.go:19", "counter_test.go:21"),
	}},
	{"race_run", []string{"main.go"}, []want{
		diag(Race, "main.go", 9, "read in the func literal in main at main.go:9 (goroutine 8)", "earlier write in main at main.go:12 (main goroutine)").
			withFunc("main.func1").withRelated("main.go:12", "main.go:8"),
	}},
	{"testfail", bankFiles, testfailWants},
	{"testfail_v", bankFiles, testfailWants},
	{"testfail_parallel", greetFiles, parallelWant},
	{"testfail_parallel_v", greetFiles, parallelWant},
	{"escape_m", bufFiles, escapeMWant},
	{"escape_m2", bufFiles, escapeM2Want()},
	{"escape_test_m", bufFiles, append(append([]want(nil), escapeMWant...),
		esc("buf_test.go", 5, 14, "t", true),
		esc("buf_test.go", 8, 10, "... argument", false),
		esc("buf_test.go", 8, 11, `"bad sum"`, true),
	)},
	{"escape_subdir", bufFiles, escapeBufWant()},
	{"escape_abs", bufFiles, escapeBufWant()},
	{"vet", []string{"cache.go", "cache_test.go"}, []want{
		diag(Vet, "cache.go", 17, "Get passes lock by value").withCol(9),
		diag(Vet, "cache.go", 26, "assignment copies lock value to copy"),
		diag(Vet, "cache.go", 27, "assignment copies lock value to _"),
		diag(Vet, "cache.go", 32, "go vet at cache.go:32: the cancel function returned by context.WithTimeout should be called"),
		diag(Vet, "cache.go", 25, `fmt.Printf format %d has arg "many" of wrong type string`),
		diag(Vet, "cache_test.go", 8, "Errorf format %s has arg 3"),
		diag(Vet, "cache.go", 39, "WaitGroup.Add called from inside new goroutine"),
	}},
	{"vet_test", []string{"cache.go", "cache_test.go"}, []want{
		diag(Vet, "cache.go", 25, "format %d"),
		diag(Vet, "cache_test.go", 8, "format %s"),
	}},
	{"vet2", []string{"ledger.go", "ledger_test.go"}, []want{
		diag(Vet, "ledger.go", 25, "self-assignment of l.entries"),
		diag(Vet, "ledger.go", 14, "count passes lock by value: sync.Mutex"),
		diag(Vet, "ledger.go", 20, "call of count copies lock value: sync.Mutex"),
		diag(Vet, "ledger_test.go", 11, "call to (*testing.T).Fatal from a non-test goroutine"),
		diag(Vet, "ledger.go", 28, "unreachable code"),
		diag(Vet, "ledger.go", 26, "result of fmt.Sprintf call not used"),
	}},
	{"vet2_test", []string{"ledger.go", "ledger_test.go"}, nil},
	{"compile_build", shopFiles, compileShopWant()},
	{"compile_test", shopFiles, compileShopWant()},
	{"compile_testrace", shopFiles, compileShopWant()},
	{"compile_escape", shopFiles, compileShopWant()},
	{"compile_vet", shopFiles, []want{
		diag(Compile, "shop.go", 15, "compile error at shop.go:15 (reported by go vet): undefined: tax").withCol(15),
	}},
	{"compile_multiline", []string{"syn.go"}, []want{
		diag(Compile, "syn.go", 8, "too many arguments in call to F (have (int); want ())").withText("\twant ()"),
		diag(Compile, "syn.go", 9, "declared and not used: s").withCol(6),
		diag(Compile, "syn.go", 9, "cannot use n (variable of type int) as string value").withCol(17),
		diag(Compile, "syn.go", 10, "missing return"),
	}},
	{"compile_vet_multiline", []string{"syn.go"}, []want{
		diag(Compile, "syn.go", 8, "(reported by go vet): too many arguments in call to F (have (int); want ())"),
	}},
	{"panic_test", stockFiles, []want{
		diag(Panic, "stock.go", 10, "panic: assignment to entry in nil map, in (*Stock).Put at stock.go:10 (called from TestPut at stock_test.go:7)").
			withFunc("(*Stock).Put").withRelated("stock_test.go:7").withText("goroutine 7 [running]:", "created by testing.(*T).Run"),
	}},
	{"panic_mapwrites", stockFiles, []want{
		diag(Panic, "stock.go", 19, "fatal error: concurrent map writes, in the func literal in Fill at stock.go:19 (goroutine started by Fill at stock.go:17)").
			withFunc("Fill.func1").withRelated("stock.go:17"),
	}},
	{"panic_run", []string{"worker.go"}, []want{
		diag(Panic, "worker.go", 10, "panic: runtime error: index out of range [2] with length 2, in pick at worker.go:10 (called from work at worker.go:15)").
			withRelated("worker.go:15", "worker.go:23"),
	}},
	{"panic_overflow", treeFiles, []want{
		diag(Panic, "tree.go", 10, "fatal error: stack overflow, in Depth at tree.go:10").withRelated("tree.go:14", "tree_test.go:8"),
	}},
	{"panic_nil_v", treeFiles, []want{
		diag(Panic, "tree.go", 19, "nil pointer dereference, in Sum at tree.go:19 (called from TestSum at tree_test.go:14)"),
	}},
	{"deadlock_run", []string{"main.go"}, []want{
		diag(Panic, "main.go", 23, "deadlock: all goroutines are asleep: main is blocked in sync.WaitGroup.Wait at main.go:23; produce is blocked in chan send at main.go:10").
			withRelated("main.go:10"),
	}},
	{"flag_init", []string{"config.go", "config_test.go"}, []want{
		diag(Usage, "", 0, "the command line has the flag -test.paniconexit0, and no flag of that name was defined"),
	}},
	{"timeout", searchFiles, timeoutWant()},
	{"timeout_v", searchFiles, timeoutWant()},
	{"goleak_verifynone", searchFiles, []want{
		leakFetch("TestFirst"), leakFetch("TestFirst"),
		leakFetch("TestWatch"), leakWatch("TestWatch"), leakFetch("TestWatch"),
	}},
	{"goleak_stdlib", []string{"rates.go", "rates_test.go"}, []want{
		diag(Leak, "rates_test.go", 98, "goleak found 8 goroutines still running after TestRateErrors (checked at rates_test.go:98): 4 in net/http.(*persistConn).readLoop, 4 in net/http.(*persistConn).writeLoop"),
	}},
	{"goleak_testmain", searchFiles, []want{
		leakFetch("all tests finished"), leakFetch("all tests finished"), leakWatch("all tests finished"),
	}},
	{"goleak_testmain_v", searchFiles, []want{
		leakWatch("all tests finished"), leakFetch("all tests finished"), leakFetch("all tests finished"),
	}},
	{"goleak_states_v", searchFiles, []want{
		diag(Leak, "search_test.go", 13, "goroutine sleeping in the func literal in TestSleepy at search_test.go:13 is still running after TestSleepy").
			withRelated("search_test.go:12"),
		leakWatch("TestSleepy"),
		diag(Leak, "search_test.go", 19, "goroutine blocked in select in the func literal in TestSleepy at search_test.go:19").
			withFunc("TestSleepy.func2").withRelated("search_test.go:18"),
	}},
	{"synctest_leftover", cacheFiles, []want{
		diag(Leak, "cache.go", 19, "goroutine sleeping in (*Refresher).loop at cache.go:19 is still running after the function given to synctest.Test in TestLeftover returned", "started by New at cache.go:13").
			withFunc("(*Refresher).loop").withRelated("cache.go:13"),
	}},
	{"synctest_stuck", cacheFiles, []want{
		diag(Leak, "cache.go", 26, "goroutine blocked in chan receive in Wait at cache.go:26 can never continue", "TestStuck's synctest bubble is blocked").
			withFunc("Wait").withRelated("cache_test.go:17"),
	}},
}

func compileShopWant() []want {
	return []want{
		diag(Compile, "shop.go", 5, `compile error at shop.go:5: "strings" imported and not used`).withCol(2),
		diag(Compile, "shop.go", 11, "declared and not used: count"),
		diag(Compile, "shop.go", 15, "undefined: tax").withCol(15),
	}
}

func timeoutWant() []want {
	return []want{
		diag(Timeout, "search.go", 32, "test timed out after 2s while running TestAll",
			"All is blocked in sync.WaitGroup.Wait at search.go:32", "fetch is blocked in chan send at search.go:9 (2 goroutines)").
			withFunc("All").withRelated("search.go:9", "search_test.go:6"),
	}
}

func leakFetch(after string) want {
	return diag(Leak, "search.go", 10, "goroutine blocked in chan send in fetch at search.go:10 is still running after "+after, "(started by First at search.go:17)").
		withFunc("fetch").withRelated("search.go:17").withText("found unexpected goroutines:")
}

func leakWatch(after string) want {
	return diag(Leak, "search.go", 27, "goroutine blocked in chan receive in the func literal in Watch at search.go:27 is still running after "+after).
		withFunc("Watch.func1").withRelated("search.go:24")
}

func TestParseFixtures(t *testing.T) {
	for _, tt := range fixtureTests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := fixture(t, tt.name)
			got := Parser{Files: tt.files}.Parse(stdout, stderr)
			for i := 0; i < len(got) || i < len(tt.want); i++ {
				switch {
				case i >= len(got):
					t.Errorf("finding %d: got nothing, want %s", i, tt.want[i])
				case i >= len(tt.want):
					t.Errorf("finding %d: got %s, want nothing", i, describe(got[i]))
				default:
					checkFinding(t, i, got[i], tt.want[i])
				}
			}
		})
	}
}

func checkFinding(t *testing.T, i int, d Diagnostic, w want) {
	t.Helper()
	if d.Kind != w.kind {
		t.Errorf("finding %d: got kind %q, want %q (%s)", i, d.Kind, w.kind, describe(d))
	}
	if d.File != w.file || d.Line != w.line {
		t.Errorf("finding %d: got location %s:%d, want %s:%d (%s)", i, d.File, d.Line, w.file, w.line, describe(d))
	}
	if w.col != 0 && d.Col != w.col {
		t.Errorf("finding %d: got column %d, want %d", i, d.Col, w.col)
	}
	if w.fn != "" && d.Func != w.fn {
		t.Errorf("finding %d: got func %q, want %q", i, d.Func, w.fn)
	}
	if d.Subject != w.subject {
		t.Errorf("finding %d: got subject %q, want %q", i, d.Subject, w.subject)
	}
	if d.Escapes != w.escapes {
		t.Errorf("finding %d: got escapes %v, want %v (%s)", i, d.Escapes, w.escapes, describe(d))
	}
	for _, m := range w.msg {
		if !strings.Contains(d.Message, m) {
			t.Errorf("finding %d: got message %q, want it to contain %q", i, d.Message, m)
		}
	}
	for _, r := range w.related {
		found := false
		for _, l := range d.Related {
			if locString(l) == r {
				found = true
			}
		}
		if !found {
			var got []string
			for _, l := range d.Related {
				got = append(got, locString(l))
			}
			t.Errorf("finding %d: got related %v, want it to contain %s", i, got, r)
		}
	}
	for _, x := range w.text {
		if !strings.Contains(d.Text, x) {
			t.Errorf("finding %d: got text %q, want it to contain %q", i, d.Text, x)
		}
	}
	if d.Text == "" {
		t.Errorf("finding %d: got empty text, want the excerpt", i)
	}
}

// TestParseFixturesInvariants checks every fixture, with and without Files, against
// the promises the package makes about every finding.
func TestParseFixturesInvariants(t *testing.T) {
	for _, tt := range fixtureTests {
		stdout, stderr := fixture(t, tt.name)
		for _, files := range [][]string{tt.files, nil} {
			checkInvariants(t, tt.name, files, Parser{Files: files}.Parse(stdout, stderr))
		}
	}
}

// TestEscapeTextStartsWithVerdict checks that with -m=2 the explanation follows the
// verdict line in Text.
func TestEscapeTextStartsWithVerdict(t *testing.T) {
	stdout, stderr := fixture(t, "escape_m2")
	for _, d := range (Parser{Files: bufFiles}).Parse(stdout, stderr) {
		first, _, _ := strings.Cut(d.Text, "\n")
		m := posLineRE.FindStringSubmatch(first)
		if m == nil {
			t.Errorf("got text starting %q, want a position line first", first)
			continue
		}
		if _, ok := escapeVerdict(m[4], Location{}); !ok {
			t.Errorf("got text starting %q, want the verdict line first", first)
		}
	}
}

func TestRaceDetectedLineIsNoFinding(t *testing.T) {
	for _, name := range []string{"race_test", "race_test_v"} {
		stdout, stderr := fixture(t, name)
		for _, d := range (Parser{Files: raceFiles}).Parse(stdout, stderr) {
			if strings.Contains(d.Message, "race detected") || d.File == "testing.go" {
				t.Errorf("%s: got %s, want no finding for testing's race line", name, describe(d))
			}
		}
	}
}

// TestParseWithoutFiles checks the fallback when Parser.Files is empty: frames outside
// the standard library count as the learner's, and paths stay as printed.
func TestParseWithoutFiles(t *testing.T) {
	tests := []struct {
		fixture    string
		kind       Kind
		file       string
		line       int
		msgContain string
	}{
		{"race_test", Race, "/tmp/cap/race/counter.go", 14, "(*Counter).Inc at counter.go:14"},
		{"panic_test", Panic, "/tmp/cap/panic/stock.go", 10, "in (*Stock).Put at stock.go:10"},
		{"escape_abs", Escape, "/tmp/cap/esc5/pkg/buf.go", 10, "at buf.go:10"},
		{"escape_m", Escape, "./buf.go", 10, "at buf.go:10"},
		{"timeout", Timeout, "/tmp/cap/timeout/search.go", 32, "All is blocked"},
		{"deadlock_run", Panic, "/tmp/cap/deadlock/main.go", 23, "main is blocked"},
	}
	for _, tt := range tests {
		stdout, stderr := fixture(t, tt.fixture)
		got := Parser{}.Parse(stdout, stderr)
		if len(got) == 0 {
			t.Errorf("%s: got no findings, want a %s", tt.fixture, tt.kind)
			continue
		}
		d := got[0]
		if d.Kind != tt.kind || d.File != tt.file || d.Line != tt.line {
			t.Errorf("%s: got %s, want %s at %s:%d", tt.fixture, describe(d), tt.kind, tt.file, tt.line)
		}
		if !strings.Contains(d.Message, tt.msgContain) {
			t.Errorf("%s: got message %q, want it to contain %q", tt.fixture, d.Message, tt.msgContain)
		}
	}
}

// TestParseStreams checks that findings of stderr come before those of stdout and
// that each stream is parsed on its own.
func TestParseStreams(t *testing.T) {
	vetOut, vetErr := fixture(t, "vet_test")
	testOut, _ := fixture(t, "testfail")
	got := Parser{Files: append(bankFiles, "cache.go", "cache_test.go")}.Parse(testOut+vetOut, vetErr)
	if len(got) != 2+len(testfailWants) {
		t.Fatalf("got %d findings, want %d", len(got), 2+len(testfailWants))
	}
	if got[0].Kind != Vet || got[2].Kind != TestFail {
		t.Errorf("got kinds %s, %s, want vet first, then test", got[0].Kind, got[2].Kind)
	}
	if d := (Parser{}).Parse("", ""); d != nil {
		t.Errorf("got %v for no output, want nil", d)
	}
}

// TestParseCRLF checks that output with Windows line ends parses the same.
func TestParseCRLF(t *testing.T) {
	for _, name := range []string{"race_test", "escape_m2", "testfail", "timeout", "goleak_verifynone"} {
		stdout, stderr := fixture(t, name)
		p := Parser{Files: append(append(append(raceFiles, bufFiles...), bankFiles...), searchFiles...)}
		want := p.Parse(stdout, stderr)
		crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
		got := p.Parse(crlf(stdout), crlf(stderr))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %d findings with CRLF line ends, want the same %d as with LF", name, len(got), len(want))
		}
	}
}

// TestEnclosingFuncOfFindings checks that the Func of stack findings names the
// function EnclosingFunc finds at the same line of the fixture's source.
func TestEnclosingFuncOfFindings(t *testing.T) {
	tests := []struct {
		fixture, dir string
		files        []string
	}{
		{"race_test", "race", raceFiles},
		{"panic_test", "panic", stockFiles},
		{"timeout", "timeout", searchFiles},
		{"goleak_states_v", "leak_states", searchFiles},
		{"synctest_stuck", "synctest", cacheFiles},
	}
	for _, tt := range tests {
		stdout, stderr := fixture(t, tt.fixture)
		for _, d := range (Parser{Files: tt.files}).Parse(stdout, stderr) {
			for _, l := range append([]Location{d.Location}, d.Related...) {
				if l.Func == "" || l.Line == 0 {
					continue
				}
				src, err := os.ReadFile(filepath.Join("testdata", "src", tt.dir, l.File))
				if err != nil {
					t.Fatal(err)
				}
				got := EnclosingFunc(src, l.Line)
				want := topLevel(l.Func)
				if got != want {
					t.Errorf("%s: EnclosingFunc(%s, %d) got %q, want %q (stack says %q)", tt.fixture, l.File, l.Line, got, want, l.Func)
				}
			}
		}
	}
}

// topLevel turns a stack's function name into EnclosingFunc's form:
// "(*Counter).Inc" -> "Counter.Inc", "TestSnapshot.func1" -> "TestSnapshot".
func topLevel(fn string) string {
	if m := closureRE.FindStringSubmatch(fn); m != nil {
		fn = m[1]
	}
	fn = strings.NewReplacer("(*", "", "(", "", ")", "").Replace(fn)
	return fn
}

func TestHelpers(t *testing.T) {
	names := []struct{ line, fn, short, pkg, plain string }{
		{"example.com/counter.(*Counter).Inc()", "example.com/counter.(*Counter).Inc", "(*Counter).Inc", "example.com/counter", "(*Counter).Inc"},
		{"example.com/inventory.(*Stock).Put(...)", "example.com/inventory.(*Stock).Put", "(*Stock).Put", "example.com/inventory", "(*Stock).Put"},
		{"panic({0x55a7a0?, 0x6cac60?})", "panic", "panic", "", "panic"},
		{"testing.tRunner.func1.2({0x55a7a0, 0x6cac60})", "testing.tRunner.func1.2", "tRunner.func1.2", "testing", "the func literal in tRunner"},
		{"testing.(*T).Run.gowrap1()", "testing.(*T).Run.gowrap1", "(*T).Run.gowrap1", "testing", "the go statement in (*T).Run"},
		{"main.main()", "main.main", "main", "main", "main"},
		{"internal/runtime/maps.fatal({0x589cf6?, 0x55df20?})", "internal/runtime/maps.fatal", "fatal", "internal/runtime/maps", "fatal"},
	}
	for _, n := range names {
		if got := funcName(n.line); got != n.fn {
			t.Errorf("funcName(%q): got %q, want %q", n.line, got, n.fn)
		}
		if got := shortFunc(n.fn); got != n.short {
			t.Errorf("shortFunc(%q): got %q, want %q", n.fn, got, n.short)
		}
		if got := funcPackage(n.fn); got != n.pkg {
			t.Errorf("funcPackage(%q): got %q, want %q", n.fn, got, n.pkg)
		}
		if got := plainFunc(n.short); got != n.plain {
			t.Errorf("plainFunc(%q): got %q, want %q", n.short, got, n.plain)
		}
	}
	std := map[string]bool{"testing.tRunner": true, "internal/runtime/maps.fatal": true, "sync.(*WaitGroup).Wait": true,
		"main.main": false, "example.com/search.fetch": false, "go.uber.org/goleak.Find": false}
	for fn, want := range std {
		if got := isStdFunc(fn); got != want {
			t.Errorf("isStdFunc(%q): got %v, want %v", fn, got, want)
		}
	}
	states := map[string]string{
		"chan send":                                 "blocked in chan send",
		"chan send, 2 minutes":                      "blocked in chan send",
		"sleep (durable), synctest bubble 1":        "sleeping",
		"chan receive (durable), synctest bubble 1": "blocked in chan receive",
		"sync.WaitGroup.Wait":                       "blocked in sync.WaitGroup.Wait",
		"select (no cases)":                         "blocked forever in an empty select",
		"chan receive (nil chan)":                   "blocked forever receiving from a nil channel",
		"running":                                   "running",
		"runnable, locked to thread":                "running",
	}
	for state, want := range states {
		if got := statePhrase(state); got != want {
			t.Errorf("statePhrase(%q): got %q, want %q", state, got, want)
		}
	}
}

// checkInvariants reports findings that break the package's promises.
func checkInvariants(t *testing.T, name string, files []string, ds []Diagnostic) {
	t.Helper()
	kinds := map[Kind]bool{Race: true, Escape: true, Vet: true, Compile: true, TestFail: true, Panic: true, Timeout: true, Leak: true, Usage: true}
	fs := newFileSet(files, "")
	checkLoc := func(i int, what string, l Location) {
		if l.Line < 0 || l.Col < 0 {
			t.Errorf("%s: finding %d: got %s line %d col %d, want no negative numbers", name, i, what, l.Line, l.Col)
		}
		// A file that names an entry of Files is reported as that entry.
		if fs != nil && l.File != "" {
			if m := fs.match(l.File); m != "" && m != l.File {
				t.Errorf("%s: finding %d: got %s file %q, want the entry of Files it names, %q", name, i, what, l.File, m)
			}
		}
	}
	for i, d := range ds {
		if !kinds[d.Kind] {
			t.Errorf("%s: finding %d: got kind %q, want a known kind", name, i, d.Kind)
		}
		if d.Message == "" || strings.ContainsAny(d.Message, "\r\n") || strings.TrimSpace(d.Message) != d.Message {
			t.Errorf("%s: finding %d: got message %q, want one trimmed, non-empty line", name, i, d.Message)
		}
		if d.Kind == Escape && d.Subject == "" {
			t.Errorf("%s: finding %d: got an escape finding with no subject, want one (%q)", name, i, d.Message)
		}
		if d.Kind != Escape && (d.Subject != "" || d.Escapes) {
			t.Errorf("%s: finding %d: got subject %q escapes %v on a %s finding, want neither", name, i, d.Subject, d.Escapes, d.Kind)
		}
		checkLoc(i, "primary", d.Location)
		for _, r := range d.Related {
			checkLoc(i, "related", r)
		}
	}
}
