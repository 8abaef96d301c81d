package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/go-blindspots/workbook/exercises"
	"github.com/go-blindspots/workbook/markdown"
	"github.com/go-blindspots/workbook/room"
	"github.com/go-blindspots/workbook/runner"
	"github.com/go-blindspots/workbook/workspace"
)

// commands is the table of workbook's subcommands, in the order `workbook
// help` lists them.
func commands() []command {
	jsonFlag := func(fs *flag.FlagSet, f *flags) { fs.BoolVar(&f.json, "json", false, "print JSON") }
	return []command{
		{name: "init", args: "[DIR] [--no-warm]", nargs: [2]int{0, 1},
			summary: "make a workspace of exercises to edit (default: ./go-blindspots)",
			help:    "The workspace holds a copy of every exercise, a go.work for your editor and the workbook's own state in .workbook/. Unless --no-warm is given, the build cache is warmed in the background (see `workbook warm`).",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.BoolVar(&f.noWarm, "no-warm", false, "do not warm the build cache in the background")
			},
			run: (*app).cmdInit},
		{name: "list", args: "[--json]", nargs: [2]int{0, 0}, flags: jsonFlag,
			summary: "every exercise and its status",
			run:     (*app).cmdList},
		{name: "next", nargs: [2]int{0, 0},
			summary: "the next exercise to do, and its task",
			run:     func(a *app, _ []string) error { return a.cmdNext() }},
		{name: "check", args: "[NAME|--all] [--json]", nargs: [2]int{0, 1},
			summary: "check an exercise (default: the current one)",
			help:    "A check runs the exercise's tests and tools on your code (go vet, go test -race, -gcflags=-m, allocation counts, leak checks) and says, at your file and line, what is still wrong. --json prints its events, one JSON object per line.",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.BoolVar(&f.all, "all", false, "check every exercise")
				fs.BoolVar(&f.json, "json", false, "print the event stream as JSON lines")
			},
			run: (*app).cmdCheck},
		{name: "hint", args: "[NAME]", nargs: [2]int{0, 1},
			summary: "the next hint, one more each time",
			run:     (*app).cmdHint},
		{name: "reset", args: "NAME", nargs: [2]int{1, 1},
			summary: "restore the shipped code (yours is backed up first)",
			run:     (*app).cmdReset},
		{name: "solution", args: "NAME", nargs: [2]int{1, 1},
			summary: "the reference solution, once your check has passed",
			run:     (*app).cmdSolution},
		{name: "watch", args: "[NAME] [--poll]", nargs: [2]int{0, 1},
			summary: "re-check on every save, then move on to the next exercise",
			help:    "Keys: h a hint, l the list, n/p the next/previous exercise, r re-run, q quit. --poll looks for saves every second instead of using file events (WSL on /mnt/c and network drives often lose them).",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.BoolVar(&f.poll, "poll", false, "look for saves every second instead of using file events")
			},
			run: (*app).cmdWatch},
		{name: "serve", args: "[--addr HOST:PORT] [--no-open] [--allow-remote]", nargs: [2]int{0, 0},
			summary: "the lessons and exercises in your browser, with live checks",
			help:    "Prints one line with the URL to open, http://127.0.0.1:PORT/?token=TOKEN. It listens on 127.0.0.1 only unless --allow-remote is given with another --addr (anyone who reaches it can then run code on this computer).",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.StringVar(&f.addr, "addr", defaultAddr, "the address to listen on (127.0.0.1:0 picks a free port)")
				fs.BoolVar(&f.noOpen, "no-open", false, "do not open a browser")
				fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow an address other computers can reach (they can then run code here)")
			},
			run: (*app).cmdServe},
		{name: "room", args: "[--addr HOST:PORT] [--export FILE.csv|FILE.json] [--stuck-minutes N] [--stuck-checks N]", nargs: [2]int{0, 0},
			summary: "run a workshop room: learners join it, you watch their progress live",
			help:    "Prints two lines: `Join: workbook join URL CODE`, for the learners, and `Dashboard: http://127.0.0.1:PORT/?token=TOKEN`, for you. Learners' workbooks push their progress to the join address (--addr, every interface by default, with a warning: it must be reachable on the LAN); the dashboard listens on 127.0.0.1 only. The room runs no code, takes pushes only with its code, and never sends a learner anything but acknowledgements. It works offline. Ctrl-C ends it, writing each --export file (CSV or JSON by the name) first; the dashboard also has a printable summary. A learner counts as stuck after --stuck-minutes on an exercise without passing it, or --stuck-checks failing checks of it.",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.StringVar(&f.addr, "addr", defaultRoomAddr, "the join address learners push to (127.0.0.1:0 picks a free port on loopback)")
				fs.Func("export", "when the room ends, write it to `FILE` (.csv or .json; may be repeated)", func(s string) error {
					f.exports = append(f.exports, s)
					return nil
				})
				fs.IntVar(&f.stuckMinutes, "stuck-minutes", int(room.DefaultStuck.After/time.Minute), "flag a learner this many minutes on one exercise without a pass")
				fs.IntVar(&f.stuckChecks, "stuck-checks", room.DefaultStuck.Checks, "flag a learner after this many failing checks of one exercise")
			},
			run: (*app).cmdRoom},
		{name: "join", args: "URL CODE [--name NAME]", nargs: [2]int{2, 2},
			summary: "join a workshop room: the lead's dashboard follows your progress",
			help:    "Run the Join line the lead shows, in your workspace. From then on the exercise you are on, your checks with their verdicts and the hints you take go to the room (never your code); they wait on disk while the room is unreachable. Nothing listens on your computer: the workbook only sends. `workbook leave` leaves.",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.StringVar(&f.name, "name", "", "your name on the lead's dashboard (default: your user name)")
			},
			run: (*app).cmdJoin},
		{name: "leave", nargs: [2]int{0, 0},
			summary: "leave the workshop room",
			run:     (*app).cmdLeave},
		{name: "help-me", args: "[NAME]", nargs: [2]int{0, 1},
			summary: "raise a hand in the workshop room: the lead sees your code and comes over",
			help:    "Sends the room your code of the exercise (default: the one you are on) and what its last check said. It is the only time your code leaves your computer.",
			run:     (*app).cmdHelpMe},
		{name: "progress", args: "[--json]", nargs: [2]int{0, 0}, flags: jsonFlag,
			summary: "a summary a workshop lead can collect",
			run:     (*app).cmdProgress},
		{name: "doctor", args: "[--json]", nargs: [2]int{0, 0}, flags: jsonFlag,
			summary: "check that this computer can run the workbook (send it round before a workshop)",
			help:    "One line per item, ok or what to do: the Go version, cgo and a C compiler (by linking a tiny -race test), the modules checks need offline, the build cache, file events in the workspace, the default port, a browser. Exit status 0 when all is well, 2 otherwise.",
			run:     (*app).cmdDoctor},
		{name: "warm", args: "[NAME...] [--quiet]", nargs: [2]int{0, -1},
			summary: "compile what checks need now (init starts this in the background)",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.BoolVar(&f.quiet, "quiet", false, "print nothing (for the background warm that init starts)")
			},
			run: (*app).cmdWarm},
		{name: "verify", args: "[NAME...] [-p N] [-v]", nargs: [2]int{0, -1},
			summary: "prove exercises: shipped code fails, solution and right fixes pass, wrong fixes fail",
			flags: func(fs *flag.FlagSet, f *flags) {
				fs.IntVar(&f.parallel, "p", runtime.NumCPU(), "checks to run at once")
				fs.BoolVar(&f.verbose, "v", false, "print the output of every check, not only of the wrong outcomes")
			},
			run: (*app).cmdVerify},
		{name: "help", args: "[COMMAND]", nargs: [2]int{0, 1},
			summary: "this list, or more about one command",
			run:     cmdHelp},
	}
}

func (a *app) cmdInit(args []string) error {
	dir := "go-blindspots"
	if root, ok := repoRoot(); ok {
		dir = filepath.Join(root, defaultWorkspace)
	}
	if len(args) == 1 {
		dir = args[0]
	}
	ws, err := workspace.Create(dir, a.cat)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Your workspace is %s, with %d exercises.\n", ws.Root, len(a.cat.List))
	if !a.flags.noWarm {
		a.startWarm(ws, a.stdout)
	}
	fmt.Fprintf(a.stdout, "Open it in your editor, then run `workbook next` there.\n")
	return nil
}

// listEntry is one element of `workbook list --json`, a stable contract.
type listEntry struct {
	Name        string `json:"name"`
	Topic       string `json:"topic"`
	Title       string `json:"title"`
	Lesson      string `json:"lesson"`
	Status      string `json:"status"` // "pending" or "done"
	State       string `json:"state"`  // "pending", "failing" or "done"
	Dir         string `json:"dir"`
	SourceDir   string `json:"source_dir,omitempty"`
	SolutionDir string `json:"solution_dir,omitempty"`
	Hints       int    `json:"hints"`
	HintsShown  int    `json:"hints_shown"`
}

func (a *app) cmdList(_ []string) error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	if !a.flags.json {
		a.printList(p, p.Resume(a.cat))
		return nil
	}
	root, inClone := repoRoot()
	entries := make([]listEntry, 0, len(a.cat.List))
	for _, ex := range a.cat.List {
		e := listEntry{Name: ex.Name, Topic: ex.Topic, Title: ex.Title, Lesson: ex.Lesson,
			Status: "pending", State: p.State(ex.Name), Dir: ws.Dir(ex.Name), Hints: len(ex.Hints),
			HintsShown: len(p.Hints(ex))}
		if p.Done(ex.Name) {
			e.Status = "done"
		}
		if inClone {
			src := filepath.Join("exercises", ex.Name, "testdata")
			if _, err := os.Stat(filepath.Join(root, src)); err == nil {
				e.SourceDir = filepath.ToSlash(filepath.Join(src, "start"))
				e.SolutionDir = filepath.ToSlash(filepath.Join(src, "solution"))
			}
		}
		entries = append(entries, e)
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

// printList prints every exercise with its state, marking cur, and a legend.
func (a *app) printList(p *workspace.Progress, cur *exercises.Exercise) {
	st := markdown.Style{On: a.color}
	for _, ex := range a.cat.List {
		var mark string
		switch p.State(ex.Name) {
		case workspace.StateDone:
			mark = st.Green("✓")
		case workspace.StateFailing:
			mark = st.Red("✗")
		default:
			mark = st.Dim("·")
		}
		name := fmt.Sprintf("%-32s", ex.Name)
		if cur != nil && ex.Name == cur.Name {
			name = st.Bold(name)
			mark += st.Cyan("▸")
		} else {
			mark += " "
		}
		fmt.Fprintf(a.stdout, "%s %s %-8s %s\n", mark, name, ex.Topic, ex.Title)
	}
	sum := p.Summary(a.cat)
	fmt.Fprintf(a.stdout, "\n%d of %d done.  %s\n", sum.Done, sum.Total,
		st.Dim("✓ passed · ✗ checked, not passing yet · · not checked yet · ▸ yours now"))
}

// cmdStatus is what `workbook` with no command prints: where you are.
func (a *app) cmdStatus() error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	sum := p.Summary(a.cat)
	fmt.Fprintf(a.stdout, "Workspace %s: %d of %d exercises done.\n\n", ws.Root, sum.Done, sum.Total)
	return a.showNext(ws, p)
}

func (a *app) cmdNext() error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	return a.showNext(ws, p)
}

func (a *app) showNext(ws *workspace.Workspace, p *workspace.Progress) error {
	ex := p.Resume(a.cat)
	st := markdown.Style{On: a.color}
	if ex == nil {
		fmt.Fprintln(a.stdout, st.Green("Every exercise passes. Well done."))
		return nil
	}
	if err := ws.SetCurrent(ex); err != nil {
		return err
	}
	a.showTask(ws, ex)
	fmt.Fprintf(a.stdout, "\nEdit %s, then run `workbook check`.\n", relPath(ws.Dir(ex.Name)))
	fmt.Fprintf(a.stdout, "Stuck? `workbook hint` gives one hint at a time (%d in all).\n", len(ex.Hints))
	return nil
}

// showTask shows an exercise's title and task.
func (a *app) showTask(ws *workspace.Workspace, ex *exercises.Exercise) {
	st := markdown.Style{On: a.color}
	fmt.Fprintf(a.stdout, "%s %s  %s\n", st.Bold("Next:"), st.Cyan(ex.Name), st.Dim("("+ex.Topic+")"))
	fmt.Fprintf(a.stdout, "%s\n\n", st.Bold(ex.Title))
	a.text([]byte(ex.Task), "  ")
	if len(ex.ReadOnly) > 0 {
		fmt.Fprintf(a.stdout, "\n  %s\n", st.Dim("Read-only (the check uses the shipped copy): "+strings.Join(ex.ReadOnly, ", ")))
	}
}

func (a *app) cmdCheck(args []string) error {
	if a.flags.all && len(args) > 0 {
		return usagef("usage: workbook check [NAME|--all] [--json]")
	}
	ws, err := a.workspace()
	if err != nil {
		return err
	}
	var list []*exercises.Exercise
	switch {
	case a.flags.all:
		list = a.cat.List
	case len(args) == 1:
		ex, err := a.cat.Lookup(args[0])
		if err != nil {
			return err
		}
		list = []*exercises.Exercise{ex}
	default:
		p, err := ws.Progress()
		if err != nil {
			return err
		}
		ex := p.Resume(a.cat)
		if ex == nil {
			fmt.Fprintln(a.stdout, "Every exercise passes. Check one by name: `workbook check NAME`.")
			return nil
		}
		list = []*exercises.Exercise{ex}
	}
	r, err := a.newRunner()
	if err != nil {
		return err
	}
	var results []checkResult
	for _, ex := range list {
		res, err := a.checkOne(r, ws, ex)
		if err != nil {
			return err
		}
		results = append(results, checkResult{ex, res})
		if a.ctx.Err() != nil {
			break
		}
	}
	if a.flags.all && !a.flags.json {
		a.checkTable(results)
	}
	for _, r := range results {
		if !r.res.Pass {
			return errCheckFailed
		}
	}
	return nil
}

type checkResult struct {
	ex  *exercises.Exercise
	res runner.Result
}

// checkTable ends `check --all`: one row per exercise.
func (a *app) checkTable(results []checkResult) {
	st := markdown.Style{On: a.color}
	pass := 0
	fmt.Fprintf(a.stdout, "\n%-30s %-8s %8s  %s\n", "EXERCISE", "VERDICT", "TIME", "WHAT FAILED")
	for _, r := range results {
		verdict, why := st.Green("pass"), ""
		if r.res.Pass {
			pass++
		} else {
			verdict, why = st.Red("fail"), r.res.Message
		}
		took := r.res.Duration.Round(100 * time.Millisecond).String()
		fmt.Fprintf(a.stdout, "%-30s %-8s %8s  %s\n", r.ex.Name, verdict+strings.Repeat(" ", max(0, 4-markdown.Width(verdict))), took, why)
	}
	fmt.Fprintf(a.stdout, "\n%d of %d exercises pass.\n", pass, len(results))
}

// errEnvironment wraps an environment problem found by a check: the
// learner's code is not at fault, and the command exits 2.
type errEnvironment struct{ msg string }

func (e *errEnvironment) Error() string { return e.msg }

// checkOne checks the learner's code of one exercise, records the result and
// says what to do next. With --json it prints only the events.
func (a *app) checkOne(r *runner.Runner, ws *workspace.Workspace, ex *exercises.Exercise) (runner.Result, error) {
	var sink runner.Sink
	if a.flags.json {
		sink = newJSONLines(a.stdout)
	} else {
		sink = newTerminal(a.stdout, a.color, ws.Dir(ex.Name))
	}
	res, err := ws.Check(a.ctx, r, ex, sink)
	if err != nil {
		return res, err
	}
	if res.Reason == runner.ReasonEnvironment {
		return res, &errEnvironment{res.Message}
	}
	if a.flags.json || a.flags.all {
		return res, nil
	}
	p, err := ws.Progress()
	if err != nil {
		return res, err
	}
	st := markdown.Style{On: a.color}
	switch {
	case res.Pass:
		fmt.Fprintf(a.stdout, "  Compare with the reference: `workbook solution %s`. Next: `workbook next`.\n", ex.Name)
	case res.Reason == runner.ReasonCanceled:
		fmt.Fprintln(a.stdout, "  Canceled; nothing of the check is left running.")
	case len(p.Hints(ex)) < len(ex.Hints):
		fmt.Fprintf(a.stdout, "  %s `workbook hint %s`\n", st.Dim("Stuck? A hint:"), ex.Name)
	default:
		fmt.Fprintf(a.stdout, "  %s\n", st.Dim("All hints shown: `workbook hint "+ex.Name+"` repeats them. The lesson: "+ex.Lesson))
	}
	return res, nil
}

func (a *app) cmdHint(args []string) error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	ex := p.Resume(a.cat)
	if len(args) == 1 {
		if ex, err = a.cat.Lookup(args[0]); err != nil {
			return err
		}
	}
	if ex == nil {
		return usagef("every exercise passes; ask for the hints of one by name: workbook hint NAME")
	}
	return a.showHint(ws, ex)
}

// showHint shows one more hint of ex, after the ones shown before (dimmed).
func (a *app) showHint(ws *workspace.Workspace, ex *exercises.Exercise) error {
	shown, err := ws.RevealHint(ex)
	if err != nil {
		return err
	}
	st := markdown.Style{On: a.color}
	for i, h := range shown {
		label := fmt.Sprintf("Hint %d of %d:", i+1, len(ex.Hints))
		if i < len(shown)-1 {
			fmt.Fprintln(a.stdout, st.Dim(label))
		} else {
			fmt.Fprintln(a.stdout, st.Bold(label))
		}
		a.text([]byte(h), "  ")
	}
	if len(shown) == len(ex.Hints) {
		fmt.Fprintf(a.stdout, "%s\n", st.Dim("That was the last hint. The lesson section: "+ex.Lesson))
	}
	return nil
}

func (a *app) cmdReset(args []string) error {
	ex, err := a.cat.Lookup(args[0])
	if err != nil {
		return err
	}
	ws, err := a.workspace()
	if err != nil {
		return err
	}
	backup, err := ws.Reset(ex)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Restored the shipped code of %s.\nYour code is saved in %s.\n", ex.Name, relPath(backup))
	return nil
}

func (a *app) cmdSolution(args []string) error {
	ex, err := a.cat.Lookup(args[0])
	if err != nil {
		return err
	}
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	files, err := p.Solution(ex)
	if errors.Is(err, workspace.ErrSolutionLocked) {
		return usagef("the solution of %s opens once your check passes: `workbook check %s` (or ask for a hint: `workbook hint %s`)", ex.Name, ex.Name, ex.Name)
	}
	if err != nil {
		return err
	}
	mine, err := ws.Files(ex.Name)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	st := markdown.Style{On: a.color}
	for _, name := range names {
		fmt.Fprintf(a.stdout, "%s\n", st.Bold("── "+name+" "+strings.Repeat("─", max(0, 60-len(name)))))
		if err := (markdown.Terminal{Color: a.color}).Highlight(a.stdout, langOf(name), string(files[name])); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout)
		if d := unifiedDiff("yours/"+name, "solution/"+name, string(mine[name]), string(files[name])); d != "" {
			fmt.Fprintf(a.stdout, "%s\n", st.Bold("── yours against the solution "+strings.Repeat("─", 32)))
			writeDiff(a.stdout, d, st)
		}
	}
	return nil
}

// progressReport is `workbook progress --json`: what a workshop lead collects.
type progressReport struct {
	User      string                       `json:"user"`
	Host      string                       `json:"host"`
	Workspace string                       `json:"workspace"`
	Done      int                          `json:"done"`
	Total     int                          `json:"total"`
	Topics    []topicProgress              `json:"topics"`
	Pending   []string                     `json:"pending"`
	Current   string                       `json:"current,omitempty"`
	Checks    int                          `json:"checks"`
	Hints     int                          `json:"hints_shown"`
	LastCheck time.Time                    `json:"last_check,omitzero"`
	Generated time.Time                    `json:"generated"`
	Exercises map[string]*workspace.Status `json:"exercises"`
}

type topicProgress struct {
	Topic string `json:"topic"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

func (a *app) cmdProgress(_ []string) error {
	ws, p, err := a.progress()
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	sum := p.Summary(a.cat)
	rep := progressReport{User: firstNonEmpty(os.Getenv("USER"), os.Getenv("USERNAME"), "unknown"), Host: host,
		Workspace: ws.Root, Done: sum.Done, Total: sum.Total, Checks: sum.Checks, Hints: sum.Hints,
		Generated: time.Now().UTC(), Exercises: p.Exercises}
	for _, t := range sum.Topics {
		rep.Topics = append(rep.Topics, topicProgress{t.Topic, t.Done, t.Total})
	}
	for _, ex := range a.cat.List {
		if !p.Done(ex.Name) {
			rep.Pending = append(rep.Pending, ex.Name)
		}
		if st := p.Exercises[ex.Name]; st != nil && st.LastCheck.After(rep.LastCheck) {
			rep.LastCheck = st.LastCheck
		}
	}
	if cur := p.Resume(a.cat); cur != nil {
		rep.Current = cur.Name
	}
	if a.flags.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	st := markdown.Style{On: a.color}
	fmt.Fprintf(a.stdout, "%s@%s — %d of %d exercises done\n\n", rep.User, rep.Host, rep.Done, rep.Total)
	for _, t := range rep.Topics {
		bar := strings.Repeat("█", t.Done) + strings.Repeat("░", t.Total-t.Done)
		fmt.Fprintf(a.stdout, "  %-10s %s %d/%d\n", t.Topic, st.Green(bar), t.Done, t.Total)
	}
	fmt.Fprintf(a.stdout, "\n  %s run, %s used", plural(rep.Checks, "check"), plural(rep.Hints, "hint"))
	if !rep.LastCheck.IsZero() {
		fmt.Fprintf(a.stdout, ", last check %s", rep.LastCheck.Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintln(a.stdout)
	if rep.Current != "" {
		fmt.Fprintf(a.stdout, "  working on %s\n", rep.Current)
	}
	return nil
}

// plural writes "1 check", "2 checks".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
